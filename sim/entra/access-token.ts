/**
 * Mints the v1.0 app-only access tokens Entra ID issues for client credentials (the shape Key Vault validates:
 * see the decoded token in Key Vault's rest-error-codes page). Signed RS256 with the simulator's own key, whose
 * public half Entra publishes at `/{tenant}/discovery/v2.0/keys`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Identity } from '../azure/state.ts';
import { type SigningKey, signJwt } from '../common/jwt.ts';

/** `expires_in` Entra reports; above msal's 300 s renewal offset, so one token serves a credential instance. */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 3599;

/** The `iss` of a v1.0 access token for `tenantId`; Key Vault expects exactly this (AKV10032 otherwise). */
export const stsIssuer = (tenantId: string) => `https://sts.windows.net/${tenantId}/`;

export interface AccessTokenGrant {
  tenantId: string;
  identity: Identity;
  /** Token audience: the scope without `/.default`, e.g. `https://vault.azure.net`. */
  resource: string;
  /** `1` = client secret, `2` = certificate or federated assertion. */
  appidacr: '1' | '2';
  now: Date;
}

/** Returns a signed access token for the grant. */
export function mintAccessToken(key: SigningKey, grant: AccessTokenGrant): string {
  const iat = Math.floor(grant.now.getTime() / 1000);
  const iss = stsIssuer(grant.tenantId);
  return signJwt(
    {
      aud: grant.resource,
      iss,
      iat,
      nbf: iat,
      exp: iat + ACCESS_TOKEN_LIFETIME_SECONDS,
      aio: randomBytes(24).toString('base64'),
      appid: grant.identity.clientId,
      appidacr: grant.appidacr,
      idp: iss,
      idtyp: 'app',
      oid: grant.identity.objectId,
      sub: grant.identity.objectId,
      tid: grant.tenantId,
      uti: randomUUID().replace(/-/g, '').slice(0, 22),
      ver: '1.0',
    },
    key,
    { x5t: key.kid },
  );
}
