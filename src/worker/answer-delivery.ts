/**
 * Delivers one job's answer to Slack exactly once across retries, re-deliveries and worker crashes: every step
 * is recorded in the delivery ledger right after Slack accepts it, and every step first looks there — a parent
 * already posted is updated, not posted again; replies continue after the last one recorded.
 * Each new message is claimed in the ledger right before it goes out (after the channel's pace) and settled right
 * after: two runs of one job at once — a stalled job handed on while its first run still lives (a lock not renewed
 * in time on a loaded machine) — take turns per message instead of both posting it; and a run that meets a claim
 * never settled (Slack's answer lost, a crash or a Redis error right after the post) or whose own try's answer was
 * lost first looks for the message in Slack by its metadata key (`{job, step}`), as a careful client does, since
 * Slack has no idempotency key. Without the history scopes it cannot look, says so, and posts (at least once).
 *
 * Two halves (issue 12): the diagnosis worker shows the verdict without ever waiting for the channel's pace — it
 * edits the progress parent, or posts the parent when the channel has a free slot right now, or else shows the
 * asker their verdict through the response_url — and the delivery worker (src/worker/delivery-processor.ts) then
 * posts what is left, parent and replies, in the channel's turn.
 *
 * Where it goes: the channel the request came from (as a thread; a re-run answers inside the original thread), or,
 * for a class whose roster says `answers: private`, straight to the DM with the requester.
 * If kvlab cannot post there (`not_in_channel`, `channel_not_found`, archived), the answer goes to a DM with the
 * requester; if that fails too, to the request's `response_url` (ephemeral, at most 5 posts, no edits).
 * Remaining gaps: a run paused longer than {@link CLAIM_LEASE_MS} between its claim and its post (another run takes
 * the claim over, finds nothing, posts); and response_url answers, which Slack never lets anyone read back.
 */
import { randomUUID } from 'node:crypto';

import type { Logger } from '../logger.ts';
import { ChatDeliveryError, type ChatPoster, type PostedMessage } from '../ports/chat-poster.ts';
import type { DiagnosisJob } from '../ports/diagnosis-queue.ts';
import type { DeliveryLedger, DeliveryRecord } from '../queue/delivery-ledger.ts';
import type { SlackMessage } from '../slack/messages.ts';
import { renderAnsweredPrivately } from '../slack/render-verdict.ts';
import { CLAIM_LEASE_MS, createStepPoster } from './post-once.ts';

/** Posts a response_url accepts in all (Slack: 5 within 30 minutes); a re-run's click already used one. */
const RESPONSE_URL_POSTS = 5;

export interface AnswerDeliveryDeps {
  poster: ChatPoster;
  ledger: DeliveryLedger;
  log: Logger;
}

export interface AnswerDelivery {
  record(): DeliveryRecord;
  /** Shows the progress parent only when it costs no wait (a free slot in the channel right now), and only once. */
  startIfFree(progress: SlackMessage): Promise<void>;
  /** Best effort: edits the progress parent while checks run. Never throws; a failed edit is only logged. */
  progress(message: SlackMessage): Promise<void>;
  /**
   * Shows the verdict without waiting for the channel: `parent` when the parent shows it (the progress parent
   * edited, or posted now in a free slot), `notice` when the asker got `notice` through the response_url, `none`
   * when neither could be done (the threaded answer still follows).
   */
  showVerdict(
    parent: SlackMessage,
    notice: (where: 'thread' | 'dm') => SlackMessage,
  ): Promise<'parent' | 'notice' | 'none'>;
  /** From now on the answer goes to the asker alone (response_url); a progress parent in the channel says so. */
  answerPrivately(): Promise<void>;
  /**
   * Posts the parent if this job has none yet, waiting for the channel's turn (or finds it can only answer by
   * response_url). `final`: the message already shows the result.
   */
  start(parent: SlackMessage, options?: { final?: boolean }): Promise<void>;
  /**
   * After `start`: puts the final parent in place and posts the replies not yet posted, in order. `privately`:
   * the parent to send instead when the answer goes through the response_url (its replies are not a thread).
   */
  finish(parent: SlackMessage, replies: SlackMessage[], privately?: SlackMessage): Promise<void>;
}

