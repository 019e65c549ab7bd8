/**
 * Keeps kvlab's messages in one Slack channel near Slack's pace, across every worker process: `chat.postMessage`
 * allows about one message per second per channel, with short bursts (docs/wire-notes.md §5.6). A GCRA token bucket in
 * Redis — `burst` messages at once, then one per `gapMs` — reserves each message's slot atomically (using Redis's
 * clock, so workers need not agree on time), and the caller sleeps until its slot. With `gapMs` 0 it does nothing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { RedisKeys } from './redis.ts';

/**
 * GCRA with reservations: TAT (theoretical arrival time) advances by `gap` per message; a message may go at
 * TAT − burst·gap. Returns how long the caller must wait (ms).
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local gap = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now) + gap
redis.call('SET', KEYS[1], tat, 'PX', tat - now + gap)
return math.max(0, tat - burst * gap - now)
`;

export type ChannelPacer = (channel: string) => Promise<void>;

export function createChannelPacer(redis: Redis, keys: RedisKeys, gapMs: number, burst = 1): ChannelPacer {
  return async (channel) => {
    if (gapMs <= 0) return;
    const wait = Number(await redis.eval(RESERVE, 1, keys.pace(channel), gapMs, Math.max(1, burst)));
    if (wait > 0) await sleep(wait);
  };
}
