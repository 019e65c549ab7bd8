/**
 * What a job has already put into Slack, remembered in Redis per job id, so that a retried, re-delivered or
 * stalled-and-resumed job (another worker after a SIGKILL) updates and continues instead of posting again:
 * the parent message's channel and ts, whether it already shows the result, and how many thread replies are out.
 * Each field is written right after Slack accepted the message it records; before each message, a claim
 * (`pendingStep`, its owner, when, and until when it stands) is written atomically, so two runs of one job (a stalled
 * job handed on while its first run still lives) never post the same message, and a run after a post whose answer
 * never arrived knows to look in Slack first. Also keeps the finished report (it
 * holds no secret values, only names, statuses and KB text) for the "Show all checks" button.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import type { DiagnosisReport } from '../../diagnostics/types.ts';
import type { ClaimResult, DeliveryLedger, DeliveryRecord, DeliveryRoute } from '../ports/delivery-ledger.ts';
import type { RedisKeys } from './redis.ts';

export type { DeliveryLedger, DeliveryRecord, DeliveryRoute } from '../ports/delivery-ledger.ts';

/** How long a job's record and report are kept: long enough for "Show all checks" on yesterday's answer. */
export const LEDGER_TTL_SECONDS = 3 * 24 * 3600;

/** The claim fields: which step, whose, claimed when and standing until when (Redis ms). */
const CLAIM = `
local key = KEYS[1]
local step, owner, lease, field, want, default = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5], ARGV[6]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if (redis.call('HGET', key, field) or default) ~= want then return {'done', 0} end
local cur = redis.call('HGET', key, 'pendingStep')
local by = redis.call('HGET', key, 'pendingBy')
local at = tonumber(redis.call('HGET', key, 'pendingAt') or '0')
local untl = tonumber(redis.call('HGET', key, 'pendingUntil') or '0')
if cur and by ~= owner and now < untl then return {'busy', untl - now} end
local since = now
local state = 'claimed'
if cur == step and by ~= owner then state = 'unconfirmed'; since = at end
if cur == step and by == owner then since = at end
redis.call('HSET', key, 'pendingStep', step, 'pendingBy', owner, 'pendingAt', since, 'pendingUntil', now + lease)
redis.call('EXPIRE', key, ARGV[7])
return {state, since}
`;

/** HSETs the patch (ARGV[3..]) and ends the claim if it is still ARGV[1]'s; ARGV[2] 'maybe'/'no' only releases. */
const SETTLE = `
local key = KEYS[1]
local mine = redis.call('HGET', key, 'pendingBy') == ARGV[1]
if ARGV[2] == 'maybe' then
  if mine then redis.call('HSET', key, 'pendingUntil', 0) end
  return 0
end
if #ARGV > 3 then redis.call('HSET', key, unpack(ARGV, 4)) end
if mine then redis.call('HDEL', key, 'pendingStep', 'pendingBy', 'pendingAt', 'pendingUntil') end
if ARGV[3] ~= '' then redis.call('EXPIRE', key, ARGV[3]) end
return 1
`;

function fieldsOf(patch: Partial<DeliveryRecord>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    fields[k] = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
  }
  return fields;
}

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
      const key = keys.ledger(jobId);
      await execAll(redis.multi().hset(key, fieldsOf(patch)).expire(key, LEDGER_TTL_SECONDS));
    },
    async claim(jobId, { step, owner, leaseMs, expect }) {
      const [field, want] = expect;
      const [state, n] = (await redis.eval(
        CLAIM,
        1,
        keys.ledger(jobId),
        step,
        owner,
        Math.max(1, Math.round(leaseMs)),
        field,
        want,
        field === 'replies' ? '0' : '',
        LEDGER_TTL_SECONDS,
      )) as [string, number];
      if (state === 'done') return { state };
      if (state === 'busy') return { state, waitMs: Number(n) };
      return { state: state as 'claimed' | 'unconfirmed', since: Number(n) } satisfies ClaimResult;
    },
    async settle(jobId, owner, patch) {
      const flat = Object.entries(fieldsOf(patch)).flat();
      await redis.eval(SETTLE, 1, keys.ledger(jobId), owner, 'settle', LEDGER_TTL_SECONDS, ...flat);
    },
    async release(jobId, owner, posted) {
      await redis.eval(SETTLE, 1, keys.ledger(jobId), owner, posted === 'maybe' ? 'maybe' : 'no', '');
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
