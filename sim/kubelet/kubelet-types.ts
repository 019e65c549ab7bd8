/**
 * The simulated kubelet's public options and reports, and the per-pod bookkeeping it keeps (kubelet.ts).
 */
import type { AzureState } from '../azure/state.ts';
import type { ObjectStore } from '../k8s/store.ts';
import type { BackoffOptions } from './backoff.ts';
import type { CorrelatorOptions } from './event-correlator.ts';
import type { PodRef, SyncOutcome } from './pod-sync.ts';
import type { WireEndpoints } from './wire.ts';

export interface KubeletOptions {
  /** Mount retry backoff (default 500 ms doubling to 2m2s); tests use small values. */
  backoff?: Partial<BackoffOptions>;
  /** How long kubelet waits for a pod's volumes before "Unable to attach or mount volumes" (default 2m3s). */
  volumeWaitMs?: number;
  /** Event correlator settings (default client-go's). */
  events?: CorrelatorOptions;
  /** Manage only pods in these namespaces (default all): keeps focused tests and benchmarks quiet. */
  namespaces?: string[];
}

export interface KubeletDeps {
  store: ObjectStore;
  wire: WireEndpoints;
  azure: AzureState;
  now: () => Date;
}

/** One finished attempt, for tests and logs. */
export interface AttemptReport extends PodRef {
  at: Date;
  outcome: SyncOutcome['kind'];
  /** FailedMount messages recorded by this attempt. */
  messages: string[];
  /** The wait before the next attempt (failures only). */
  retryInMs?: number;
}

export interface PodState extends PodRef {
  mounted: Set<string>;
  done: boolean;
  delayMs?: number;
  timer?: NodeJS.Timeout;
  dueAt?: number;
  /** Scheduled with no wait (a change or a kick): `settle()` always waits for it. */
  immediate?: boolean;
  running?: Promise<void>;
  again: boolean;
  waitTimer?: NodeJS.Timeout;
  configError?: string;
}
