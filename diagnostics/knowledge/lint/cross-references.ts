/**
 * Rules across objects linted together: the SecretProviderClass a pod names must be in the pod's namespace
 * (docs/wire-notes.md §1.1), and the pod's ServiceAccount should carry the same managed identity client ID as the SPC's
 * clientID (the AKS workload-identity convention; the CSI mount itself uses the SPC's clientID).
 */
import { isPlaceholder, placeholderIssues } from './placeholders.ts';
import type { PodTarget } from './pod/pod-target.ts';
import { serviceAccountOf } from './pod/pod-target.ts';
import type { Placed, Resource } from './resources.ts';
import { sameNamespace } from './resources.ts';
import { param, type SpcContext } from './spc/spc-context.ts';
import type { LintProfile, PathSegment } from './types.ts';
import { GUID, recordAt, stringAt } from './values.ts';

const CLIENT_ID_ANNOTATION = 'azure.workload.identity/client-id';
const TENANT_ID_ANNOTATION = 'azure.workload.identity/tenant-id';

export interface LintedSpc {
  resource: Resource;
  context: SpcContext;
}

export interface LintedPod {
  resource: Resource;
  target: PodTarget;
}

function findSpc(spcs: readonly LintedSpc[], name: string, namespace: string | undefined): LintedSpc | undefined {
  return spcs.find((spc) => spc.resource.ref.name === name && sameNamespace(spc.resource.ref.namespace, namespace));
}

/** pod/spc-not-found: only when the linted set contains SecretProviderClasses at all. */
export function spcNotFoundIssues(pods: readonly LintedPod[], spcs: readonly LintedSpc[]): Placed[] {
  if (spcs.length === 0) return [];
  const placed: Placed[] = [];
  for (const { resource, target } of pods) {
    for (const volume of target.volumes) {
      if (volume.spcName === '' || isPlaceholder(volume.spcName)) continue;
      if (findSpc(spcs, volume.spcName, resource.ref.namespace) !== undefined) continue;
      const elsewhere = spcs.find((spc) => spc.resource.ref.name === volume.spcName);
      const names = spcs.map((spc) => spc.resource.ref.name ?? '?').join(', ');
      placed.push({
        input: resource,
        issue: {
          rule: 'pod/spc-not-found',
          at: [...volume.at, 'csi', 'volumeAttributes', 'secretProviderClass'],
          message: elsewhere
            ? `SecretProviderClass "${volume.spcName}" is in namespace "${elsewhere.resource.ref.namespace}", but the pod is in "${resource.ref.namespace}"; the driver looks only in the pod's namespace.`
            : `The pod names SecretProviderClass "${volume.spcName}", but the linted SecretProviderClasses are: ${names}. Unless it already exists in the cluster, the driver fails with "failed to get secretproviderclass <namespace>/${volume.spcName}".`,
          fix: elsewhere
            ? "Create the SecretProviderClass in the pod's namespace (or remove metadata.namespace from both)."
            : 'Use the exact metadata.name of your SecretProviderClass; check with: kubectl get secretproviderclass',
        },
      });
    }
  }
  return placed;
}

function clientIdAt(): PathSegment[] {
  return ['metadata', 'annotations', CLIENT_ID_ANNOTATION];
}

const inNamespace = (namespace: string | undefined) => (namespace ? ` -n ${namespace}` : '');

/** The clientID (a GUID) of an SPC the pod's secrets volumes use, if one is linted with it. */
function spcClientId(spcs: readonly LintedSpc[], pod: Resource, target: LintedPod['target']): string | undefined {
  return target.volumes
    .map((volume) => findSpc(spcs, volume.spcName, pod.ref.namespace))
    .map((spc) => (spc ? (param(spc.context, 'clientID')?.trim() ?? '') : ''))
    .find((id) => GUID.test(id));
}

