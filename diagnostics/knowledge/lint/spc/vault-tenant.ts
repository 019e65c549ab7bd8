/**
 * keyvaultName, tenantId and cloudName (docs/wire-notes.md §2.3 steps 4–6 and 11, docs/wire-notes.md §4.4). The provider checks
 * only length 3–24 and [-a-zA-Z0-9]; Azure's stricter rules (starts with a letter, ends with a letter or digit, no
 * "--") are a warning: such a vault cannot exist, so the name can never resolve.
 */
import { isPlaceholder } from '../placeholders.ts';
import type { Issue } from '../types.ts';
import { GUID } from '../values.ts';
import { misspellingOf } from './parameter-keys.ts';
import { param, paramAt, type SpcContext, type SpcRule } from './spc-context.ts';

const CLOUDS = ['AzurePublicCloud', 'AzureUSGovernmentCloud', 'AzureChinaCloud', 'AzureGermanCloud', 'AzureStackCloud'];
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

/** True when the key holds nested YAML or is only present misspelt: other rules report those. */
function reportedElsewhere(spc: SpcContext, key: string): boolean {
  const raw = spc.params?.[key];
  if (raw !== undefined && raw !== null && typeof raw === 'object') return true;
  return raw === undefined && misspellingOf(spc.params, key) !== undefined;
}

export const keyvaultNameRule: SpcRule = (spc) => {
  if (!spc.azure || spc.params === undefined || reportedElsewhere(spc, 'keyvaultName')) return [];
  const name = param(spc, 'keyvaultName')?.trim() ?? '';
  const at = paramAt('keyvaultName');
  if (name === '') {
    return [
      {
        rule: 'spc/keyvault-name',
        at,
        message:
          'keyvaultName is not set; the provider fails with "keyvaultName is not provided" (v1.7: "keyvaultName is not set").',
        fix: 'Add keyvaultName: "<the Key Vault name from your instructor>" under spec.parameters.',
      },
    ];
  }
  if (isPlaceholder(name)) return [];
  const url = /^https?:|\.vault\.|\//i.test(name);
  let problem: string | undefined;
  if (name.length < 3 || name.length > 24) problem = `Invalid vault name: "${name}", must be between 3 and 24 chars`;
  else if (!/^[-A-Za-z0-9]+$/.test(name)) problem = `Invalid vault name: "${name}", must match [-a-zA-Z0-9]{3,24}`;
  if (problem === undefined) return [];
  return [
    {
      rule: 'spc/keyvault-name',
      at,
      message: `keyvaultName "${name}" fails the provider's check: "failed to get vault: ${problem}".${url ? ' Give the vault name, not its URL.' : ''}`,
      fix: url
        ? `Use only the name: if the URL is https://NAME.vault.azure.net/, write keyvaultName: "NAME".`
        : 'Copy the exact vault name: az keyvault list --query "[].name" -o tsv',
    },
  ];
};

export const keyvaultNameAzureRule: SpcRule = (spc) => {
  const name = param(spc, 'keyvaultName')?.trim() ?? '';
  if (!spc.azure || !/^[-A-Za-z0-9]{3,24}$/.test(name) || isPlaceholder(name)) return [];
  const broken: string[] = [];
  if (!/^[A-Za-z]/.test(name)) broken.push('start with a letter');
  if (!/[A-Za-z0-9]$/.test(name)) broken.push('end with a letter or digit');
  if (name.includes('--')) broken.push('contain no consecutive hyphens');
  if (broken.length === 0) return [];
  return [
    {
      rule: 'spc/keyvault-name-azure',
      at: paramAt('keyvaultName'),
      message: `keyvaultName "${name}" passes the provider's check, but Azure vault names must ${broken.join(' and ')}, so no vault can have this name and the lookup fails (dial tcp: lookup ${name}.vault.azure.net: no such host).`,
    },
  ];
};

export const tenantIdRule: SpcRule = (spc) => {
  if (!spc.azure || spc.params === undefined) return [];
  if (reportedElsewhere(spc, 'tenantId') || reportedElsewhere(spc, 'tenantID')) return [];
  const upper = param(spc, 'tenantID')?.trim() ?? '';
  const lower = param(spc, 'tenantId')?.trim() ?? '';
  const issues: Issue[] = [];
  if (upper === '' && lower === '') {
    issues.push({
      rule: 'spc/tenant-id',
      at: paramAt('tenantId'),
      message: 'tenantId is not set; the provider fails with "tenantId is not provided" (v1.7: "tenantId is not set").',
    });
  } else if (upper !== '' && lower !== '' && upper !== lower) {
    issues.push({
      rule: 'spc/tenant-id-conflict',
      at: paramAt('tenantId'),
      message: `tenantID ("${upper}") and tenantId ("${lower}") differ; the provider reads tenantID first and ignores tenantId.`,
    });
  }
  return issues;
};

/** Modes whose token request names the tenant; pod identity (NMI) and VM managed identity (IMDS) never send it. */
const SENDS_TENANT: ReadonlySet<SpcContext['mode']> = new Set([
  'workload-identity',
  'identity-binding',
  'service-principal',
]);

export const tenantIdFormatRule: SpcRule = (spc) => {
  if (!spc.azure || !SENDS_TENANT.has(spc.mode)) return [];
  const key = (param(spc, 'tenantID')?.trim() ?? '') !== '' ? 'tenantID' : 'tenantId';
  const tenant = param(spc, key)?.trim() ?? '';
  if (tenant === '' || isPlaceholder(tenant) || GUID.test(tenant) || tenant === 'adfs' || DOMAIN.test(tenant))
    return [];
  return [
    {
      rule: 'spc/tenant-id-format',
      at: paramAt(key),
      message: `${key} is "${tenant}", neither a GUID nor a domain name; Entra ID answers AADSTS90002 (tenant not found).`,
    },
  ];
};

export const cloudNameRule: SpcRule = (spc) => {
  const cloud = param(spc, 'cloudName')?.trim() ?? '';
  if (!spc.azure || cloud === '' || isPlaceholder(cloud)) return [];
  const known = CLOUDS.find((name) => name.toUpperCase() === cloud.toUpperCase());
  if (known === undefined) {
    return [
      {
        rule: 'spc/cloud-name',
        at: paramAt('cloudName'),
        message: `cloudName "${cloud}" is not an Azure cloud the provider knows; it fails with "cloudName ${cloud} is not valid".`,
        fix: `Remove cloudName (defaults to AzurePublicCloud) or use one of: ${CLOUDS.join(', ')}.`,
      },
    ];
  }
  if (known === 'AzureStackCloud' && (param(spc, 'cloudEnvFileName')?.trim() ?? '') === '') {
    return [
      {
        rule: 'spc/cloud-name',
        at: paramAt('cloudName'),
        message:
          'cloudName is AzureStackCloud but cloudEnvFileName is empty; the provider needs the environment file for Azure Stack.',
        fix: 'Set cloudEnvFileName to the Azure Stack environment JSON path, or remove cloudName for the public cloud.',
      },
    ];
  }
  return [];
};
