/**
 * Identity parameters (docs/wire-notes.md §2.3 steps 2–3 and §2.4). The lab uses workload identity: all mode flags false
 * (or absent) and clientID set to the managed identity's client ID.
 */
import { isPlaceholder } from '../placeholders.ts';
import type { Issue } from '../types.ts';
import { GUID, parseGoBool } from '../values.ts';
import { misspellingOf } from './parameter-keys.ts';
import { param, paramAt, type SpcContext, type SpcRule } from './spc-context.ts';

const FLAGS = ['usePodIdentity', 'useVMManagedIdentity', 'useAzureTokenProxy'] as const;
type Flag = (typeof FLAGS)[number];

/** The flag's value as the provider parses it; `undefined` when absent, unparseable or a placeholder. */
function flag(spc: SpcContext, key: Flag): boolean | undefined {
  const text = param(spc, key);
  if (text === undefined || isPlaceholder(text)) return undefined;
  return parseGoBool(text);
}

export const boolFlagsRule: SpcRule = (spc) => {
  if (!spc.azure) return [];
  const issues: Issue[] = [];
  for (const key of FLAGS) {
    const text = param(spc, key);
    if (text === undefined || isPlaceholder(text) || parseGoBool(text) !== undefined) continue;
    issues.push({
      rule: 'spc/bool-flag',
      at: paramAt(key),
      message: `${key} is "${text}", which Go's strconv.ParseBool does not accept; the provider fails with "failed to parse ${key} flag, error: strconv.ParseBool: parsing "${text.trim()}": invalid syntax".`,
      fix: `Set ${key}: "false" (accepted: "true"/"false", "True"/"False", "TRUE"/"FALSE", "t"/"f", "1"/"0").`,
    });
  }
  return issues;
};

export const podIdentityRule: SpcRule = (spc) => {
  if (!spc.azure || flag(spc, 'usePodIdentity') !== true) return [];
  return [
    {
      rule: 'spc/pod-identity',
      at: paramAt('usePodIdentity'),
      message:
        'usePodIdentity is "true": the provider asks the aad-pod-identity NMI agent on the node (http://localhost:2579) for a token. Pod identity v1 is deprecated and not installed in the lab; the lab authenticates with workload identity.',
      fix: 'Set usePodIdentity: "false" (or remove it), leave useVMManagedIdentity "false", and set clientID to the identity client ID from your instructor.',
    },
  ];
};

export const identityModesRule: SpcRule = (spc) => {
  if (!spc.azure) return [];
  const enabled = FLAGS.filter((key) => flag(spc, key) === true);
  if (enabled.length < 2) return [];
  return [
    {
      rule: 'spc/identity-modes',
      at: paramAt(enabled[1]!),
      message: `${enabled.join(' and ')} are ${enabled.length === 2 ? 'both' : 'all'} "true"; the provider fails with "only one identity mode can be enabled at a time: usePodIdentity, useVMManagedIdentity, or useAzureTokenProxy" (v1.7: "cannot enable both pod identity and user-assigned managed identity").`,
      fix: 'Set every mode flag to "false" and use workload identity (clientID), as the lab does.',
    },
  ];
};

export const vmManagedIdentityRule: SpcRule = (spc) => {
  if (!spc.azure || flag(spc, 'useVMManagedIdentity') !== true || flag(spc, 'usePodIdentity') === true) return [];
  const ignored = param(spc, 'clientID') ? ' clientID is ignored in this mode.' : '';
  return [
    {
      rule: 'spc/vm-managed-identity',
      at: paramAt('useVMManagedIdentity'),
      message: `useVMManagedIdentity is "true": the provider uses the node's managed identity (userAssignedIdentityID, else system-assigned) through IMDS, shared by every pod on the node, not the pod's workload identity.${ignored}`,
      fix: 'For the lab set useVMManagedIdentity: "false" and put the identity client ID in clientID.',
    },
  ];
};

export const clientIdRule: SpcRule = (spc) => {
  if (!spc.azure || spc.params === undefined) return [];
  if (flag(spc, 'usePodIdentity') === true || flag(spc, 'useVMManagedIdentity') === true) return [];
  const clientId = param(spc, 'clientID');
  if (clientId !== undefined && clientId.trim() !== '') return [];
  const raw = spc.params?.clientID;
  // Reported elsewhere: nested YAML by spc/parameter-not-string, a misspelt key by spc/parameter-name.
  if (raw !== undefined && raw !== null && typeof raw === 'object') return [];
  if (raw === undefined && misspellingOf(spc.params, 'clientID') !== undefined) return [];
  const proxy = flag(spc, 'useAzureTokenProxy') === true;
  const uami = param(spc, 'userAssignedIdentityID')
    ? ' userAssignedIdentityID is only read with useVMManagedIdentity: "true"; workload identity reads clientID.'
    : '';
  return [
    {
      rule: 'spc/client-id',
      at: paramAt('clientID'),
      message: proxy
        ? 'useAzureTokenProxy is "true" but clientID is empty; the provider fails with "clientID is required for identity binding".'
        : `clientID is ${clientId === undefined ? 'missing' : 'empty'}, so the provider does not use workload identity and falls back to a service principal: "failed to get credentials, nodePublishSecretRef secret is not set".${uami}`,
      fix: 'Set clientID: "<the managed identity client ID from your instructor>" (a GUID).',
    },
  ];
};

export const clientIdFormatRule: SpcRule = (spc) => {
  if (!spc.azure) return [];
  const clientId = param(spc, 'clientID')?.trim();
  if (clientId === undefined || clientId === '' || isPlaceholder(clientId) || GUID.test(clientId)) return [];
  return [
    {
      rule: 'spc/client-id-format',
      at: paramAt('clientID'),
      message: `clientID is "${clientId}", not a GUID; Entra ID rejects the token request (AADSTS700016: application not found). Use the identity's client ID, not its name, object (principal) ID or resource ID.`,
      fix: 'Copy the client ID: az identity show --name <identity> --resource-group <group> --query clientId -o tsv',
    },
  ];
};
