/**
 * What a job has already put into Slack, remembered in Redis per job id, so that a retried, re-delivered or
 * stalled-and-resumed job (another worker after a SIGKILL) updates and continues instead of posting again:
 * the parent message's channel and ts, whether it already shows the result, and how many thread replies are out.
 * Each field is written right after Slack accepted the message it records. Also keeps the finished report (it
 * holds no secret values, only names, statuses and KB text) for the "Show all checks" button.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import type { DiagnosisReport } from '../../diagnostics/types.ts';
import type { DeliveryLedger, DeliveryRoute } from '../ports/delivery-ledger.ts';
import type { RedisKeys } from './redis.ts';

export type { DeliveryLedger, DeliveryRecord, DeliveryRoute } from '../ports/delivery-ledger.ts';

/** How long a job's record and report are kept: long enough for "Show all checks" on yesterday's answer. */
export const LEDGER_TTL_SECONDS = 3 * 24 * 3600;

export function createDeliveryLedger(redis: Redis, keys: RedisKeys): DeliveryLedger {
  return {
    async get(jobId) {
      const h = await redis.hgetall(keys.ledger(jobId));
      return {
        ...(h.channel ? { channel: h.channel } : {}),
        ...(h.route ? { route: h.route as DeliveryRoute } : {}),
        ...(h.parentTs ? { parentTs: h.parentTs } : {}),
        ...(h.threadTs ? { threadTs: h.threadTs } : {}),
        final: h.final === '1',
        replies: Number(h.replies ?? 0),
        ...(h.verdictNoticed === '1' ? { verdictNoticed: true } : {}),
      };
    },
    async set(jobId, patch) {
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined) continue;
        fields[k] = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
      }
      const key = keys.ledger(jobId);
      await execAll(redis.multi().hset(key, fields).expire(key, LEDGER_TTL_SECONDS));
    },
    async saveReport(jobId, report) {
      const key = keys.ledger(jobId);
      await execAll(redis.multi().hset(key, 'report', JSON.stringify(report)).expire(key, LEDGER_TTL_SECONDS));
    },
    async report(jobId) {
      const json = await redis.hget(keys.ledger(jobId), 'report');
      return json ? (JSON.parse(json) as DiagnosisReport) : undefined;
    },
  };
}

/** Runs a MULTI and throws the first command error (ioredis reports them per command, not as a rejection). */
async function execAll(multi: ChainableCommander): Promise<void> {
  const results = await multi.exec();
  const failed = results?.find(([err]) => err);
  if (!results || failed) throw failed?.[0] ?? new Error('Redis discarded the transaction');
}
