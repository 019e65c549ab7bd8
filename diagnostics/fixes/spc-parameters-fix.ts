/**
 * Fixes the SecretProviderClass fields outside `objects`: provider name, misspelt parameter keys, non-string values,
 * the identity flags, clientID, tenantId and keyvaultName. Values come from known-values.ts; what cannot be known is
 * asked with the lab's own placeholder.
 */
import type { Evidence } from '../gather/gather-evidence.ts';
import { isPlaceholder } from '../knowledge/lint/placeholders.ts';
import { KNOWN_PARAMETERS } from '../knowledge/lint/spc/parameter-keys.ts';
import { didYouMean } from '../knowledge/lint/suggest.ts';
import type { Manifest } from './clean-manifest.ts';
import type { Draft } from './draft.ts';
import { annotatedClientId, federatedClientIds, isGuid, knownTenantId } from './known-values.ts';

const GO_BOOL = /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/;
const TRUE = /^(1|t|T|TRUE|true|True)$/;

export function setParameter(d: Draft, spc: Manifest, key: string, value: string, from?: string): void {
  const params = spc.spec.parameters;
  if (d.change(spc, `spec.parameters.${key}`, params[key], value, from)) params[key] = value;
}

export function fixProvider(d: Draft, spc: Manifest): void {
  if (d.change(spc, 'spec.provider', spc.spec.provider, 'azure')) spc.spec.provider = 'azure';
}

/** Renames keys that are misspellings of one the provider reads; makes every value a string. */
export function fixParameterKeys(d: Draft, spc: Manifest): void {
  const params: Manifest = spc.spec.parameters;
  for (const key of Object.keys(params)) {
    if ((KNOWN_PARAMETERS as readonly string[]).includes(key)) continue;
    const guess = didYouMean(key, KNOWN_PARAMETERS);
    if (guess === undefined || params[guess] !== undefined) continue;
    d.changes.push(`${spc.kind} ${spc.metadata.name}: spec.parameters.${key} renamed to ${guess}`);
    params[guess] = params[key];
    delete params[key];
  }
  for (const [key, value] of Object.entries(params)) {
    if (typeof value !== 'string' && (typeof value === 'boolean' || typeof value === 'number')) {
      setParameter(d, spc, key, String(value));
    }
  }
}

/** Workload identity: pod identity and VM identity off, clientID set (asked when unknown). */
export function fixIdentity(d: Draft, spc: Manifest, e: Evidence): void {
  const params: Manifest = spc.spec.parameters;
  for (const flag of ['usePodIdentity', 'useVMManagedIdentity', 'useAzureTokenProxy']) {
    const v = params[flag];
    if (v !== undefined && (!GO_BOOL.test(String(v).trim()) || TRUE.test(String(v).trim()))) {
      setParameter(d, spc, flag, 'false');
    }
  }
  if (params.usePodIdentity === undefined) setParameter(d, spc, 'usePodIdentity', 'false');
  fixClientId(d, spc, e, false);
}

/** clientID from the ServiceAccount's annotation; `force` replaces a well-formed value Entra rejected. */
export function fixClientId(d: Draft, spc: Manifest, e: Evidence, force: boolean): void {
  const current = String(spc.spec.parameters.clientID ?? '').trim();
  if (!force && isGuid(current) && !isPlaceholder(current)) return;
  const known = annotatedClientId(e);
  if (known) {
    setParameter(d, spc, 'clientID', known.value, known.from);
    return;
  }
  const placeholder = d.ask(
    '<IDENTITY_CLIENT_ID>',
    "The managed identity's client ID, from your instructor (az identity show --query clientId).",
    federatedClientIds(e).filter((c) => c !== current),
  );
  setParameter(d, spc, 'clientID', placeholder);
}

/** tenantId from the pod (workload identity webhook) or the cluster's issuer; asked when unknown. */
export function fixTenantId(d: Draft, spc: Manifest, e: Evidence, force: boolean): void {
  const params: Manifest = spc.spec.parameters;
  const key = params.tenantID !== undefined ? 'tenantID' : 'tenantId';
  const current = String(params[key] ?? '').trim();
  if (!force && current !== '' && !isPlaceholder(current)) return;
  const known = knownTenantId(e);
  if (known && known.value !== current) {
    setParameter(d, spc, key, known.value, known.from);
    return;
  }
  const placeholder = d.ask('<TENANT_ID>', 'The tenant ID, from your instructor (az account show --query tenantId).');
  setParameter(d, spc, key, placeholder);
}

/** keyvaultName cannot be read anywhere kvlab looks: always asked. */
export function askVaultName(d: Draft, spc: Manifest, why: string): void {
  const placeholder = d.ask(
    '<KEY_VAULT_NAME>',
    `The Key Vault name (only the name, not the URL), from your instructor: ${why}.`,
  );
  setParameter(d, spc, 'keyvaultName', placeholder);
}
