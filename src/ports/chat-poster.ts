/**
 * How the worker and the receiver talk back to Slack (src/adapters/slack-chat-poster.ts over @slack/web-api).
 * Messages are already rendered and escaped (src/slack); the poster only delivers them, keeps Slack's pace, and
 * turns Slack's answers into {@link ChatDeliveryError}s the caller can act on (fall back, retry, give up).
 * Permission needed: bot scopes `chat:write` and `im:write` (conversations.open for the DM fallback).
 */
import { AppError } from '../../diagnostics/errors.ts';
import type { SlackMessage } from '../slack/messages.ts';

export interface PostedMessage {
  channel: string;
  ts: string;
}

/** Which message of which job a post is, carried as Slack message metadata so a careful client can find it again. */
export interface PostKey {
  job: string;
  step: string;
}

export interface PostOptions {
  /** A threaded reply to this message. */
  threadTs?: string;
  /** Attached as message metadata (`kvlab_post`); {@link ChatPoster.findPosted} looks for it. */
  key?: PostKey;
  /**
   * Called right before each try reaches Slack (after the channel's pace). `unsure`: an earlier try of this call
   * may have been posted (its answer was lost: timeout, 5xx). A message it returns is taken as already posted and
   * nothing is sent; what it throws ends the call as it is.
   */
  before?: (attempt: { unsure: boolean }) => Promise<PostedMessage | undefined>;
}

export interface ChatPoster {
  /**
   * `chat.postMessage`, a threaded reply when `threadTs` is given. Waits its turn in the channel's pace. Tries
   * again after a lost answer (network, 5xx) only through `before`, which can look for the message first.
   */
  post(channel: string, message: SlackMessage, options?: PostOptions): Promise<PostedMessage>;
  /**
   * The same, only if the channel has room right now (kvlab's pace has a free slot and Slack does not answer 429):
   * never waits; `undefined` when nothing was posted. Without it, callers treat every channel as busy.
   */
  postIfFree?(channel: string, message: SlackMessage, options?: PostOptions): Promise<PostedMessage | undefined>;
  /**
   * The message posted with `key`, if Slack has it: in the thread `threadTs` (conversations.replies), else among the
   * channel's top-level messages since `sinceMs` (conversations.history), with their metadata. Scopes:
   * `channels:history`, `groups:history`, `im:history`; without them Slack answers `missing_scope` (`rejected`).
   */
  findPosted?(
    channel: string,
    key: PostKey,
    where: { threadTs?: string; sinceMs?: number },
  ): Promise<PostedMessage | undefined>;
  /** `chat.update` of a message the bot posted. */
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
  /** `chat.postEphemeral`: visible to `user` only, in `channel`. */
  postEphemeral(channel: string, user: string, message: SlackMessage): Promise<void>;
  /** `conversations.open` with one user: the id of the bot's DM with them. */
  openDm(user: string): Promise<string>;
  /** A POST to an interaction's `response_url` (ephemeral; usable 5 times within 30 minutes). */
  respond(responseUrl: string, message: SlackMessage): Promise<void>;
}

/**
 * What went wrong with one Slack call, classified for the caller:
 * - `unreachable`: the bot cannot post there (`not_in_channel`, `channel_not_found`, `is_archived`) — fall back;
 * - `gone`: the message to update no longer exists or cannot be edited — post a new one;
 * - `transient`: rate limits beyond the wait budget, 5xx, network — retry the job later;
 * - `rejected`: Slack refused the content or the credentials (`invalid_blocks`, `invalid_auth`, …) — do not retry.
 */
export type ChatFailure = 'unreachable' | 'gone' | 'transient' | 'rejected';

export class ChatDeliveryError extends AppError {
  readonly code = 'chat_delivery';
  /** Slack's error code (`not_in_channel`, `ratelimited`, …) or an HTTP/network summary. */
  readonly slackError: string;
  readonly failure: ChatFailure;
  /** For a rate limit the poster would not wait out: how long Slack asked to wait (its Retry-After). */
  readonly retryAfterMs?: number;

  constructor(
    slackError: string,
    failure: ChatFailure,
    message: string,
    options?: ErrorOptions & { retryAfterMs?: number },
  ) {
    super(message, options);
    this.slackError = slackError;
    this.failure = failure;
    if (options?.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}
