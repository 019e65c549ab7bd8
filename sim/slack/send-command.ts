/**
 * `kvlab slack-send --as <user> --channel <channel> "/kvlab …"`: lets a person type a slash command into the
 * simulated Slack from a terminal. It talks to a running simulator over its `/sim/*` control surface (so it works
 * from another process than `kvlab sim`), signs the request with the bot's signing secret exactly as Slack does,
 * POSTs it to the bot's Request URL, and reports the acknowledgement and what then arrived on the `response_url`.
 * The lead's CLI wires this in; options come from argv plus defaults the caller reads from the sandbox env file.
 */
import { createSlackDriver, type Delivery, type Forgery, type SlackLink } from './driver.ts';
import type { OpenedInteraction } from './server.ts';
import type { EphemeralMessage, ResponseRecord } from './store.ts';
import type { SlackTeamView } from './workspace.ts';

export interface SlackSendOptions {
  /** Base URL of the Slack simulator, e.g. `http://127.0.0.1:<port>`. */
  simUrl: string;
  /** The bot's Request URL, e.g. `http://127.0.0.1:3000/slack/events`. */
  botUrl: string;
  /** The bot's `SLACK_SIGNING_SECRET` (never taken from argv). */
  signingSecret: string;
  /** User id or handle to act as. */
  as: string;
  /** Channel id or name to type in. */
  channel: string;
  /** `/kvlab diagnose pod-keyvault` */
  commandLine: string;
  /** How long to collect `response_url` posts and ephemeral messages after the ack (default 2000 ms). */
  waitMs?: number;
  forge?: Forgery;
}

export interface SlackSendResult {
  delivery: Delivery;
  /** POSTs the bot made to this command's `response_url`. */
  responses: ResponseRecord[];
  /** Ephemeral messages the user received meanwhile (the ack's text included). */
  ephemerals: EphemeralMessage[];
}

export const SLACK_SEND_USAGE =
  'usage: kvlab slack-send --as <user> --channel <channel> [--url <bot request url>] [--sim <simulator url>] ' +
  '[--wait <ms>] "/kvlab <args>"';

/** Values the caller takes from the environment / sandbox env file. */
export interface SlackSendDefaults {
  simUrl?: string;
  botUrl?: string;
  signingSecret?: string;
}

/** Parses argv (after the subcommand name); errors say what is missing and how to supply it. */
export function parseSlackSendArgs(
  argv: string[],
  defaults: SlackSendDefaults = {},
): { ok: true; value: SlackSendOptions } | { ok: false; message: string } {
  const flags: Record<string, string> = {};
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const flag = /^--(as|channel|url|sim|wait)(?:=(.*))?$/.exec(arg);
    if (!flag) {
      if (arg.startsWith('--')) return { ok: false, message: `unknown option ${arg}\n${SLACK_SEND_USAGE}` };
      words.push(arg);
      continue;
    }
    const value = flag[2] ?? argv[++i];
    if (value === undefined || value === '')
      return { ok: false, message: `--${flag[1]} needs a value\n${SLACK_SEND_USAGE}` };
    flags[flag[1] ?? ''] = value;
  }
  const commandLine = words.join(' ').trim();
  const missing = [
    !flags.as && '--as <user>',
    !flags.channel && '--channel <channel>',
    !commandLine && 'the command, e.g. "/kvlab diagnose pod-keyvault"',
  ].filter(Boolean);
  if (missing.length) return { ok: false, message: `missing ${missing.join(', ')}\n${SLACK_SEND_USAGE}` };
  if (!commandLine.startsWith('/')) {
    return { ok: false, message: `"${commandLine}" is not a slash command: start it with "/", e.g. "/kvlab …"` };
  }
  const simUrl = flags.sim ?? defaults.simUrl;
  const botUrl = flags.url ?? defaults.botUrl;
  if (!simUrl)
    return { ok: false, message: 'no simulator URL: pass --sim <url> or start the sandbox with `kvlab sim`' };
  if (!botUrl) return { ok: false, message: "no bot Request URL: pass --url <url> (the bot's /slack/events endpoint)" };
  if (!defaults.signingSecret) {
    return { ok: false, message: 'no signing secret: set SLACK_SIGNING_SECRET (the sandbox env file has it)' };
  }
  const waitMs = flags.wait === undefined ? undefined : Number(flags.wait);
  if (waitMs !== undefined && !(Number.isInteger(waitMs) && waitMs >= 0)) {
    return { ok: false, message: `--wait must be a whole number of milliseconds, not "${flags.wait}"` };
  }
  return {
    ok: true,
    value: {
      simUrl,
      botUrl,
      signingSecret: defaults.signingSecret,
      as: flags.as ?? '',
      channel: flags.channel ?? '',
      commandLine,
      ...(waitMs !== undefined ? { waitMs } : {}),
    },
  };
}

/** Splits `/kvlab diagnose x` into Slack's `command` (`/kvlab`) and `text` (`diagnose x`). */
export function splitCommandLine(line: string): { command: string; text: string } {
  const trimmed = line.trim();
  const space = trimmed.search(/\s/);
  return space < 0
    ? { command: trimmed, text: '' }
    : { command: trimmed.slice(0, space), text: trimmed.slice(space + 1).trim() };
}

/** Sends one slash command through a running simulator and collects what the user got back. */
export async function sendSlashCommand(options: SlackSendOptions): Promise<SlackSendResult> {
  const link = await connectToSimulator(options.simUrl);
  const driver = createSlackDriver(link, { signingSecret: options.signingSecret });
  const user = link.workspace.users.find((u) => u.id === options.as || u.name === options.as.replace(/^@/, ''));
  const ephemerals = async () =>
    user ? ((await getJson(`${options.simUrl}/sim/ephemerals/${user.id}`)).messages as EphemeralMessage[]) : [];
  const before = await ephemerals();
  const { command, text } = splitCommandLine(options.commandLine);
  const delivery = await driver.slashCommand({
    url: options.botUrl,
    user: options.as,
    channel: options.channel,
    command,
    text,
    ...(options.forge ? { forge: options.forge } : {}),
  });
  await new Promise((resolve) => setTimeout(resolve, options.waitMs ?? 2000));
  const responses = (await getJson(`${options.simUrl}/sim/responses/${delivery.interactionId}`)).responses;
  return { delivery, responses: responses as ResponseRecord[], ephemerals: (await ephemerals()).slice(before.length) };
}

/** A {@link SlackLink} over the simulator's `/sim/*` HTTP control surface. */
export async function connectToSimulator(simUrl: string): Promise<SlackLink> {
  const base = simUrl.replace(/\/+$/, '');
  const view = (await getJson(`${base}/sim/workspace`)) as unknown as SlackTeamView;
  if (!view.team || !view.bot) throw new Error(`${base} is not a kvlab Slack simulator (no /sim/workspace)`);
  return {
    workspace: view,
    openInteraction: async (input): Promise<OpenedInteraction> => {
      const body = await postJson(`${base}/sim/interactions`, input);
      return { id: String(body.id), responseUrl: String(body.response_url), triggerId: String(body.trigger_id) };
    },
    applyAck: async (id, contentType, body) => {
      await postJson(`${base}/sim/interactions/${id}/ack`, { content_type: contentType, body });
    },
  };
}

async function getJson(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`Slack simulator answered ${res.status} to GET ${url}; is \`kvlab sim\` running?`);
  return (await res.json()) as Record<string, unknown>;
}

async function postJson(url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`Slack simulator refused ${url}: ${String(json.error)}; check --as and --channel`);
  return json;
}
