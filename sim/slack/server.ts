/**
 * A faithful Slack Web API (docs/wire-notes.md §5.5–5.7) on loopback HTTP for the unmodified @slack/web-api `WebClient` and
 * @slack/bolt: `POST /api/<method>` with form fields (JSON-valued `blocks`/`attachments`/`view` as strings, as
 * WebClient sends them) or a JSON body with `Authorization: Bearer` (write methods only, as Slack), answering
 * `{"ok":…}` with HTTP 200 for API errors, 429 + `Retry-After` when rate-limited. Each call is decided in order:
 * method → authentication (`not_authed`, `invalid_auth`, `not_allowed_token_type`) → injected faults → rate limits
 * → the method.
 * It also serves the `response_url`s the driver hands out (`POST /response/<id>`), Socket Mode
 * (`apps.connections.open` with the app-level token, then a WebSocket on `/link/`, see socket-mode.ts) and a small
 * `/sim/*` control surface so a separate process (`kvlab slack-send`) can act as Slack. Point clients at it with
 * `slackApiUrl: server.apiUrl`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../common/http.ts';
import type { MethodContext, MethodHandler } from './access.ts';
import { postEphemeral, postMessage, update } from './chat-methods.ts';
import { authTest, conversationsHistory, conversationsOpen, conversationsReplies } from './conversation-methods.ts';
import { createFaults, type SlackFaults } from './faults.ts';
import { createRateLimiter, type RateLimitOptions } from './rate-limits.ts';
import { applyAck, postToResponseUrl } from './response-url.ts';
import { simControl } from './sim-control.ts';
import { createSocketMode, type SlackSocketMode, type SocketModeOptions } from './socket-mode.ts';
import { createStore, type Interaction, type SlackMessage, type SlackStore } from './store.ts';
import { viewsOpen } from './view-methods.ts';
import { type ApiReply, type Args, fail, type LongTextPolicy, str } from './wire.ts';
import type { SlackWorkspace } from './workspace.ts';

export interface SlackServerOptions {
  workspace: SlackWorkspace;
  now?: () => Date;
  /** Per-method and per-channel limits (docs/wire-notes.md §5.6); `false` turns them off (faults still apply). */
  rateLimits?: RateLimitOptions | false;
  /** `text` over 40,000 characters: `reject` (`msg_too_long`, default) or `truncate` (the 2018 changelog). */
  longText?: LongTextPolicy;
  socketMode?: SocketModeOptions;
}

/** What the server has been asked, for tests and the sandbox's status output. */
export interface SlackRequestLog {
  total: number;
  /** Calls per Web API method. */
  methods: Record<string, number>;
  /** `ok:false` answers per error code (including `ratelimited`). */
  errors: Record<string, number>;
  /** Every call in order: method, HTTP status and error code if any. */
  calls: Array<{ method: string; status: number; error?: string }>;
}

/** What Slack knows about one delivered interaction, as the driver needs it. */
export interface OpenedInteraction {
  id: string;
  responseUrl: string;
  triggerId: string;
}

export interface SlackServer {
  /** `http://127.0.0.1:<port>/api/`: WebClient's `slackApiUrl`, Bolt's `clientOptions.slackApiUrl`. */
  apiUrl: string;
  /** `http://127.0.0.1:<port>`. */
  baseUrl: string;
  workspace: SlackWorkspace;
  store: SlackStore;
  faults: SlackFaults;
  requests: SlackRequestLog;
  /** Socket Mode: connected apps, envelope delivery, the `disconnect` fault (drive it with socket-driver.ts). */
  socketMode: SlackSocketMode;
  /** Records an interaction as Slack does before calling the app: mints its `response_url` and `trigger_id`. */
  openInteraction(input: Omit<Interaction, 'id' | 'triggerId' | 'responses' | 'createdAt'>): OpenedInteraction;
  /** Shows a slash command's HTTP acknowledgement to the user as Slack would (ephemeral or in channel). */
  applyAck(interactionId: string, contentType: string, body: string): void;
  /** A person writes in a conversation (not through the bot token), e.g. a student's question. */
  userSays(channel: string, user: string, text: string, threadTs?: string): SlackMessage;
  close(): Promise<void>;
}

const METHODS: Record<string, MethodHandler> = {
  'auth.test': authTest,
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'conversations.open': conversationsOpen,
  'conversations.history': conversationsHistory,
  'conversations.replies': conversationsReplies,
  'views.open': viewsOpen,
};

/** Methods that read arguments from a JSON body; the others ignore one (their docs say so). */
const JSON_METHODS = new Set([
  'auth.test',
  'chat.postMessage',
  'chat.update',
  'chat.postEphemeral',
  'conversations.open',
  'views.open',
]);
const MAX_BODY_BYTES = 1024 * 1024;
/** The one method that takes the app-level (`xapp-`) token instead of the bot token. */
const APP_LEVEL_METHOD = 'apps.connections.open';