export async function openAnswerDelivery(
  deps: AnswerDeliveryDeps,
  jobId: string,
  job: DiagnosisJob,
): Promise<AnswerDelivery> {
  const { poster, ledger, log } = deps;
  let record = await ledger.get(jobId);
  const save = async (patch: Partial<DeliveryRecord>) => {
    await ledger.set(jobId, patch);
    record = { ...record, ...patch };
  };
  /** This run of the job, as the ledger's claims name it. */
  const owner = randomUUID();

  const { postStep } = createStepPoster({
    jobId,
    owner,
    ledger,
    poster,
    log,
    reload: async () => {
      record = await ledger.get(jobId);
    },
    recorded: (patch) => {
      record = { ...record, ...patch };
    },
  });

  /**
   * A new top-level answer: the request's channel (or its thread for a re-run), else a DM, else response_url.
   * `ifFree`: only if the conversation has a slot right now; false when nothing was posted for that reason;
   * `settled` when another run of this job posted a parent meanwhile (not necessarily this message).
   */
  const postParent = async (message: SlackMessage, ifFree = false): Promise<boolean | 'settled'> => {
    const { channel, user } = job.requester;
    const send = (to: string, threadTs: string | undefined, settle: (p: PostedMessage) => Partial<DeliveryRecord>) =>
      postStep(
        { step: 'parent', expect: ['parentTs', ''] },
        { channel: to, ...(threadTs ? { threadTs } : {}) },
        (options) =>
          ifFree
            ? (poster.postIfFree?.(to, message, options) ?? Promise.resolve(undefined))
            : poster.post(to, message, options),
        settle,
      );
    if (record.route !== 'dm') {
      try {
        if (job.private && !job.threadTs)
          throw new ChatDeliveryError('private_answers', 'unreachable', 'private class');
        const posted = await send(channel, job.threadTs, (p) => ({
          route: 'channel',
          channel: p.channel,
          parentTs: p.ts,
          threadTs: job.threadTs ?? p.ts,
        }));
        return posted === 'settled' ? posted : posted !== undefined;
      } catch (err) {
        if (!(err instanceof ChatDeliveryError) || err.failure !== 'unreachable') throw err;
        if (err.slackError !== 'private_answers')
          log.info({ slackError: err.slackError, channel }, 'cannot post in the channel; answering by DM');
      }
    }
    try {
      const dm = record.route === 'dm' && record.channel ? record.channel : await poster.openDm(user);
      if (record.route !== 'dm') await save({ route: 'dm', channel: dm });
      const posted = await send(dm, undefined, (p) => ({ channel: p.channel, parentTs: p.ts, threadTs: p.ts }));
      return posted === 'settled' ? posted : posted !== undefined;
    } catch (err) {
      if (!(err instanceof ChatDeliveryError) || err.failure === 'transient') throw err;
      if (!job.requester.responseUrl) throw err;
      log.info({ slackError: err.slackError }, 'cannot open a DM either; answering through the response_url');
      await save({ route: 'response_url' });
      return true;
    }
  };

  /** The route as the ledger has it now (TypeScript cannot see `postParent` change it). */
  const routeNow = (): DeliveryRecord['route'] => record.route;

  /** True while the response_url may still be used; a refusal (expired, used up) ends the answer quietly. */
  const respond = async (message: SlackMessage): Promise<boolean> => {
    const url = job.requester.responseUrl;
    if (!url) return false;
    try {
      await poster.respond(url, message);
      return true;
    } catch (err) {
      if (err instanceof ChatDeliveryError && err.failure === 'gone') {
        log.warn({ slackError: err.slackError }, 'the response_url no longer accepts answers; the rest is dropped');
        return false;
      }
      throw err;
    }
  };

  const delivery: AnswerDelivery = {
    record: () => record,

    async startIfFree(progress) {
      if (record.parentTs || record.route === 'response_url') return;
      await postParent(progress, true);
    },

    async progress(message) {
      if (record.final || !record.parentTs || record.route === 'response_url') return;
      try {
        await poster.update(record.channel as string, record.parentTs, message);
      } catch (err) {
        log.debug({ err }, 'progress update failed; the final answer will replace it');
      }
    },

    async showVerdict(parent, notice) {
      if (record.final) return 'parent';
      if (record.route === 'response_url') return 'none';
      if (record.parentTs) {
        try {
          await poster.update(record.channel as string, record.parentTs, parent);
          await save({ final: true });
          return 'parent';
        } catch (err) {
          if (!(err instanceof ChatDeliveryError) || err.failure !== 'gone') throw err;
          log.info({ slackError: err.slackError }, 'the progress message is gone; the answer is posted anew in turn');
        }
      } else {
        const posted = await postParent(parent, true);
        // Another run posted a parent meanwhile (its progress, perhaps): show the verdict in that one.
        if (posted === 'settled') return delivery.showVerdict(parent, notice);
        if (posted) {
          if (routeNow() === 'response_url') return 'none';
          await save({ final: true });
          return 'parent';
        }
      }
      if (record.verdictNoticed) return 'notice';
      // Claimed like a message: two runs of one job (a stalled job handed on) must not both notice. A response_url
      // message cannot be looked for afterwards, so a claim left unsettled counts as noticed — a head start may be
      // lost, never doubled.
      const claim = await ledger.claim(jobId, {
        step: 'notice',
        owner,
        leaseMs: CLAIM_LEASE_MS,
        expect: ['verdictNoticed', ''],
      });
      if (claim.state === 'done' || claim.state === 'busy') return 'notice';
      if (claim.state === 'unconfirmed') {
        await ledger.settle(jobId, owner, { verdictNoticed: true });
        record = { ...record, verdictNoticed: true };
        return 'notice';
      }
      const where = record.route === 'dm' || (job.private && !job.threadTs) ? 'dm' : 'thread';
      try {
        if (!(await respond(notice(where)))) {
          await ledger.release(jobId, owner, 'no');
          return 'none';
        }
      } catch (err) {
        await ledger.release(jobId, owner, 'maybe').catch(() => {});
        // Only a head start is lost: the threaded answer still comes.
        log.warn({ err }, 'could not show the verdict through the response_url; the thread will');
        return 'none';
      }
      await ledger.settle(jobId, owner, { verdictNoticed: true });
      record = { ...record, verdictNoticed: true };
      return 'notice';
    },

    async answerPrivately() {
      if (record.route === 'response_url' || !job.requester.responseUrl) return;
      if (record.parentTs && record.route === 'channel' && !record.final) {
        try {
          await poster.update(record.channel as string, record.parentTs, renderAnsweredPrivately());
        } catch (err) {
          log.warn({ err }, 'could not replace the progress message; the answer still goes privately');
        }
      }
      await save({ route: 'response_url' });
    },

    async start(parent, { final = false } = {}) {
      if (record.parentTs || record.route === 'response_url') return;
      // A parent another run posted meanwhile stays as it is; `finish` edits it if it is not final.
      if ((await postParent(parent)) === 'settled') return;
      if (final && routeNow() !== 'response_url') await save({ final: true });
    },

    async finish(parent, replies, privately) {
      if (record.route === 'response_url') {
        const budget = RESPONSE_URL_POSTS - (job.origin === 'rerun' ? 1 : 0) - (record.verdictNoticed ? 1 : 0);
        if (!record.final) {
          if (!(await respond(privately ?? parent))) return save({ final: true, replies: replies.length });
          await save({ final: true });
        }
        for (let i = record.replies; i < replies.length; i++) {
          const reply = replies[i] as SlackMessage;
          if (i + 1 >= budget || !(await respond(reply))) return save({ replies: replies.length });
          await save({ replies: i + 1 });
        }
        return;
      }
      if (!record.final) {
        try {
          await poster.update(record.channel as string, record.parentTs as string, parent);
        } catch (err) {
          if (!(err instanceof ChatDeliveryError) || err.failure !== 'gone') throw err;
          log.info({ slackError: err.slackError }, 'the progress message is gone; posting the answer anew');
          const thread = record.route === 'channel' ? job.threadTs : undefined;
          const gone = record.parentTs as string;
          await postStep(
            { step: `parent:${gone}`, expect: ['parentTs', gone] },
            { channel: record.channel as string, ...(thread ? { threadTs: thread } : {}) },
            (options) => poster.post(record.channel as string, parent, options),
            (p) => ({ parentTs: p.ts, threadTs: thread ?? p.ts }),
          );
        }
        await save({ final: true });
      }
      while (record.replies < replies.length) {
        const i = record.replies;
        const channel = record.channel as string;
        await postStep(
          { step: `reply:${i}`, expect: ['replies', String(i)] },
          { channel, threadTs: record.threadTs as string },
          (options) => poster.post(channel, replies[i] as SlackMessage, options),
          () => ({ replies: i + 1 }),
        );
      }
    },
  };
  return delivery;
}
