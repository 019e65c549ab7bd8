/**
 * The buttons of a class status: "Refresh" edits the same status message in place (the job carries its ts), and
 * "Diagnose" on a blocked student's row runs the full diagnosis, Key Vault replay included, threaded under the
 * status in the instructor's DM. Both authorize the clicker as the command would.
 */
import { jobIdFor } from '../src/ports/job-ids.ts';
import { authorizeStatus } from '../src/roster/authorize-status.ts';
import { decodeStatusValue } from '../src/slack/interaction-ids.ts';
import { renderRefusal, renderUsageError } from '../src/slack/render-help.ts';
import { clickRequester } from './button-click.ts';
import type { HandlerDeps } from './deps.ts';
import { type ButtonContext, handleRerun } from './diagnosis-buttons.ts';
import { slowDown } from './enqueue.ts';
import { ephemeral } from './replies.ts';
import { enqueueStatus } from './status-command.ts';

export async function handleStatusRefresh(deps: HandlerDeps, ctx: ButtonContext): Promise<void> {
  await ctx.ack();
  const { body, respond } = ctx;
  const value = decodeStatusValue(body.actions[0]?.value ?? '');
  const channel = String(body.container.channel_id ?? body.channel?.id ?? '');
  const messageTs = String(body.container.message_ts ?? '');
  if (!value || !channel || !messageTs) {
    await respond(
      ephemeral(renderUsageError('This button is from an older kvlab message. Run `/kvlab status` again.')),
    );
    return;
  }
  const decision = authorizeStatus(deps.roster, body.user.id, value.class);
  if (!decision.ok || decision.scope !== 'class') {
    await respond(
      ephemeral(
        decision.ok
          ? renderRefusal('Refreshing a class status is for its instructors.', decision.class.instructors)
          : renderRefusal(decision.reason, decision.whomToAsk),
      ),
    );
    return;
  }
  const rate = await deps.rateLimit.take(body.user.id).catch(() => undefined);
  if (rate && !rate.allowed) {
    await respond(ephemeral(slowDown(rate.retryAfterMs)));
    return;
  }
  await enqueueStatus(deps, respond, {
    cls: decision.class,
    scope: 'class',
    requester: clickRequester(body, channel),
    jobId: jobIdFor('status', `refresh-${body.trigger_id || `${body.user.id}-${Date.now()}`}`),
    messageTs,
  });
}

export function handleStatusDiagnose(deps: HandlerDeps, ctx: ButtonContext): Promise<void> {
  return handleRerun(deps, ctx, true);
}
