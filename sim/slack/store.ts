/**
 * What the simulated Slack remembers: conversations (channels and DMs) with their messages, threads, edits,
 * ephemeral messages per user, opened modals, and the interactions (slash commands, button clicks) whose
 * `response_url` and `trigger_id` the driver handed out. Timestamps are Slack's `"<seconds>.<6 digits>"` strings,
 * strictly increasing per conversation. Read helpers return copies, so tests cannot change the state by accident.
 */
import { randomBytes } from 'node:crypto';
import type { SlackWorkspace } from './workspace.ts';

/** A message as `conversations.history` / `conversations.replies` return it. */
export interface SlackMessage {
  type: 'message';
  subtype?: string;
  ts: string;
  text: string;
  user: string;
  bot_id?: string;
  app_id?: string;
  team: string;
  blocks?: Array<Record<string, unknown>>;
  attachments?: unknown[];
  thread_ts?: string;
  parent_user_id?: string;
  reply_count?: number;
  reply_users_count?: number;
  latest_reply?: string;
  reply_users?: string[];
  edited?: { user: string; ts: string };
  /** Message metadata as posted; history and replies include it only with `include_all_metadata`. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

/** A message only one person sees; it never appears in history and cannot be edited with `chat.update`. */
export interface EphemeralMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: Array<Record<string, unknown>>;
  thread_ts?: string;
  /** How it arrived: the Web API, a slash-command acknowledgement, or a `response_url` POST. */
  via: 'chat.postEphemeral' | 'ack' | 'response_url';
}

export interface Conversation {
  id: string;
  kind: 'channel' | 'im' | 'mpim';
  name?: string;
  isPrivate: boolean;
  isArchived: boolean;
  members: Set<string>;
  botIsMember: boolean;
  /** Top-level messages and broadcast replies, oldest first. */
  messages: SlackMessage[];
  /** Replies by parent ts, oldest first. */
  replies: Map<string, SlackMessage[]>;
  /** Accepted replies whose `thread_ts` matched no parent: Slack answers ok but nobody ever sees them. */
  orphans: SlackMessage[];
  lastMicros: bigint;
}

export interface OpenedView {
  id: string;
  user: string;
  view: Record<string, unknown>;
  triggerId: string;
}

/** One POST to a `response_url`, with what it did. */
export interface ResponseRecord {
  payload: Record<string, unknown>;
  status: number;
  effect: 'ephemeral' | 'in_channel' | 'replaced' | 'deleted' | 'rejected';
  ts?: string;
}

/** A slash command or button click Slack delivered, with its single-use trigger and 5-use `response_url`. */
export interface Interaction {
  id: string;
  kind: 'command' | 'block_actions';
  user: string;
  channel: string;
  createdAt: number;
  triggerId: string;
  /** For block_actions: the message that carried the button (target of replace/delete_original). */
  source?: { channel: string; ts: string; ephemeral: boolean };
  responses: ResponseRecord[];
}

export interface TriggerRecord {
  user: string;
  issuedAt: number;
  used: boolean;
}

export type SlackStore = ReturnType<typeof createStore>;

