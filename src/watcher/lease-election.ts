/**
 * Leader election over a coordination.k8s.io/v1 Lease, client-go's LeaseLock algorithm (client-node ships no
 * elector): one watcher leads; the others retry every `retryMs` (jitter ×1.2) and take over once the holder has
 * not renewed for `leaseDurationSeconds`, measured on the local clock from the last time the record was seen to
 * change (skew tolerant). The leader renews from its cached Lease (its resourceVersion makes a lost race a 409),
 * and steps down if it cannot renew within `renewDeadlineMs`. `stop()` releases the Lease (empty holder,
 * duration 1 s) so a standby takes over at once. acquireTime/renewTime are V1MicroTime (6 fractional digits).
 * Permission needed: `get`, `create`, `update` on `leases` in the Lease's namespace.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type CoordinationV1Api, type V1Lease, V1MicroTime } from '@kubernetes/client-node';
import type { Logger } from '../logger.ts';
import { JITTER_FACTOR } from './settings.ts';

export interface LeaseOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryMs: number;
}

export interface LeaderCallbacks {
  /** Called when this replica becomes the leader; `signal` aborts when it stops leading. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called after leadership ended (lost, or released on stop), once the started work should be stopped. */
  onStoppedLeading(): void | Promise<void>;
}

export interface LeaderElector {
  isLeader(): boolean;
  /** Stops campaigning; a leader stops its work and then releases the Lease. */
  stop(): Promise<void>;
}

// Defined with the settings, which check it without loading this module (and client-node) in every role.
export { JITTER_FACTOR };

/** client-go's NewLeaderElector checks. */
export function validateLeaseOptions(o: LeaseOptions): void {
  if (o.leaseDurationMs <= o.renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
  if (o.renewDeadlineMs <= o.retryMs * JITTER_FACTOR)
    throw new Error('renewDeadline must be greater than retryPeriod*JitterFactor');
  if (o.retryMs <= 0) throw new Error('retryPeriod must be greater than zero');
}

export function startLeaderElection(
  api: CoordinationV1Api,
  o: LeaseOptions,
  callbacks: LeaderCallbacks,
  log: Logger,
): LeaderElector {
  validateLeaseOptions(o);
  const stopped = new AbortController();
  let cached: V1Lease | undefined;
  let observedRecord = '';
  let observedAt = 0;
  let leading: AbortController | undefined;
  let lastRenew = 0;
  const durationSeconds = Math.max(1, Math.round(o.leaseDurationMs / 1000));
  const { namespace, name } = o;

  const spec = (old: V1Lease['spec'], now: V1MicroTime) => {
    const takeover = old?.holderIdentity !== o.identity;
    return {
      holderIdentity: o.identity,
      leaseDurationSeconds: durationSeconds,
      acquireTime: takeover || !old?.acquireTime ? now : new V1MicroTime(old.acquireTime),
      renewTime: now,
      leaseTransitions: takeover
        ? (old?.leaseTransitions ?? 0) + (old?.holderIdentity ? 1 : 0)
        : (old?.leaseTransitions ?? 0),
    };
  };

  async function tryAcquireOrRenew(): Promise<boolean> {
    const now = new V1MicroTime();
    if (leading && cached && Date.now() < lastRenew + o.leaseDurationMs) {
      try {
        cached = await api.replaceNamespacedLease({
          name,
          namespace,
          body: { ...cached, spec: spec(cached.spec, now) },
        });
        return true;
      } catch (err) {
        log.debug({ err: brief(err) }, 'lease renew fast path failed; reading the Lease');
      }
    }
    let current: V1Lease;
    try {
      current = await api.readNamespacedLease({ name, namespace });
    } catch (err) {
      if (code(err) !== 404) throw err;
      cached = await api.createNamespacedLease({
        namespace,
        body: {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name, namespace },
          spec: spec(undefined, now),
        },
      });
      return true;
    }
    const record = JSON.stringify(current.spec ?? {});
    if (record !== observedRecord) {
      observedRecord = record;
      observedAt = Date.now();
    }
    const holder = current.spec?.holderIdentity;
    const held = (current.spec?.leaseDurationSeconds ?? durationSeconds) * 1000;
    if (holder && holder !== o.identity && observedAt + held > Date.now()) return false;
    cached = await api.replaceNamespacedLease({ name, namespace, body: { ...current, spec: spec(current.spec, now) } });
    return true;
  }

  const jittered = () => o.retryMs * (1 + Math.random() * (JITTER_FACTOR - 1));
  const pause = (ms: number) => sleep(ms, undefined, { signal: stopped.signal }).catch(() => undefined);

  async function stepDown(): Promise<void> {
    const was = leading;
    leading = undefined;
    if (!was) return;
    was.abort();
    log.info({ identity: o.identity }, 'stopped leading');
    await Promise.resolve(callbacks.onStoppedLeading()).catch((err: unknown) =>
      log.warn({ err }, 'onStoppedLeading failed'),
    );
  }

  const loop = (async () => {
    while (!stopped.signal.aborted) {
      let ok = false;
      try {
        ok = await tryAcquireOrRenew();
      } catch (err) {
        log.debug({ err: brief(err) }, 'lease attempt failed');
      }
      if (stopped.signal.aborted) break;
      if (ok) {
        lastRenew = Date.now();
        if (!leading) {
          leading = new AbortController();
          log.info({ identity: o.identity, lease: `${namespace}/${name}` }, 'became the leader');
          const signal = leading.signal;
          Promise.resolve(callbacks.onStartedLeading(signal)).catch((err: unknown) => {
            log.error({ err }, 'onStartedLeading failed; stepping down');
            void stepDown();
          });
        }
      } else if (leading && Date.now() - lastRenew >= o.renewDeadlineMs) {
        log.warn({ identity: o.identity }, 'could not renew the Lease within the renew deadline');
        await stepDown();
      }
      await pause(jittered());
    }
  })();

  return {
    isLeader: () => leading !== undefined,
    async stop() {
      stopped.abort();
      await loop;
      const wasLeader = leading !== undefined;
      await stepDown();
      if (!wasLeader || !cached) return;
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          const now = new V1MicroTime();
          await api.replaceNamespacedLease({
            name,
            namespace,
            body: {
              ...cached,
              spec: { ...cached.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now, acquireTime: now },
            },
          });
          log.info('released the Lease');
          return;
        } catch (err) {
          if (code(err) !== 409) return void log.warn({ err: brief(err) }, 'could not release the Lease');
          cached = await api.readNamespacedLease({ name, namespace }).catch(() => cached);
          if (cached?.spec?.holderIdentity !== o.identity) return;
        }
      }
    },
  };
}

function code(err: unknown): number | undefined {
  const c = (err as { code?: unknown } | null)?.code;
  return typeof c === 'number' ? c : undefined;
}

function brief(err: unknown): { code?: number; message: string } {
  const c = code(err);
  return { ...(c !== undefined ? { code: c } : {}), message: String((err as Error)?.message ?? err).slice(0, 200) };
}
