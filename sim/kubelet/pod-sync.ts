/**
 * One pass of the kubelet's pod worker for one pod: bind it to a node if the scheduler has not (scheduler.ts),
 * mount each Secrets Store CSI volume not yet mounted (mount-attempt.ts), record FailedMount events for the
 * failures, write the driver's SPCPS and synced Secrets for the successes, then report the pod's status:
 * ContainerCreating while a volume is missing, CreateContainerConfigError for a missing env Secret, else Running.
 */
import type { ObjectStore } from '../k8s/store.ts';
import { csiVolumesOf, getObject, listObjects, type Obj } from './cluster-objects.ts';
import type { EventRequest } from './event-correlator.ts';
import type { EventRecorder } from './event-recorder.ts';
import { attemptMount } from './mount-attempt.ts';
import { buildSpcps, syncSecrets, writeSpcps } from './mounted-state.ts';
import { missingSecretOf, podIpFor, runningStatus, waitingStatus } from './pod-status.ts';
import { pickNode } from './scheduler.ts';
import type { WireEndpoints } from './wire.ts';

export interface SyncDeps {
  store: ObjectStore;
  wire: WireEndpoints;
  recorder: EventRecorder;
  now: () => Date;
  /** Runs a write of the kubelet's own (its change notifications are not triggers). */
  write: <T>(fn: () => T) => T;
}

export type SyncOutcome =
  | { kind: 'gone' }
  | { kind: 'unschedulable' }
  | { kind: 'failed'; messages: string[]; unmounted: string[] }
  | { kind: 'running' }
  | { kind: 'config-error'; secret: string };

export interface PodRef {
  namespace: string;
  name: string;
  uid: string;
}

const read = (store: ObjectStore, ref: PodRef): Obj | undefined => {
  const pod = getObject(store, 'v1', 'Pod', ref.name, ref.namespace);
  return pod && pod.metadata.uid === ref.uid ? pod : undefined;
};

const podSource = (pod: Obj) => ({ component: 'kubelet', host: String(pod.spec.nodeName) });
const involved = (pod: Obj, fieldPath?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  namespace: String(pod.metadata.namespace),
  name: String(pod.metadata.name),
  uid: String(pod.metadata.uid),
  ...(fieldPath ? { fieldPath } : {}),
});

/** `mounted` holds the names of the pod's volumes already mounted; successes are added to it. */
export async function syncPod(deps: SyncDeps, ref: PodRef, mounted: Set<string>): Promise<SyncOutcome> {
  const { store, recorder } = deps;
  let pod = read(store, ref);
  if (!pod) return { kind: 'gone' };
  if (!pod.spec?.nodeName) {
    const node = pickNode(listObjects(store, 'v1', 'Node'), listObjects(store, 'v1', 'Pod'));
    if (!node) return { kind: 'unschedulable' };
    const bound = pod;
    pod = deps.write(() =>
      store.update({
        ...bound,
        spec: { ...bound.spec, nodeName: node },
        status: {
          ...(bound.status ?? {}),
          phase: 'Pending',
          conditions: [
            { lastProbeTime: null, lastTransitionTime: stamp(deps.now()), status: 'True', type: 'PodScheduled' },
          ],
        },
      }),
    );
    recorder.scheduled(pod, node, deps.now());
  }
  const hostIP = hostIpOf(getObject(store, 'v1', 'Node', String(pod.spec.nodeName)));
  const messages: string[] = [];
  const unmounted: string[] = [];
  for (const volume of csiVolumesOf(pod)) {
    if (mounted.has(volume.name)) continue;
    const result = await attemptMount(store, deps.wire, pod, volume);
    const current = read(store, ref);
    if (!current) return { kind: 'gone' };
    if (!result.ok) {
      const message = recorder.failedMountMessage(current, result.message);
      recorder.record(
        {
          involvedObject: involved(current),
          reason: 'FailedMount',
          message,
          type: 'Warning',
          source: podSource(current),
        },
        deps.now(),
      );
      messages.push(message);
      unmounted.push(volume.name);
      continue;
    }
    mounted.add(volume.name);
    if (!result.spc) continue;
    const spc = result.spc;
    const spcps = deps.write(() =>
      writeSpcps(store, buildSpcps(current, spc.metadata.name, volume.name, result.objects)),
    );
    const failures = deps.write(() => syncSecrets(store, current, spc, spcps, result.objects));
    for (const message of failures) {
      recorder.record(
        {
          involvedObject: involved(current),
          reason: 'FailedToCreateSecret',
          message,
          type: 'Warning',
          source: { component: 'csi-secrets-store-controller' },
        },
        deps.now(),
      );
    }
  }
  pod = read(store, ref);
  if (!pod) return { kind: 'gone' };
  const current = pod;
  if (unmounted.length > 0) {
    if (
      current.status?.containerStatuses?.[0]?.state?.waiting?.reason !== 'ContainerCreating' ||
      !current.status?.hostIP
    ) {
      deps.write(() => store.update({ ...current, status: waitingStatus(current, hostIP, deps.now()) }));
    }
    return { kind: 'failed', messages, unmounted };
  }
  return startContainers(deps, current, hostIP);
}

/** After the volumes: a missing env Secret keeps the pod waiting, else the containers run. */
export function startContainers(deps: SyncDeps, pod: Obj, hostIP?: string): SyncOutcome {
  const { store, recorder } = deps;
  const ns = String(pod.metadata.namespace);
  const missing = missingSecretOf(pod, (name) => !!getObject(store, 'v1', 'Secret', name, ns));
  const now = deps.now();
  const ip = hostIP ?? hostIpOf(getObject(store, 'v1', 'Node', String(pod.spec.nodeName)));
  const container = `spec.containers{${pod.spec.containers?.[0]?.name ?? ''}}`;
  const event = (reason: string, message: string, type: EventRequest['type'] = 'Normal') =>
    recorder.record({ involvedObject: involved(pod, container), reason, message, type, source: podSource(pod) }, now);
  if (missing) {
    const message = `secret ${JSON.stringify(missing)} not found`;
    deps.write(() =>
      store.update({ ...pod, status: waitingStatus(pod, ip, now, { message, reason: 'CreateContainerConfigError' }) }),
    );
    event('Failed', `Error: ${message}`, 'Warning');
    return { kind: 'config-error', secret: missing };
  }
  if (pod.status?.phase !== 'Running') {
    const image = String(pod.spec.containers?.[0]?.image ?? '');
    event('Pulling', `Pulling image ${JSON.stringify(image)}`);
    event('Pulled', `Successfully pulled image ${JSON.stringify(image)} in 1.2s (1.2s including waiting)`);
    for (const c of (pod.spec.containers ?? []) as Obj[]) {
      recorder.record(
        {
          involvedObject: involved(pod, `spec.containers{${c.name}}`),
          reason: 'Created',
          message: `Created container ${c.name}`,
          type: 'Normal',
          source: podSource(pod),
        },
        now,
      );
      recorder.record(
        {
          involvedObject: involved(pod, `spec.containers{${c.name}}`),
          reason: 'Started',
          message: `Started container ${c.name}`,
          type: 'Normal',
          source: podSource(pod),
        },
        now,
      );
    }
    deps.write(() => store.update({ ...pod, status: runningStatus(pod, ip, podIpFor(String(pod.metadata.uid)), now) }));
  }
  return { kind: 'running' };
}

function hostIpOf(node: Obj | undefined): string | undefined {
  return ((node?.status?.addresses ?? []) as Obj[]).find((a) => a.type === 'InternalIP')?.address;
}

const stamp = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
