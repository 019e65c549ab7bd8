/** Shared set-up for the Slack simulator tests: a server with a clock tests can move, and client helpers. */
import { type Logger, LogLevel, type WebAPICallError, WebClient, type WebClientOptions } from '@slack/web-api';
import type { RateLimitOptions } from '../../../sim/slack/rate-limits.ts';
import { type SlackServer, startSlackServer } from '../../../sim/slack/server.ts';
import { createWorkspace, type SlackWorkspace } from '../../../sim/slack/workspace.ts';

/** Collects log lines instead of printing them (the SDK logs every `response_metadata.messages` entry). */
export function quietLogger(lines: string[] = []): Logger {
  const log =
    (level: string) =>
    (...msg: unknown[]) => {
      lines.push(`${level} ${msg.map(String).join(' ')}`);
    };
  return {
    debug: () => {},
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

export interface SlackFixture {
  server: SlackServer;
  workspace: SlackWorkspace;
  /** Moves the simulator's clock forward (rate-limit buckets, trigger and response_url lifetimes). */
  advance(ms: number): void;
  /** A WebClient as the product builds one, with the bot token and no retries unless asked. */
  client(options?: WebClientOptions, token?: string): WebClient;
}

export async function startSlackFixture(rateLimits: RateLimitOptions | false = false): Promise<SlackFixture> {
  const workspace = createWorkspace();
  let offset = 0;
  const server = await startSlackServer({ workspace, now: () => new Date(Date.now() + offset), rateLimits });
  return {
    server,
    workspace,
    advance: (ms) => {
      offset += ms;
    },
    client: (options = {}, token = workspace.bot.token) =>
      new WebClient(token, {
        slackApiUrl: server.apiUrl,
        retryConfig: { retries: 0 },
        logger: quietLogger(),
        ...options,
      }),
  };
}

/** The SDK error a rejected call produced (fails the test if the call succeeded). */
export async function failure(
  promise: Promise<unknown>,
): Promise<WebAPICallError & { data?: Record<string, unknown> }> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e as WebAPICallError,
  );
  if (!err) throw new Error('expected the call to fail');
  return err as WebAPICallError & { data?: Record<string, unknown> };
}

/** Waits until `check` returns a truthy value (polling), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined, timeoutMs = 2000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
