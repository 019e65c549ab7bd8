/**
 * What Slack does with an app's answers to an interaction (docs/wire-notes.md §5.3): the HTTP acknowledgement of a slash
 * command (empty, text, or `{response_type, text, blocks}`), and JSON POSTs to the interaction's `response_url`,
 * usable 5 times within 30 minutes. `response_type: in_channel` posts visibly in the conversation (as the app,
 * whether or not the bot is a member), anything else is ephemeral to the invoking user; `replace_original` /
 * `delete_original` act on the message that carried the clicked button (ignored for slash commands, which have no
 * original). Left out, both flags count as false — the docs are not consistent about the default, so kvlab sets
 * them explicitly. Expired, overused or unknown URLs answer 404 (the real status is not documented precisely).
 */
import type { Interaction, SlackStore } from './store.ts';
import { type ApiReply, type Args, bool, type LongTextPolicy, readContent, str } from './wire.ts';

export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60 * 1000;

/** Handles one POST to `/response/<id>`. */
export function postToResponseUrl(
  store: SlackStore,
  id: string,
  rawBody: string,
  now: () => Date,
  longText: LongTextPolicy,
): ApiReply {
  const interaction = store.interaction(id);
  if (!interaction) return { status: 404, body: { ok: false, error: 'invalid_url' } };
  const accepted = interaction.responses.filter((r) => r.status === 200).length;
  if (now().getTime() - interaction.createdAt > RESPONSE_URL_LIFETIME_MS) return refuse(interaction, 'expired_url');
  if (accepted >= RESPONSE_URL_MAX_USES) return refuse(interaction, 'used_url');
  let payload: Args;
  try {
    const parsed: unknown = JSON.parse(rawBody);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    payload = parsed as Args;
  } catch {
    return refuse(interaction, 'invalid_payload', 400);
  }
  const source = interaction.source;
  if (source && bool(payload, 'delete_original')) {
    deleteOriginal(store, interaction.user, source);
    return record(interaction, payload, 'deleted', source.ts);
  }
  const read = readContent(payload, longText);
  if (!read.ok) {
    interaction.responses.push({ payload, status: 400, effect: 'rejected' });
    return { status: 400, body: read.reply.body };
  }
  const { text, blocks } = read.content;
  if (source && bool(payload, 'replace_original')) {
    const conversation = store.conversation(source.channel);
    const target = source.ephemeral
      ? store.liveEphemeral(interaction.user, source.ts)
      : conversation && store.find(conversation, source.ts);
    if (target) {
      target.text = text;
      if (blocks) target.blocks = blocks;
      else delete target.blocks;
    }
    return record(interaction, payload, 'replaced', source.ts);
  }
  const threadTs = str(payload, 'thread_ts');
  return deliver(
    store,
    interaction,
    { text, blocks, threadTs },
    str(payload, 'response_type'),
    'response_url',
    payload,
  );
}

/**
 * Applies a slash command's HTTP acknowledgement as Slack shows it: an empty body shows nothing, a text body is an
 * ephemeral message, a JSON body is a message whose `response_type` decides who sees it.
 */
export function applyAck(store: SlackStore, interaction: Interaction, contentType: string, body: string): void {
  if (interaction.kind !== 'command' || body.trim() === '') return;
  let payload: Args = { text: body };
  if (contentType.startsWith('application/json')) {
    try {
      payload = JSON.parse(body) as Args;
    } catch {
      return;
    }
  }
  const read = readContent(payload, 'truncate');
  if (!read.ok) return;
  const { text, blocks } = read.content;
  deliver(store, interaction, { text, blocks }, str(payload, 'response_type'), 'ack', payload);
}

function deliver(
  store: SlackStore,
  interaction: Interaction,
  content: { text: string; blocks?: Array<Record<string, unknown>>; threadTs?: string },
  responseType: string | undefined,
  via: 'ack' | 'response_url',
  payload: Args,
): ApiReply {
  const conversation = store.conversation(interaction.channel);
  if (responseType === 'in_channel' && conversation) {
    const { bot } = store.workspace;
    const message = store.append(
      conversation,
      {
        text: content.text,
        ...(content.blocks ? { blocks: content.blocks } : {}),
        user: bot.userId,
        bot_id: bot.botId,
        app_id: bot.appId,
      },
      content.threadTs ? { ts: content.threadTs, broadcast: false } : undefined,
    );
    return via === 'ack' ? { status: 200, body: {} } : record(interaction, payload, 'in_channel', message.ts);
  }
  const ts = store.addEphemeral(
    interaction.user,
    {
      channel: interaction.channel,
      text: content.text,
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ...(content.threadTs ? { thread_ts: content.threadTs } : {}),
      via,
    },
    conversation,
  );
  return via === 'ack' ? { status: 200, body: {} } : record(interaction, payload, 'ephemeral', ts);
}

function deleteOriginal(store: SlackStore, user: string, source: NonNullable<Interaction['source']>): void {
  if (source.ephemeral) {
    store.removeEphemeral(user, source.ts);
    return;
  }
  const conversation = store.conversation(source.channel);
  if (!conversation) return;
  conversation.messages = conversation.messages.filter((m) => m.ts !== source.ts);
  for (const [parent, replies] of conversation.replies) {
    conversation.replies.set(
      parent,
      replies.filter((m) => m.ts !== source.ts),
    );
  }
}

function record(
  interaction: Interaction,
  payload: Args,
  effect: 'ephemeral' | 'in_channel' | 'replaced' | 'deleted',
  ts: string,
): ApiReply {
  interaction.responses.push({ payload, status: 200, effect, ts });
  return { status: 200, body: { ok: true } };
}

function refuse(interaction: Interaction, error: string, status = 404): ApiReply {
  interaction.responses.push({ payload: {}, status, effect: 'rejected' });
  return { status, body: { ok: false, error } };
}
