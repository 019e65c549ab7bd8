/**
 * Slack's Socket Mode (docs/wire-notes.md §5.9, https://docs.slack.dev/apis/events-api/using-socket-mode) as the unmodified
 * @slack/socket-mode client (Bolt's `socketMode: true`) uses it: `apps.connections.open` with the app-level token
 * answers a single-use WebSocket URL (`/link/?ticket=…&app_id=…`); the app connects, Slack sends `hello`, then
 * delivers envelopes `{envelope_id, type, payload, accepts_response_payload}` and waits (3 s) for the app's ack
 * `{envelope_id, payload}` on the socket — for a slash command that `payload` is what the user is shown, like the HTTP
 * ack body. Slack pings every connection (the client gives up after 30 s without one) and answers the client's
 * pings; it can ask the app to reconnect with `{"type":"disconnect","reason":…}`.
 * Simplified, knowingly: plain `ws://` on loopback (Slack: `wss://`), envelopes go to the newest open connection
 * (Slack spreads them over up to 10), nothing is re-sent after a missed ack, and `events_api` retries are not modelled.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { type ApiReply, ok } from './wire.ts';
import type { SlackWorkspace } from './workspace.ts';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** Why Slack asks for a reconnect: soon-to-close (`warning`), routine (`refresh_requested`), app turned off. */
export type DisconnectReason = 'warning' | 'refresh_requested' | 'link_disabled';

export interface SocketModeOptions {
  /** How often Slack pings each connection (default 10 s; not documented, well inside the client's 30 s). */
  pingIntervalMs?: number;
}

/** What Slack sends for each delivery. */
export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
}

/** How one envelope fared. */
export interface SocketAck {
  envelopeId: string;
  /** False when no app connection was open, so nothing was sent (Slack shows the user `dispatch_failed`). */
  delivered: boolean;
  /** The app did not ack within the timeout (for a command the user sees `operation_timeout`). */
  timedOut: boolean;
  /** The ack's `payload` (`{}` for a bare `ack()`); undefined when there was no ack. */
  payload?: Record<string, unknown>;
  /** Milliseconds from sending the envelope to its ack (or to giving up). */
  ackMs: number;
  /** The connection that carried it. */
  connectionId?: string;
  sent: Envelope;
}

/** A frame from the app that acknowledged nothing: not JSON, no `envelope_id`, or one unknown or already timed out. */
export interface StrayFrame {
  connectionId: string;
  frame: string;
  why: string;
}

export interface SocketModeStats {
  /** Connections that got `hello`, ever (a reconnect adds one). */
  opened: number;
  /** Connections open now (including ones told to disconnect that have not closed yet). */
  open: number;
  /** WebSocket upgrades refused (unknown or reused ticket, wrong path). */
  refused: number;
  /** `disconnect` messages sent, in order. */
  disconnects: Array<{ connectionId: string; reason: DisconnectReason }>;
  stray: StrayFrame[];
}

/** The test-facing side of Socket Mode. */
export interface SlackSocketMode {
  readonly stats: SocketModeStats;
  /**
   * Resolves once an app connection that is not draining has received `hello`; with `after` (a previous
   * `stats.opened`) only a connection opened later counts — use it to wait for a reconnect.
   */
  waitForConnection(options?: { after?: number; timeoutMs?: number }): Promise<void>;
  /** Sends one envelope to the app and waits for its ack (default 3000 ms, Slack's limit). */
  deliver(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    options?: { ackTimeoutMs?: number; acceptsResponsePayload?: boolean },
  ): Promise<SocketAck>;
  /**
   * Fault: tells every open connection to reconnect (`{"type":"disconnect","reason":…}`), as Slack does before
   * recycling a server; after `closeAfterMs` Slack closes connections the app left open. Returns how many were told.
   */
  disconnect(reason?: DisconnectReason, options?: { closeAfterMs?: number }): number;
}

/** What the HTTP server wires in: the API method, the upgrade handler and shutdown. */
export interface SocketModeEndpoint extends SlackSocketMode {
  /** `apps.connections.open` for an already authenticated app-level token. */
  connectionsOpen(baseUrl: string): ApiReply;
  /** Handles an HTTP upgrade to `/link/?ticket=…`; refuses anything else with a plain HTTP error. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

interface Connection {
  id: string;
  seq: number;
  ws: WebSocket;
  draining: boolean;
  ping: NodeJS.Timeout;
}

const HOST = 'applink-kvlab-sim';
const DEFAULT_ACK_TIMEOUT_MS = 3000;

/** Creates Socket Mode for one workspace's app. */
export function createSocketMode(workspace: SlackWorkspace, options: SocketModeOptions = {}): SocketModeEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const tickets = new Set<string>();
  const connections = new Map<string, Connection>();
  const pending = new Map<string, (payload: Record<string, unknown>) => void>();
  const waiters = new Set<{ after: number; resolve: () => void }>();
  const stats: SocketModeStats = { opened: 0, open: 0, refused: 0, disconnects: [], stray: [] };
  const pingEvery = options.pingIntervalMs ?? 10_000;