/** Creates the store for one workspace; channels are copied from it, DMs are opened on demand. */
export function createStore(workspace: SlackWorkspace, now: () => Date) {
  const conversations = new Map<string, Conversation>();
  const ephemerals = new Map<string, EphemeralMessage[]>();
  const views = new Map<string, OpenedView[]>();
  const interactions = new Map<string, Interaction>();
  const triggers = new Map<string, TriggerRecord>();
  const listeners = new Set<() => void>();
  for (const c of workspace.channels) {
    conversations.set(c.id, {
      ...emptyConversation(c.id, 'channel'),
      name: c.name,
      isPrivate: c.isPrivate ?? false,
      isArchived: c.isArchived ?? false,
      members: new Set(c.members),
      botIsMember: c.botIsMember,
    });
  }

  /** Next ts for a conversation: the clock in microseconds, bumped past the last one issued there. */
  const nextTs = (conversation: Conversation): string => {
    const clock = BigInt(now().getTime()) * 1000n;
    const micros = clock > conversation.lastMicros ? clock : conversation.lastMicros + 1n;
    conversation.lastMicros = micros;
    return `${micros / 1_000_000n}.${String(micros % 1_000_000n).padStart(6, '0')}`;
  };

  const store = {
    workspace,
    conversations,
    triggers,
    nextTs,
    conversation: (id: string): Conversation | undefined => conversations.get(id),
    /** Resolves a `channel` argument: an id, `#name`/`name`, or a user id (Slack then posts to the app DM). */
    resolve(arg: string): Conversation | undefined {
      const byId = conversations.get(arg);
      if (byId) return byId;
      const name = arg.replace(/^#/, '');
      const byName = [...conversations.values()].find((c) => c.kind === 'channel' && c.name === name);
      if (byName) return byName;
      return workspace.users.some((u) => u.id === arg) ? store.openDm([arg]).conversation : undefined;
    },
    /** Opens (or returns) the DM with one user, or a group DM with several. */
    openDm(userIds: string[]): { conversation: Conversation; alreadyOpen: boolean } {
      const kind = userIds.length === 1 ? 'im' : 'mpim';
      const wanted = [...userIds].sort().join(',');
      const existing = [...conversations.values()].find(
        (c) => c.kind === kind && [...c.members].sort().join(',') === wanted,
      );
      if (existing) return { conversation: existing, alreadyOpen: true };
      const id = `${kind === 'im' ? 'D' : 'G'}${randomBytes(5).toString('hex').toUpperCase()}`;
      const conversation = { ...emptyConversation(id, kind), members: new Set(userIds) };
      conversations.set(id, conversation);
      return { conversation, alreadyOpen: false };
    },
    /**
     * Appends a message: top level, or as a reply when `threadTs` names a top-level message (updating the parent's
     * `reply_count`, `reply_users`, `latest_reply`); a `threadTs` that names nothing makes an invisible orphan, as
     * Slack does. A broadcast reply is the same object in the thread and in the channel.
     */
    append(
      conversation: Conversation,
      content: Omit<SlackMessage, 'type' | 'ts' | 'team'>,
      thread?: { ts: string; broadcast: boolean },
    ): SlackMessage {
      const message: SlackMessage = { type: 'message', ...content, team: workspace.team.id, ts: nextTs(conversation) };
      if (!thread) {
        conversation.messages.push(message);
        return message;
      }
      message.thread_ts = thread.ts;
      const parent = store.find(conversation, thread.ts);
      const isReply = parent?.thread_ts !== undefined && parent.thread_ts !== parent.ts;
      if (!parent || isReply) {
        conversation.orphans.push(message);
        return message;
      }
      message.parent_user_id = parent.user;
      const replies = conversation.replies.get(parent.ts) ?? [];
      replies.push(message);
      conversation.replies.set(parent.ts, replies);
      const users = [...new Set([...(parent.reply_users ?? []), message.user])];
      Object.assign(parent, {
        thread_ts: parent.ts,
        reply_count: replies.length,
        reply_users_count: users.length,
        latest_reply: message.ts,
        reply_users: users,
      });
      if (thread.broadcast) {
        message.subtype = 'thread_broadcast';
        conversation.messages.push(message);
      }
      return message;
    },
    /** A message by ts: top level or a reply (not an orphan, not ephemeral). */
    find(conversation: Conversation, ts: string): SlackMessage | undefined {
      return (
        conversation.messages.find((m) => m.ts === ts) ??
        [...conversation.replies.values()].flat().find((m) => m.ts === ts)
      );
    },
    addEphemeral(user: string, message: Omit<EphemeralMessage, 'ts'>, conversation?: Conversation): string {
      const ts = conversation ? nextTs(conversation) : nextTs(emptyConversation('', 'im'));
      const list = ephemerals.get(user) ?? [];
      list.push({ ...message, ts });
      ephemerals.set(user, list);
      return ts;
    },
    /** The stored (mutable) ephemeral message, for `replace_original`. */
    liveEphemeral: (user: string, ts: string): EphemeralMessage | undefined =>
      ephemerals.get(user)?.find((m) => m.ts === ts),
    removeEphemeral(user: string, ts: string): void {
      ephemerals.set(
        user,
        (ephemerals.get(user) ?? []).filter((m) => m.ts !== ts),
      );
    },
    addView: (view: OpenedView) => views.set(view.user, [...(views.get(view.user) ?? []), view]),
    interaction: (id: string): Interaction | undefined => interactions.get(id),
    addInteraction(interaction: Omit<Interaction, 'id' | 'triggerId' | 'responses' | 'createdAt'>): Interaction {
      const id = randomBytes(12).toString('hex');
      const at = now().getTime();
      const triggerId = `${Math.floor(at / 1000)}${digits(3)}.${digits(13)}.${randomBytes(16).toString('hex')}`;
      const record: Interaction = { ...interaction, id, triggerId, createdAt: at, responses: [] };
      interactions.set(id, record);
      triggers.set(triggerId, { user: interaction.user, issuedAt: at, used: false });
      return record;
    },

    /**
     * Calls `listener` after anything may have changed (a Web API call, a `response_url` POST, an ack, a person
     * writing); edits happen in place, so listeners re-read what they show. Returns the unsubscribe.
     */
    onChange(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Tells the {@link onChange} listeners; the server calls it after every request it handled. */
    changed(): void {
      for (const listener of [...listeners]) listener();
    },

    /** Top-level messages of a conversation (what the channel shows), oldest first. */
    messages: (channel: string): SlackMessage[] => structuredClone(conversations.get(channel)?.messages ?? []),
    /** A thread: the parent followed by its replies, oldest first; empty when there is no such parent. */
    thread(channel: string, ts: string): SlackMessage[] {
      const c = conversations.get(channel);
      const parent = c?.messages.find((m) => m.ts === ts && m.subtype !== 'thread_broadcast');
      return parent ? structuredClone([parent, ...(c?.replies.get(ts) ?? [])]) : [];
    },
    /** Replies Slack accepted for a `thread_ts` that matched no message: invisible in every client. */
    orphans: (channel: string): SlackMessage[] => structuredClone(conversations.get(channel)?.orphans ?? []),
    /** Ephemeral messages shown to one user, in arrival order. */
    ephemerals: (user: string): EphemeralMessage[] => structuredClone(ephemerals.get(user) ?? []),
    /** Modals opened for one user, in order. */
    views: (user: string): OpenedView[] => structuredClone(views.get(user) ?? []),
    /** POSTs to one `response_url` (its id, or the whole URL), in order. */
    responses(idOrUrl: string): ResponseRecord[] {
      const id = idOrUrl.split('/').filter(Boolean).at(-1) ?? '';
      return structuredClone(interactions.get(id)?.responses ?? []);
    },
    /** The DM channel id of the app with a user, once opened. */
    dmWith: (user: string): string | undefined =>
      [...conversations.values()].find((c) => c.kind === 'im' && c.members.has(user))?.id,
  };
  return store;
}

function emptyConversation(id: string, kind: Conversation['kind']): Conversation {
  return {
    id,
    kind,
    isPrivate: kind !== 'channel',
    isArchived: false,
    members: new Set(),
    botIsMember: true,
    messages: [],
    replies: new Map(),
    orphans: [],
    lastMicros: 0n,
  };
}

function digits(n: number): string {
  return Array.from(randomBytes(n), (b) => String(b % 10)).join('');
}
