/**
 * The simulated kubelet (with the scheduler's binding, the Secrets Store CSI driver and the Azure provider
 * behind it) for a running classroom. Every pod with an inline CSI volume that is not mounted
 * is attempted over the simulators' wire protocols (pod-sync.ts); failures are retried with the kubelet's
 * exponential backoff (backoff.ts), and a change to anything the mount depends on — the pod, SPCs,
 * ServiceAccounts and Secrets of its namespace, the driver's pods, CSIDriver, Nodes, CRDs, or the Azure
 * state — resets the backoff and retries at once. A mounted pod stays mounted (no rotation, no unmount).
 * Every `volumeWaitMs` a still-unmounted pod also gets kubelet 1.27's "Unable to attach or mount volumes".
 */
import { onAzureChange } from '../azure/state.ts';
import type { Change } from '../k8s/store.ts';
import { type BackoffOptions, KUBELET_BACKOFF, nextDelay } from './backoff.ts';
import { csiVolumesOf, getObject, listObjects, type Obj } from './cluster-objects.ts';
import { volumeWaitTimedOut } from './compose-message.ts';
import { EventRecorder } from './event-recorder.ts';
import type { AttemptReport, KubeletDeps, KubeletOptions, PodState } from './kubelet-types.ts';
import { SPCPS_API_VERSION, spcpsName } from './mounted-state.ts';
import { type SyncOutcome, startContainers, syncPod } from './pod-sync.ts';

export type { AttemptReport, KubeletDeps, KubeletOptions } from './kubelet-types.ts';

const key = (namespace: string, name: string) => `${namespace}/${name}`;
const RESET_ALL = new Set([
  'storage.k8s.io/CSIDriver',
  '/Node',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apps/DaemonSet',
]);
const RESET_NAMESPACE = new Set(['secrets-store.csi.x-k8s.io/SecretProviderClass', '/ServiceAccount', '/Secret']);

export class SimulatedKubelet {
  readonly #deps: KubeletDeps;
  readonly #backoff: BackoffOptions;
  readonly #volumeWaitMs: number;
  readonly #namespaces: Set<string> | undefined;
  readonly #recorder: EventRecorder;
  readonly #pods = new Map<string, PodState>();
  readonly #listeners = new Set<(report: AttemptReport) => void>();
  readonly #unsubscribe: Array<() => void> = [];
  #ownWrites = 0;
  #closed = false;

  constructor(deps: KubeletDeps, options: KubeletOptions = {}) {
    this.#deps = deps;
    this.#backoff = { ...KUBELET_BACKOFF, ...options.backoff };
    this.#volumeWaitMs = options.volumeWaitMs ?? 123_000;
    this.#namespaces = options.namespaces ? new Set(options.namespaces) : undefined;
    this.#recorder = new EventRecorder(deps.store, options.events ?? {}, (fn) => this.#write(fn));
    for (const pod of listObjects(deps.store, 'v1', 'Pod')) this.#adopt(pod, false);
    this.#unsubscribe.push(deps.store.subscribe((c) => this.#onChange(c)));
    this.#unsubscribe.push(onAzureChange(deps.azure, () => this.#resetWhere(() => true)));
  }

  /** Attempts every pod that is not mounted now (backoff reset). */
  kick(): void {
    this.#resetWhere(() => true);
  }

