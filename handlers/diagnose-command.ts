/**
 * `/kvlab diagnose <pod> [-n <namespace>]`: pick the namespace (the student's own from the roster by default),
 * authorize, apply the per-user rate limit, acknowledge with an ephemeral "Diagnosing …" note, then enqueue.
 * Every refusal is an ephemeral answer and nothing is queued. Asking again about the same pod while the first
 * request is pending joins that job. No Kubernetes or Azure call happens here.
 */
import type { RespondArguments, SlashCommand } from '@slack/bolt';
import { jobIdFor } from '../src/ports/job-ids.ts';
import { authorizeNamespace, classOfNamespace, defaultNamespace, identify } from '../src/roster/authorize.ts';
import type { SlackMessage } from '../src/slack/messages.ts';
import { renderRefusal, renderUsageError } from '../src/slack/render-help.ts';
import { authorizeRequest } from './authorize.ts';
import type { HandlerDeps } from './deps.ts';
import { enqueueDiagnosis, slowDown } from './enqueue.ts';
import { ephemeral, note } from './replies.ts';

export interface CommandContext {
  command: SlashCommand;
  ack: (response: RespondArguments) => Promise<void>;
  respond: (message: RespondArguments) => Promise<unknown>;
}

export async function handleDiagnose(
  deps: HandlerDeps,
  { command, ack, respond }: CommandContext,
  parsed: { pod: string; namespace?: string },
): Promise<void> {
  const user = command.user_id;
  const namespace = parsed.namespace ?? defaultNamespace(deps.roster, user);
  if (!namespace) {
    // No -n and no namespace of their own: say how to name one, or (not on the roster) whom to ask.
    const unknown = authorizeNamespace(deps.roster, user, '');
    if (!identify(deps.roster, user) && !unknown.ok) {
      return ack(ephemeral(renderRefusal(unknown.reason, unknown.whomToAsk)));
    }
    return ack(
      ephemeral(
        renderUsageError(
          `You have no namespace of your own on the roster: name one, e.g. \`/kvlab diagnose ${parsed.pod} -n student-07\`.`,
        ),
      ),
    );
  }
  const target = { namespace, pod: parsed.pod };
  const decision = await authorizeRequest(deps, user, namespace);
  if (!decision.ok) {
    deps.log.info({ namespace, pod: target.pod }, 'diagnose refused by the roster');
    return ack(ephemeral(renderRefusal(decision.reason, decision.whomToAsk)));
  }
  const rate = await deps.rateLimit.take(user).catch((err: unknown) => {
    deps.log.error({ err }, 'rate limit check failed; Redis unavailable?');
    return undefined;
  });
  if (!rate) return ack(ephemeral(unavailable()));
  if (!rate.allowed) return ack(ephemeral(slowDown(rate.retryAfterMs)));

  const privately = classOfNamespace(deps.roster, namespace)?.answers === 'private';
  const where = privately ? 'in a direct message from kvlab (this class answers privately)' : 'here';
  await ack(ephemeral(note(`⏳ Diagnosing \`${target.namespace}/${target.pod}\`… the answer will appear ${where}.`)));
  await enqueueDiagnosis(deps, respond, {
    job: {
      v: 1,
      kind: 'diagnose',
      namespace: target.namespace,
      pod: target.pod,
      requester: {
        user,
        team: command.team_id,
        channel: command.channel_id,
        ...(command.response_url ? { responseUrl: command.response_url } : {}),
      },
      origin: 'command',
      ...(privately ? { private: true } : {}),
      requestedAt: (deps.now?.() ?? new Date()).toISOString(),
    },
    jobId: jobIdFor('cmd', command.trigger_id || `${user}-${Date.now()}`),
  });
}

function unavailable(): SlackMessage {
  return note('⚠️ kvlab cannot reach its queue right now, so nothing was started. Please try again in a minute.');
}
