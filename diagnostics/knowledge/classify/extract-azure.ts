import type { Facts, KeyVaultOperation, MessageDetails, Views } from './types.ts';

/**
 * Reads Key Vault and Entra ID answers out of a message, in the shapes both provider generations produce:
 * autorest (`StatusCode=403 -- Original Error: autorest/azure: Service returned an error. Status=403
 * Code="Forbidden" … InnerError={"code":"AccessDenied"}`), azure-sdk-for-go (`GET https://…` / `RESPONSE 403:` /
 * `ERROR CODE:` / JSON body), azidentity and msal errors, and the JS/.NET/Python SDK dumps people paste
 * (references 03 §3, 04 §3). Works on the compact view: whitespace and hard line breaks never split a token.
 */

const VAULT_SUFFIX = String.raw`\.vault\.(?:azure\.net|azure\.cn|usgovcloudapi\.net|microsoftazure\.de)`;
const VAULT_NAME_PATTERNS: RegExp[] = [
  new RegExp(`https?://([A-Za-z0-9-]{1,63})${VAULT_SUFFIX}`, 'i'),
  new RegExp(`(?:lookup|ENOTFOUND|EAI_AGAIN)([A-Za-z0-9-]{1,63})${VAULT_SUFFIX}`, 'i'),
  /keyvault'([A-Za-z0-9-]{1,63});location=/i,
  /vault:([A-Za-z0-9-]{1,63});location=/i,
  /\/vaults\/([A-Za-z0-9-]{1,63})(?:\/|'|"|$)/i,
  /keyvault(?:name)?="([A-Za-z0-9-]{1,63})"/i,
  /thevault'([A-Za-z0-9-]{1,63})'notfound/i,
];
const INVALID_VAULT_NAME = /invalidvaultname:"([^"]{0,100})"/i;
const VAULT_HOST = new RegExp(String.raw`${VAULT_SUFFIX}$|\.managedhsm\.azure\.net$`, 'i');
const IDENTITY_HOST = /^(?:login\.|.*microsoftonline|169\.254\.169\.254|localhost|127\.0\.0\.1|\[::1\])/i;

