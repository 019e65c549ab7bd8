import { isIdentityHost, isVaultHost } from './extract-azure.ts';
import type { KeyVaultOperation, Rule } from './types.ts';
import { verdict } from './verdict.ts';

/**
 * Rules for Key Vault's answer (docs/wire-notes.md §4.3) and for reaching the vault at all. Precedence inside:
 * the inner code decides over the top-level code (a 403 `Forbidden` is an access-policy, RBAC, firewall or
 * disabled-secret denial depending on `innererror.code`), a code or status number decides over the prose,
 * and prose is read only when the message carries no status at all.
 */

const FIREWALL_CODES = new Set(['ForbiddenByFirewall', 'ForbiddenByConnection']);
/** The role that grants an operation, per collection (Key Vault's built-in data-plane roles). */
const ROLE_OF: Readonly<Record<string, string>> = {
  secrets: 'Key Vault Secrets User',
  keys: 'Key Vault Crypto User',
  certificates: 'Key Vault Certificate User',
};
const ACCESS_CODES: Readonly<Record<string, (operation: KeyVaultOperation) => string>> = {
  AccessDenied: (op) => `the vault access policy grants this identity no "${op}" permission`,
  ForbiddenByRbac: (op) =>
    `Azure RBAC: this identity has no role such as ${ROLE_OF[op.split(' ')[0] ?? ''] ?? ROLE_OF.secrets} that allows "${op}" on the vault`,
  ForbiddenByPolicy: () => 'an Azure Policy / on-behalf-of rule denies this caller',
};
const DISABLED = /^(?:Secret|Key|Certificate)(?:Disabled|Expired|NotYetValid)$/i;
const NOT_FOUND = /^(?:Secret|Key|Certificate|Object)NotFound$/i;

/** `innererror.code` decides: firewall, access denial or disabled object. */
export const innerCode: Rule = (facts) => {
  const inner = facts.keyVault.inner;
  if (!inner) return null;
  const top = facts.keyVault.code ?? facts.keyVault.status;
  const over = top ? ` (decides over top-level ${top})` : '';
  if (FIREWALL_CODES.has(inner)) {
    return verdict(
      'FIREWALL',
      'high',
      93,
      `Key Vault inner code ${inner}${over}: the vault's network rules or private endpoint reject this node`,
    );
  }
  const access = ACCESS_CODES[inner];
  if (access) {
    const why = access(facts.details.keyVaultOperation ?? 'secrets get');
    return verdict('ACCESS_DENIED', 'high', 92, `Key Vault inner code ${inner}${over}: ${why}`);
  }
  if (DISABLED.test(inner)) {
    return verdict(
      'SECRET_DISABLED',
      'high',
      92,
      `Key Vault inner code ${inner}: the object is disabled or outside its validity dates`,
    );
  }
  return null;
};

/** A `*NotFound` error code: the object or version does not exist in the vault. */
export const notFoundCode: Rule = (facts) => {
  const code = facts.keyVault.code;
  if (!code || !NOT_FOUND.test(code)) return null;
  const { objectName: name, objectVersion: version } = facts.details;
  const which = name ? ` "${name}"${version ? ` version ${version}` : ''}` : '';
  return verdict('SECRET_NOT_FOUND', 'high', 90, `Key Vault ${code}: no object${which} in this vault`);
};

const FORBIDDEN_REFINE: readonly (readonly [RegExp, string, 'FIREWALL' | 'SECRET_DISABLED'])[] = [
  [
    /clientaddress:|clientaddressisnotauthorized|publicnetworkaccessisdisabled|notanapprovedprivatelink/,
    'the message names the client address, public network access or private link',
    'FIREWALL',
  ],
  [/notallowedonadisabled/, 'the message says the object is disabled', 'SECRET_DISABLED'],
];

/** A 403 without an inner code: access denial unless the message's structure says firewall or disabled. */
export const forbidden: Rule = (facts, views) => {
  if (facts.keyVault.code !== 'Forbidden' && facts.keyVault.status !== 403) return null;
  for (const [pattern, why, category] of FORBIDDEN_REFINE) {
    if (pattern.test(views.lower))
      return verdict(category, 'medium', 80, `Key Vault 403 without an inner code; ${why}`);
  }
  return verdict(
    'ACCESS_DENIED',
    'medium',
    76,
    'Key Vault 403 without an inner code: usually a missing access policy or RBAC role (firewall denials carry ForbiddenByFirewall)',
  );
};

const AKV_MEANING: Readonly<Record<string, string>> = {
  '10000': 'the request carried no token',
  '10022': 'the token is for another audience',
  '10032': 'the token was issued by another tenant: check tenantId',
};

/** Any other status or code from the vault. */
export const otherStatus: Rule = (facts) => {
  const { status, code, akv } = facts.keyVault;
  if (code === 'Unauthorized' || status === 401 || akv) {
    const why = (akv && AKV_MEANING[akv]) ?? 'Key Vault rejected the token';
    return verdict('AUTH_FAILED', 'medium', 72, `Key Vault 401${akv ? ` AKV${akv}` : ''}: ${why}`);
  }
  if (code === 'BadParameter' || status === 400) {
    return verdict(
      'SPC_INVALID',
      'medium',
      66,
      'Key Vault 400: the object name or version in the request is not valid',
    );
  }
  if (status === 404) return verdict('SECRET_NOT_FOUND', 'medium', 70, 'Key Vault 404 without an error code');
  if (status === 429 || code === 'Throttled' || code === 'TooManyRequests') {
    return verdict('TIMEOUT_OR_TRANSIENT', 'medium', 45, 'Key Vault throttled the request (429): retry later');
  }
  if (status !== undefined && status >= 500) {
    return verdict('TIMEOUT_OR_TRANSIENT', 'medium', 42, `Key Vault answered ${status}: a service-side failure`);
  }
  return null;
};

