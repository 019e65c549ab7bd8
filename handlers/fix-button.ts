/**
 * "Show fixed YAML" under a diagnosis: reads the stored report (the button carries only namespace, pod and job id),
 * authorizes the clicker exactly like `/kvlab diagnose`, and answers with the patch only to them (ephemeral, via the
 * click's response_url). kvlab never applies the patch.
 */
import { decodeButtonValue } from '../src/slack/interaction-ids.ts';
import { renderFix } from '../src/slack/render-fix.ts';
import { renderRefusal, renderUsageError } from '../src/slack/render-help.ts';
import { authorizeRequest } from './authorize.ts';
import type { HandlerDeps } from './deps.ts';
import type { ButtonContext } from './diagnosis-buttons.ts';
import { ephemeral, note } from './replies.ts';

export async function handleShowFix(deps: HandlerDeps, ctx: ButtonContext): Promise<void> {
  await ctx.ack();
  const value = decodeButtonValue(ctx.body.actions[0]?.value ?? '');
  if (!value) {
    await ctx.respond(
      ephemeral(renderUsageError('This button is from an older kvlab message. Run the command again.')),
    );
    return;
  }
  const decision = await authorizeRequest(deps, ctx.body.user.id, value.namespace);
  if (!decision.ok) {
    deps.log.info({ namespace: value.namespace }, 'fix button click refused by the roster');
    await ctx.respond(ephemeral(renderRefusal(decision.reason, decision.whomToAsk)));
    return;
  }
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
  await ctx.respond(ephemeral(renderFix(report)));
}