  const usable = () => [...connections.values()].filter((c) => !c.draining && c.ws.readyState === 1);
  const notifyWaiters = () => {
    const newest = Math.max(0, ...usable().map((c) => c.seq));
    for (const w of waiters) {
      if (newest > w.after) {
        waiters.delete(w);
        w.resolve();
      }
    }
  };

  const onFrame = (connection: Connection, data: RawData, isBinary: boolean) => {
    const frame = (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)).toString('utf8');
    const stray = (why: string) => stats.stray.push({ connectionId: connection.id, frame, why });
    if (isBinary) return stray('binary frame');
    let message: { envelope_id?: unknown; payload?: unknown };
    try {
      message = JSON.parse(frame) as typeof message;
    } catch {
      return stray('not JSON');
    }
    if (typeof message.envelope_id !== 'string') return stray('no envelope_id');
    const settle = pending.get(message.envelope_id);
    if (!settle) return stray('unknown or already timed-out envelope_id');
    const payload = message.payload;
    settle(typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? { ...payload } : {});
  };

  const accept = (ws: WebSocket) => {
    const connection: Connection = {
      id: `conn-${randomBytes(6).toString('hex')}`,
      seq: ++stats.opened,
      ws,
      draining: false,
      ping: setInterval(() => ws.ping(), pingEvery),
    };
    connections.set(connection.id, connection);
    stats.open = connections.size;
    ws.on('message', (data, isBinary) => onFrame(connection, data, isBinary));
    ws.on('close', () => {
      clearInterval(connection.ping);
      connections.delete(connection.id);
      stats.open = connections.size;
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: connections.size,
        debug_info: { host: HOST, build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: workspace.bot.appId },
      }),
    );
    notifyWaiters();
  };

  return {
    stats,
    connectionsOpen(baseUrl) {
      const ticket = randomUUID();
      tickets.add(ticket);
      const wsBase = baseUrl.replace(/^http/, 'ws');
      const appHash = randomBytes(32).toString('hex');
      return ok({ url: `${wsBase}/link/?ticket=${ticket}&app_id=${appHash}` });
    },
    upgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const ticket = url.searchParams.get('ticket') ?? '';
      if (url.pathname !== '/link/' || !tickets.delete(ticket)) {
        stats.refused++;
        const status = url.pathname === '/link/' ? '401 Unauthorized' : '404 Not Found';
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(req, socket, head, accept);
    },
    waitForConnection({ after = 0, timeoutMs = 5000 } = {}) {
      return new Promise<void>((resolve, reject) => {
        const waiter = {
          after,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(
              `no Socket Mode connection${after ? ` newer than #${after}` : ''} within ${timeoutMs} ms: start the ` +
                'app with socketMode: true, the workspace appToken and clientOptions.slackApiUrl set to this simulator',
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
        notifyWaiters();
      });
    },
    deliver(type, payload, { ackTimeoutMs = DEFAULT_ACK_TIMEOUT_MS, acceptsResponsePayload = true } = {}) {
      const sent: Envelope = {
        envelope_id: randomUUID(),
        type,
        payload,
        accepts_response_payload: acceptsResponsePayload,
      };
      const target = usable().sort((a, b) => b.seq - a.seq)[0];
      if (!target) {
        return Promise.resolve({ envelopeId: sent.envelope_id, delivered: false, timedOut: false, ackMs: 0, sent });
      }
      const started = performance.now();
      const base = { envelopeId: sent.envelope_id, delivered: true, connectionId: target.id, sent };
      return new Promise<SocketAck>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(sent.envelope_id);
          resolve({ ...base, timedOut: true, ackMs: performance.now() - started });
        }, ackTimeoutMs);
        pending.set(sent.envelope_id, (ack) => {
          clearTimeout(timer);
          pending.delete(sent.envelope_id);
          resolve({ ...base, timedOut: false, payload: ack, ackMs: performance.now() - started });
        });
        target.ws.send(JSON.stringify(sent));
      });
    },
    disconnect(reason = 'refresh_requested', { closeAfterMs } = {}) {
      const open = [...connections.values()].filter((c) => c.ws.readyState === 1);
      for (const c of open) {
        c.draining = true;
        stats.disconnects.push({ connectionId: c.id, reason });
        c.ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: HOST } }));
        if (closeAfterMs !== undefined) setTimeout(() => c.ws.close(1001, 'going away'), closeAfterMs).unref();
      }
      return open.length;
    },
    async close() {
      for (const c of connections.values()) {
        clearInterval(c.ping);
        c.ws.terminate();
      }
      connections.clear();
      stats.open = 0;
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
