/**
 * `auth.test`, `conversations.open`, `conversations.history` and `conversations.replies` as Slack answers a bot
 * token (docs/wire-notes.md §5.5; response shapes from Slack's method docs). History lists top-level messages and broadcast
 * replies newest first; replies list the parent first, then replies oldest first, and accept the ts of any message
 * in the thread. Both page with `limit` and Slack's cursor format (`base64("next_ts:<ts digits>")`),
 * `oldest`/`latest`/`inclusive`, show message metadata only with `include_all_metadata`, and answer `invalid_cursor`, `invalid_ts_oldest`, `invalid_ts_latest`.
 */
import { accessConversation, type MethodHandler } from './access.ts';
import type { SlackMessage } from './store.ts';
import { type Args, bool, fail, ok, str, TS_PATTERN } from './wire.ts';

export const authTest: MethodHandler = (_args, { store }) => {
  const { team, bot } = store.workspace;
  return ok({
    url: `https://${team.domain}.slack.com/`,
    team: team.name,
    user: bot.name,
    team_id: team.id,
    user_id: bot.userId,
    bot_id: bot.botId,
    is_enterprise_install: false,
  });
};

export const conversationsOpen: MethodHandler = (args, { store, now }) => {
  const reopen = str(args, 'channel');
  if (reopen) {
    const existing = store.conversation(reopen);
    if (!existing || existing.kind === 'channel') return fail('channel_not_found');
    return ok({ no_op: true, already_open: true, channel: { id: existing.id } });
  }
  const raw = args.users;
  const users = (Array.isArray(raw) ? raw.map(String) : (str(args, 'users') ?? '').split(','))
    .map((u) => u.trim())
    .filter(Boolean);
  if (users.length === 0) return fail('users_list_not_supplied');
  if (users.length > 8) return fail('too_many_users');
  if (users.some((u) => !store.workspace.users.some((known) => known.id === u))) return fail('user_not_found');
  const { conversation, alreadyOpen } = store.openDm(users);
  const channel = bool(args, 'return_im')
    ? {
        id: conversation.id,
        created: Math.floor(now().getTime() / 1000),
        is_im: conversation.kind === 'im',
        user: users[0],
      }
    : { id: conversation.id };
  return ok(alreadyOpen ? { no_op: true, already_open: true, channel } : { channel });
};

export const conversationsHistory: MethodHandler = (args, { store }) => {
  const access = accessConversation(args, store, 'read');
  if (!access.ok) return access.reply;
  const newestFirst = [...access.conversation.messages].reverse();
  const page = paginate(newestFirst, args, 100);
  if ('error' in page) return fail(page.error);
  return ok({
    messages: shown(page.items, args),
    has_more: page.next !== undefined,
    pin_count: 0,
    channel_actions_ts: null,
    channel_actions_count: 0,
    ...(page.next ? { response_metadata: { next_cursor: page.next } } : {}),
  });
};

export const conversationsReplies: MethodHandler = (args, { store }) => {
  const access = accessConversation(args, store, 'read');
  if (!access.ok) return access.reply;
  const ts = str(args, 'ts');
  const conversation = access.conversation;
  const message = ts ? store.find(conversation, ts) : undefined;
  if (!message) return fail('thread_not_found');
  const parentTs = message.thread_ts ?? message.ts;
  const parent = store.find(conversation, parentTs);
  if (!parent) return fail('thread_not_found');
  const thread = [parent, ...(conversation.replies.get(parentTs) ?? [])];
  const page = paginate(thread, args, 1000);
  if ('error' in page) return fail(page.error);
  return ok({
    messages: shown(page.items, args),
    has_more: page.next !== undefined,
    ...(page.next ? { response_metadata: { next_cursor: page.next } } : {}),
  });
};

/** Copies of the messages as Slack lists them: metadata only when `include_all_metadata` asks for it. */
function shown(items: SlackMessage[], args: Args): SlackMessage[] {
  const copies = structuredClone(items);
  if (!bool(args, 'include_all_metadata')) for (const m of copies) delete m.metadata;
  return copies;
}

/** Filters by `oldest`/`latest`, resumes at `cursor`, and cuts at `limit` (items already in display order). */
function paginate(
  ordered: SlackMessage[],
  args: Args,
  defaultLimit: number,
): { items: SlackMessage[]; next?: string } | { error: string } {
  const oldest = str(args, 'oldest');
  const latest = str(args, 'latest');
  if (oldest && !TS_PATTERN.test(oldest) && !/^\d+$/.test(oldest)) return { error: 'invalid_ts_oldest' };
  if (latest && !TS_PATTERN.test(latest) && !/^\d+$/.test(latest)) return { error: 'invalid_ts_latest' };
  const inclusive = bool(args, 'inclusive');
  let items = ordered.filter((m) => {
    const t = micros(m.ts);
    if (oldest && (inclusive ? t < micros(oldest) : t <= micros(oldest))) return false;
    if (latest && (inclusive ? t > micros(latest) : t >= micros(latest))) return false;
    return true;
  });
  const cursor = str(args, 'cursor');
  if (cursor) {
    const decoded = /^next_ts:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
    if (!decoded?.[1]) return { error: 'invalid_cursor' };
    const from = BigInt(decoded[1]);
    const start = items.findIndex((m) => micros(m.ts) === from);
    if (start < 0) return { error: 'invalid_cursor' };
    items = items.slice(start);
  }
  const requested = Number(str(args, 'limit') ?? defaultLimit);
  const limit = Number.isFinite(requested) && requested > 0 ? Math.min(requested, 1000) : defaultLimit;
  const nextItem = items[limit];
  const next = nextItem ? Buffer.from(`next_ts:${micros(nextItem.ts)}`).toString('base64') : undefined;
  return { items: items.slice(0, limit), ...(next ? { next } : {}) };
}

/** A ts as microseconds, for exact comparison (`"1700000000.000100"` → 1700000000000100n). */
function micros(ts: string): bigint {
  const [seconds = '0', fraction = ''] = ts.split('.');
  return BigInt(seconds) * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6) || '0');
}
