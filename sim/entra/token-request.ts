/**
 * Decides a `POST /{tenant}/oauth2/v2.0/token` client-credentials request the way Entra ID does: tenant, grant,
 * client id, client authentication (federated assertion or secret), then scope. Returns who gets a token for
 * which resource, or the AADSTS error. Fields msal adds (`claims`, `client_info`, `x-client-*`, telemetry) are
 * ignored, as Entra ignores what it does not need.
 */
import type { AzureState, Identity, Tenant } from '../azure/state.ts';
import { aadsts, type EntraError } from './errors.ts';
import { checkClientAssertion } from './federation.ts';
import type { IssuerJwksResolver } from './issuer-keys.ts';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** OIDC scopes msal may append; they do not name a resource. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access']);

/**
 * Resource app ids that exist in every tenant (first-party service principals), as `https://host` without a
 * trailing slash. Key Vault for each cloud, plus the management and Graph APIs a caller might mistakenly ask for.
 */
export const KNOWN_RESOURCES = new Set([
  'https://vault.azure.net',
  'https://vault.usgovcloudapi.net',
  'https://vault.azure.cn',
  'https://vault.microsoftazure.de',
  'https://management.azure.com',
  'https://management.core.windows.net',
  'https://graph.microsoft.com',
  'https://storage.azure.com',
]);

export type TokenDecision =
  | { ok: true; tenant: Tenant; identity: Identity; resource: string; appidacr: '1' | '2' }
  | { ok: false; error: EntraError };

const fail = (error: EntraError): TokenDecision => ({ ok: false, error });

/** Applies Entra's checks in order; the first failure wins. */
export async function decideTokenRequest(
  tenantSegment: string,
  form: URLSearchParams,
  ctx: { state: AzureState; now: Date; resolveIssuerJwks: IssuerJwksResolver },
): Promise<TokenDecision> {
  const tenant = ctx.state.tenants.find((t) => t.id.toLowerCase() === tenantSegment.toLowerCase());
  if (!tenant) return fail(aadsts.tenantNotFound(tenantSegment));

  const grant = form.get('grant_type');
  if (!grant) return fail(aadsts.missingParameter('grant_type'));
  if (grant !== 'client_credentials') return fail(aadsts.unsupportedGrant(grant));

  const clientId = form.get('client_id');
  if (!clientId) return fail(aadsts.missingParameter('client_id'));
  const identity = tenant.identities.find((i) => i.clientId.toLowerCase() === clientId.toLowerCase());
  if (!identity) return fail(aadsts.applicationNotFound(clientId, tenant.displayName));

  const assertion = form.get('client_assertion');
  const secret = form.get('client_secret');
  let appidacr: '1' | '2';
  if (assertion) {
    if (form.get('client_assertion_type') !== JWT_BEARER) return fail(aadsts.missingParameter('client_assertion_type'));
    const err = await checkClientAssertion(assertion, identity, ctx);
    if (err) return fail(err);
    appidacr = '2';
  } else if (secret) {
    const err = checkClientSecret(identity, secret, ctx.now);
    if (err) return fail(err);
    appidacr = '1';
  } else {
    return fail(aadsts.missingCredential());
  }

  const scope = form.get('scope');
  if (!scope) return fail(aadsts.missingParameter('scope'));
  const resources = scope.split(/\s+/).filter((s) => s && !OIDC_SCOPES.has(s));
  const only = resources.length === 1 ? resources[0] : undefined;
  if (!only?.endsWith('/.default')) return fail(aadsts.invalidScope(scope));
  const resource = only.slice(0, -'/.default'.length);
  if (!KNOWN_RESOURCES.has(resource)) return fail(aadsts.resourceNotFound(resource, tenant.displayName));

  return { ok: true, tenant, identity, resource, appidacr };
}

/** A secret must equal one of the identity's secrets; a matching but expired one is its own error. */
function checkClientSecret(identity: Identity, secret: string, now: Date): EntraError | undefined {
  const match = (identity.secrets ?? []).find((s) => s.value === secret);
  if (!match) return aadsts.invalidSecret(identity.clientId);
  if (match.expiresOn && Date.parse(match.expiresOn) <= now.getTime()) return aadsts.expiredSecret(identity.clientId);
  return undefined;
}
