/**
 * The right values a fix may use, each from something that exists in the student's own cluster or vault — never
 * invented: the client ID the ServiceAccount is annotated with, the tenant the workload identity webhook put in the
 * pod, the federated ServiceAccounts of the namespace, the SPCs there, the secret names the identity can list.
 * When a source is silent the fix asks instead (a PatchUnknown with these candidates).
 */
import type { V1Pod, V1ServiceAccount } from '@kubernetes/client-node';
import type { Evidence } from '../gather/gather-evidence.ts';
import { readValue } from '../gather/read.ts';
import { editDistance } from '../knowledge/lint/suggest.ts';

export const CLIENT_ID_ANNOTATION = 'azure.workload.identity/client-id';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** AKS OIDC issuers are https://<region>.oic.prod-aks.azure.com/<tenant id>/<cluster id>/. */
const AKS_ISSUER = /^https:\/\/[a-z0-9-]+\.oic\.prod-aks\.azure\.com\/([0-9a-f-]{36})\/[0-9a-f-]{36}\/?$/i;

export const isGuid = (value: string | undefined): value is string => GUID.test(value ?? '');

/** A value and where it was read, for the patch's change line. */
export interface Sourced {
  value: string;
  from: string;
}

/** The client ID the pod's ServiceAccount is annotated with (what the instructor linked to the identity). */
export function annotatedClientId(e: Evidence): Sourced | undefined {
  const sa = readValue(e.serviceAccount);
  const value = sa?.metadata?.annotations?.[CLIENT_ID_ANNOTATION]?.trim();
  if (!isGuid(value)) return undefined;
  return { value, from: `the ${CLIENT_ID_ANNOTATION} annotation of ServiceAccount ${sa?.metadata?.name}` };
}

/** The tenant: the webhook's AZURE_TENANT_ID in the pod, else the tenant in the AKS issuer URL of the token. */
export function knownTenantId(e: Evidence): Sourced | undefined {
  const pod = readValue(e.pod);
  const env = podEnv(pod, 'AZURE_TENANT_ID');
  if (isGuid(env))
    return { value: env, from: `AZURE_TENANT_ID, set in pod ${pod?.metadata?.name} by the workload identity webhook` };
  const replay = readValue(e.replay);
  const issuer = replay?.performed ? replay.claims.iss : undefined;
  const tenant = issuer ? AKS_ISSUER.exec(issuer)?.[1] : undefined;
  return isGuid(tenant) ? { value: tenant, from: `the cluster's OIDC issuer ${issuer}` } : undefined;
}

function podEnv(pod: V1Pod | null | undefined, name: string): string | undefined {
  for (const c of pod?.spec?.containers ?? []) {
    const value = c.env?.find((v) => v.name === name)?.value?.trim();
    if (value) return value;
  }
  return undefined;
}

/** ServiceAccounts of the namespace annotated with `clientId` (when that list was read), by name. */
export function federatedServiceAccounts(e: Evidence, clientId: string | undefined): string[] | undefined {
  const list = readValue(e.serviceAccounts);
  if (!list) return undefined;
  const linked = (sa: V1ServiceAccount) => {
    const annotated = sa.metadata?.annotations?.[CLIENT_ID_ANNOTATION]?.trim();
    return isGuid(annotated) && (clientId === undefined || !isGuid(clientId) || annotated === clientId);
  };
  return list
    .filter(linked)
    .map((sa) => sa.metadata?.name ?? '')
    .filter(Boolean)
    .sort();
}

/** Secret names the identity could list in the vault, when the replay listed them. */
export function vaultSecretNames(e: Evidence): string[] | undefined {
  const replay = readValue(e.replay);
  return replay?.performed ? replay.outcome.secretNames : undefined;
}

/**
 * The one candidate closest to `wanted` by edit distance (within a third of its length, at least 2), or
 * undefined when none is close or two are equally close — then the student must choose.
 */
export function closestUnique(wanted: string, candidates: readonly string[]): string | undefined {
  const scored = candidates
    .map((c) => ({ c, d: editDistance(wanted.toLowerCase(), c.toLowerCase()) }))
    .filter(({ c, d }) => d <= Math.max(2, Math.floor(c.length / 3)));
  const best = Math.min(...scored.map((s) => s.d));
  const top = scored.filter((s) => s.d === best);
  return top.length === 1 ? top[0]?.c : undefined;
}

/** Client IDs the namespace's ServiceAccounts are annotated with (candidates when none is certain). */
export function federatedClientIds(e: Evidence): string[] {
  const accounts = [readValue(e.serviceAccount), ...(readValue(e.serviceAccounts) ?? [])];
  const ids = accounts.map((sa) => sa?.metadata?.annotations?.[CLIENT_ID_ANNOTATION]?.trim()).filter(isGuid);
  return [...new Set(ids)].sort();
}
