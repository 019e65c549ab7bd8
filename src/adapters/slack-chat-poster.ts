/**
 * {@link ChatPoster} over @slack/web-api's WebClient. Three things it adds to the plain client:
 * - a short `retryConfig` (3 quick retries for network errors and 5xx) instead of the default 30-minute policy, so
 *   a worker is never stuck for minutes (docs/wire-notes.md §5.5);
 * - 429 handling of its own (`rejectRateLimitedCalls`): wait `Retry-After`, try again, until a wait budget is
 *   spent, then a `transient` error carrying Slack's `retryAfterMs`, so the worker delays the job until then;
 * - a per-channel pace before each `chat.postMessage` (Slack allows about one message per second per channel), and
 *   `postIfFree`, which posts only when the channel has a slot right now and never waits.
 * Slack's errors become {@link ChatDeliveryError}s classified for the caller. Permission: `chat:write`, `im:write`.
 * It uses @slack/web-api itself, not Bolt's re-export: a worker never loads Bolt (~25 MB resident).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, WebClient } from '@slack/web-api';
import type { Logger } from '../logger.ts';
import { ChatDeliveryError, type ChatFailure, type ChatPoster, type PostedMessage } from '../ports/chat-poster.ts';
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

/** Builds a WebClient the way kvlab uses it everywhere (short retries, our logger). */
export function createWebClient(options: Pick<SlackChatPosterOptions, 'token' | 'slackApiUrl' | 'log' | 'timeoutMs'>) {
  return new WebClient(options.token, {
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
    retryConfig: { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 1_000, randomize: true },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 10_000,
    logger: slackLogger(options.log),
  });
}

export function createSlackChatPoster(options: SlackChatPosterOptions): ChatPoster {
  const client = createWebClient(options);
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

  const postMessage = (channel: string, message: Parameters<ChatPoster['post']>[1], threadTs?: string) =>
    client.chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks as never,
      unfurl_links: false,
      unfurl_media: false,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });

  return {
    async post(channel, message, { threadTs } = {}): Promise<PostedMessage> {
      const res = await call('chat.postMessage', () => postMessage(channel, message, threadTs), channel);
      return { channel: res.channel ?? channel, ts: String(res.ts) };
    },
    async postIfFree(channel, message, { threadTs } = {}): Promise<PostedMessage | undefined> {
      if (options.pace?.tryNow && !(await options.pace.tryNow(channel))) return undefined;
      try {
        const res = await postMessage(channel, message, threadTs);
        return { channel: res.channel ?? channel, ts: String(res.ts) };
      } catch (err) {
        if (rateLimitedFor(err) === undefined) throw toDeliveryError('chat.postMessage', err);
        // Slack's own count says the channel is busy: not free after all; whoever posts later waits its Retry-After.
        options.onRateLimited?.('chat.postMessage');
        return undefined;
      }
    },
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