/** sa/client-id-annotation and sa/client-id-mismatch for ServiceAccounts that linted pods with a secrets volume use. */
export function serviceAccountIssues(
  pods: readonly LintedPod[],
  spcs: readonly LintedSpc[],
  sas: readonly Resource[],
): Placed[] {
  const placed: Placed[] = [];
  const seen = new Set<string>();
  for (const { resource, target } of pods) {
    if (target.volumes.length === 0) continue;
    const account = serviceAccountOf(target).name;
    const sa = sas.find((s) => s.ref.name === account && sameNamespace(s.ref.namespace, resource.ref.namespace));
    if (sa === undefined) continue;
    const annotation = stringAt(recordAt(recordAt(sa.object.metadata).annotations)[CLIENT_ID_ANNOTATION])?.trim() ?? '';
    if (isPlaceholder(annotation)) continue;
    const once = (key: string): boolean => {
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    };
    if (!GUID.test(annotation)) {
      if (once(`annotation:${account}`)) {
        placed.push({
          input: sa,
          issue: {
            rule: 'sa/client-id-annotation',
            at: clientIdAt(),
            message:
              annotation === ''
                ? `ServiceAccount "${account}" has no ${CLIENT_ID_ANNOTATION} annotation; workload identity links a ServiceAccount to its managed identity with it.`
                : `ServiceAccount "${account}" has ${CLIENT_ID_ANNOTATION}: "${annotation}", which is not a client ID (GUID).`,
            fix: `kubectl annotate serviceaccount ${account}${inNamespace(resource.ref.namespace)} ${CLIENT_ID_ANNOTATION}=${spcClientId(spcs, resource, target) ?? '<identity client ID>'} --overwrite`,
          },
        });
      }
      continue;
    }
    for (const volume of target.volumes) {
      const spc = findSpc(spcs, volume.spcName, resource.ref.namespace);
      const clientId = spc ? (param(spc.context, 'clientID')?.trim() ?? '') : '';
      if (!GUID.test(clientId) || clientId.toLowerCase() === annotation.toLowerCase()) continue;
      if (!once(`mismatch:${account}:${volume.spcName}`)) continue;
      placed.push({
        input: sa,
        issue: {
          rule: 'sa/client-id-mismatch',
          at: clientIdAt(),
          message: `ServiceAccount "${account}" is annotated with client ID ${annotation}, but SecretProviderClass "${volume.spcName}" uses clientID ${clientId}. The mount signs in as the SPC's clientID and does not read the annotation (the workload identity webhook gives it to the app), so one of the two is probably the wrong identity.`,
        },
      });
    }
  }
  return placed;
}

/** sa/placeholder and sa/lab-placeholder for every linted ServiceAccount. */
export function serviceAccountPlaceholders(sas: readonly Resource[], profile: LintProfile): Placed[] {
  return sas.flatMap((sa) => {
    const metadata = recordAt(sa.object.metadata);
    const annotations = recordAt(metadata.annotations);
    const roots = [
      { value: metadata.name, at: ['metadata', 'name'] as PathSegment[] },
      { value: metadata.namespace, at: ['metadata', 'namespace'] as PathSegment[] },
      { value: annotations[CLIENT_ID_ANNOTATION], at: clientIdAt() },
      {
        value: annotations[TENANT_ID_ANNOTATION],
        at: ['metadata', 'annotations', TENANT_ID_ANNOTATION] as PathSegment[],
      },
    ];
    return placeholderIssues(roots, { lab: 'sa/lab-placeholder', template: 'sa/placeholder' }, profile).map(
      (issue) => ({
        input: sa,
        issue,
      }),
    );
  });
}

/**
 * pod/node-publish-secret: an Azure SPC in service-principal mode (no identity flag, no clientID) takes its
 * credentials from the volume's nodePublishSecretRef; without one the provider fails with
 * "failed to get credentials, nodePublishSecretRef secret is not set". Only for pods whose SPC was linted.
 */
export function nodePublishSecretIssues(pods: readonly LintedPod[], spcs: readonly LintedSpc[]): Placed[] {
  const placed: Placed[] = [];
  for (const { resource, target } of pods) {
    for (const volume of target.volumes) {
      const spc = findSpc(spcs, volume.spcName, resource.ref.namespace);
      if (spc === undefined || !spc.context.azure || spc.context.mode !== 'service-principal') continue;
      if (spc.context.params === undefined) continue;
      const ref = recordAt(volume.csi.nodePublishSecretRef);
      if ((stringAt(ref.name)?.trim() ?? '') !== '') continue;
      placed.push({
        input: resource,
        issue: {
          rule: 'pod/node-publish-secret',
          at: [...volume.at, 'csi', 'nodePublishSecretRef'],
          message: `SecretProviderClass "${volume.spcName}" sets no clientID and no identity flag, so the provider signs in with a service principal from the volume's nodePublishSecretRef, which volume "${volume.name}" does not have; the mount fails with "failed to get credentials, nodePublishSecretRef secret is not set".`,
        },
      });
    }
  }
  return placed;
}
