/**
 * The `/kvlab` slash command: parse the text, then hand each subcommand to its handler. Usage errors and help are
 * answered right in the acknowledgement (ephemeral); nothing is queued for them.
 */
import type { SlackCommandMiddlewareArgs } from '@slack/bolt';
import { identify } from '../src/roster/authorize.ts';
import { renderHelp, renderRefusal, renderUsageError } from '../src/slack/render-help.ts';
import type { HandlerDeps } from './deps.ts';
import { handleDiagnose } from './diagnose-command.ts';
import { handleExplain } from './explain-command.ts';
import { handleLintCommand } from './lint-command.ts';
import { parseCommand } from './parse-command.ts';
import { ephemeral, note } from './replies.ts';
import { handleStatus } from './status-command.ts';

export interface KvlabCommandArgs extends Pick<SlackCommandMiddlewareArgs, 'command' | 'ack' | 'respond'> {
  /** `client.views.open` of the request's WebClient. */
  openView: (args: { trigger_id: string; view: object }) => Promise<unknown>;
}

export async function handleKvlabCommand(deps: HandlerDeps, args: KvlabCommandArgs): Promise<void> {
  const { command } = args;
  const ack = (body: Parameters<typeof args.ack>[0] & object) => args.ack(body);
  const ctx = { command, ack, respond: args.respond };
  const parsed = parseCommand(command.text ?? '');
  const log = deps.log.child({ user: command.user_id, subcommand: parsed.kind });
  const scoped = { ...deps, log };
  switch (parsed.kind) {
    case 'usage':
      return ack(ephemeral(renderUsageError(parsed.message)));
    case 'help':
      return ack(ephemeral(renderHelp()));
    case 'status':
      return handleStatus(scoped, ctx, parsed.className);
    case 'explain': {
      if (!mayUseKnowledge(deps, command.user_id)) return ack(ephemeral(offRoster(deps)));
      const rate = await deps.rateLimit.take(command.user_id).catch(() => undefined);
      if (rate && !rate.allowed) return ack(ephemeral(note('🐢 Slow down: too many kvlab requests this minute.')));
      return handleExplain(scoped, ctx, parsed.text);
    }
    case 'lint':
      if (!mayUseKnowledge(deps, command.user_id)) return ack(ephemeral(offRoster(deps)));
      return handleLintCommand(scoped, ctx, args.openView);
    case 'diagnose':
      return handleDiagnose(scoped, ctx, parsed);
  }
}

/** `explain` and `lint` answer anyone on the roster, or everyone when the roster says `knowledgeCommands: everyone`. */
function mayUseKnowledge(deps: HandlerDeps, user: string): boolean {
  return deps.roster.knowledgeCommands === 'everyone' || identify(deps.roster, user) !== undefined;
}

function offRoster(deps: HandlerDeps) {
  return renderRefusal('Sorry, you are not on the kvlab roster yet, so kvlab cannot answer you.', deps.roster.admins);
}
