/**
 * Key Vault data-plane errors with the status, top-level code, inner code and message texts the service sends
 * (docs/wire-notes.md §4.2–4.3; Key Vault rest-error-codes; observed bodies cited there). Messages name the caller, the
 * vault and the object, never a secret value or a token (the token's header only, as AKV10046 does).
 */

/** One error as the simulator answers it. */
export interface KeyVaultError {
  status: number;
  code: string;
  message: string;
  /** `innererror.code` on the wire (the SDK exposes it as `details.error.innerError.code`). */
  innerCode?: string;
  /** Sent as `Retry-After` (429 only). */
  retryAfterSeconds?: number;
}

/** Where a vault lives and who is asking, for the texts that name them. */
export interface Subject {
  vault: string;
  location: string;
  /** `appid=<appId>;oid=<oid>;iss=https://sts.windows.net/<tid>/` */
  caller: string;
}

export type ObjectKind = 'secret' | 'key' | 'certificate';

const FWLINK_PERMISSIONS = 'https://go.microsoft.com/fwlink/?linkid=2125287';
const FWLINK_NOT_FOUND = 'https://go.microsoft.com/fwlink/?linkid=2125182';
const vaultText = (s: Subject) => `${s.vault};location=${s.location}`;
const unauthorized = (message: string): KeyVaultError => ({ status: 401, code: 'Unauthorized', message });
const forbidden = (innerCode: string, message: string): KeyVaultError => ({
  status: 403,
  code: 'Forbidden',
  message,
  innerCode,
});

/** Constructors for each Key Vault error the simulator can answer with, named by cause. */
export const kvErrors = {
  missingToken: () => unauthorized('AKV10000: Request is missing a Bearer or PoP token.'),
  /** Observed wording (AKV10022). */
  invalidAudience: (expected: string, found: string) =>
    unauthorized(`AKV10022: Invalid audience. Expected ${expected}, found: ${found}.`),
  /** Observed wording (AKV10032): the token's tenant is not the vault's tenant. */
  invalidIssuer: (expected: string[], found: string) =>
    unauthorized(`AKV10032: Invalid issuer. Expected one of ${expected.join(', ')}, found ${found}.`),
  /** Observed wording (AKV10046): the token was not signed by a key Entra publishes. */
  unknownSigningKey: (encodedHeader: string) =>
    unauthorized(
      `AKV10046: Unable to resolve the key used for signature validation. EncodedJwtHeader: '${encodedHeader}'.`,
    ),
  /** Wording not verified against the service. */
  badSignature: () => unauthorized('Token signature validation failed.'),
  /** Wording not verified against the service (Managed HSM answers "Token not yet valid" for the nbf case). */
  expiredToken: () => unauthorized('Token expired.'),
  notYetValidToken: () => unauthorized('Token not yet valid.'),
  malformedToken: () => unauthorized('Token is malformed.'),

  accessDenied: (s: Subject, permission: string) =>
    forbidden(
      'AccessDenied',
      `The user, group or application '${s.caller}' does not have ${permission} permission on key vault '${vaultText(s)}'. For help resolving this issue, please see ${FWLINK_PERMISSIONS}`,
    ),
  forbiddenByRbac: (s: Subject, action: string, resourceId: string) =>
    forbidden(
      'ForbiddenByRbac',
      [
        'Caller is not authorized to perform action on resource.',
        'If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.',
        `Caller: ${s.caller}`,
        `Action: '${action}'`,
        `Resource: '${resourceId}'`,
        'Assignment: (not found)',
        'DenyAssignmentId: null',
        "DecisionReason: 'DeniedWithNoValidRBAC' ",
        `Vault: ${vaultText(s)}`,
        '',
      ].join('\r\n'),
    ),
  forbiddenByFirewall: (s: Subject, clientAddress: string) =>
    forbidden(
      'ForbiddenByFirewall',
      `Client address is not authorized and caller is not a trusted service.\r\nClient address: ${clientAddress}\r\nCaller: ${s.caller}\r\nVault: ${vaultText(s)}`,
    ),
  forbiddenByConnection: (s: Subject) =>
    forbidden(
      'ForbiddenByConnection',
      `Public network access is disabled and request is not from a trusted service nor via an approved private link.\r\nCaller: ${s.caller}\r\nVault: ${vaultText(s)}`,
    ),
  /** Observed for secrets (azure-sdk-for-js#24756); the key variant is believed to follow the same pattern. */
  disabled: (kind: 'secret' | 'key') =>
    forbidden(
      kind === 'secret' ? 'SecretDisabled' : 'KeyDisabled',
      `Operation get is not allowed on a disabled ${kind}.`,
    ),
  notFound: (kind: ObjectKind, nameOrId: string): KeyVaultError => ({
    status: 404,
    code: `${kind[0]?.toUpperCase()}${kind.slice(1)}NotFound`,
    message: `A ${kind} with (name/id) ${nameOrId} was not found in this key vault. If you recently deleted this ${kind} you may be able to recover it using the correct recovery command. For help resolving this issue, please see ${FWLINK_NOT_FOUND}`,
  }),
  invalidName: (name: string): KeyVaultError => ({
    status: 400,
    code: 'BadParameter',
    message: `The request URI contains an invalid name: ${name}`,
  }),
  /** Wording not verified against the service. */
  missingApiVersion: (): KeyVaultError => ({
    status: 400,
    code: 'BadParameter',
    message: "The 'api-version' query parameter is missing.",
  }),
  /** Observed wording (azure-sdk-for-python#28595). */
  unknownApiVersion: (version: string, latest: string): KeyVaultError => ({
    status: 400,
    code: 'BadParameter',
    message: `The specified version (${version}) is not recognized. Consider using the latest supported version (${latest}).`,
  }),
  /** Observed body of a throttled request (AzureSignTool#219). */
  throttled: (retryAfterSeconds: number): KeyVaultError => ({
    status: 429,
    retryAfterSeconds,
    code: 'Throttled',
    message: 'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached',
  }),
  /** Simulator-specific: the request reached the simulator under a name that is not a simulated vault. */
  unknownHost: (host: string): KeyVaultError => ({
    status: 400,
    code: 'BadParameter',
    message: `kvlab simulator: the Host header '${host}' does not name a simulated vault; address vaults as https://<vault>.vault.azure.net:<port>.`,
  }),
  /** Simulator-specific: only the read operations the diagnosis needs are simulated. */
  unsupported: (method: string, path: string): KeyVaultError => ({
    status: 405,
    code: 'BadParameter',
    message: `kvlab simulator: ${method} ${path} is not simulated (read-only: get and list secrets, keys and certificates).`,
  }),
} as const;

/** The wire body: `{"error":{"code","message","innererror":{"code"}}}`. */
export function keyVaultErrorBody(err: KeyVaultError) {
  return {
    error: { code: err.code, message: err.message, ...(err.innerCode ? { innererror: { code: err.innerCode } } : {}) },
  };
}

/** The `WWW-Authenticate` challenge for a vault: authority = login host + tenant, resource = Key Vault. */
export function challengeHeader(tenantId: string, resource = 'https://vault.azure.net'): string {
  return `Bearer authorization="https://login.microsoftonline.com/${tenantId}", resource="${resource}"`;
}
