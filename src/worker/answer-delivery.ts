/**
 * Delivers one job's answer to Slack exactly once across retries, re-deliveries and worker crashes: every step
 * is recorded in the delivery ledger right after Slack accepts it, and every step first looks there — a parent
 * already posted is updated, not posted again; replies continue after the last one recorded.
 *
 * Where it goes: the channel the request came from (as a thread; a re-run answers inside the original thread), or,
 * for a class whose roster says `answers: private`, straight to the DM with the requester.
 * If kvlab cannot post there (`not_in_channel`, `channel_not_found`, archived), the answer goes to a DM with the
 * requester; if that fails too, to the request's `response_url` (ephemeral, at most 5 posts, no edits).
 * Remaining gap: a crash in the instant between Slack's answer and the ledger write repeats that one message.
 */

import type { Logger } from '../logger.ts';
import { ChatDeliveryError, type ChatPoster } from '../ports/chat-poster.ts';
import type { DiagnosisJob } from '../ports/diagnosis-queue.ts';
import type { DeliveryLedger, DeliveryRecord } from '../queue/delivery-ledger.ts';
import type { SlackMessage } from '../slack/messages.ts';

/** Posts a response_url accepts in all (Slack: 5 within 30 minutes); a re-run's click already used one. */
const RESPONSE_URL_POSTS = 5;

export interface AnswerDeliveryDeps {
  poster: ChatPoster;
  ledger: DeliveryLedger;
  log: Logger;
}

export interface AnswerDelivery {
  record(): DeliveryRecord;
  /** Shows the progress parent, unless this job already has one (or can only answer by response_url). */
  start(progress: SlackMessage): Promise<void>;
  /** Best effort: edits the progress parent while checks run. Never throws; a failed edit is only logged. */
  progress(message: SlackMessage): Promise<void>;
  /** After `start`: puts the final parent in place and posts the replies not yet posted, in order. */
  finish(parent: SlackMessage, replies: SlackMessage[]): Promise<void>;
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

  /** A new top-level answer: the request's channel (or its thread for a re-run), else a DM, else response_url. */
  const postParent = async (message: SlackMessage): Promise<void> => {
    const { channel, user } = job.requester;
    try {
      if (job.private && !job.threadTs) throw new ChatDeliveryError('private_answers', 'unreachable', 'private class');
      const posted = await poster.post(channel, message, job.threadTs ? { threadTs: job.threadTs } : {});
      return save({
        route: 'channel',
        channel: posted.channel,
        parentTs: posted.ts,
        threadTs: job.threadTs ?? posted.ts,
      });
    } catch (err) {
      if (!(err instanceof ChatDeliveryError) || err.failure !== 'unreachable') throw err;
      if (err.slackError !== 'private_answers')
        log.info({ slackError: err.slackError, channel }, 'cannot post in the channel; answering by DM');
    }
    try {
      const dm = await poster.openDm(user);
      const posted = await poster.post(dm, message);
      return save({ route: 'dm', channel: posted.channel, parentTs: posted.ts, threadTs: posted.ts });
    } catch (err) {
      if (!(err instanceof ChatDeliveryError) || err.failure === 'transient') throw err;
      if (!job.requester.responseUrl) throw err;
      log.info({ slackError: err.slackError }, 'cannot open a DM either; answering through the response_url');
      return save({ route: 'response_url' });
    }
  };

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

  return {
    record: () => record,

    async start(progress) {
      if (record.parentTs || record.route === 'response_url') return;
      await postParent(progress);
    },

    async progress(message) {
      if (record.final || !record.parentTs || record.route === 'response_url') return;
      try {
        await poster.update(record.channel as string, record.parentTs, message);
      } catch (err) {
        log.debug({ err }, 'progress update failed; the final answer will replace it');
      }
    },

    async finish(parent, replies) {
      if (record.route === 'response_url') {
        const budget = RESPONSE_URL_POSTS - (job.origin === 'rerun' ? 1 : 0);
        if (!record.final) {
          if (!(await respond(parent))) return save({ final: true, replies: replies.length });
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
          const posted = await poster.post(record.channel as string, parent, thread ? { threadTs: thread } : {});
          await save({ parentTs: posted.ts, threadTs: thread ?? posted.ts });
        }
        await save({ final: true });
      }
      for (let i = record.replies; i < replies.length; i++) {
        await poster.post(record.channel as string, replies[i] as SlackMessage, {
          threadTs: record.threadTs as string,
        });
        await save({ replies: i + 1 });
      }
    },
  };
}
