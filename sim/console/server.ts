/**
 * The classroom console: one local web page that is the simulated Slack workspace and classroom (docs/console.md).
 * Served on 127.0.0.1 beside the simulators, it shows the channels, DMs, threads, ephemeral messages and modals of
 * the Slack simulator live (server-sent events), delivers what a visitor types or clicks to the bot signed exactly as
 * Slack does (the driver `kvlab slack-send` uses), and applies break/fix changes to the simulated cluster and Azure.
 * It only ever talks to the simulators and to a bot on loopback: no real Slack, no external network.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AzureState, onAzureChange } from '../azure/state.ts';
import { readBody } from '../common/http.ts';
import type { ObjectStore } from '../k8s/store.ts';
import type { SimRoster as Roster } from '../roster.ts';
import { createSlackDriver } from '../slack/driver.ts';
import { splitCommandLine } from '../slack/send-command.ts';
import type { SlackServer } from '../slack/server.ts';
import { CHANGE_KINDS, createClassroomChanges } from './classroom-changes.ts';
import { buildSnapshot } from './snapshot.ts';
import { submitView } from './view-submission.ts';

export interface ConsoleOptions {
  slack: SlackServer;
  roster: Roster;
  store: ObjectStore;
  azure: AzureState;
  /** The bot's Request URL (loopback only); default `http://127.0.0.1:$PORT/slack/events`, PORT 3000. */
  botUrl?: string;
  /** Default 0: a free port. */
  port?: number;
}

export interface ConsoleServer {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  port: number;
  botUrl(): string;
  /** Points the console at the bot once it listens (e.g. on a port chosen at start). */
  setBotUrl(url: string): void;
  close(): Promise<void>;
}

/** Someone in the workspace who is not on the roster, so a visitor can see how kvlab answers strangers. */
export const OUTSIDER = { id: 'U0OUTSIDER', name: 'olly', realName: 'Olly Outsider (not on the roster)' };

