/**
 * {@link ChatPoster} over @slack/web-api's WebClient. Three things it adds to the plain client:
 * - a short `retryConfig` (3 quick retries for network errors and 5xx) instead of the default 30-minute policy, so
 *   a worker is never stuck for minutes (docs/wire-notes.md §5.5);
 * - 429 handling of its own (`rejectRateLimitedCalls`): wait `Retry-After`, try again, until a wait budget is
 *   spent, then a `transient` error carrying Slack's `retryAfterMs`, so the worker delays the job until then;
 * - a per-channel pace before each `chat.postMessage` (Slack allows about one message per second per channel), and
 *   `postIfFree`, which posts only when the channel has a slot right now and never waits.
 * `chat.postMessage` is never tried again blindly: a try whose answer was lost (timeout, network, 5xx) may have been
 * posted, so the WebClient that posts has no retries of its own, and the poster's few retries go through the
 * caller's `before`, which can look for the message (its metadata key) in Slack first ({@link ChatPoster.findPosted}).
 * Slack's errors become {@link ChatDeliveryError}s classified for the caller. Permission: `chat:write`, `im:write`.
 * It uses @slack/web-api itself, not Bolt's re-export: a worker never loads Bolt (~25 MB resident).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, WebClient } from '@slack/web-api';
import type { Logger } from '../logger.ts';
import {
  ChatDeliveryError,
  type ChatFailure,
  type ChatPoster,
  type PostedMessage,
  type PostKey,
  type PostOptions,
} from '../ports/chat-poster.ts';
import { slackLogger } from '../slack-app/slack-logger.ts';

export interface SlackChatPosterOptions {
  token: string;
  /** Web API base URL (the simulator's in tests and the sandbox). */
  slackApiUrl?: string;
  log: Logger;
  /**
   * Waits until `channel` may receive the next message; `tryNow` takes a slot only if one is free at once
   * (see src/queue/channel-pacer.ts).
   */
  pace?: ((channel: string) => Promise<void>) & { tryNow?: (channel: string) => Promise<boolean> };
  /** Most time spent waiting out 429s for one call before giving up with a `transient` error. */
  maxRateLimitWaitMs?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Metrics hooks: a 429 from Slack, and a call tried again after waiting it out. */
  onRateLimited?: (method: string) => void;
  onRetry?: (method: string) => void;
}

const UNREACHABLE = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'user_not_in_channel']);
const GONE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);
const TRANSIENT = new Set(['ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable']);

/** Message metadata's event type of kvlab's posts (Slack: `metadata.event_type`). */
export const POST_EVENT_TYPE = 'kvlab_post';

/** Tries of one `chat.postMessage` whose answers were lost, and the pause before each next one. */
const POST_TRIES = 4;
const postRetryDelayMs = (attempt: number) => Math.min(1_000, 200 * 2 ** attempt);

/**
 * Builds a WebClient the way kvlab uses it everywhere (short retries, our logger); `retries: 0` for one that must
 * not repeat a call on its own (a repeated chat.postMessage may post twice).
 */
export function createWebClient(
  options: Pick<SlackChatPosterOptions, 'token' | 'slackApiUrl' | 'log' | 'timeoutMs'> & { retries?: number },
) {
  return new WebClient(options.token, {
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
    retryConfig: { retries: options.retries ?? 3, factor: 2, minTimeout: 200, maxTimeout: 1_000, randomize: true },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 10_000,
    logger: slackLogger(options.log),
  });
}

