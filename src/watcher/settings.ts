/**
 * Settings of the watcher role, from the environment (validated once, like src/config.ts; errors name the
 * setting, never its value). Durations are seconds in the environment and milliseconds inside.
 */
import { z } from 'zod';
import { ConfigError } from '../../diagnostics/errors.ts';
import { parseSettings } from '../config.ts';
import type { AlertSettings } from './alert-model.ts';
import type { LeaseOptions } from './lease-election.ts';

/** A retry waits up to this factor of `retryMs` (src/watcher/lease-election.ts). */
export const JITTER_FACTOR = 1.2;

const seconds = (min: number, max: number, def: number) => z.coerce.number().min(min).max(max).default(def);

const WatcherEnv = z.object({
  /** Failing this long before an alert; a pod that mounts within it is never alerted. */
  KVLAB_ALERT_GRACE_SECONDS: seconds(0, 3_600, 60),
  /** Shortest gap between two count/"last seen" edits of one alert. */
  KVLAB_ALERT_UPDATE_SECONDS: seconds(0, 3_600, 30),
  /** A fixed pod failing again within this window re-opens its alert. */
  KVLAB_ALERT_REOPEN_SECONDS: seconds(0, 7 * 86_400, 3_600),
  /** Failing events older than this (at start or relist) are history, not a current failure. */
  KVLAB_ALERT_ADOPT_SECONDS: seconds(1, 86_400, 600),
  /** Pods of one class failing with one category at once that make one class-wide alert. */
  KVLAB_ALERT_STORM_PODS: z.coerce.number().int().min(2).max(10_000).default(5),
  /** New pod alerts per channel per KVLAB_ALERT_BUDGET_SECONDS before pods fold into a summary. */
  KVLAB_ALERT_BUDGET: z.coerce.number().int().min(1).max(1_000).default(5),
  KVLAB_ALERT_BUDGET_SECONDS: seconds(1, 86_400, 300),
  /** How long "Mute this pod" lasts. */
  KVLAB_ALERT_MUTE_SECONDS: seconds(60, 30 * 86_400, 86_400),
  /** Name of the cluster in incident keys (default: the kubeconfig's current cluster). */
  KVLAB_CLUSTER_NAME: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'use 1–64 letters, digits, ".", "-" or "_"')
    .optional(),
  KVLAB_LEASE_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a namespace name')
    .default('kvlab-system'),
  KVLAB_LEASE_NAME: z
    .string()
    .regex(/^[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?$/, 'a Lease name')
    .default('kvlab-watcher'),
  KVLAB_LEASE_DURATION_SECONDS: z.coerce.number().int().min(1).max(600).default(15),
  KVLAB_LEASE_RENEW_SECONDS: seconds(0.1, 600, 10),
  KVLAB_LEASE_RETRY_SECONDS: seconds(0.05, 600, 2),
  /** How often the watcher decides (grace over? resolved?) and publishes. */
  KVLAB_WATCHER_TICK_MS: z.coerce.number().int().min(20).max(10_000).default(500),
});

export interface WatcherSettings {
  alerts: AlertSettings;
  muteMs: number;
  cluster?: string;
  lease: Omit<LeaseOptions, 'identity'>;
  tickMs: number;
}

export function loadWatcherSettings(env: NodeJS.ProcessEnv): WatcherSettings {
  const e = parseSettings(WatcherEnv, env);
  const lease = {
    namespace: e.KVLAB_LEASE_NAMESPACE,
    name: e.KVLAB_LEASE_NAME,
    leaseDurationMs: e.KVLAB_LEASE_DURATION_SECONDS * 1000,
    renewDeadlineMs: Math.round(e.KVLAB_LEASE_RENEW_SECONDS * 1000),
    retryMs: Math.round(e.KVLAB_LEASE_RETRY_SECONDS * 1000),
  };
  if (lease.leaseDurationMs <= lease.renewDeadlineMs || lease.renewDeadlineMs <= lease.retryMs * JITTER_FACTOR) {
    throw new ConfigError(
      'KVLAB_LEASE_DURATION_SECONDS must exceed KVLAB_LEASE_RENEW_SECONDS, which must exceed 1.2 × KVLAB_LEASE_RETRY_SECONDS.',
    );
  }
  return {
    alerts: {
      graceMs: e.KVLAB_ALERT_GRACE_SECONDS * 1000,
      reopenMs: e.KVLAB_ALERT_REOPEN_SECONDS * 1000,
      adoptMs: e.KVLAB_ALERT_ADOPT_SECONDS * 1000,
      stormPods: e.KVLAB_ALERT_STORM_PODS,
      budget: e.KVLAB_ALERT_BUDGET,
      budgetWindowMs: e.KVLAB_ALERT_BUDGET_SECONDS * 1000,
      updateEveryMs: e.KVLAB_ALERT_UPDATE_SECONDS * 1000,
    },
    muteMs: e.KVLAB_ALERT_MUTE_SECONDS * 1000,
    ...(e.KVLAB_CLUSTER_NAME ? { cluster: e.KVLAB_CLUSTER_NAME } : {}),
    lease,
    tickMs: e.KVLAB_WATCHER_TICK_MS,
  };
}
