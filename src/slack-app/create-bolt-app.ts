/**
 * Builds the Bolt app with the receiver the configuration asks for: Socket Mode when `SLACK_APP_TOKEN` is set
 * (no public URL needed; Slack pushes over a WebSocket), else Bolt's HTTP receiver on `PORT`, which verifies
 * every request's `X-Slack-Signature` with `SLACK_SIGNING_SECRET` and answers 401 to a forged, stale or unsigned
 * one before any listener runs (docs/wire-notes.md §5.2). In front of Bolt on the same port, src/slack-app/request-guard.ts
 * serves `/healthz`, `/readyz` and `/metrics` and refuses future timestamps and bodies Bolt would crash on.
 * Initialization (Bolt's `auth.test` of the bot token) is awaited, so a bad token stops start-up with a clear error.
 * Every acknowledgement is timed (debug log; a warning when it nears Slack's 3 seconds).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import { ConfigError } from '../../diagnostics/errors.ts';
import type { BotEnvConfig } from '../config.ts';
import type { Route } from '../health.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { installRequestGuard } from './request-guard.ts';
import { slackLogger } from './slack-logger.ts';

export interface BoltApp {
  app: App;
  mode: 'http' | 'socket';
  /** Starts receiving. For HTTP: the port it listens on (useful with PORT=0). */
  start(host?: string): Promise<{ port?: number }>;
  stop(): Promise<void>;
}

export interface BoltAppOptions {
  /** Health and metrics routes served on the receiver's port (HTTP mode). */
  routes?: Record<string, Route>;
  metrics?: Metrics;
}

export async function createBoltApp(config: BotEnvConfig, log: Logger, options: BoltAppOptions = {}): Promise<BoltApp> {
  const logger = slackLogger(log.child({ component: 'receiver' }));
  const clientOptions = {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1_000 },
    timeout: 5_000,
  };
  const common = { token: config.SLACK_BOT_TOKEN, logger, clientOptions, deferInitialization: true } as const;
  const socket = config.SLACK_APP_TOKEN !== undefined;
  const app = socket
    ? new App({ ...common, appToken: config.SLACK_APP_TOKEN, socketMode: true })
    : new App({ ...common, signingSecret: config.SLACK_SIGNING_SECRET as string });
  try {
    await app.init();
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error ?? (err as Error).message;
    throw new ConfigError(
      `Slack did not accept SLACK_BOT_TOKEN (auth.test: ${code}). Check the token and SLACK_API_URL.`,
      { cause: err },
    );
  }
  return {
    app,
    mode: socket ? 'socket' : 'http',
    async start(host) {
      if (socket) {
        // Bolt hands clientOptions (slackApiUrl) to its SocketModeClient, so apps.connections.open goes there too.
        await app.start().catch((err: unknown) => {
          const code = (err as { data?: { error?: string } }).data?.error ?? (err as Error).message;
          throw new ConfigError(
            `Slack did not open a Socket Mode connection (apps.connections.open: ${code}). Check SLACK_APP_TOKEN ` +
              '(an app-level token with connections:write) and SLACK_API_URL.',
            { cause: err },
          );
        });
        return {};
      }
      const server = (await app.start({ port: config.PORT, ...(host ? { host } : {}) }).catch((err: unknown) => {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
        throw new ConfigError(
          `PORT ${config.PORT} is already in use (another kvlab serve or \`npm start\`?): stop it, or set PORT to a free port.`,
          { cause: err },
        );
      })) as Server;
      installRequestGuard(server, {
        log: log.child({ component: 'receiver' }),
        signingSecret: config.SLACK_SIGNING_SECRET as string,
        routes: options.routes ?? {},
      });
      timeAcks(server, log.child({ component: 'receiver' }), options.metrics);
      const address = server.address() as AddressInfo | string | null;
      return { port: typeof address === 'object' && address ? address.port : config.PORT };
    },
    stop: () => app.stop().then(() => undefined),
  };
}

/** Slack gives up after 3 s; an answer slower than this is logged as a warning. */
const SLOW_ACK_MS = 2_000;

/**
 * Times every request to the Request URL from arrival to the end of kvlab's answer (what Slack's 3-second limit
 * counts, minus the network): `debug` per request, `warn` when close to the limit.
 */
function timeAcks(server: Server, log: Logger, metrics?: Metrics): void {
  server.on('request', (req, res) => {
    if (req.method !== 'POST') return;
    const started = performance.now();
    res.once('finish', () => {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      metrics?.ack(ms / 1000);
      if (ms >= SLOW_ACK_MS) log.warn({ ms, status: res.statusCode }, 'slow acknowledgement: Slack allows 3 s');
      else log.debug({ ms, status: res.statusCode }, 'acknowledged');
    });
  });
}
