/**
 * Reads the claims a federated credential is matched against (iss, sub, aud) from a service-account token,
 * without verifying it: kvlab shows them beside the credential's expectations and never trusts them.
 */
import type { TokenClaims } from '../gather/replay-mount.ts';

export function decodeTokenClaims(token: string): TokenClaims {
  const payload = token.split('.')[1] ?? '';
  let claims: Record<string, unknown> = {};
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    // An unreadable token still gets exchanged by the probe; its claims are just shown as unknown.
  }
  const aud = claims.aud;
  return {
    iss: typeof claims.iss === 'string' ? claims.iss : '',
    sub: typeof claims.sub === 'string' ? claims.sub : '',
    aud: Array.isArray(aud) ? aud.map(String) : typeof aud === 'string' ? [aud] : [],
    ...(typeof claims.exp === 'number' ? { exp: claims.exp } : {}),
  };
}
