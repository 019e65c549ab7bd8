/**
 * Azure clouds as the Key Vault CSI provider names them (`cloudName` in a SecretProviderClass, go-autorest
 * environment names; docs/wire-notes.md §2.1), with what the product needs to replay a mount in each: the Key Vault DNS
 * suffix (vault URL = `https://<keyvaultName>.<suffix>`), the Entra authority host and the Key Vault resource
 * whose `/.default` scope the provider requests.
 */

export interface AzureCloud {
  /** go-autorest environment name, e.g. `AzurePublicCloud`. */
  name: string;
  keyVaultDnsSuffix: string;
  /** Entra ID authority host, without trailing slash. */
  authorityHost: string;
  /** Key Vault resource URI: the token audience Key Vault accepts. */
  keyVaultResource: string;
}

/** Clouds whose endpoints are fixed. `AzureStackCloud` needs a per-installation environment file and is absent. */
export const AZURE_CLOUDS: readonly AzureCloud[] = [
  {
    name: 'AzurePublicCloud',
    keyVaultDnsSuffix: 'vault.azure.net',
    authorityHost: 'https://login.microsoftonline.com',
    keyVaultResource: 'https://vault.azure.net',
  },
  {
    name: 'AzureUSGovernmentCloud',
    keyVaultDnsSuffix: 'vault.usgovcloudapi.net',
    authorityHost: 'https://login.microsoftonline.us',
    keyVaultResource: 'https://vault.usgovcloudapi.net',
  },
  {
    name: 'AzureChinaCloud',
    keyVaultDnsSuffix: 'vault.azure.cn',
    authorityHost: 'https://login.chinacloudapi.cn',
    keyVaultResource: 'https://vault.azure.cn',
  },
  {
    name: 'AzureGermanCloud',
    keyVaultDnsSuffix: 'vault.microsoftazure.de',
    authorityHost: 'https://login.microsoftonline.de',
    keyVaultResource: 'https://vault.microsoftazure.de',
  },
];

/** What the provider uses when `cloudName` is empty (its `--cloud-name` default). */
export const DEFAULT_CLOUD: AzureCloud = AZURE_CLOUDS[0] as AzureCloud;

/**
 * Looks a cloud up by name, case-insensitively as go-autorest does; empty or missing means the default cloud.
 * Returns `undefined` for an unknown name — the provider then fails with `cloudName <name> is not valid`.
 */
export function findCloud(name?: string): AzureCloud | undefined {
  const wanted = (name ?? '').trim();
  if (wanted === '') return DEFAULT_CLOUD;
  return AZURE_CLOUDS.find((c) => c.name.toLowerCase() === wanted.toLowerCase());
}

/** The scope a client-credentials token request for Key Vault asks for, e.g. `https://vault.azure.net/.default`. */
export function keyVaultScope(cloud: AzureCloud): string {
  return `${cloud.keyVaultResource}/.default`;
}

/** Whether `host` (a URL or bare host name) is one of the real Entra authority hosts. */
export function isAzureAuthorityHost(host: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(host.includes('://') ? host : `https://${host}`).hostname.toLowerCase();
  } catch {
    return false;
  }
  return AZURE_CLOUDS.some((c) => new URL(c.authorityHost).hostname === hostname);
}
