/**
 * "Show fixed YAML" under a diagnosis: reads the stored report (the button carries only namespace, pod and job id),
 * authorizes the clicker exactly like `/kvlab diagnose`, and answers with the patch only to them (ephemeral, via the
 * click's response_url). kvlab never applies the patch.
 */
import { decodeButtonValue } from '../src/slack/interaction-ids.ts';
import { renderFix } from '../src/slack/render-fix.ts';
import { authorizedClick, type ButtonContext, storedReport } from './button-click.ts';
import type { HandlerDeps } from './deps.ts';
import { ephemeral } from './replies.ts';

export async function handleShowFix(deps: HandlerDeps, ctx: ButtonContext): Promise<void> {
  await ctx.ack();
  const value = await authorizedClick(deps, ctx, decodeButtonValue, {
    stale: 'This button is from an older kvlab message. Run the command again.',
    label: 'fix button',
  });
  if (!value) return;
  const report = await storedReport(deps, ctx, value);
  if (!report) return;
  await ctx.respond(ephemeral(renderFix(report)));
}