  /**
   * Resolves once no attempt is running or due within `withinMs` (default 0: only attempts due now, such
   * as those a change just triggered). Later retries stay scheduled.
   */
  async settle(withinMs = 0): Promise<void> {
    const horizon = Date.now() + withinMs;
    for (;;) {
      const states = [...this.#pods.values()];
      const running = states.flatMap((s) => (s.running ? [s.running] : []));
      const due = states.filter((s) => s.dueAt !== undefined && (s.immediate || s.dueAt <= horizon));
      if (running.length === 0 && due.length === 0) return;
      if (running.length > 0) await Promise.allSettled(running);
      else await new Promise((r) => setTimeout(r, Math.max(0, Math.min(...due.map((s) => s.dueAt ?? 0)) - Date.now())));
    }
  }

  /** Calls `listener` after every attempt. Returns the unsubscribe function. */
  onAttempt(listener: (report: AttemptReport) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The next attempt report matching `filter`. */
  nextAttempt(filter: (r: AttemptReport) => boolean = () => true): Promise<AttemptReport> {
    return new Promise((resolve) => {
      const off = this.onAttempt((r) => {
        if (!filter(r)) return;
        off();
        resolve(r);
      });
    });
  }

  /** What the kubelet knows of a pod: mounted volumes, whether it is done, the current backoff. */
  podState(
    namespace: string,
    name: string,
  ): { uid: string; mounted: string[]; done: boolean; delayMs?: number } | undefined {
    const s = this.#pods.get(key(namespace, name));
    return (
      s && {
        uid: s.uid,
        mounted: [...s.mounted],
        done: s.done,
        ...(s.delayMs !== undefined ? { delayMs: s.delayMs } : {}),
      }
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const off of this.#unsubscribe) off();
    for (const s of this.#pods.values()) this.#stopTimers(s);
    await Promise.allSettled([...this.#pods.values()].flatMap((s) => (s.running ? [s.running] : [])));
  }

  #write<T>(fn: () => T): T {
    this.#ownWrites++;
    try {
      return fn();
    } finally {
      this.#ownWrites--;
    }
  }

  /** Starts tracking a pod. Existing pods that are mounted (Running, or an SPCPS owned by them) are left alone. */
  #adopt(pod: Obj, created: boolean): void {
    const { namespace, name, uid } = pod.metadata;
    if (this.#namespaces && !this.#namespaces.has(namespace)) return;
    const volumes = csiVolumesOf(pod);
    const fresh = created || !pod.status?.phase || !pod.spec?.nodeName;
    if (volumes.length === 0 && !fresh) return;
    const mounted = new Set<string>();
    for (const v of volumes) {
      const spc = v.csi?.volumeAttributes?.secretProviderClass ?? '';
      const spcps = getObject(
        this.#deps.store,
        SPCPS_API_VERSION,
        'SecretProviderClassPodStatus',
        spcpsName(name, namespace, spc),
        namespace,
      );
      if (pod.status?.phase === 'Running' || spcps?.metadata?.ownerReferences?.some((o: Obj) => o.uid === uid))
        mounted.add(v.name);
    }
    const state: PodState = { namespace, name, uid, mounted, done: false, again: false };
    this.#pods.set(key(namespace, name), state);
    if (mounted.size === volumes.length && !fresh) {
      state.done = true;
      state.configError =
        pod.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError' ? 'yes' : undefined;
      return;
    }
    this.#schedule(state, 0);
  }

  #schedule(state: PodState, delayMs: number): void {
    if (this.#closed) return;
    if (state.timer) clearTimeout(state.timer);
    state.dueAt = Date.now() + delayMs;
    state.immediate = delayMs === 0;
    state.timer = setTimeout(() => this.#run(state), delayMs);
  }

  #run(state: PodState): void {
    state.timer = undefined;
    state.dueAt = undefined;
    state.immediate = false;
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = this.#attempt(state).finally(() => {
      state.running = undefined;
      if (state.again && !state.done && this.#pods.get(key(state.namespace, state.name)) === state) {
        state.again = false;
        this.#schedule(state, 0);
      }
    });
  }

  async #attempt(state: PodState): Promise<void> {
    let outcome: SyncOutcome;
    try {
      outcome = await syncPod(this.#syncDeps(), state, state.mounted);
    } catch (err) {
      outcome = { kind: 'failed', messages: [`simulated kubelet error: ${(err as Error).message}`], unmounted: [] };
    }
    if (this.#closed) return;
    const report: AttemptReport = {
      namespace: state.namespace,
      name: state.name,
      uid: state.uid,
      at: this.#deps.now(),
      outcome: outcome.kind,
      messages: [],
    };
    if (outcome.kind === 'gone') this.#forget(state);
    else if (outcome.kind === 'failed' || outcome.kind === 'unschedulable') {
      if (outcome.kind === 'failed') report.messages = outcome.messages;
      state.delayMs = nextDelay(state.delayMs, this.#backoff);
      report.retryInMs = state.delayMs;
      if (!state.again) this.#schedule(state, state.delayMs);
      this.#armVolumeWait(state, outcome.kind === 'failed' ? outcome.unmounted : []);
    } else {
      state.done = true;
      state.delayMs = undefined;
      state.configError = outcome.kind === 'config-error' ? outcome.secret : undefined;
      this.#stopTimers(state);
    }
    for (const listener of [...this.#listeners]) listener(report);
  }

  /** kubelet 1.27: each 2m3s wait for a pod's volumes that runs out records the pod-level FailedMount. */
  #armVolumeWait(state: PodState, unmounted: string[]): void {
    if (state.waitTimer || unmounted.length === 0) return;
    state.waitTimer = setInterval(() => {
      const pod = getObject(this.#deps.store, 'v1', 'Pod', state.name, state.namespace);
      if (!pod || pod.metadata.uid !== state.uid || state.done) return;
      const volumes = csiVolumesOf(pod)
        .filter((v) => !state.mounted.has(v.name))
        .map((v) => v.name);
      this.#recorder.record(
        {
          involvedObject: {
            apiVersion: 'v1',
            kind: 'Pod',
            namespace: state.namespace,
            name: state.name,
            uid: state.uid,
          },
          reason: 'FailedMount',
          message: volumeWaitTimedOut(volumes),
          type: 'Warning',
          source: { component: 'kubelet', host: String(pod.spec.nodeName) },
        },
        this.#deps.now(),
      );
    }, this.#volumeWaitMs);
    state.waitTimer.unref();
  }

  #stopTimers(state: PodState): void {
    if (state.timer) clearTimeout(state.timer);
    if (state.waitTimer) clearInterval(state.waitTimer);
    state.timer = undefined;
    state.waitTimer = undefined;
    state.dueAt = undefined;
  }

  #forget(state: PodState): void {
    this.#stopTimers(state);
    if (this.#pods.get(key(state.namespace, state.name)) === state) this.#pods.delete(key(state.namespace, state.name));
  }

  #syncDeps() {
    return {
      store: this.#deps.store,
      wire: this.#deps.wire,
      recorder: this.#recorder,
      now: this.#deps.now,
      write: <T>(fn: () => T) => this.#write(fn),
    };
  }

  /** Retries now, with the backoff reset, every unmounted pod matching `match`. */
  #resetWhere(match: (s: PodState) => boolean): void {
    for (const s of this.#pods.values()) {
      if (s.done || !match(s)) continue;
      s.delayMs = undefined;
      this.#schedule(s, 0);
    }
  }

  #onChange(change: Change): void {
    if (this.#ownWrites > 0 || this.#closed) return;
    const meta = change.object.metadata as Obj;
    const ns = String(meta?.namespace ?? '');
    if (change.storage === '/Pod') this.#onPod(change);
    else if (RESET_ALL.has(change.storage)) this.#resetWhere(() => true);
    else if (RESET_NAMESPACE.has(change.storage)) {
      this.#resetWhere((s) => s.namespace === ns);
      if (change.storage === '/Secret') this.#retryContainers(ns);
    }
  }

  #onPod(change: Change): void {
    const pod = change.object as Obj;
    const { namespace, name, uid } = pod.metadata;
    if (namespace === 'kube-system') this.#resetWhere(() => true);
    const state = this.#pods.get(key(namespace, name));
    if (change.type === 'DELETED') {
      if (state && state.uid === uid) this.#forget(state);
      return;
    }
    if (state && state.uid !== uid) this.#forget(state);
    const current = this.#pods.get(key(namespace, name));
    if (!current) {
      if (namespace !== 'kube-system') this.#adopt(pod, change.type === 'ADDED');
      return;
    }
    const before = JSON.stringify([change.previous?.spec, (change.previous?.metadata as Obj)?.labels]);
    if (before !== JSON.stringify([pod.spec, pod.metadata.labels]) && !current.done) {
      current.delayMs = undefined;
      this.#schedule(current, 0);
    }
  }

  /** A Secret appeared or changed: pods held by CreateContainerConfigError try to start their containers. */
  #retryContainers(namespace: string): void {
    for (const s of this.#pods.values()) {
      if (s.namespace !== namespace || !s.done || !s.configError) continue;
      const pod = getObject(this.#deps.store, 'v1', 'Pod', s.name, s.namespace);
      if (!pod || pod.metadata.uid !== s.uid) continue;
      const outcome = startContainers(this.#syncDeps(), pod);
      s.configError = outcome.kind === 'config-error' ? outcome.secret : undefined;
    }
  }
}
