/**
 * Records what the channel pacer (src/queue/channel-pacer.ts) decided, on Redis's clock, so pace tests assert the
 * pacer's decisions rather than how fast this machine ran them. The pacer gets a stand-in for its Redis connection
 * that runs the pacer's own script on a real connection, in one MULTI with Redis's TIME just before it, so each
 * record is that reservation's answer and the moment it was given, whatever else runs at the same time.
 */
import type { Redis } from 'ioredis';

export interface Reservation {
  /** The pacer that asked (index into the connections passed to {@link pacerConnections}). */
  by: number;
  /** The channel's pace key (`redisKeys(prefix).pace(channel)`). */
  key: string;
  mode: 'wait' | 'now';
  /** Redis's time (ms) just before the script ran; the script reads its own `now` a moment later. */
  at: number;
  /** What the script returned: the milliseconds the message must wait; -1 for a `tryNow` with no free slot. */
  wait: number;
  /**
   * When the pacer lets the message go, on Redis's clock (`at + wait`; up to 1 ms early, as `at` is read just before
   * the script's own clock). Undefined when nothing was reserved.
   */
  slot?: number;
}

/** One recording stand-in per real connection (a pacer each; `by` is its index), and the log they all write. */
export function pacerConnections(connections: Redis[]) {
  const log: Reservation[] = [];
  const recording = connections.map(
    (conn, by) =>
      ({
        async eval(script: string, numKeys: number, key: string, ...args: Array<string | number>) {
          const replies = await conn
            .multi()
            .time()
            .eval(script, numKeys, key, ...args)
            .get(key)
            .exec();
          if (!replies) throw new Error('pace MULTI aborted');
          for (const [err] of replies) if (err) throw err;
          const [time, result] = replies.map(([, value]) => value);
          const [seconds, micros] = time as [string, string];
          const wait = Number(result);
          const mode = args[2] === 'now' ? 'now' : 'wait';
          const at = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
          log.push({ by, key, mode, at, wait, slot: wait >= 0 ? at + wait : undefined });
          return wait;
        },
      }) as unknown as Redis,
  );
  return { log, recording };
}

/** Redis's clock now (ms), to compare when a waiting message went with the slot the pacer gave it. */
export async function redisNow(redis: Redis): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}
