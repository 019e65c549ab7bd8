/**
 * Alerts in Redis, so a restart or a failover re-alerts nothing and still resolves what it opened. One hash per
 * alert, `<prefix>:alert:<cluster>:<id>`, with two owners that never write each other's fields:
 * - the watcher writes `state` (the JSON of {@link AlertState});
 * - the worker writes where the parent went (`channel`, `ts`), the job that diagnosed it (`jobId`), `posted`
 *   once the parent shows the diagnosis, and the student DM (`dmChannel`, `dmTs`).
 * An index set `<prefix>:alerts:<cluster>` lists the ids. TTLs: an unresolved alert lives OPEN_TTL (refreshed at
 * every write); a resolved one as long as the re-open window, then it and its message are forgotten.
 * Mutes are a sorted set `<prefix>:alert-mutes:<cluster>` of `namespace/pod` scored by their end (epoch ms).
 */
import type { Redis } from 'ioredis';
import type { AlertState } from './alert-model.ts';

/** An unresolved alert not touched for this long is dropped (a cluster gone, a roster changed). */
export const OPEN_TTL_SECONDS = 14 * 24 * 3600;

export interface AlertKeys {
  alert: (id: string) => string;
  index: string;
  mutes: string;
}

export function alertKeys(prefix: string, cluster: string): AlertKeys {
  return {
    alert: (id) => `${prefix}:alert:${cluster}:${id}`,
    index: `${prefix}:alerts:${cluster}`,
    mutes: `${prefix}:alert-mutes:${cluster}`,
  };
}

/** What the worker recorded about an alert's messages. */
export interface AlertDelivery {
  channel?: string;
  ts?: string;
  jobId?: string;
  posted: boolean;
  dmChannel?: string;
  dmTs?: string;
}

export interface AlertStore {
  loadAll(): Promise<AlertState[]>;
  load(id: string): Promise<AlertState | undefined>;
  save(alerts: AlertState[], reopenSeconds: number): Promise<void>;
  remove(ids: string[]): Promise<void>;
  delivery(id: string): Promise<AlertDelivery>;
  setDelivery(id: string, patch: Partial<AlertDelivery>): Promise<void>;
  mute(namespace: string, pod: string, untilMs: number): Promise<void>;
  mutes(nowMs: number): Promise<Map<string, number>>;
}

export function createAlertStore(redis: Redis, keys: AlertKeys): AlertStore {
  return {
    async loadAll() {
      const ids = await redis.smembers(keys.index);
      const out: AlertState[] = [];
      const gone: string[] = [];
      for (let i = 0; i < ids.length; i += 200) {
        const batch = ids.slice(i, i + 200);
        const pipe = redis.pipeline();
        for (const id of batch) pipe.hget(keys.alert(id), 'state');
        const results = (await pipe.exec()) ?? [];
        results.forEach(([err, json], j) => {
          if (err) throw err;
          if (typeof json === 'string') out.push(JSON.parse(json) as AlertState);
          else gone.push(batch[j] as string);
        });
      }
      if (gone.length) await redis.srem(keys.index, ...gone);
      return out;
    },
    async load(id) {
      const json = await redis.hget(keys.alert(id), 'state');
      return json ? (JSON.parse(json) as AlertState) : undefined;
    },
    async save(alerts, reopenSeconds) {
      if (!alerts.length) return;
      const pipe = redis.multi();
      for (const a of alerts) {
        const key = keys.alert(a.id);
        pipe.hset(key, 'state', JSON.stringify(a));
        pipe.expire(key, a.status === 'resolved' ? Math.max(60, Math.ceil(reopenSeconds)) : OPEN_TTL_SECONDS);
      }
      pipe.sadd(keys.index, ...alerts.map((a) => a.id));
      pipe.expire(keys.index, OPEN_TTL_SECONDS);
      await pipe.exec();
    },
    async remove(ids) {
      if (!ids.length) return;
      await redis
        .multi()
        .del(...ids.map((id) => keys.alert(id)))
        .srem(keys.index, ...ids)
        .exec();
    },
    async delivery(id) {
      const [channel, ts, jobId, posted, dmChannel, dmTs] = await redis.hmget(
        keys.alert(id),
        'channel',
        'ts',
        'jobId',
        'posted',
        'dmChannel',
        'dmTs',
      );
      return {
        ...(channel ? { channel } : {}),
        ...(ts ? { ts } : {}),
        ...(jobId ? { jobId } : {}),
        posted: posted === '1',
        ...(dmChannel ? { dmChannel } : {}),
        ...(dmTs ? { dmTs } : {}),
      };
    },
    async setDelivery(id, patch) {
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries(patch)) {
        if (v !== undefined) fields[k] = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
      }
      if (Object.keys(fields).length) await redis.hset(keys.alert(id), fields);
    },
    async mute(namespace, pod, untilMs) {
      await redis.multi().zadd(keys.mutes, untilMs, `${namespace}/${pod}`).expire(keys.mutes, OPEN_TTL_SECONDS).exec();
    },
    async mutes(nowMs) {
      const flat = await redis.zrangebyscore(keys.mutes, nowMs, '+inf', 'WITHSCORES');
      const out = new Map<string, number>();
      for (let i = 0; i + 1 < flat.length; i += 2) out.set(flat[i] as string, Number(flat[i + 1]));
      return out;
    },
  };
}
