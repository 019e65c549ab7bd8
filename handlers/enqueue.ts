/**
 * The common tail of "diagnose" and "Re-run": queue the job (deduplicated by user + namespace + pod), tell the user
 * when their request joined one already pending, and say so plainly when the queue cannot be reached.
 */
import type { RespondArguments } from '@slack/bolt';
import type { DiagnosisJob } from '../src/ports/diagnosis-queue.ts';
import { dedupeKeyFor } from '../src/ports/job-ids.ts';
import type { SlackMessage } from '../src/slack/messages.ts';
import type { HandlerDeps } from './deps.ts';
import { ephemeral, note } from './replies.ts';

export async function enqueueDiagnosis(
  deps: Pick<HandlerDeps, 'queue' | 'log'>,
  respond: (message: RespondArguments) => Promise<unknown>,
  request: { job: DiagnosisJob; jobId: string },
): Promise<void> {
  const { job, jobId } = request;
  const target = `${job.namespace}/${job.pod}`;
  const log = deps.log.child({ jobId, target, origin: job.origin });
  try {
    const result = await deps.queue.enqueue(job, {
      jobId,
      dedupeKey: dedupeKeyFor(job.requester.user, job.namespace, job.pod),
    });
    if (result.joined) {
      log.info({ joinedJobId: result.jobId }, 'request joined a pending diagnosis');
      await respond(
        ephemeral(
          note(`You already asked about \`${target}\` and that diagnosis is still running: its answer is on the way.`),
        ),
      );
    } else {
      log.info('diagnosis queued');
    }
  } catch (err) {
    log.error({ err }, 'enqueue failed');
    await respond(
      ephemeral(note('⚠️ kvlab could not queue the diagnosis (its queue is unreachable). Please try again shortly.')),
    ).catch((e: unknown) => log.warn({ err: e }, 'could not tell the user that enqueue failed'));
  }
}

/** "Slow down": the per-user budget is spent; says when to try again. */
export function slowDown(retryAfterMs: number): SlackMessage {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return note(
    `🐢 Slow down: you sent a lot of kvlab requests in the last minute. Please wait ${seconds} s and try again.`,
  );
}
