/**
 * What every button handler does first: decode the button's value (a stale or forged one gets a plain answer),
 * then authorize the clicker for the namespace it names, exactly like `/kvlab diagnose` — anyone in a channel can
 * click, so the clicker's own rights count, never the original asker's. And, for buttons that show a stored
 * diagnosis, read that report back or say it is gone.
 */
import type { RespondArguments } from '@slack/bolt';
import type { DiagnosisReport } from '../diagnostics/types.ts';
import type { Requester } from '../src/ports/diagnosis-queue.ts';
import { renderRefusal, renderUsageError } from '../src/slack/render-help.ts';
import { authorizeRequest } from './authorize.ts';
import type { HandlerDeps } from './deps.ts';
import { ephemeral, note } from './replies.ts';

/** The parts of a `block_actions` payload the handlers read. */
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

/** Who clicked, answering where: the job's requester for a job a button queues. */
export function clickRequester(body: ButtonClick, channel: string): Requester {
  return { user: body.user.id, team: body.team?.id ?? '', channel, responseUrl: body.response_url };
}

/** The decoded value when the clicker may act on its namespace; otherwise answers them and returns undefined. */
export async function authorizedClick<T extends { namespace: string }>(
  deps: HandlerDeps,
  { body, respond }: ButtonContext,
  decode: (value: string) => T | null,
  what: { stale: string; label: string },
): Promise<T | undefined> {
  const value = decode(body.actions[0]?.value ?? '');
  if (!value) {
    await respond(ephemeral(renderUsageError(what.stale)));
    return undefined;
  }
  const decision = await authorizeRequest(deps, body.user.id, value.namespace);
  if (!decision.ok) {
    deps.log.info({ namespace: value.namespace }, `${what.label} click refused by the roster`);
    await respond(ephemeral(renderRefusal(decision.reason, decision.whomToAsk)));
    return undefined;
  }
  return value;
}

/** The stored report a diagnosis button points at, or undefined after telling the clicker it is gone. */
export async function storedReport(
  deps: HandlerDeps,
  ctx: ButtonContext,
  value: { jobId: string; namespace: string; pod: string },
): Promise<DiagnosisReport | undefined> {
  const report = await deps.reports.report(value.jobId).catch((err: unknown) => {
    deps.log.error({ err, jobId: value.jobId }, 'could not read the stored report');
    return undefined;
  });
  if (report && report.target.namespace === value.namespace && report.target.pod === value.pod) return report;
  await ctx.respond(
    ephemeral(note('That diagnosis is no longer stored (kvlab keeps them for 3 days). Press 🔁 Re-run for a new one.')),
  );
  return undefined;
}
