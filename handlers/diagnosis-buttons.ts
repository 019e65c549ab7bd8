/**
 * The buttons under a diagnosis: "Re-run" queues the same diagnosis again and answers in the same thread;
 * "Show all checks" shows the stored report's full checks table to the clicker only. Both are authorized exactly
 * like `/kvlab diagnose` (anyone in the channel can click, so the clicker's own rights count, not the asker's),
 * and both acknowledge at once; their answers go to the click's response_url, ephemeral.
 */
import { jobIdFor } from '../src/ports/job-ids.ts';
import { decodeButtonValue } from '../src/slack/interaction-ids.ts';
import { renderChecksTable } from '../src/slack/render-checks.ts';
import { renderUsageError } from '../src/slack/render-help.ts';
import { authorizedClick, type ButtonContext, clickRequester, storedReport } from './button-click.ts';
import type { HandlerDeps } from './deps.ts';
import { enqueueDiagnosis, slowDown } from './enqueue.ts';
import { ephemeral, note } from './replies.ts';

export type { ButtonClick, ButtonContext } from './button-click.ts';

const DIAGNOSIS_BUTTON = {
  stale: 'This button is from an older kvlab message. Run the command again.',
  label: 'diagnosis button',
};

/** "Re-run" under a diagnosis, and "Diagnose" on a class status row: a diagnosis answered in this thread. */
export async function handleRerun(deps: HandlerDeps, ctx: ButtonContext, first = false): Promise<void> {
  await ctx.ack();
  const value = await authorizedClick(deps, ctx, decodeButtonValue, DIAGNOSIS_BUTTON);
  if (!value) return;
  const { body, respond } = ctx;
  const rate = await deps.rateLimit.take(body.user.id).catch(() => undefined);
  if (rate && !rate.allowed) {
    await respond(ephemeral(slowDown(rate.retryAfterMs)));
    return;
  }
  const channel = String(body.container.channel_id ?? body.channel?.id ?? '');
  const threadTs = String(body.container.thread_ts ?? body.container.message_ts ?? '');
  if (!channel || !threadTs) {
    await respond(ephemeral(renderUsageError('kvlab could not tell which message this button is on.')));
    return;
  }
  const target = `\`${value.namespace}/${value.pod}\``;
  await respond(
    ephemeral(
      note(
        first ? `🔍 Diagnosing ${target} in this thread…` : `🔁 Re-running the diagnosis of ${target} in this thread…`,
      ),
    ),
  );
  await enqueueDiagnosis(deps, respond, {
    job: {
      v: 1,
      kind: 'diagnose',
      namespace: value.namespace,
      pod: value.pod,
      requester: clickRequester(body, channel),
      origin: 'rerun',
      threadTs,
      requestedAt: (deps.now?.() ?? new Date()).toISOString(),
    },
    jobId: jobIdFor('rerun', body.trigger_id || `${body.user.id}-${Date.now()}`),
  });
}

export async function handleShowChecks(deps: HandlerDeps, ctx: ButtonContext): Promise<void> {
  await ctx.ack();
  const value = await authorizedClick(deps, ctx, decodeButtonValue, DIAGNOSIS_BUTTON);
  if (!value) return;
  const report = await storedReport(deps, ctx, value);
  if (!report) return;
  await ctx.respond(ephemeral(renderChecksTable(report)));
}
