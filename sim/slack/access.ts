/**
 * Which conversations the bot token may use, decided as Slack does for a bot (docs/wire-notes.md §5.5): an unknown id, or a
 * private channel the bot was not invited to, is `channel_not_found` (the bot cannot see it); a public channel it
 * is not in is `not_in_channel` (kvlab has no `chat:write.public`); an archived one is `is_archived`; DMs the app is
 * part of are always allowed.
 */
import type { Conversation, SlackStore } from './store.ts';
import { type ApiReply, type Args, fail, type LongTextPolicy, str } from './wire.ts';

/** What every method handler receives besides its arguments. */
export interface MethodContext {
  store: SlackStore;
  longText: LongTextPolicy;
  now: () => Date;
}

export type MethodHandler = (args: Args, ctx: MethodContext) => ApiReply;

/** Resolves `args.channel` for the bot, or the error Slack would answer. */
export function accessConversation(
  args: Args,
  store: SlackStore,
  purpose: 'read' | 'write',
): { ok: true; conversation: Conversation } | { ok: false; reply: ApiReply } {
  const arg = str(args, 'channel');
  const conversation = arg ? store.resolve(arg) : undefined;
  if (!conversation) return { ok: false, reply: fail('channel_not_found') };
  if (!conversation.botIsMember) {
    if (conversation.isPrivate) return { ok: false, reply: fail('channel_not_found') };
    return { ok: false, reply: fail('not_in_channel') };
  }
  if (purpose === 'write' && conversation.isArchived) return { ok: false, reply: fail('is_archived') };
  return { ok: true, conversation };
}
