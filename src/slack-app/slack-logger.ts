/**
 * Bridges the Slack SDKs' logger interface (Bolt, WebClient, SocketModeClient) to pino, so their lines land in the
 * same JSON stream with `component: slack-sdk`. The SDKs log free text; it never contains tokens (they redact
 * request bodies and headers themselves), and kvlab keeps their level at `info` or above.
 */
import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from '../logger.ts';

const LEVELS: Record<string, LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

/** A Slack SDK logger writing through `log` (a child with `component: slack-sdk`). */
export function slackLogger(log: Logger): SlackLogger {
  const child = log.child({ component: 'slack-sdk' });
  const text = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' ');
  return {
    debug: (...msg: unknown[]) => child.debug(text(msg)),
    info: (...msg: unknown[]) => child.info(text(msg)),
    warn: (...msg: unknown[]) => child.warn(text(msg)),
    error: (...msg: unknown[]) => child.error(text(msg)),
    setLevel: () => {},
    getLevel: () => LEVELS[child.level] ?? LogLevel.INFO,
    setName: () => {},
  };
}
