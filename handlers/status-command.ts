/**
 * `/kvlab status [<class>]`: authorize against the roster (instructors see their class, students their own row,
 * everyone else is refused and nothing is queued), apply the per-user rate limit, acknowledge at once, and queue a
 * status job that carries the class as the roster defines it. No Kubernetes call happens here.
 */
import { jobIdFor } from '../src/ports/job-ids.ts';
import { authorizeStatus } from '../src/roster/authorize-status.ts';
import type { ClassConfig } from '../src/roster/roster.ts';
import { renderRefusal, renderUsageError } from '../src/slack/render-help.ts';
import type { HandlerDeps } from './deps.ts';
import type { CommandContext } from './diagnose-command.ts';
import { slowDown } from './enqueue.ts';
import { ephemeral, note } from './replies.ts';

export async function handleStatus(
  deps: HandlerDeps,
  { command, ack, respond }: CommandContext,
  className: string | undefined,
): Promise<void> {
  const user = command.user_id;
  const decision = authorizeStatus(deps.roster, user, className);
  if (!decision.ok) {
    deps.log.info({ class: className }, 'status refused');
    return ack(
      ephemeral(
        decision.usage ? renderUsageError(decision.reason) : renderRefusal(decision.reason, decision.whomToAsk),
      ),
    );
  }
  const rate = await deps.rateLimit.take(user).catch(() => undefined);
  if (!rate)
    return ack(
      ephemeral(
        note('⚠️ kvlab cannot reach its queue right now, so nothing was started. Please try again in a minute.'),
      ),
    );
  if (!rate.allowed) return ack(ephemeral(slowDown(rate.retryAfterMs)));
  const name = decision.class.name;
  await ack(
    ephemeral(
      note(
        decision.scope === 'class'
          ? `📊 Gathering the status of \`${name}\`… it will arrive in a direct message from kvlab (only you see it).`
          : `📊 Gathering your progress in \`${name}\`… only you will see it.`,
      ),
    ),
  );
  await enqueueStatus(deps, respond, {
    cls: decision.class,
    scope: decision.scope,
    requester: {
      user,
      team: command.team_id,
      channel: command.channel_id,
      ...(command.response_url ? { responseUrl: command.response_url } : {}),
    },
    jobId: jobIdFor('status', command.trigger_id || `${user}-${Date.now()}`),
  });
}

/** Shared with the Refresh button: queue the job, and say so plainly when the queue is unreachable. */
export async function enqueueStatus(
  deps: Pick<HandlerDeps, 'queue' | 'log' | 'now'>,
  respond: CommandContext['respond'],
  request: {
    cls: ClassConfig;
    scope: 'class' | 'own';
    requester: { user: string; team: string; channel: string; responseUrl?: string };
    jobId: string;
    messageTs?: string;
  },
): Promise<void> {
  const { cls, scope, requester, jobId, messageTs } = request;
  try {
    await deps.queue.enqueueStatus(
      {
        v: 1,
        kind: 'status',
        class: {
          name: cls.name,
          ...(cls.namespaces ? { namespaces: cls.namespaces } : {}),
          ...(cls.namespaceSelector ? { namespaceSelector: cls.namespaceSelector } : {}),
          students: cls.students,
        },
        scope,
        requester,
        ...(messageTs ? { messageTs } : {}),
        requestedAt: (deps.now?.() ?? new Date()).toISOString(),
      },
      { jobId, dedupeKey: `status/${requester.user}/${cls.name}/${scope}/${messageTs ?? 'new'}` },
    );
    deps.log.info({ jobId, class: cls.name, scope }, 'status queued');
  } catch (err) {
    deps.log.error({ err }, 'enqueue of a status failed');
    await respond(
      ephemeral(note('⚠️ kvlab could not queue the status (its queue is unreachable). Please try again shortly.')),
    ).catch(() => {});
  }
}
