/**
 * The buttons under a diagnosis: "Re-run" queues the same diagnosis again and answers in the same thread;
 * "Show all checks" shows the stored report's full checks table to the clicker only. Both are authorized exactly
 * like `/kvlab diagnose` (anyone in the channel can click, so the clicker's own rights count, not the asker's),
 * and both acknowledge at once; their answers go to the click's response_url, ephemeral.
 */
import type { RespondArguments } from '@slack/bolt';
import { jobIdFor } from '../src/ports/job-ids.ts';
import { decodeButtonValue } from '../src/slack/interaction-ids.ts';
import { renderChecksTable } from '../src/slack/render-checks.ts';
import { renderRefusal, renderUsageError } from '../src/slack/render-help.ts';
import { authorizeRequest } from './authorize.ts';
import type { HandlerDeps } from './deps.ts';
import { enqueueDiagnosis, slowDown } from './enqueue.ts';
import { ephemeral, note } from './replies.ts';

/** The parts of a `block_actions` payload these handlers read. */
export interface ButtonClick {
  user: { id: string };
  team: { id: string } | null;
  channel?: { id: string };
  container: Record<string, unknown>;
  trigger_id: string;
  response_url: string;
  actions: Array<{ value?: string }>;
}

export interface ButtonContext {
  body: ButtonClick;
  ack: () => Promise<void>;
  respond: (message: RespondArguments) => Promise<unknown>;
}

/** Decodes and authorizes a click; answers the user itself and returns undefined when it must stop. */
async function authorizedTarget(deps: HandlerDeps, { body, respond }: ButtonContext) {
  const value = decodeButtonValue(body.actions[0]?.value ?? '');
  if (!value) {
    await respond(ephemeral(renderUsageError('This button is from an older kvlab message. Run the command again.')));
    return undefined;
  }
  const decision = await authorizeRequest(deps, body.user.id, value.namespace);
  if (!decision.ok) {
    deps.log.info({ namespace: value.namespace }, 'button click refused by the roster');
    await respond(ephemeral(renderRefusal(decision.reason, decision.whomToAsk)));
    return undefined;
  }
  return value;
}

/** "Re-run" under a diagnosis, and "Diagnose" on a class status row: a diagnosis answered in this thread. */
export async function handleRerun(deps: HandlerDeps, ctx: ButtonContext, first = false): Promise<void> {
  await ctx.ack();
  const value = await authorizedTarget(deps, ctx);
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
      requester: {
        user: body.user.id,
        team: body.team?.id ?? '',
        channel,
        responseUrl: body.response_url,
      },
      origin: 'rerun',
      threadTs,
      requestedAt: (deps.now?.() ?? new Date()).toISOString(),
    },
    jobId: jobIdFor('rerun', body.trigger_id || `${body.user.id}-${Date.now()}`),
  });
}

export async function handleShowChecks(deps: HandlerDeps, ctx: ButtonContext): Promise<void> {
  await ctx.ack();
  const value = await authorizedTarget(deps, ctx);
  if (!value) return;
  const report = await deps.reports.report(value.jobId).catch((err: unknown) => {
    deps.log.error({ err, jobId: value.jobId }, 'could not read the stored report');
    return undefined;
  });
  if (!report || report.target.namespace !== value.namespace || report.target.pod !== value.pod) {
    await ctx.respond(
      ephemeral(
        note('That diagnosis is no longer stored (kvlab keeps them for 3 days). Press 🔁 Re-run for a new one.'),
      ),
    );
    return;
  }
  await ctx.respond(ephemeral(renderChecksTable(report)));
}