const PUBLIC = new URL('./public/', import.meta.url);
const FILES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/console.css': 'console.css',
  '/console.js': 'console.js',
  '/render.js': 'render.js',
};
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
};
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** Refuses any bot URL that is not on this machine: the console must never deliver to a real service. */
export function assertLoopback(url: string): string {
  const parsed = new URL(url);
  if (!/^https?:$/.test(parsed.protocol) || !['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)) {
    throw new Error(`the console delivers only to a bot on this machine (127.0.0.1), not to ${parsed.host}`);
  }
  return parsed.toString();
}

export async function startConsoleServer(options: ConsoleOptions): Promise<ConsoleServer> {
  const { slack, roster, store, azure } = options;
  let botUrl = assertLoopback(options.botUrl ?? `http://127.0.0.1:${process.env.PORT || '3000'}/slack/events`);
  addOutsider(slack);
  const driver = createSlackDriver(slack);
  const changes = createClassroomChanges({ store, azure });
  const closedViews = new Set<string>();
  const snapshot = () => buildSnapshot({ slack, roster, store, changes, closedViews, botUrl: () => botUrl });

  // Live updates: every change in Slack, the cluster or Azure schedules one snapshot to every open page.
  const clients = new Set<ServerResponse>();
  let pending: NodeJS.Timeout | undefined;
  const changed = () => {
    if (pending || clients.size === 0) return;
    pending = setTimeout(() => {
      pending = undefined;
      const data = `event: state\ndata: ${JSON.stringify(snapshot())}\n\n`;
      for (const res of clients) res.write(data);
    }, 150);
  };
  const unsubscribe = [slack.store.onChange(changed), store.subscribe(changed), onAzureChange(azure, changed)];
  const keepAlive = setInterval(() => {
    for (const res of clients) res.write(': keep-alive\n\n');
  }, 15_000);

  const api = async (path: string, input: Record<string, unknown>): Promise<[number, unknown]> => {
    if (path === '/api/command') {
      const line = String(input.text ?? '').trim();
      if (!line.startsWith('/')) {
        // Not a command: the person just writes in the conversation, as anyone can.
        if (!line) return [400, { error: 'type a message or a command such as /kvlab help' }];
        slack.userSays(String(input.channel), String(input.user), line);
        return [200, { ok: true }];
      }
      const { command, text } = splitCommandLine(line);
      const delivery = await driver.slashCommand({
        url: botUrl,
        user: String(input.user),
        channel: String(input.channel),
        command,
        text,
      });
      return [
        200,
        {
          ok: delivery.status === 200,
          status: delivery.status,
          ackMs: Math.round(delivery.ackMs),
          timedOut: delivery.timedOut,
        },
      ];
    }
    if (path === '/api/action') {
      const delivery = await driver.blockAction({
        url: botUrl,
        user: String(input.user),
        channel: String(input.channel),
        messageTs: String(input.ts),
        ephemeral: input.ephemeral === true,
        actionId: String(input.actionId),
      });
      return [200, { ok: delivery.status === 200, status: delivery.status, timedOut: delivery.timedOut }];
    }
    if (path === '/api/view') {
      const opened = slack.store.views(String(input.user)).find((v) => v.id === input.viewId);
      if (!opened || closedViews.has(opened.id)) return [404, { error: 'no such open modal' }];
      if (input.action === 'close') {
        closedViews.add(opened.id);
        changed();
        return [200, { ok: true }];
      }
      const result = await submitView(
        botUrl,
        slack.workspace,
        opened,
        (input.values ?? {}) as Record<string, Record<string, string>>,
      );
      if (!result.errors && result.status === 200) closedViews.add(opened.id);
      changed();
      return [200, { ok: result.status === 200, status: result.status, errors: result.errors ?? null }];
    }
    if (path === '/api/classroom') {
      const kind = CHANGE_KINDS.find((k) => k.id === input.kind);
      if (!kind) return [400, { error: `unknown change ${String(input.kind)}` }];
      const namespace = kind.scope === 'student' ? String(input.namespace ?? '') : undefined;
      if (input.action === 'break') changes.break(kind.id, namespace);
      else if (input.action === 'fix') changes.fix(kind.id, namespace);
      else return [400, { error: 'action must be break or fix' }];
      changed();
      return [200, { ok: true }];
    }
    return [404, { error: 'not found' }];
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://console.invalid');
    if (!sameHost(req, port)) return json(res, 403, { error: 'the console answers only on 127.0.0.1' });
    if (req.method === 'GET' && FILES[url.pathname]) {
      const name = FILES[url.pathname] as string;
      const body = await readFile(new URL(name, PUBLIC));
      res.writeHead(200, { 'content-type': TYPES[name.split('.').pop() as string], ...SECURITY_HEADERS });
      res.end(body);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/state') return json(res, 200, snapshot());
    if (req.method === 'GET' && url.pathname === '/api/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', connection: 'keep-alive', ...SECURITY_HEADERS });
      res.write(`event: state\ndata: ${JSON.stringify(snapshot())}\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (req.method === 'POST' && url.pathname.startsWith('/api/')) {
      // JSON only, from this page only: a cross-site form or fetch cannot drive the classroom.
      if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
        return json(res, 415, { error: 'send application/json' });
      const origin = req.headers.origin;
      if (origin && origin !== `http://${req.headers.host}`) return json(res, 403, { error: 'cross-origin request' });
      let input: Record<string, unknown>;
      try {
        input = JSON.parse((await readBody(req, 256 * 1024)).toString('utf8'));
      } catch {
        return json(res, 400, { error: 'invalid JSON' });
      }
      try {
        const [status, body] = await api(url.pathname, input ?? {});
        return json(res, status, body);
      } catch (err) {
        return json(res, 502, { error: explain(err as Error, botUrl) });
      }
    }
    json(res, 404, { error: 'not found' });
  };

  const http = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { error: String(err) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    botUrl: () => botUrl,
    setBotUrl(url) {
      botUrl = assertLoopback(url);
      changed();
    },
    async close() {
      clearInterval(keepAlive);
      clearTimeout(pending);
      for (const off of unsubscribe) off();
      for (const res of clients) res.end();
      clients.clear();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}

/** Host header check against DNS rebinding: only 127.0.0.1 / localhost on our own port. */
function sameHost(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host ?? '';
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}

function addOutsider(slack: SlackServer): void {
  if (slack.workspace.users.some((u) => u.id === OUTSIDER.id)) return;
  slack.workspace.users.push({ ...OUTSIDER });
  // A member of every public channel the class uses, as anyone in the workspace can join them.
  for (const channel of slack.workspace.channels.filter((c) => !c.isPrivate && c.members.length > 1)) {
    channel.members.push(OUTSIDER.id);
    slack.store.conversation(channel.id)?.members.add(OUTSIDER.id);
  }
}

function explain(err: Error, botUrl: string): string {
  const cause = (err as Error & { cause?: { code?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED')
    return `the bot at ${botUrl} is not running: start it with \`npm start\` (kvlab sim --bot) or \`kvlab serve\``;
  return err.message;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...SECURITY_HEADERS,
  });
  res.end(text);
}
