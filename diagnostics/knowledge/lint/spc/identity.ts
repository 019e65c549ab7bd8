/**
 * Identity parameters (docs/wire-notes.md §2.3 steps 2–3 and §2.4), judged per identity mode by the fields that mode
 * reads: workload identity reads clientID; VM managed identity reads userAssignedIdentityID (empty ⇒ system-assigned);
 * pod identity asks NMI; a service principal comes from the pod's nodePublishSecretRef (cross-references.ts).
 * Fields a mode never sends are not faulted. The lab uses workload identity only: other modes are `lab/identity-mode`
 * warnings under the lab profile, and pod identity an error there (the lab's cluster runs no NMI).
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
  if (!spc.azure || spc.mode !== 'pod-identity') return [];
  const lab = spc.profile === 'lab';
  return [
    {
      rule: 'spc/pod-identity',
      at: paramAt('usePodIdentity'),
      message: lab
        ? 'usePodIdentity is "true": the provider asks the aad-pod-identity NMI agent on the node (http://localhost:2579) for a token. The lab\'s cluster runs no NMI (pod identity v1 is deprecated), so the mount fails ("nmi response failed" / connection refused); the lab authenticates with workload identity.'
        : 'usePodIdentity is "true": the provider asks the aad-pod-identity NMI agent on the node (http://localhost:2579) for a token. aad-pod-identity is deprecated (archived 2023) but still supported: this works only where NMI runs and an AzureIdentityBinding matches the pod.',
      fix: lab
        ? 'Set usePodIdentity: "false" (or remove it), leave useVMManagedIdentity "false", and set clientID to the identity client ID from your instructor.'
        : 'Move to workload identity when you can: usePodIdentity: "false" and clientID: "<identity client ID>" with a federated ServiceAccount.',
    },
  ];
};

export const identityModesRule: SpcRule = (spc) => {
  if (!spc.azure || spc.mode !== 'conflict') return [];
  const enabled = FLAGS.filter((key) => flag(spc, key) === true);
  return [
    {
      rule: 'spc/identity-modes',
      at: paramAt(enabled[1]!),
      message: `${enabled.join(' and ')} are ${enabled.length === 2 ? 'both' : 'all'} "true"; the provider fails with "only one identity mode can be enabled at a time: usePodIdentity, useVMManagedIdentity, or useAzureTokenProxy" (v1.7: "cannot enable both pod identity and user-assigned managed identity").`,
    },
  ];
};

const LAB_MODE_TEXT: Partial<Record<SpcContext['mode'], string>> = {
  'vm-managed-identity':
    'useVMManagedIdentity is "true": the provider uses the node\'s managed identity (userAssignedIdentityID, else system-assigned) through IMDS, shared by every pod on the node. The lab grants vault access to the workload identity only.',
  'service-principal':
    'clientID is not set and no identity flag is "true", so the provider authenticates with a service principal from the pod\'s nodePublishSecretRef. The lab uses workload identity: clientID with a federated ServiceAccount.',
  'identity-binding':
    'useAzureTokenProxy is "true" (AKS identity binding, provider v1.8+). The lab uses workload identity: clientID with a federated ServiceAccount.',
};

/** lab/identity-mode: under the lab profile, any mode but workload identity (pod identity has its own rule). */
export const labIdentityModeRule: SpcRule = (spc) => {
  const text = LAB_MODE_TEXT[spc.mode];
  if (!spc.azure || spc.profile !== 'lab' || spc.params === undefined || text === undefined) return [];
  if (spc.mode === 'service-principal' && reportedElsewhere(spc, 'clientID')) return [];
  const key =
    spc.mode === 'vm-managed-identity'
      ? 'useVMManagedIdentity'
      : spc.mode === 'service-principal'
        ? 'clientID'
        : 'useAzureTokenProxy';
  return [
    {
      rule: 'lab/identity-mode',
      at: paramAt(key),
      message: text,
    },
  ];
};

/** clientID key nested YAML or present only misspelt: spc/parameter-not-string or spc/parameter-name report it. */
function reportedElsewhere(spc: SpcContext, key: string): boolean {
  const raw = spc.params?.[key];
  if (raw !== undefined && raw !== null && typeof raw === 'object') return true;
  return raw === undefined && misspellingOf(spc.params, key) !== undefined;
}

/** Identity binding (v1.8 useAzureTokenProxy) needs clientID: "clientID is required for identity binding". */
export const clientIdRule: SpcRule = (spc) => {
  if (!spc.azure || spc.mode !== 'identity-binding') return [];
  if ((param(spc, 'clientID')?.trim() ?? '') !== '' || reportedElsewhere(spc, 'clientID')) return [];
  return [
    {
      rule: 'spc/client-id',
      at: paramAt('clientID'),
      message:
        'useAzureTokenProxy is "true" but clientID is empty; the provider fails with "clientID is required for identity binding".',
    },
  ];
};

/** clientID is read by workload identity and identity binding; other modes never send it, so it is not judged there. */
export const clientIdFormatRule: SpcRule = (spc) => {
  if (!spc.azure || (spc.mode !== 'workload-identity' && spc.mode !== 'identity-binding')) return [];
  const clientId = param(spc, 'clientID')?.trim();
  if (clientId === undefined || clientId === '' || isPlaceholder(clientId) || GUID.test(clientId)) return [];
  return [
    {
      rule: 'spc/client-id-format',
      at: paramAt('clientID'),
      message: `clientID is "${clientId}", not a GUID; Entra ID rejects the token request (AADSTS700016: application not found). Use the identity's client ID, not its name, object (principal) ID or resource ID.`,
    },
  ];
};

/** userAssignedIdentityID is read only by VM managed identity: the user-assigned identity's client ID. */
export const userAssignedIdentityRule: SpcRule = (spc) => {
  if (!spc.azure || spc.mode !== 'vm-managed-identity') return [];
  const id = param(spc, 'userAssignedIdentityID')?.trim();
  if (id === undefined || id === '' || isPlaceholder(id) || GUID.test(id)) return [];
  return [
    {
      rule: 'spc/user-assigned-identity-format',
      at: paramAt('userAssignedIdentityID'),
      message: `userAssignedIdentityID is "${id}", not a client ID (GUID); IMDS finds no identity for it ("Identity not found") and the token request fails. Use the identity's client ID, not its name, principal ID or resource ID.`,
    },
  ];
};
