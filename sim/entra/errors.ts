/**
 * Entra ID token-endpoint errors, with the codes, `error` values, HTTP statuses and description texts the real
 * service sends (docs/wire-notes.md §3.3). Each builder returns what went wrong; `entraErrorBody` adds the envelope
 * (trace id, correlation id, timestamps) exactly as Entra shapes it. Texts never contain secrets or assertions.
 */

/** One AADSTS error before it is wrapped in the response envelope. */
export interface EntraError {
  /** HTTP status: 401 for `invalid_client`, 400 otherwise (observed mapping, docs/wire-notes.md §3.3). */
  status: 400 | 401;
  /** OAuth `error` value. */
  error: string;
  /** The number after `AADSTS`. */
  code: number;
  /** Description text without the `AADSTS<code>: ` prefix and without the trace suffix. */
  text: string;
}

// Observed texts differ by age: 70021/700211 carry the older docs link and "Please check", 700213 the newer ones.
const WIF_DOCS_OLD = 'https://docs.microsoft.com/en-us/azure/active-directory/develop/workload-identity-federation';
const WIF_DOCS = 'https://learn.microsoft.com/entra/workload-id/workload-identity-federation';
const CHECK_FIC_OLD =
  'Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.';
const CHECK_FIC =
  'Check your federated identity credential Subject, Audience and Issuer against the presented assertion.';

const client = (code: number, text: string): EntraError => ({ status: 401, error: 'invalid_client', code, text });
const request = (error: string, code: number, text: string): EntraError => ({ status: 400, error, code, text });

/** Constructors for every AADSTS error the simulator can answer with, named by cause. */
export const aadsts = {
  tenantNotFound: (tenant: string) =>
    request(
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  unsupportedGrant: (grant: string) =>
    request('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`),
  missingParameter: (name: string) =>
    request('invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  applicationNotFound: (clientId: string, tenantName: string) =>
    request(
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  missingCredential: () =>
    client(7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  invalidSecret: (appId: string) =>
    client(
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`,
    ),
  expiredSecret: (appId: string) =>
    client(
      7000222,
      `The provided client secret keys for app '${appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
    ),
  malformedAssertion: () => request('invalid_request', 50027, 'JWT token is invalid or malformed.'),
  assertionTimeRange: (now: Date, validFrom: Date, expiry: Date) =>
    client(
      700024,
      `Client assertion is not within its valid time range. Current time: ${ticks(now)}, assertion valid from ${ticks(validFrom)}, expiry time of assertion ${ticks(expiry)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
    ),
  noFederatedCredentials: (iss: string, sub: string, aud: string) =>
    client(
      70021,
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${iss}'. Assertion Subject: '${sub}'. Assertion Audience: '${aud}'. ${WIF_DOCS_OLD}`,
    ),
  issuerMismatch: (iss: string) =>
    client(
      700211,
      `No matching federated identity record found for presented assertion issuer '${iss}'. ${CHECK_FIC_OLD} ${WIF_DOCS_OLD}`,
    ),
  audienceMismatch: (aud: string) =>
    client(
      700212,
      `No matching federated identity record found for presented assertion audience '${aud}'. ${CHECK_FIC_OLD} ${WIF_DOCS_OLD}`,
    ),
  subjectMismatch: (sub: string) =>
    client(
      700213,
      `No matching federated identity record found for presented assertion subject '${sub}'. ${CHECK_FIC} ${WIF_DOCS}`,
    ),
  subjectCaseMismatch: (sub: string) =>
    client(
      7002138,
      `No matching federated identity record found for presented assertion subject '${sub}'. The subject matches with case-insensitive comparison, but not with case-sensitive comparison. ${CHECK_FIC} ${WIF_DOCS}`,
    ),
  /** Entra could not fetch the issuer's OIDC discovery document or JWKS (azure-workload-identity#642). */
  issuerUnreachable: () => request('invalid_request', 50166, 'Request to External OIDC endpoint failed.'),
  /** Wording observed for certificate credentials; the federated variant is believed to read the same. */
  invalidSignature: (reason: 'key' | 'signature', kid: string) =>
    client(
      700027,
      `Client assertion contains an invalid signature. [Reason - ${
        reason === 'key'
          ? 'The key was not found.'
          : 'The provided signature value did not match the expected signature value.'
      }, Thumbprint of key used by client: '${kid}']`,
    ),
  invalidScope: (scope: string) =>
    request(
      'invalid_scope',
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
    ),
  resourceNotFound: (resource: string, tenantName: string) =>
    request(
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),
} as const;

/** Entra's `timestamp` format: `2023-10-13 19:07:11Z`. */
export function entraTimestamp(now: Date): string {
  return `${now.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** .NET round-trip format with seven fractional digits, as in AADSTS700024 texts. */
function ticks(date: Date): string {
  return `${date.toISOString().slice(0, 23)}0000Z`;
}

/** The JSON body Entra sends for an error (docs/wire-notes.md §3.3), with the newer single-space trace suffix. */
export function entraErrorBody(err: EntraError, ids: { now: Date; traceId: string; correlationId: string }) {
  const timestamp = entraTimestamp(ids.now);
  return {
    error: err.error,
    error_description: `AADSTS${err.code}: ${err.text} Trace ID: ${ids.traceId} Correlation ID: ${ids.correlationId} Timestamp: ${timestamp}`,
    error_codes: [err.code],
    timestamp,
    trace_id: ids.traceId,
    correlation_id: ids.correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${err.code}`,
  };
}
