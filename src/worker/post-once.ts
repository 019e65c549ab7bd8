/**
 * One message of an answer posted at most once (src/worker/answer-delivery.ts has the whole story): claimed in the
 * delivery ledger right before it goes out (after the channel's pace), settled right after Slack accepted it; a run
 * that meets another run's live claim waits its turn, and one that meets a claim never settled — or whose own try's
 * answer was lost — first looks for the message in Slack by its metadata key (`{job, step}`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.ts';
import { ChatDeliveryError, type ChatPoster, type PostedMessage, type PostOptions } from '../ports/chat-poster.ts';
import type { DeliveryLedger, DeliveryRecord, StepClaim } from '../ports/delivery-ledger.ts';

/**
 * How long a claim on one message stands unsettled: longer than one chat.postMessage can take (4 tries of at most
 * 10 s each, the looks in between), so a live run is never overtaken, short enough for a crashed one's successor.
 */
export const CLAIM_LEASE_MS = 60_000;

/** Another run of this job posted the message: the record was read again. */
class StepSettled extends Error {}

export interface StepPosterDeps {
  jobId: string;
  /** This run of the job, as the ledger's claims name it. */
  owner: string;
  ledger: DeliveryLedger;
  poster: ChatPoster;
  log: Logger;
  /** Another run posted the step: read the record again. */
  reload(): Promise<void>;
  /** What Slack accepted, now in the ledger. */
  recorded(patch: Partial<DeliveryRecord>): void;
}

export function createStepPoster(deps: StepPosterDeps) {
  const { jobId, owner, ledger, poster, log, reload, recorded } = deps;

  /**
   * Posts one new message of the answer at most once (the top of this file says how): `send` posts it with the given
   * options, `where` says where to look for it in Slack. The message, or `settled` when another run posted it
   * (the record is read again), or undefined when `send` posted nothing (no free slot).
   */
  const postStep = async (
    step: Pick<StepClaim, 'step' | 'expect'>,
    where: { channel: string; threadTs?: string },
    send: (options: PostOptions) => Promise<PostedMessage | undefined>,
    settle: (posted: PostedMessage) => Partial<DeliveryRecord>,
  ): Promise<PostedMessage | 'settled' | undefined> => {
    const key = { job: jobId, step: step.step };
    const before = async ({ unsure }: { unsure: boolean }): Promise<PostedMessage | undefined> => {
      for (;;) {
        const claim = await ledger.claim(jobId, { ...step, owner, leaseMs: CLAIM_LEASE_MS });
        if (claim.state === 'done') throw new StepSettled();
        if (claim.state === 'busy') {
          log.debug(
            { step: step.step, waitMs: claim.waitMs },
            'another run of this job is posting this message; waiting',
          );
          await sleep(Math.min(claim.waitMs, 250));
          continue;
        }
        if (claim.state === 'claimed' && !unsure) return undefined;
        const found = await lookFor(key, where, claim.since);
        if (found) log.info({ step: step.step, ts: found.ts }, 'the message is already in Slack; not posting it again');
        return found;
      }
    };
    let posted: PostedMessage | undefined;
    try {
      posted = await send({ ...(where.threadTs ? { threadTs: where.threadTs } : {}), key, before });
    } catch (err) {
      if (err instanceof StepSettled) {
        await reload();
        return 'settled';
      }
      await ledger.release(jobId, owner, 'maybe').catch(() => {});
      throw err;
    }
    if (!posted) {
      await ledger.release(jobId, owner, 'no');
      return undefined;
    }
    const patch = settle(posted);
    try {
      await ledger.settle(jobId, owner, patch);
    } catch (err) {
      // Posted but not recorded: the next run finds the claim unsettled and looks in Slack first, at once.
      await ledger.release(jobId, owner, 'maybe').catch(() => {});
      throw err;
    }
    recorded(patch);
    return posted;
  };

  /** The message with `key` if Slack has it; undefined if not, or if kvlab may not read the conversation. */
  const lookFor = async (
    key: { job: string; step: string },
    where: { channel: string; threadTs?: string },
    sinceMs: number,
  ): Promise<PostedMessage | undefined> => {
    if (!poster.findPosted) return undefined;
    try {
      // A minute of slack for the clocks of Redis and Slack; the key tells the message apart.
      return await poster.findPosted(where.channel, key, {
        ...(where.threadTs ? { threadTs: where.threadTs } : { sinceMs: sinceMs - 60_000 }),
      });
    } catch (err) {
      if (!(err instanceof ChatDeliveryError) || err.failure === 'transient') throw err;
      log.warn(
        { slackError: err.slackError, step: key.step },
        'cannot read the conversation to check for a message whose answer was lost (history scopes?); posting it',
      );
      return undefined;
    }
  };

  return { postStep };
}
