/**
 * Pod status as the kubelet reports it: `Pending` with containers waiting `ContainerCreating` while a volume
 * is not mounted, `Pending` with `CreateContainerConfigError` when a container's env names a Secret that
 * does not exist, and `Running` (Ready, containers running since `startedAt`) once everything is in place.
 * Pure builders over the pod object; timestamps are RFC 3339 seconds like the API server writes them.
 */
import type { Obj } from './cluster-objects.ts';

export const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

const containersOf = (pod: Obj): Obj[] => (pod.spec?.containers ?? []) as Obj[];

function condition(type: string, ok: boolean, at: string, reason?: string, message?: string): Obj {
  return {
    lastProbeTime: null,
    lastTransitionTime: at,
    ...(message ? { message } : {}),
    ...(reason ? { reason } : {}),
    status: ok ? 'True' : 'False',
    type,
  };
}

/** Keeps the transition time of a condition whose status did not change. */
function keepTransitions(previous: Obj[] | undefined, next: Obj[]): Obj[] {
  return next.map((c) => {
    const old = (previous ?? []).find((p) => p.type === c.type);
    return old && old.status === c.status ? { ...c, lastTransitionTime: old.lastTransitionTime } : c;
  });
}

function base(pod: Obj, hostIP: string | undefined, now: Date): Obj {
  const status = { ...(pod.status ?? {}) };
  status.hostIP = status.hostIP ?? hostIP;
  status.startTime = status.startTime ?? rfc3339(now);
  status.qosClass =
    status.qosClass ??
    (containersOf(pod).some((c) => Object.keys(c.resources ?? {}).length > 0) ? 'Burstable' : 'BestEffort');
  return status;
}

function notReady(pod: Obj, status: Obj, at: string): Obj[] {
  const names = containersOf(pod).map((c) => c.name);
  const message = `containers with unready status: [${names.join(' ')}]`;
  return keepTransitions(status.conditions, [
    condition('Initialized', true, at),
    condition('Ready', false, at, 'ContainersNotReady', message),
    condition('ContainersReady', false, at, 'ContainersNotReady', message),
    condition('PodScheduled', true, at),
  ]);
}

/** Waiting for volumes (or for a container's configuration): phase Pending. */
export function waitingStatus(
  pod: Obj,
  hostIP: string | undefined,
  now: Date,
  waiting: Obj = { reason: 'ContainerCreating' },
): Obj {
  const status = base(pod, hostIP, now);
  const at = rfc3339(now);
  status.phase = 'Pending';
  status.conditions = notReady(pod, status, at);
  status.containerStatuses = containersOf(pod).map((c) => ({
    image: c.image,
    imageID: '',
    lastState: {},
    name: c.name,
    ready: false,
    restartCount: 0,
    started: false,
    state: { waiting },
  }));
  return status;
}

/** All volumes mounted and containers started. */
export function runningStatus(pod: Obj, hostIP: string | undefined, podIP: string, now: Date): Obj {
  const status = base(pod, hostIP, now);
  const at = rfc3339(now);
  status.phase = 'Running';
  status.podIP = podIP;
  status.podIPs = [{ ip: podIP }];
  status.conditions = keepTransitions(status.conditions, [
    condition('Initialized', true, at),
    condition('Ready', true, at),
    condition('ContainersReady', true, at),
    condition('PodScheduled', true, at),
  ]);
  status.containerStatuses = containersOf(pod).map((c) => ({
    containerID: `containerd://${hex(`${pod.metadata.uid}/${c.name}`, 64)}`,
    image: `docker.io/library/${String(c.image)}:latest`,
    imageID: `docker.io/library/${String(c.image)}@sha256:${hex(String(c.image), 64)}`,
    lastState: {},
    name: c.name,
    ready: true,
    restartCount: 0,
    started: true,
    state: { running: { startedAt: at } },
  }));
  return status;
}

/** The first Secret a container's env or envFrom requires that `exists` says is absent. */
export function missingSecretOf(pod: Obj, exists: (name: string) => boolean): string | undefined {
  for (const c of containersOf(pod)) {
    for (const env of (c.env ?? []) as Obj[]) {
      const ref = env.valueFrom?.secretKeyRef;
      if (ref?.name && !ref.optional && !exists(ref.name)) return ref.name;
    }
    for (const from of (c.envFrom ?? []) as Obj[]) {
      const ref = from.secretRef;
      if (ref?.name && !ref.optional && !exists(ref.name)) return ref.name;
    }
  }
  return undefined;
}

/** A deterministic pod IP in the AKS default pod CIDR (10.244.0.0/16). */
export function podIpFor(uid: string): string {
  const h = Number.parseInt(hex(uid, 8), 16);
  return `10.244.${(h >> 8) & 0xff}.${(h & 0xfe) + 2 > 254 ? 2 : (h & 0xfe) + 2}`;
}

/** A deterministic lowercase hex string of `length` characters derived from `seed` (FNV-1a, repeated). */
function hex(seed: string, length: number): string {
  let out = '';
  let h = 0x811c9dc5;
  while (out.length < length) {
    for (const ch of `${seed}${out.length}`) {
      h ^= ch.charCodeAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}