/** Starts the simulator on 127.0.0.1 with a random port. */
export async function startSlackServer(options: SlackServerOptions): Promise<SlackServer> {
  const now = options.now ?? (() => new Date());
  const store = createStore(options.workspace, now);
  const { faults, take } = createFaults();
  const limiter = createRateLimiter(options.rateLimits ?? {}, now);
  const ctx: MethodContext = { store, now, longText: options.longText ?? 'reject' };
  const requests: SlackRequestLog = { total: 0, methods: {}, errors: {}, calls: [] };
  const socketMode = createSocketMode(options.workspace, options.socketMode);
  let baseUrl = '';

  const callMethod = (method: string, req: IncomingMessage, raw: string, url: URL): ApiReply => {
    const handler = METHODS[method];
    const appLevel = method === APP_LEVEL_METHOD;
    if (!handler && !appLevel) return fail('unknown_method', { req_method: method });
    const parsed = readArgs(req, raw, url, JSON_METHODS.has(method));
    if ('reply' in parsed) return parsed.reply;
    const { args, token, warnings } = parsed;
    if (!token) return fail('not_authed');
    const isApp = token === options.workspace.appToken;
    if (!isApp && token !== options.workspace.bot.token) return fail('invalid_auth');
    // The app-level token opens Socket Mode connections and nothing else; a bot token cannot open one.
    if (isApp !== appLevel) return fail('not_allowed_token_type');
    const fault = take(method, str(args, 'text'));
    if (fault?.kind === 'rateLimit') return rateLimited(fault.retryAfterSeconds);
    if (fault?.kind === 'fail' && !fault.after)
      return { status: fault.status, body: { ok: false, error: fault.error } };
    const retryAfter = limiter.take(method, str(args, 'channel'));
    if (retryAfter !== undefined) return rateLimited(retryAfter);
    const reply = handler ? handler(args, ctx) : socketMode.connectionsOpen(baseUrl);
    if (fault?.kind === 'fail') return { status: fault.status, body: { ok: false, error: fault.error } };
    if (!warnings.length) return reply;
    return {
      ...reply,
      body: {
        ...reply.body,
        warning: warnings.join(','),
        response_metadata: { ...(reply.body.response_metadata as object), warnings },
      },
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', baseUrl);
    const raw = (await readBody(req, MAX_BODY_BYTES)).toString('utf8');
    const [root, name = ''] = url.pathname.split('/').filter(Boolean);
    if (root === 'api' && (req.method === 'POST' || req.method === 'GET')) {
      const reply = callMethod(name, req, raw, url);
      requests.total++;
      requests.methods[name] = (requests.methods[name] ?? 0) + 1;
      const error = reply.body.ok === false ? String(reply.body.error) : undefined;
      if (error) requests.errors[error] = (requests.errors[error] ?? 0) + 1;
      requests.calls.push({ method: name, status: reply.status, ...(error ? { error } : {}) });
      return send(res, reply);
    }
    if (root === 'response' && req.method === 'POST') {
      return send(res, postToResponseUrl(store, name, raw, now, ctx.longText));
    }
    if (root === 'sim') return send(res, simControl(server, req.method ?? 'GET', url, raw));
    send(res, { status: 404, body: { ok: false, error: 'not_found' } });
  };

  const http = createServer((req, res) => {
    handle(req, res)
      .catch((err: unknown) => {
        if (!res.headersSent)
          send(res, { status: 500, body: { ok: false, error: 'fatal_error', detail: String(err) } });
        else res.destroy();
      })
      .finally(() => store.changed());
  });
  http.on('upgrade', (req, socket, head) => socketMode.upgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  const server: SlackServer = {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    workspace: options.workspace,
    store,
    faults,
    requests,
    socketMode,
    openInteraction(input) {
      const interaction = store.addInteraction(input);
      return {
        id: interaction.id,
        responseUrl: `${baseUrl}/response/${interaction.id}`,
        triggerId: interaction.triggerId,
      };
    },
    applyAck(id, contentType, body) {
      const interaction = store.interaction(id);
      if (interaction) applyAck(store, interaction, contentType, body);
      store.changed();
    },
    userSays(channel, user, text, threadTs) {
      const conversation = store.resolve(channel);
      if (!conversation) throw new Error(`userSays: no conversation ${channel} in the simulated workspace`);
      const message = store.append(
        conversation,
        { text, user },
        threadTs ? { ts: threadTs, broadcast: false } : undefined,
      );
      store.changed();
      return structuredClone(message);
    },
    close: async () => {
      await socketMode.close();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
  return server;
}

/** Arguments and token from query string, form body or JSON body (token from `Authorization: Bearer` or `token`). */
function readArgs(
  req: IncomingMessage,
  raw: string,
  url: URL,
  acceptsJson: boolean,
): { args: Args; token?: string; warnings: string[] } | { reply: ApiReply } {
  const args: Args = Object.fromEntries(url.searchParams);
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  const warnings: string[] = [];
  if (raw !== '') {
    if (contentType.startsWith('application/x-www-form-urlencoded')) {
      Object.assign(args, Object.fromEntries(new URLSearchParams(raw)));
    } else if (contentType.startsWith('application/json')) {
      if (!contentType.includes('charset')) warnings.push('missing_charset');
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        return { reply: fail('invalid_json') };
      }
      if (acceptsJson && typeof body === 'object' && body !== null) Object.assign(args, body, { token: undefined });
    } else if (contentType === '') {
      return { reply: fail('missing_post_type') };
    } else {
      return { reply: fail('invalid_post_type') };
    }
  }
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  return { args, token: bearer ?? str(args, 'token'), warnings };
}

function rateLimited(retryAfterSeconds: number): ApiReply {
  return {
    status: 429,
    body: { ok: false, error: 'ratelimited' },
    headers: { 'retry-after': String(retryAfterSeconds) },
  };
}

function send(res: ServerResponse, reply: ApiReply): void {
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...reply.headers,
  });
  res.end(text);
}