const AUTOREST_STATUS = /status=(\d{3})code="(\w{1,64})"/i;
const AUTOREST_CLIENT_STATUS = /baseclient#\w{1,40}:failure\w{1,40}?request:statuscode=(\d{1,3})/i;
// Quotes optional: flexvolume-era drivers strip them (`InnerError={code:AccessDenied}`).
const INNER = /inner_?error"?[:=]\{[^{}]{0,300}?(?<![a-z])"?code"?:"?(\w{1,64})/i;
const ERROR_CODE_LINE = /errorcode:(\w{1,64})/i;
const ERROR_CODE_TEXT = /error ?code: ?(\w{1,64})/i;
// Key Vault top-level codes: they let a code split by a line break win over one merged with the next line's word.
const KNOWN_CODES = [
  'Forbidden',
  'Unauthorized',
  'BadParameter',
  'BadRequest',
  'Throttled',
  'TooManyRequests',
  'Conflict',
  'NotFound',
  'ServiceUnavailable',
  'InternalServerError',
  'SecretNotFound',
  'KeyNotFound',
  'CertificateNotFound',
  'ObjectNotFound',
];
const KV_JSON_CODE = /"error":\{"code":"(\w{1,64})"/i;
// Python SDKs print the service's code in parentheses after the exception: `KeyVaultErrorException: (Forbidden)`.
const PY_EXCEPTION_CODE = /(?:error|exception):\((\w{1,64})\)/i;
const DOTNET_STATUS = /status:(\d{3})\(/i;
const REST_ERROR_STATUS = /resterror[\s\S]{0,2000}?"statuscode":(\d{3})/i;
const REST_ERROR_CODE = /"name":"resterror","code":"(\w{1,64})"/i;
const AKV = /AKV(\d{5})/;
// Python `requests`: `400 Client Error: Bad Request for url: http://localhost:50342/oauth2/token`.
const PY_HTTP_ERROR =
  /(\d{3})(?:client|server)error:\w{1,40}?forurl:https?:\/\/([A-Za-z0-9.:[\]-]{1,253}?)(?:\/|\?|$)/i;
// AutoRest C# (`Microsoft.Azure.KeyVault`) names the status instead of numbering it: `invalid status code 'NotFound'`,
// before its stack (`at Microsoft.Azure.KeyVault.KeyVaultClient…`) or after the exception type.
const NAMED_STATUS =
  /keyvault[\s\S]{0,300}?invalidstatuscode'(\w{1,40})'|invalidstatuscode'(\w{1,40})'[\s\S]{0,300}?microsoft\.azure\.keyvault/i;
const STATUS_NAMES: Readonly<Record<string, number>> = {
  badrequest: 400,
  unauthorized: 401,
  forbidden: 403,
  notfound: 404,
  conflict: 409,
  toomanyrequests: 429,
  internalservererror: 500,
  serviceunavailable: 503,
};
// Last resorts: a status with its reason phrase ("403 Forbidden") when a vault is mentioned, and bare codes.
const BARE_STATUS = /\b([45]\d\d)[ :-]{0,3}(?:Forbidden|Not ?Found|Unauthorized|Too Many Requests|Bad Request)\b/i;
const BARE_INNER = /\b(ForbiddenBy(?:Rbac|Firewall|Connection|Policy)|(?:Secret|Key|Certificate)Disabled)\b/;
const BARE_CODE = /\b((?:Secret|Key|Certificate)NotFound)\b/;
const RESPONSE = /RESPONSE(\d{3}):/g;
const MAX_RESPONSES = 16;
const URL_HOST = /https?:\/\/([A-Za-z0-9.:[\]-]{1,253}?)(?:\/|"|'|$|\?)/gi;

const AADSTS = /AADSTS(\d{5,8})/;
const OAUTH_ERROR = /"error":"(\w{1,64})"/;
const MSAL_STATUS = /replystatuscodewas(\d{3})/i;
const ADAL_STATUS = /statuscode='(\d{3})'/i;
const NMI_STATUS = /nmiresponsefailedwithstatuscode:(\d{3})/i;
const CREDENTIAL = /([A-Z]\w{0,40}Credential)(?:authenticationfailed|:)/;
const CLIENT_ID_PATTERNS: RegExp[] = [
  /applicationwithidentifier'([^']{1,100})'/i,
  /app'([0-9a-f-]{36})'/i,
  /client_id=([0-9a-f-]{36})/i,
  /clientid"?[=:]"?([0-9a-f-]{36})/i,
  /appid=([0-9a-f-]{36})/i,
];
/**
 * The caller's object (principal) ID Key Vault names in its 403 texts (`The user, group or application
 * 'appid=…;oid=<objectId>;iss=…'`): read from a pasted message here and from the replay's error by the key-vault check.
 */
export function callerObjectId(text: string): string | undefined {
  return /\boid=([0-9a-f-]{36})/i.exec(text)?.[1];
}
const TENANT_PATTERNS: RegExp[] = [
  /login\.(?:microsoftonline\.(?:com|us)|chinacloudapi\.cn|partner\.microsoftonline\.cn)\/([A-Za-z0-9.-]{1,100})\//i,
  /tenant'([^']{1,100})'notfound/i,
  /inthedirectory'([^']{1,100})'/i,
  /tenantidentifier'([^']{1,100})'/i,
  /iss=https:\/\/sts\.windows\.net\/([0-9a-f-]{36})\//i,
  /tenantid"?[=:]"?([0-9a-f-]{36})/i,
];
const ASSERTION = {
  assertionIssuer: /(?:assertionissuer:|presentedassertionissuer)'([^']{1,300})'/i,
  assertionSubject: /(?:assertionsubject:|presentedassertionsubject)'([^']{1,300})'/i,
  assertionAudience: /(?:assertionaudience:|presentedassertionaudience)'([^']{1,300})'/i,
} as const;

// `remotenamecouldnotberesolved` is .NET's WebException text for NameResolutionFailure.
const DNS_NX =
  /nosuchhost|getaddrinfofailed|enotfound|nameorservicenotknown|unknownhostexception|nameresolutionfailure|nodenamenorservname|couldnotresolvehost|remotenamecouldnotberesolved/;
const DNS_SLOW = /servermisbehaving|temporaryfailureinnameresolution|eai_again/;
const LOOKUP_HOST =
  /(?:lookup|ENOTFOUND|EAI_AGAIN|UnknownHostException:|Could not resolve host:) ?([A-Za-z0-9.-]{1,253})/g;
// .NET names the host in quotes after the sentence; read on the compact view so a wrap inside it cannot hide it.
const RESOLVE_HOST = /couldnotberesolved:'([A-Za-z0-9.<>*_-]{1,253})'/gi;

