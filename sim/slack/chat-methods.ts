/**
 * `chat.postMessage`, `chat.update` and `chat.postEphemeral` with Slack's validation order: conversation access,
 * then content (`no_text`, `msg_too_long`, `invalid_blocks_format`, `invalid_blocks`), then the thread.
 * A malformed `thread_ts` is `invalid_thread_ts` (`[ERROR] 0 is not a valid thread_ts`, jenkinsci/slack-plugin#584);
 * a well-formed one that names no message is accepted and the reply is never shown anywhere
 * (slackapi/node-slack-sdk#780, python-slack-sdk#840) — the simulator keeps it in `store.orphans(channel)`.
 * `metadata` (`{event_type, event_payload}`, JSON as WebClient sends it) is kept with the message; history and
 * replies show it only when asked (`include_all_metadata`); a malformed one is `invalid_metadata_format`.
 * Only the bot's own messages can be updated (`cant_update_message`); ephemeral ones cannot (`message_not_found`).
 */
import { accessConversation, type MethodHandler } from './access.ts';
import type { SlackMessage } from './store.ts';
import { type ApiReply, type Args, bool, fail, failWithMessages, ok, readContent, str, TS_PATTERN } from './wire.ts';

/** Reads `thread_ts`: absent, well-formed, or the `invalid_thread_ts` reply. */
function readThreadTs(args: Args): { ok: true; ts?: string } | { ok: false; reply: ApiReply } {
  if (args.thread_ts === undefined || args.thread_ts === null) return { ok: true };
  const ts = String(args.thread_ts);
  if (!TS_PATTERN.test(ts)) {
    return { ok: false, reply: failWithMessages('invalid_thread_ts', [`[ERROR] ${ts} is not a valid thread_ts`]) };
  }
  return { ok: true, ts };
}

export const postMessage: MethodHandler = (args, { store, longText }) => {
  const access = accessConversation(args, store, 'write');
  if (!access.ok) return access.reply;
  const read = readContent(args, longText);
  if (!read.ok) return read.reply;
  const thread = readThreadTs(args);
  if (!thread.ok) return thread.reply;
  const metadata = readMetadata(args);
  if (metadata === 'invalid') return fail('invalid_metadata_format');
  const { bot } = store.workspace;
  const message = store.append(
    access.conversation,
    { ...read.content, user: bot.userId, bot_id: bot.botId, app_id: bot.appId, ...(metadata ? { metadata } : {}) },
    thread.ts ? { ts: thread.ts, broadcast: bool(args, 'reply_broadcast') } : undefined,
  );
  return ok({ channel: access.conversation.id, ts: message.ts, message: structuredClone(message) });
};

/** `metadata` as Slack takes it: an object (or its JSON) with a string `event_type` and an object `event_payload`. */
function readMetadata(args: Args): SlackMessage['metadata'] | 'invalid' | undefined {
  const raw = args.metadata;
  if (raw === undefined || raw === null || raw === '') return undefined;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return 'invalid';
    }
  }
  const m = value as { event_type?: unknown; event_payload?: unknown } | null;
  if (typeof m?.event_type !== 'string' || typeof m.event_payload !== 'object' || m.event_payload === null)
    return 'invalid';
  return { event_type: m.event_type, event_payload: m.event_payload as Record<string, unknown> };
}

export const update: MethodHandler = (args, { store, longText }) => {
  const access = accessConversation(args, store, 'write');
  if (!access.ok) return access.reply;
  const ts = str(args, 'ts');
  const message = ts ? store.find(access.conversation, ts) : undefined;
  if (!message) return fail('message_not_found');
  if (message.bot_id !== store.workspace.bot.botId) return fail('cant_update_message');
  const read = readContent(args, longText);
  if (!read.ok) return read.reply;
  const { text, blocks, attachments } = read.content;
  message.text = text;
  // Blocks given replace the old ones; leaving them out leaves a text-only message. Attachments left out are kept
  // (documented for chat.update).
  if (blocks) message.blocks = blocks;
  else delete message.blocks;
  if (attachments) message.attachments = attachments;
  message.edited = { user: store.workspace.bot.userId, ts: store.nextTs(access.conversation) };
  return ok({ channel: access.conversation.id, ts: message.ts, text, message: structuredClone(message) });
};

export const postEphemeral: MethodHandler = (args, { store, longText }) => {
  const access = accessConversation(args, store, 'write');
  if (!access.ok) return access.reply;
  const user = str(args, 'user');
  const conversation = access.conversation;
  if (!user || !store.workspace.users.some((u) => u.id === user)) return fail('user_not_found');
  if (!conversation.members.has(user)) return fail('user_not_in_channel');
  const read = readContent(args, longText);
  if (!read.ok) return read.reply;
  const thread = readThreadTs(args);
  if (!thread.ok) return thread.reply;
  const ts = store.addEphemeral(
    user,
    {
      channel: conversation.id,
      text: read.content.text,
      ...(read.content.blocks ? { blocks: read.content.blocks } : {}),
      ...(thread.ts ? { thread_ts: thread.ts } : {}),
      via: 'chat.postEphemeral',
    },
    conversation,
  );
  return ok({ message_ts: ts });
};
