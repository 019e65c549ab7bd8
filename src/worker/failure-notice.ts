/**
 * When a job fails for good (no attempts left, or an unrecoverable error), the person who asked still deserves
 * an answer: the progress message is replaced with a short notice, or, without one, the response_url gets it.
 * Best effort — if Slack is the thing that is down, the notice is lost and only the log says why.
 */
import type { Logger } from '../logger.ts';
import type { ChatPoster } from '../ports/chat-poster.ts';
import type { DiagnosisJob, KvlabJob } from '../ports/diagnosis-queue.ts';
import type { DeliveryLedger } from '../queue/delivery-ledger.ts';
import { context, type SlackMessage, section } from '../slack/messages.ts';
import { code } from '../slack/mrkdwn.ts';

export function failureNotice(job: DiagnosisJob): SlackMessage {
  const target = code(`${job.namespace}/${job.pod}`);
  const text = `⚠️ kvlab could not finish diagnosing ${target}: a service it depends on (Slack, Redis or the cluster) kept failing.`;
  return {
    text,
    blocks: [
      section(text),
      context('Try `/kvlab diagnose` again in a few minutes; if it keeps failing, tell your instructor.'),
    ],
  };
}

/** Under an answer whose thread replies could not all be posted (Slack kept refusing or rate-limiting them). */
export function incompleteThreadNotice(): SlackMessage {
  const text = '⚠️ kvlab could not post the rest of this answer: Slack kept refusing or rate-limiting it.';
  return { text, blocks: [section(text), context('Press 🔁 Re-run above, or ask again in a few minutes.')] };
}

/** To an asker who saw their verdict (response_url) but whose threaded answer could not be posted. */
export function undeliveredNotice(): SlackMessage {
  const text = '⚠️ kvlab could not post your full answer in the channel: Slack kept refusing or rate-limiting it.';
  return {
    text,
    blocks: [section(text), context('Your verdict is above. Ask again in a few minutes for the causes and fixes.')],
  };
}

/** The same for a class status that could not be gathered. */
export function statusFailureNotice(className: string): SlackMessage {
  const text = `⚠️ kvlab could not gather the status of ${code(className)}: a service it depends on (Slack, Redis or the cluster) kept failing.`;
  return {
    text,
    blocks: [section(text), context('Try `/kvlab status` again in a few minutes; the CLI (`kvlab status`) says more.')],
  };
}

export async function notifyFailure(
  deps: { poster: ChatPoster; ledger: DeliveryLedger; log: Logger },
  jobId: string,
  job: KvlabJob,
): Promise<void> {
  const record = await deps.ledger.get(jobId);
  if (record.final) {
    // The answer's parent is in place but its thread is not complete: say so in the thread, never drop it silently.
    if (record.channel && record.threadTs && job.kind !== 'status') {
      await deps.poster.post(record.channel, incompleteThreadNotice(), { threadTs: record.threadTs });
    }
    return;
  }
  const message =
    job.kind === 'status'
      ? statusFailureNotice(job.class?.name ?? 'the class')
      : record.verdictNoticed && !record.parentTs
        ? undeliveredNotice()
        : failureNotice(job);
  if (record.channel && record.parentTs) {
    await deps.poster.update(record.channel, record.parentTs, message);
  } else if (job.requester.responseUrl) {
    await deps.poster.respond(job.requester.responseUrl, message);
  }
  await deps.ledger.set(jobId, { final: true });
}