function firstMatch(patterns: RegExp[], text: string): string | undefined {
  for (const pattern of patterns) {
    const value = pattern.exec(text)?.[1];
    if (value) return value;
  }
  return undefined;
}

function toStatus(value: string | undefined): number | undefined {
  const n = Number(value);
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

/** Pairs each azure-sdk `RESPONSE nnn:` with the host of the request line printed just before it. */
function responses(compact: string): { status: number; host?: string }[] {
  const out: { status: number; host?: string }[] = [];
  for (const m of compact.matchAll(RESPONSE)) {
    if (out.length >= MAX_RESPONSES) break;
    const status = toStatus(m[1]);
    if (status === undefined) continue;
    const before = compact.slice(Math.max(0, m.index - 1500), m.index);
    const hosts = [...before.matchAll(URL_HOST)].map((h) => h[1] ?? '');
    out.push({ status, host: hosts[hosts.length - 1] || undefined });
  }
  return out;
}

/** The `ERROR CODE:` (Go) / `ErrorCode:` (.NET) line, robust both to wraps and to a following line. */
function errorCodeLine(views: Views): string | undefined {
  const compact = ERROR_CODE_LINE.exec(views.compact)?.[1];
  if (!compact || KNOWN_CODES.includes(compact)) return compact;
  const text = ERROR_CODE_TEXT.exec(views.text)?.[1];
  if (text) return text;
  const prefix = KNOWN_CODES.filter((code) => compact.startsWith(code)).sort((a, b) => b.length - a.length)[0];
  return prefix ?? compact;
}

function namedStatus(compact: string): number | undefined {
  const m = NAMED_STATUS.exec(compact);
  return STATUS_NAMES[(m?.[1] ?? m?.[2])?.toLowerCase() ?? ''];
}

/** The status of a Python `requests` HTTPError whose URL host is of the wanted layer. */
function pythonStatus(compact: string, ofLayer: (host: string) => boolean): number | undefined {
  const m = PY_HTTP_ERROR.exec(compact);
  return m?.[2] && ofLayer(m[2]) ? toStatus(m[1]) : undefined;
}

/** Key Vault's answer: status, top-level `error.code`, `innererror.code`, AKV code. */
export function readKeyVault(views: Views): Facts['keyVault'] {
  const c = views.compact;
  const answer: Facts['keyVault'] = {};
  const autorest = AUTOREST_STATUS.exec(c);
  const sdk = responses(c).find((r) => !r.host || VAULT_HOST.test(r.host));
  const bare = views.lower.includes('vault') ? BARE_STATUS.exec(views.flat)?.[1] : undefined;
  answer.status =
    toStatus(autorest?.[1]) ??
    sdk?.status ??
    toStatus(AUTOREST_CLIENT_STATUS.exec(c)?.[1]) ??
    toStatus(DOTNET_STATUS.exec(c)?.[1]) ??
    toStatus(REST_ERROR_STATUS.exec(c)?.[1]) ??
    namedStatus(c) ??
    pythonStatus(c, (host) => VAULT_HOST.test(host)) ??
    toStatus(bare);
  if (sdk?.host) answer.host = sdk.host;
  answer.code =
    autorest?.[2] ??
    errorCodeLine(views) ??
    KV_JSON_CODE.exec(c)?.[1] ??
    REST_ERROR_CODE.exec(c)?.[1] ??
    PY_EXCEPTION_CODE.exec(c)?.[1] ??
    BARE_CODE.exec(views.flat)?.[1];
  const inner = INNER.exec(c)?.[1] ?? BARE_INNER.exec(views.flat)?.[1];
  if (inner) answer.inner = inner;
  const akv = AKV.exec(c)?.[1];
  if (akv) answer.akv = akv;
  return answer;
}

/** Entra ID's (or NMI's / IMDS's) answer: status, OAuth `error`, credential type. */
export function readIdentity(views: Views): Facts['identity'] {
  const c = views.compact;
  const answer: Facts['identity'] = {};
  const sdk = responses(c).find((r) => r.host && IDENTITY_HOST.test(r.host));
  answer.status =
    toStatus(NMI_STATUS.exec(c)?.[1]) ??
    sdk?.status ??
    toStatus(MSAL_STATUS.exec(c)?.[1]) ??
    toStatus(ADAL_STATUS.exec(c)?.[1]) ??
    pythonStatus(c, (host) => IDENTITY_HOST.test(host));
  if (sdk?.host) answer.host = sdk.host;
  const code = OAUTH_ERROR.exec(c)?.[1];
  if (code) answer.code = code;
  const credential = CREDENTIAL.exec(c)?.[1];
  if (credential) answer.credential = credential;
  return answer;
}

const KEY_VAULT_CONTEXT = /keyvault|vault-name|--vault|\.vault\.azure/;

/** A failed DNS lookup: the host (a vault host preferred) and whether it was NXDOMAIN or a resolver failure. */
export function readDns(views: Views): Facts['dns'] {
  const nx = DNS_NX.test(views.lower);
  const slow = !nx && (DNS_SLOW.test(views.lower) || /lookup[^\s]{1,300}?i\/otimeout/.test(views.lower));
  if (!nx && !slow) return undefined;
  // Hosts a lookup names come first (a vault host among them preferred); URL hosts only when none is named.
  const vaultLookup = VAULT_NAME_PATTERNS[1]?.exec(views.compact)?.[0]?.replace(/^(?:lookup|ENOTFOUND|EAI_AGAIN)/i, '');
  const named = [...views.joined.matchAll(LOOKUP_HOST), ...views.compact.matchAll(RESOLVE_HOST)].map((m) =>
    (m[1] ?? '').replace(/\.$/, ''),
  );
  const looked = [...(vaultLookup ? [vaultLookup] : []), ...named].filter((h) => h.includes('.'));
  const urls = nx ? [...views.compact.matchAll(URL_HOST)].map((m) => m[1] ?? '').filter((h) => h.includes('.')) : [];
  const host = looked.find((h) => VAULT_HOST.test(h)) ?? looked[0] ?? urls.find((h) => VAULT_HOST.test(h)) ?? urls[0];
  if (host) return { host, kind: nx ? 'nxdomain' : 'timeout' };
  // No host named (`No such host is known`, `getaddrinfo failed`): a Key Vault client or command says whose lookup it was.
  if (nx && KEY_VAULT_CONTEXT.test(views.lower)) return { host: '', kind: 'nxdomain', vaultContext: true };
  return undefined;
}

// The provider reading a certificate's secret (objectType secret, `kid` set) converts PEM and PKCS#12 only.
const UNKNOWN_CONTENT_TYPE = /failed to get certificate\. unknown content type '([^']{0,100})'/i;
// The provider writes the public part of RSA and EC keys only (provider getKey); a symmetric key has none.
const UNSUPPORTED_KEY_TYPE = /failed to get key\. key type '([^']{0,40})' currently not supported/i;

