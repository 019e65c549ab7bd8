/**
 * Keeps kvlab's messages in one Slack channel near Slack's pace, across every worker process: `chat.postMessage`
 * allows about one message per second per channel, with short bursts (docs/wire-notes.md §5.6). A GCRA token bucket in
 * Redis — `burst` messages at once, then one per `gapMs` — reserves each message's slot atomically (using Redis's
 * clock, so workers need not agree on time). Two ways to use it: wait for the next slot (the delivery worker, whose
 * waits are cheap timers), or take a slot only if one is free right now (`tryNow`: a diagnosis posting its parent
 * itself when the channel is quiet, never waiting). With `gapMs` 0 every slot is free.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { RedisKeys } from './redis.ts';

/**
 * GCRA with reservations: TAT (theoretical arrival time) advances by `gap` per message; a message may go at
 * TAT − burst·gap. Mode `wait` always reserves and returns how long the caller must wait (ms); mode `now` reserves
 * only when the slot is free now (nobody queued ahead) and returns 0, else reserves nothing and returns -1.
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local gap = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now) + gap
local wait = math.max(0, tat - burst * gap - now)
if ARGV[3] == 'now' and wait > 0 then return -1 end
redis.call('SET', KEYS[1], tat, 'PX', tat - now + gap)
return wait
`;

export interface ChannelPacer {
  /** Reserves the channel's next slot and waits until it comes. */
  (channel: string): Promise<void>;
  /** Reserves a slot only if one is free right now; false, with nothing reserved, when messages are queued ahead. */
  tryNow(channel: string): Promise<boolean>;
}

export function createChannelPacer(redis: Redis, keys: RedisKeys, gapMs: number, burst = 1): ChannelPacer {
  const size = Math.max(1, burst);
  const wait = async (channel: string) => {
    if (gapMs <= 0) return;
    const ms = Number(await redis.eval(RESERVE, 1, keys.pace(channel), gapMs, size, 'wait'));
    if (ms > 0) await sleep(ms);
  };
  const tryNow = async (channel: string) =>
    gapMs <= 0 || Number(await redis.eval(RESERVE, 1, keys.pace(channel), gapMs, size, 'now')) === 0;
  return Object.assign(wait, { tryNow });
}