// Azure Resource Manager's answers about the vault resource itself (az keyvault / ARM templates / Terraform):
// `The Resource 'Microsoft.KeyVault/vaults/<name>' under resource group '<rg>' was not found`, and the CLI's
// `The Vault '<name>' not found within subscription`.
const ARM_VAULT_NOT_FOUND =
  /theresource'microsoft\.keyvault\/vaults\/[a-z0-9-]{1,63}'(?:underresourcegroup'[^']{1,90}')?wasnotfound|thevault'[a-z0-9-]{1,63}'notfound/;

/** Azure Resource Manager has no vault of that name: the name (or its resource group / subscription) is wrong. */
export const armVaultNotFound: Rule = (facts, views) => {
  if (!ARM_VAULT_NOT_FOUND.test(views.lower)) return null;
  const name = facts.details.vault ? ` "${facts.details.vault}"` : '';
  return verdict(
    'VAULT_NOT_FOUND',
    'high',
    84,
    `Azure Resource Manager has no vault${name} there: the vault name, its resource group or the subscription is wrong`,
  );
};

/** DNS could not resolve a host: the vault name when it is a vault host, otherwise the network. */
export const dnsFailure: Rule = (facts) => {
  const dns = facts.dns;
  if (!dns || (dns.host && isIdentityHost(dns.host))) return null;
  if (dns.vaultContext) {
    return verdict(
      'VAULT_NOT_FOUND',
      'medium',
      70,
      "a Key Vault client could not resolve its host name: the vault name (or the cloud's DNS suffix) is wrong",
    );
  }
  if (dns.kind === 'nxdomain' && isVaultHost(dns.host)) {
    return verdict(
      'VAULT_NOT_FOUND',
      'high',
      86,
      `DNS has no record for ${dns.host}: the vault name is wrong or the vault was deleted`,
    );
  }
  const what = dns.kind === 'nxdomain' ? 'does not resolve' : 'could not be resolved (resolver failure)';
  return verdict('TIMEOUT_OR_TRANSIENT', 'medium', 35, `${dns.host} ${what}: a DNS or network problem`);
};

const PROSE: readonly (readonly [
  RegExp,
  string,
  'ACCESS_DENIED' | 'SECRET_NOT_FOUND' | 'SECRET_DISABLED' | 'FIREWALL',
])[] = [
  [
    /doesnothave(?:secrets|keys|certificates)?\w{0,10}permission|callerisnotauthorizedtoperformaction|callerwasnotfoundonanyaccesspolicy/,
    'denied permission',
    'ACCESS_DENIED',
  ],
  [
    /wasnotfoundinthiskeyvault|(?:keyvault|vault)[^"]{0,40}?(?:secret|key|certificate)notfound/,
    'not found in the vault',
    'SECRET_NOT_FOUND',
  ],
  [/notallowedonadisabled/, 'disabled object', 'SECRET_DISABLED'],
  [/clientaddressisnotauthorized|publicnetworkaccessisdisabled|notanapprovedprivatelink/, 'network rules', 'FIREWALL'],
];

/** Only Key Vault prose and no status: weaker evidence, lower specificity. */
export const proseOnly: Rule = (facts, views) => {
  if (facts.keyVault.status !== undefined || facts.keyVault.code) return null;
  for (const [pattern, what, category] of PROSE) {
    if (pattern.test(views.lower)) {
      return verdict(category, 'medium', 58, `Key Vault wording (${what}) without a status code`);
    }
  }
  return null;
};

/** Key Vault returned the object, but the provider cannot write it; `detail` holds what it refused. */
const unwritable =
  (detail: 'contentType' | 'keyType', why: (value: string) => string): Rule =>
  (facts) => {
    const value = facts.details[detail];
    return value === undefined ? null : verdict('SECRET_DISABLED', 'high', 84, why(value));
  };

/**
 * A certificate's secret (objectType secret, `kid` set) whose content type is neither application/x-pkcs12 nor
 * application/x-pem-file (provider getSecret).
 */
export const unknownContentType = unwritable(
  'contentType',
  (type) =>
    `the provider got the certificate's secret but cannot convert its content type '${type}' (only application/x-pkcs12 or application/x-pem-file)`,
);

/** A key that is neither RSA nor EC (a symmetric oct / oct-HSM key): the provider writes public parts only. */
export const unsupportedKeyType = unwritable(
  'keyType',
  (type) =>
    `the provider got the key but cannot write a key of type '${type}' (only the public part of RSA and EC keys)`,
);

/** Key Vault rules in precedence order. */
export const keyVaultRules: readonly Rule[] = [
  unknownContentType,
  unsupportedKeyType,
  innerCode,
  notFoundCode,
  forbidden,
  otherStatus,
  armVaultNotFound,
  dnsFailure,
  proseOnly,
];