/** Vault, client, tenant, AADSTS, assertion claims, and a certificate's content type the provider refused. */
export function readAzureDetails(views: Views): MessageDetails {
  const c = views.compact;
  const details: MessageDetails = {};
  const invalid = INVALID_VAULT_NAME.exec(c);
  const vault = invalid ? invalid[1] : firstMatch(VAULT_NAME_PATTERNS, c);
  if (vault !== undefined) details.vault = vault;
  const aadsts = AADSTS.exec(c)?.[1];
  if (aadsts) details.aadsts = aadsts;
  const clientId = firstMatch(CLIENT_ID_PATTERNS, c);
  if (clientId) details.clientId = clientId;
  const objectId = callerObjectId(c);
  if (objectId) details.objectId = objectId;
  const tenantId = firstMatch(TENANT_PATTERNS, c);
  if (tenantId) details.tenantId = tenantId;
  const contentType = UNKNOWN_CONTENT_TYPE.exec(views.flat)?.[1];
  if (contentType !== undefined) details.contentType = contentType;
  const keyType = UNSUPPORTED_KEY_TYPE.exec(views.flat)?.[1];
  if (keyType !== undefined) details.keyType = keyType;
  for (const [key, pattern] of Object.entries(ASSERTION) as [keyof typeof ASSERTION, RegExp][]) {
    const value = pattern.exec(c)?.[1];
    if (value) details[key] = value;
  }
  return details;
}

// The failing Key Vault operation (docs/wire-notes.md §4.3): the denial names it (access policy: `does not have
// secrets list permission`; RBAC: the action), else the request line or the autorest method says get or list.
const DENIED_PERMISSION = /doesnothave(secrets|keys|certificates)(get|list)permission/i;
const RBAC_ACTION =
  /action:'?microsoft\.keyvault\/vaults\/(secrets|keys|certificates)\/(getsecret|readmetadata|read)\b/i;
