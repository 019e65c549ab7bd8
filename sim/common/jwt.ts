/**
 * Minimal RS256 JSON Web Tokens for the simulators: the Kubernetes service-account issuer signs TokenRequest
 * tokens, Entra ID signs access tokens, and both publish their public keys as a JWKS, as the real services do.
 * Verification here is what the *simulated* relying parties (Entra, Key Vault) do; product code never trusts it.
 */
import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';

export type JwtClaims = Record<string, unknown> & {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
};

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as a JWK, with `kid`, `use: sig` and `alg: RS256`. */
  jwk: Record<string, string>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** Generates a fresh RSA-2048 signing key; `kid` is the RFC 7638 thumbprint, as Kubernetes does. */
export function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { n, e } = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  const kid = b64url(
    createHash('sha256')
      .update(JSON.stringify({ e, kty: 'RSA', n }))
      .digest(),
  );
  return { kid, privateKey, publicKey, jwk: { kty: 'RSA', e, n, kid, use: 'sig', alg: 'RS256' } };
}

export function signJwt(claims: JwtClaims, key: SigningKey, extraHeader: Record<string, string> = {}): string {
  const header = b64url(JSON.stringify({ alg: 'RS256', kid: key.kid, typ: 'JWT', ...extraHeader }));
  const body = b64url(JSON.stringify(claims));
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${body}`), key.privateKey);
  return `${header}.${body}.${b64url(signature)}`;
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: JwtClaims;
}

/** Splits and JSON-decodes a JWT without checking anything. Throws on a malformed token. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtError('malformed', 'token does not have three dot-separated parts');
  try {
    const header = JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString('utf8'));
    const claims = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'));
    if (typeof header !== 'object' || typeof claims !== 'object' || !header || !claims) throw new Error('not objects');
    return { header, claims };
  } catch (cause) {
    throw new JwtError('malformed', 'token header or payload is not base64url JSON', { cause });
  }
}

export type JwtFailure = 'malformed' | 'bad_signature' | 'unknown_key' | 'expired' | 'not_yet_valid';

export class JwtError extends Error {
  readonly reason: JwtFailure;
  constructor(reason: JwtFailure, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'JwtError';
    this.reason = reason;
  }
}

/**
 * Verifies an RS256 signature against a JWKS and checks `exp`/`nbf` (with `skewSeconds` leeway).
 * Audience and issuer are the caller's business: each relying party has its own rules and error texts.
 */
export function verifyJwt(
  token: string,
  jwks: { keys: Array<Record<string, unknown>> },
  nowSeconds = Math.floor(Date.now() / 1000),
  skewSeconds = 0,
): DecodedJwt {
  const decoded = decodeJwt(token);
  if (decoded.header.alg !== 'RS256') throw new JwtError('malformed', `unsupported alg ${String(decoded.header.alg)}`);
  const jwk =
    jwks.keys.find((k) => k.kid === decoded.header.kid) ?? (jwks.keys.length === 1 ? jwks.keys[0] : undefined);
  if (!jwk) throw new JwtError('unknown_key', `no key with kid ${String(decoded.header.kid)}`);
  const [h, p, s] = token.split('.') as [string, string, string];
  const publicKey = createPublicKey({ key: jwk as never, format: 'jwk' });
  if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))) {
    throw new JwtError('bad_signature', 'signature does not verify');
  }
  const { exp, nbf } = decoded.claims;
  if (typeof exp === 'number' && nowSeconds > exp + skewSeconds) throw new JwtError('expired', `expired at ${exp}`);
  if (typeof nbf === 'number' && nowSeconds + skewSeconds < nbf)
    throw new JwtError('not_yet_valid', `valid from ${nbf}`);
  return decoded;
}

/** `aud` may be a string or an array (RFC 7519 §4.1.3). */
export function audiences(claims: JwtClaims): string[] {
  return claims.aud === undefined ? [] : Array.isArray(claims.aud) ? claims.aud : [claims.aud];
}
