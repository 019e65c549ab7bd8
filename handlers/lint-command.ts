/**
 * `/kvlab lint`: opens a modal where the student pastes SPC/Pod YAML; on submit the linter runs in the receiver
 * (pure, bounded input) and the result comes back to the student only — an ephemeral message in the channel the
 * command came from, or a DM when kvlab is not in that channel. The YAML is never queued or stored.
 * Permission: `commands`, `chat:write`, `im:write`.
 */
import type { ViewOutput } from '@slack/bolt';
import { lintText } from '../diagnostics/knowledge/lint/index.ts';
import type { ChatPoster } from '../src/ports/chat-poster.ts';
import { ChatDeliveryError } from '../src/ports/chat-poster.ts';
import { LINT_YAML_ACTION_ID, LINT_YAML_BLOCK_ID } from '../src/slack/interaction-ids.ts';
import { renderLintModal } from '../src/slack/render-help.ts';
import { renderLint } from '../src/slack/render-lint.ts';
import type { HandlerDeps } from './deps.ts';
import type { CommandContext } from './diagnose-command.ts';
import { ephemeral, note } from './replies.ts';

/** What the modal carries through Slack and back: where to answer. No YAML, no secret. */
interface LintMetadata {
  v: 1;
  channel: string;
}

export async function handleLintCommand(
  deps: Pick<HandlerDeps, 'log'>,
  { command, ack, respond }: CommandContext,
  openView: (args: { trigger_id: string; view: object }) => Promise<unknown>,
): Promise<void> {
  await ack(ephemeral(note('📝 Opening the lint form…')));
  const metadata: LintMetadata = { v: 1, channel: command.channel_id };
  try {
    await openView({ trigger_id: command.trigger_id, view: renderLintModal(JSON.stringify(metadata)) });
  } catch (err) {
    deps.log.warn({ err }, 'views.open failed for /kvlab lint');
    await respond(
      ephemeral(note('⚠️ The lint form could not be opened (Slack allows 3 seconds). Please run `/kvlab lint` again.')),
    );
  }
}

export interface LintSubmission {
  user: string;
  view: ViewOutput;
}

/** Result of validating the submission: errors for the modal (`response_action: errors`) or the YAML. */
export function readLintSubmission(view: ViewOutput): { errors: Record<string, string> } | { yaml: string } {
  const yaml = view.state.values[LINT_YAML_BLOCK_ID]?.[LINT_YAML_ACTION_ID]?.value ?? '';
  if (!yaml.trim()) return { errors: { [LINT_YAML_BLOCK_ID]: 'Paste a SecretProviderClass or Pod manifest.' } };
  return { yaml };
}

/** Lints the YAML and delivers the result to the user: ephemeral in the original channel, else a DM. */
export async function answerLint(
  deps: Pick<HandlerDeps, 'log'> & { poster: ChatPoster },
  submission: LintSubmission,
  yaml: string,
): Promise<void> {
  const file = lintText(yaml, 'pasted YAML');
  const errors = file.findings.filter((f) => f.severity === 'error').length;
  const message = renderLint({ files: [file], errors, warnings: file.findings.length - errors });
  deps.log.info({ errors, warnings: file.findings.length - errors }, 'linted pasted YAML');
  const channel = channelOf(submission.view.private_metadata);
  if (channel) {
    try {
      return await deps.poster.postEphemeral(channel, submission.user, message);
    } catch (err) {
      if (!(err instanceof ChatDeliveryError) || err.failure !== 'unreachable') throw err;
      deps.log.info({ slackError: err.slackError }, 'cannot answer lint in the channel; answering by DM');
    }
  }
  const dm = await deps.poster.openDm(submission.user);
  await deps.poster.post(dm, message);
}

function channelOf(privateMetadata: string | undefined): string | undefined {
  try {
    const parsed = JSON.parse(privateMetadata ?? '') as Partial<LintMetadata & { channel: unknown }>;
    return parsed.v === 1 && typeof parsed.channel === 'string' && /^[CGD][A-Z0-9]+$/.test(parsed.channel)
      ? parsed.channel
      : undefined;
  } catch {
    return undefined;
  }
}