const LIST_REQUEST = new RegExp(
  String.raw`${VAULT_SUFFIX}\/(secrets|keys|certificates)\/([A-Za-z0-9-]{1,127})\/versions(?![A-Za-z0-9])`,
  'i',
);
const GET_REQUEST = new RegExp(
  String.raw`${VAULT_SUFFIX}\/(secrets|keys|certificates)\/[A-Za-z0-9-]{1,127}(?:\/|\?|'|"|$|-{3})`,
  'i',
);
/** Inner codes of a permission denial (network rules and disabled objects are not about a permission). */
const ACCESS_INNER = new Set(['AccessDenied', 'ForbiddenByRbac', 'ForbiddenByPolicy']);
const AUTOREST_METHOD = /baseclient#get(secret|key|certificate)(versions)?:/i;
const COLLECTION_OF_TYPE: Readonly<Record<string, Collection>> = {
  secret: 'secrets',
  key: 'keys',
  cert: 'certificates',
};
type Collection = 'secrets' | 'keys' | 'certificates';

/**
 * Which Key Vault operation a 403 refused, when the message shows it; `objectType` (the provider's wrapper) gives
 * the collection of a get when nothing else does (the provider ≥ v1.5 returns a listing error without that
 * wrapper). Read only for a Key Vault 403: other answers do not depend on the permission.
 */
export function readKeyVaultOperation(
  views: Views,
  keyVault: Facts['keyVault'],
  objectType?: string,
): KeyVaultOperation | undefined {
  const c = views.compact;
  const denied = DENIED_PERMISSION.exec(c);
  if (denied?.[1] && denied[2]) {
    return `${denied[1].toLowerCase() as Collection} ${denied[2].toLowerCase() as 'get' | 'list'}`;
  }
  const forbidden = keyVault.status === 403 || keyVault.code === 'Forbidden';
  const permission = keyVault.inner === undefined || ACCESS_INNER.has(keyVault.inner);
  if (!(forbidden && permission) && !RBAC_ACTION.test(c)) return undefined;
  const listed = LIST_REQUEST.exec(c)?.[1] ?? autorestCollection(c, true);
  const got = listed ? undefined : (GET_REQUEST.exec(c)?.[1] ?? autorestCollection(c, false));
  const action = RBAC_ACTION.exec(c);
  if (action?.[1] && action[2]) {
    const collection = action[1].toLowerCase() as Collection;
    const verb = action[2].toLowerCase();
    if (verb === 'readmetadata') return `${collection} list`;
    if (verb === 'getsecret') return `${collection} get`;
    return `${collection} ${listed ? 'list' : 'get'}`;
  }
  if (listed) return `${listed.toLowerCase() as Collection} list`;
  if (got) return `${got.toLowerCase() as Collection} get`;
  const fromType = objectType ? COLLECTION_OF_TYPE[objectType] : undefined;
  return fromType ? `${fromType} get` : undefined;
}

const TYPE_OF_COLLECTION: Readonly<Record<Collection, string>> = {
  secrets: 'secret',
  keys: 'key',
  certificates: 'cert',
};

/**
 * The object a version listing was for, from its request line (`GET https://<vault>…/secrets/<name>/versions`):
 * the provider ≥ v1.5 returns a listing error without its `failed to get objectType:…` wrapper.
 */
export function readListedObject(views: Views): { objectType: string; objectName: string } | undefined {
  const m = LIST_REQUEST.exec(views.compact);
  if (!m?.[1] || !m[2]) return undefined;
  return { objectType: TYPE_OF_COLLECTION[m[1].toLowerCase() as Collection], objectName: m[2] };
}

/** The collection of autorest's `BaseClient#GetSecret` (get) or `BaseClient#GetSecretVersions` (list). */
function autorestCollection(compact: string, list: boolean): Collection | undefined {
  const m = AUTOREST_METHOD.exec(compact);
  if (!m?.[1] || Boolean(m[2]) !== list) return undefined;
  return `${m[1].toLowerCase()}s` as Collection;
}

/** True for a Key Vault host name (public and sovereign clouds, managed HSM). */
export function isVaultHost(host: string): boolean {
  return VAULT_HOST.test(host);
}

/** True for Entra ID, IMDS and NMI hosts: where tokens come from. */
export function isIdentityHost(host: string): boolean {
  return IDENTITY_HOST.test(host);
}
