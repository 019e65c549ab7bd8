/**
 * Key Vault's bearer-token authentication (docs/wire-notes.md §4.2–4.3): every failure is a 401 that carries the
 * vault's challenge, so the SDK can (re)acquire a token for the right tenant and resource. Checks: Bearer
 * present → signing key known → signature and lifetime → audience is Key Vault → issuer is the vault's tenant.
 */
import { audiences, decodeJwt, JwtError, verifyJwt } from '../common/jwt.ts';
import { type KeyVaultError, kvErrors } from './errors.ts';

/** Key Vault's resource URI and its first-party app id: both are valid token audiences (observed AKV10022 text). */
export const KEY_VAULT_AUDIENCES = ['https://vault.azure.net', 'cfa8b339-82a2-471a-a3c9-0fc0be7a4093'];
/** Clock skew the simulator tolerates on access-token `exp`/`nbf`. */
const SKEW_SECONDS = 300;

/** Who a valid token speaks for. */
export interface Principal {
  appId: string;
  objectId: string;
  tenantId: string;
  /** `appid=<appId>;oid=<oid>;iss=<iss>`, as Key Vault names callers in 403 texts. */
  caller: string;
}

export type Authentication = { ok: true; principal: Principal } | { ok: false; error: KeyVaultError };

/** Authenticates the `Authorization` header for a vault in `vaultTenantId`. */
export function authenticate(
  authorization: string | undefined,
  vaultTenantId: string,
  entraJwks: { keys: object[] },
  now: Date,
): Authentication {
  const fail = (error: KeyVaultError): Authentication => ({ ok: false, error });
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return fail(kvErrors.missingToken());
  const token = match[1];

  let kid: unknown;
  try {
    kid = decodeJwt(token).header.kid;
  } catch {
    return fail(kvErrors.malformedToken());
  }
  const keys = entraJwks.keys as Array<Record<string, unknown>>;
  if (!keys.some((k) => k.kid === kid)) return fail(kvErrors.unknownSigningKey(token.split('.')[0] ?? ''));

  let claims: Record<string, unknown>;
  try {
    claims = verifyJwt(token, { keys }, Math.floor(now.getTime() / 1000), SKEW_SECONDS).claims;
  } catch (err) {
    const reason = err instanceof JwtError ? err.reason : 'malformed';
    if (reason === 'expired') return fail(kvErrors.expiredToken());
    if (reason === 'not_yet_valid') return fail(kvErrors.notYetValidToken());
    if (reason === 'bad_signature') return fail(kvErrors.badSignature());
    return fail(kvErrors.malformedToken());
  }

  const aud = audiences(claims);
  if (!aud.some((a) => KEY_VAULT_AUDIENCES.includes(a))) {
    return fail(kvErrors.invalidAudience(KEY_VAULT_AUDIENCES[0] ?? '', aud.join(', ')));
  }
  const iss = String(claims.iss ?? '');
  const accepted = [
    `https://sts.windows.net/${vaultTenantId}/`,
    `https://login.microsoftonline.com/${vaultTenantId}/v2.0`,
  ];
  if (!accepted.includes(iss)) return fail(kvErrors.invalidIssuer([accepted[0] ?? ''], iss));

  const appId = String(claims.appid ?? claims.azp ?? '');
  const objectId = String(claims.oid ?? '');
  return {
    ok: true,
    principal: {
      appId,
      objectId,
      tenantId: String(claims.tid ?? vaultTenantId),
      caller: `appid=${appId};oid=${objectId};iss=${iss}`,
    },
  };
}
