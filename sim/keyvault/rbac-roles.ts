/**
 * The Azure built-in roles that matter for Key Vault's data plane, as their `DataActions` (Azure built-in roles
 * reference, "Security" section). Management-plane roles (`Owner`, `Contributor`, `Key Vault Contributor`,
 * `Reader`) carry no data actions: holding them does not let anyone read a secret, a classic lab mistake.
 */

const KV = 'Microsoft.KeyVault/vaults';

/** Data actions per role name (compared case-insensitively). */
export const ROLE_DATA_ACTIONS: Record<string, string[]> = {
  'Key Vault Administrator': [`${KV}/*`],
  'Key Vault Reader': [`${KV}/*/read`, `${KV}/secrets/readMetadata/action`],
  'Key Vault Secrets Officer': [`${KV}/secrets/*`],
  'Key Vault Secrets User': [`${KV}/secrets/getSecret/action`, `${KV}/secrets/readMetadata/action`],
  'Key Vault Certificates Officer': [
    `${KV}/certificatecas/*`,
    `${KV}/certificates/*`,
    `${KV}/certificatecontacts/write`,
  ],
  'Key Vault Certificate User': [
    `${KV}/certificates/read`,
    `${KV}/secrets/getSecret/action`,
    `${KV}/secrets/readMetadata/action`,
    `${KV}/keys/read`,
  ],
  'Key Vault Crypto Officer': [`${KV}/keys/*`, `${KV}/keyrotationpolicies/*`],
  'Key Vault Crypto User': [
    `${KV}/keys/read`,
    `${KV}/keys/update/action`,
    `${KV}/keys/backup/action`,
    `${KV}/keys/encrypt/action`,
  ],
  'Key Vault Crypto Service Encryption User': [`${KV}/keys/read`, `${KV}/keys/wrap/action`, `${KV}/keys/unwrap/action`],
  'Key Vault Crypto Service Release User': [`${KV}/keys/release/action`],
  'Key Vault Contributor': [],
  Owner: [],
  Contributor: [],
  Reader: [],
};

/** The data action Key Vault checks for each simulated operation. */
export const DATA_ACTIONS = {
  'secret:get': `${KV}/secrets/getSecret/action`,
  'secret:list': `${KV}/secrets/readMetadata/action`,
  'key:get': `${KV}/keys/read`,
  'key:list': `${KV}/keys/read`,
  'certificate:get': `${KV}/certificates/read`,
  'certificate:list': `${KV}/certificates/read`,
} as const;

/** Whether `role` grants `action`; `*` in a role's action matches any run of characters, as in Azure RBAC. */
export function roleGrants(role: string, action: string): boolean {
  const entry = Object.entries(ROLE_DATA_ACTIONS).find(([name]) => name.toLowerCase() === role.toLowerCase());
  if (!entry) return false;
  return entry[1].some((pattern) => wildcard(pattern).test(action));
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 'i');
}
