/**
 * What Slack tells an app about a slash command or a button click (docs/wire-notes.md §5.1 and §5.4), built once for both
 * transports: the HTTP driver form-encodes these fields (a command's fields as the form, a click's payload as JSON
 * in the `payload` field), the Socket Mode driver sends the same values as the envelope's `payload` object.
 * Slash-command values are all strings (`is_enterprise_install: "false"`), `block_actions` uses JSON booleans.
 */
import type { OpenedInteraction } from './server.ts';
import type { EphemeralMessage, SlackMessage } from './store.ts';
import { findChannel, findUser, type SlackChannel, type SlackTeamView, type SlackUser } from './workspace.ts';

/** The person acting and the channel they act in, or an error naming what the caller got wrong. */
export function resolveActor(
  workspace: Pick<SlackTeamView, 'users' | 'channels'>,
  user: string,
  channel: string,
): { u: SlackUser; c: SlackChannel } {
  const u = findUser(workspace, user);
  const c = findChannel(workspace, channel);
  if (!u) throw new Error(`driver: no user "${user}" in the simulated workspace; use an id (U…) or handle`);
  if (!c) throw new Error(`driver: no channel "${channel}" in the simulated workspace; use an id (C…) or name`);
  return { u, c };
}

export interface CommandFieldsInput {
  workspace: Pick<SlackTeamView, 'team' | 'bot'>;
  verificationToken?: string;
  user: SlackUser;
  channel: SlackChannel;
  opened: OpenedInteraction;
  /** `/kvlab` */
  command: string;
  /** Everything after the command (may be empty). */
  text: string;
}

/** The fields of a slash-command invocation, in the order Slack sends them. */
export function slashCommandFields(input: CommandFieldsInput): Record<string, string> {
  const { workspace, user: u, channel: c, opened } = input;
  return {
    token: input.verificationToken ?? '',
    team_id: workspace.team.id,
    team_domain: workspace.team.domain,
    channel_id: c.id,
    channel_name: c.isPrivate ? 'privategroup' : c.name,
    user_id: u.id,
    user_name: u.name,
    command: input.command,
    text: input.text,
    api_app_id: workspace.bot.appId,
    is_enterprise_install: 'false',
    response_url: opened.responseUrl,
    trigger_id: opened.triggerId,
  };
}

export interface BlockActionInputs {
  workspace: Pick<SlackTeamView, 'team' | 'bot'>;
  verificationToken?: string;
  user: SlackUser;
  channel: SlackChannel;
  opened: OpenedInteraction;
  /** The message carrying the button, as the clicking user sees it. */
  message: SlackMessage | EphemeralMessage;
  messageTs: string;
  /** The message is an ephemeral one (then Slack sends no `message`). */
  ephemeral: boolean;
  /** The clicked element as {@link findAction} returned it. */
  action: Record<string, unknown>;
  now: Date;
}

/** The `block_actions` payload of a click on `action` (docs/wire-notes.md §5.4). */
export function blockActionPayload(input: BlockActionInputs): Record<string, unknown> {
  const { workspace, user: u, channel: c, opened, message } = input;
  const t = input.now.getTime();
  const threadTs = 'thread_ts' in message ? message.thread_ts : undefined;
  return {
    type: 'block_actions',
    user: { id: u.id, username: u.name, name: u.name, team_id: workspace.team.id },
    api_app_id: workspace.bot.appId,
    token: input.verificationToken ?? '',
    container: {
      type: 'message',
      message_ts: input.messageTs,
      channel_id: c.id,
      is_ephemeral: input.ephemeral,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    },
    trigger_id: opened.triggerId,
    team: { id: workspace.team.id, domain: workspace.team.domain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: c.id, name: c.isPrivate ? 'privategroup' : c.name },
    ...(input.ephemeral ? {} : { message }),
    state: { values: {} },
    response_url: opened.responseUrl,
    actions: [{ ...input.action, action_ts: `${Math.floor(t / 1000)}.${String((t % 1000) * 1000).padStart(6, '0')}` }],
  };
}

/** The interactive element with `actionId`, shaped as it appears in `actions[]` (without `action_ts`). */
export function findAction(
  blocks: Array<Record<string, unknown>>,
  actionId: string,
): Record<string, unknown> | undefined {
  for (const block of blocks) {
    const candidates = [...((block.elements as unknown[]) ?? []), block.accessory, block.element].filter(Boolean);
    for (const raw of candidates) {
      const el = raw as Record<string, unknown>;
      if (el.action_id !== actionId) continue;
      return {
        action_id: actionId,
        block_id: block.block_id,
        ...(el.text ? { text: el.text } : {}),
        ...(el.value !== undefined ? { value: el.value } : {}),
        ...(el.style ? { style: el.style } : {}),
        type: el.type,
      };
    }
  }
  return undefined;
}
