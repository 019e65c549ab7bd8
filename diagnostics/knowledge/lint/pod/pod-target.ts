/**
 * Finds the pod spec in a Pod or in a workload's pod template, and the secrets-store CSI volumes in it, so the pod
 * rules run the same way on `kind: Pod` and on Deployments, StatefulSets, Jobs, CronJobs and friends.
 */
import { didYouMean } from '../suggest.ts';
import type { Issue, LintProfile, PathSegment } from '../types.ts';
import { isRecord, listAt, recordAt, stringAt } from '../values.ts';

export const CSI_DRIVER = 'secrets-store.csi.k8s.io';

/** Where each workload kind keeps its pod template. */
const TEMPLATE_AT: Readonly<Record<string, PathSegment[]>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

export interface SecretsStoreVolume {
  name: string;
  at: PathSegment[];
  csi: Record<string, unknown>;
  driver: string;
  /** volumeAttributes.secretProviderClass, trimmed; `''` when missing. */
  spcName: string;
}

export interface PodTarget {
  /** Labels and annotations of the pod (the template's, for workloads). */
  podMeta: Record<string, unknown>;
  podMetaAt: PathSegment[];
  spec: Record<string, unknown>;
  specAt: PathSegment[];
  volumes: SecretsStoreVolume[];
}

/** A rule over one pod spec. */
export type PodRule = (pod: PodTarget, profile: LintProfile) => Issue[];

export function isPodKind(kind: string): boolean {
  return kind === 'Pod' || kind in TEMPLATE_AT;
}

function walk(value: unknown, path: readonly PathSegment[]): unknown {
  let node = value;
  for (const segment of path) node = isRecord(node) ? node[String(segment)] : undefined;
  return node;
}

/** A CSI driver name that is, or is meant to be, the Secrets Store driver. */
export function looksLikeSecretsStore(driver: string): boolean {
  return driver === CSI_DRIVER || /secrets?-?store/i.test(driver) || didYouMean(driver, [CSI_DRIVER]) !== undefined;
}

export function podTarget(kind: string, object: Record<string, unknown>): PodTarget | undefined {
  const templateAt = kind === 'Pod' ? [] : TEMPLATE_AT[kind];
  if (templateAt === undefined) return undefined;
  const template = recordAt(templateAt.length === 0 ? object : walk(object, templateAt));
  const specAt = [...templateAt, 'spec'];
  const spec = recordAt(template.spec);
  const volumes: SecretsStoreVolume[] = [];
  listAt(spec.volumes).forEach((volume, i) => {
    if (!isRecord(volume) || !isRecord(volume.csi)) return;
    const driver = stringAt(volume.csi.driver)?.trim() ?? '';
    if (!looksLikeSecretsStore(driver)) return;
    const attributes = recordAt(volume.csi.volumeAttributes);
    volumes.push({
      name: stringAt(volume.name) ?? '',
      at: [...specAt, 'volumes', i],
      csi: volume.csi,
      driver,
      spcName: stringAt(attributes.secretProviderClass)?.trim() ?? '',
    });
  });
  return { podMeta: recordAt(template.metadata), podMetaAt: [...templateAt, 'metadata'], spec, specAt, volumes };
}

/** Every container (init containers included) with its path. */
export function containersOf(pod: PodTarget): Array<{ container: Record<string, unknown>; at: PathSegment[] }> {
  const out: Array<{ container: Record<string, unknown>; at: PathSegment[] }> = [];
  for (const key of ['initContainers', 'containers']) {
    listAt(pod.spec[key]).forEach((container, i) => {
      if (isRecord(container)) out.push({ container, at: [...pod.specAt, key, i] });
    });
  }
  return out;
}

/** The ServiceAccount the pod runs as: serviceAccountName, else the deprecated serviceAccount, else "". */
export function serviceAccountOf(pod: PodTarget): { name: string; at: PathSegment[] } {
  const name = stringAt(pod.spec.serviceAccountName)?.trim();
  if (name) return { name, at: [...pod.specAt, 'serviceAccountName'] };
  const legacy = stringAt(pod.spec.serviceAccount)?.trim();
  if (legacy) return { name: legacy, at: [...pod.specAt, 'serviceAccount'] };
  return { name: '', at: [...pod.specAt, 'serviceAccountName'] };
}