export function createSlackChatPoster(options: SlackChatPosterOptions): ChatPoster {
  const client = createWebClient(options);
  const postClient = createWebClient({ ...options, retries: 0 });
  const maxWaitMs = options.maxRateLimitWaitMs ?? 30_000;
  const log = options.log.child({ component: 'slack-chat-poster' });

  /** Calls Slack, waiting out 429s within the budget; re-paces `paceChannel` before each try. */
  const call = async <T>(method: string, run: () => Promise<T>, paceChannel?: string): Promise<T> => {
    let waited = 0;
    for (;;) {
      if (paceChannel && options.pace) await options.pace(paceChannel);
      try {
        return await run();
      } catch (err) {
        if (err instanceof FromBefore) throw err;
        const retryAfterMs = rateLimitedFor(err);
        if (retryAfterMs === undefined) throw toDeliveryError(method, err);
        options.onRateLimited?.(method);
        if (waited + retryAfterMs > maxWaitMs) {
          throw new ChatDeliveryError(
            'ratelimited',
            'transient',
            `Slack answered 429 to ${method} (Retry-After ${Math.round(retryAfterMs / 1000)} s, after ${Math.round(waited / 1000)} s of waiting); the job waits for it.`,
            { cause: err, retryAfterMs },
          );
        }
        log.info({ method, retryAfterMs }, 'Slack rate limit: waiting before trying again');
        waited += retryAfterMs;
        await sleep(retryAfterMs);
        options.onRetry?.(method);
      }
    }
  };

  const postMessage = async (
    channel: string,
    message: Parameters<ChatPoster['post']>[1],
    { threadTs, key }: PostOptions,
  ): Promise<PostedMessage> => {
    const res = await postClient.chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks as never,
      unfurl_links: false,
      unfurl_media: false,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(key ? { metadata: { event_type: POST_EVENT_TYPE, event_payload: { ...key } } } : {}),
    });
    return { channel: res.channel ?? channel, ts: String(res.ts) };
  };

  /**
   * One chat.postMessage with at most {@link POST_TRIES} tries for lost answers, each after `before` (which may
   * find the message already there). A 429 is thrown as it is: nothing was posted, and `call` waits it out.
   * `state.unsure` outlives the 429s: a lost answer earlier in the same post still needs looking for.
   */
  const tryPost = async (
    channel: string,
    message: Parameters<ChatPoster['post']>[1],
    options: PostOptions,
    state: { unsure: boolean },
  ): Promise<PostedMessage> => {
    for (let attempt = 0; ; attempt++) {
      let found: PostedMessage | undefined;
      try {
        found = await options.before?.({ unsure: state.unsure });
      } catch (err) {
        throw new FromBefore(err);
      }
      if (found) return found;
      try {
        return await postMessage(channel, message, options);
      } catch (err) {
        if (rateLimitedFor(err) !== undefined) throw err;
        const e = toDeliveryError('chat.postMessage', err);
        if (e.failure !== 'transient' || attempt + 1 >= POST_TRIES) throw e;
        state.unsure = true;
        log.info({ slackError: e.slackError, attempt: attempt + 1 }, 'chat.postMessage answer lost; trying again');
        await sleep(postRetryDelayMs(attempt));
      }
    }
  };

  const findPosted = async (
    channel: string,
    key: PostKey,
    { threadTs, sinceMs }: { threadTs?: string; sinceMs?: number },
  ): Promise<PostedMessage | undefined> => {
    type Found = { ts?: string; metadata?: { event_type?: string; event_payload?: Record<string, unknown> } };
    const isIt = (m: Found) =>
      m.metadata?.event_type === POST_EVENT_TYPE &&
      m.metadata.event_payload?.job === key.job &&
      m.metadata.event_payload?.step === key.step;
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await call('conversations', () =>
        threadTs
          ? client.conversations.replies({
              channel,
              ts: threadTs,
              include_all_metadata: true,
              limit: 1000,
              ...(cursor ? { cursor } : {}),
            })
          : client.conversations.history({
              channel,
              include_all_metadata: true,
              limit: 200,
              ...(sinceMs !== undefined ? { oldest: (Math.max(0, sinceMs) / 1000).toFixed(6) } : {}),
              ...(cursor ? { cursor } : {}),
            }),
      );
      const hit = ((res.messages ?? []) as Found[]).find(isIt);
      if (hit?.ts) return { channel, ts: hit.ts };
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  };

  return {
    async post(channel, message, postOptions = {}): Promise<PostedMessage> {
      const state = { unsure: false };
      try {
        return await call('chat.postMessage', () => tryPost(channel, message, postOptions, state), channel);
      } catch (err) {
        throw err instanceof FromBefore ? err.cause : err;
      }
    },
    async postIfFree(channel, message, postOptions = {}): Promise<PostedMessage | undefined> {
      if (options.pace?.tryNow && !(await options.pace.tryNow(channel))) return undefined;
      try {
        return await tryPost(channel, message, postOptions, { unsure: false });
      } catch (err) {
        if (err instanceof FromBefore) throw err.cause;
        if (rateLimitedFor(err) === undefined) throw toDeliveryError('chat.postMessage', err);
        // Slack's own count says the channel is busy: not free after all; whoever posts later waits its Retry-After.
        options.onRateLimited?.('chat.postMessage');
        return undefined;
      }
    },
    findPosted,
    async update(channel, ts, message) {
      await call('chat.update', () =>
        client.chat.update({ channel, ts, text: message.text, blocks: message.blocks as never }),
      );
    },
    async postEphemeral(channel, user, message) {
      await call('chat.postEphemeral', () =>
        client.chat.postEphemeral({ channel, user, text: message.text, blocks: message.blocks as never }),
      );
    },
    async openDm(user) {
      const res = await call('conversations.open', () => client.conversations.open({ users: user }));
      const id = res.channel?.id;
      if (!id)
        throw new ChatDeliveryError('no_channel', 'rejected', 'conversations.open answered without a channel id.');
      return id;
    },
    async respond(responseUrl, message) {
      const body = JSON.stringify({ response_type: 'ephemeral', replace_original: false, ...message });
      let res: Response;
      try {
        res = await fetch(responseUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (err) {
        throw new ChatDeliveryError('request_error', 'transient', 'The response_url could not be reached.', {
          cause: err,
        });
      }
      await res.body?.cancel();
      if (!res.ok) {
        const failure: ChatFailure = res.status >= 500 ? 'transient' : 'gone';
        throw new ChatDeliveryError(
          `http_${res.status}`,
          failure,
          `The response_url answered ${res.status}: it expired (30 minutes) or was used 5 times.`,
        );
      }
    },
  };
}

/** What a caller's `before` threw, carried through the retry loops untouched. */
class FromBefore extends Error {
  constructor(cause: unknown) {
    super('before() threw', { cause });
  }
}

function rateLimitedFor(err: unknown): number | undefined {
  const e = err as { code?: string; retryAfter?: number };
  if (e.code !== ErrorCode.RateLimitedError || typeof e.retryAfter !== 'number') return undefined;
  return Math.max(0, e.retryAfter) * 1000;
}

/** Slack's error → a classified ChatDeliveryError; the message names the method and Slack's code, nothing else. */
export function toDeliveryError(method: string, err: unknown): ChatDeliveryError {
  if (err instanceof ChatDeliveryError) return err;
  const e = err as { code?: string; data?: { error?: string }; statusCode?: number };
  if (e.code === ErrorCode.PlatformError) {
    const code = e.data?.error ?? 'unknown_error';
    const failure: ChatFailure = UNREACHABLE.has(code)
      ? 'unreachable'
      : GONE.has(code)
        ? 'gone'
        : TRANSIENT.has(code)
          ? 'transient'
          : 'rejected';
    return new ChatDeliveryError(code, failure, `Slack refused ${method}: ${code}.`, { cause: err });
  }
  if (e.code === ErrorCode.HTTPError) {
    const status = e.statusCode ?? 0;
    return new ChatDeliveryError(`http_${status}`, 'transient', `Slack answered HTTP ${status} to ${method}.`, {
      cause: err,
    });
  }
  return new ChatDeliveryError('request_error', 'transient', `Slack could not be reached for ${method}.`, {
    cause: err,
  });
}
