/**
 * Plays Slack's part towards a bot's Request URL (docs/wire-notes.md §5.1–5.4): signed slash commands and `block_actions`
 * clicks, byte for byte as Slack sends them — `Content-Type: application/x-www-form-urlencoded` (no charset, Bolt
 * compares it exactly), `X-Slack-Request-Timestamp`, `X-Slack-Signature: v0=<hmac>` over the raw body — with a
 * `response_url` and single-use `trigger_id` minted by the simulator, and Slack's 3-second wait for the HTTP ack.
 * Forgeries (wrong secret, stale timestamp, missing headers, a charset) test the bot's verification.
 * What the bot acknowledges with is shown to the user as Slack would (see `applyAck`).
 */

import { blockActionPayload, findAction, resolveActor, slashCommandFields } from './interaction-payloads.ts';
import type { OpenedInteraction, SlackServer } from './server.ts';
import { slackSignature } from './signing.ts';
import type { EphemeralMessage, Interaction, SlackMessage } from './store.ts';
import type { SlackChannel, SlackTeamView } from './workspace.ts';

/** How the driver reaches the simulator: in process ({@link linkTo}) or over HTTP (send-command.ts). */
export interface SlackLink {
  workspace: SlackTeamView;
  verificationToken?: string;
  signingSecret?: string;
  openInteraction(input: Omit<Interaction, 'id' | 'triggerId' | 'responses' | 'createdAt'>): Promise<OpenedInteraction>;
  applyAck(interactionId: string, contentType: string, body: string): Promise<void>;
  /** The message a button sits on (needed only for `blockAction`). */
  findMessage?(channel: string, ts: string, ephemeralFor?: string): SlackMessage | EphemeralMessage | undefined;
  /** A DM the bot opened (`D…`), as Slack names it in payloads (`directmessage`); people click buttons there too. */
  findDm?(id: string): SlackChannel | undefined;
}

/** Ways to make a request Bolt must refuse (401) or misparse. */
export interface Forgery {
  /** Sign with this secret instead of the workspace's. */
  signingSecret?: string;
  /** Claim this `X-Slack-Request-Timestamp` (e.g. 6 minutes ago: stale). */
  timestampSeconds?: number;
  omitHeaders?: Array<'x-slack-signature' | 'x-slack-request-timestamp'>;
  /** Signature scheme other than `v0` (Bolt: "unknown signature version"). */
  signatureVersion?: string;
  /** Another `Content-Type`, e.g. with `; charset=utf-8` (Bolt then JSON-parses the body and answers 400). */
  contentType?: string;
}

export interface Delivery {
  /** HTTP status of the bot's answer; 0 when Slack gave up waiting (`timedOut`). */
  status: number;
  body: string;
  contentType: string;
  /** Milliseconds from sending to the complete answer; Slack allows 3000. */
  ackMs: number;
  /** Slack stopped waiting after `ackTimeoutMs` (the user would see `operation_timeout`). */
  timedOut: boolean;
  interactionId: string;
  responseUrl: string;
  triggerId: string;
  /** Exactly what was sent. */
  sent: { headers: Record<string, string>; body: string };
}

export interface SlashCommandInput {
  /** The bot's Request URL, e.g. `http://127.0.0.1:<port>/slack/events`. */
  url: string;
  /** User id or handle. */
  user: string;
  /** Channel id or name. */
  channel: string;
  command?: string;
  text?: string;
  forge?: Forgery;
}

export interface BlockActionInput {
  url: string;
  user: string;
  channel: string;
  /** The message carrying the button. */
  messageTs: string;
  /** The message is an ephemeral one shown to `user` (then Slack sends no `message`). */
  ephemeral?: boolean;
  actionId: string;
  forge?: Forgery;
}

export interface DriverOptions {
  /** Defaults to the link's signing secret. */
  signingSecret?: string;
  /** How long Slack waits for the ack (default 3000 ms). */
  ackTimeoutMs?: number;
  now?: () => Date;
}

/** The in-process link to a running simulator. */
export function linkTo(server: SlackServer): SlackLink {
  const { store, workspace } = server;
  return {
    workspace,
    verificationToken: workspace.verificationToken,
    signingSecret: workspace.signingSecret,
    openInteraction: async (input) => server.openInteraction(input),
    applyAck: async (id, contentType, body) => server.applyAck(id, contentType, body),
    findDm(id) {
      const c = store.conversation(id);
      if (!c || c.kind === 'channel') return undefined;
      return { id: c.id, name: 'directmessage', isPrivate: true, members: [...c.members], botIsMember: true };
    },
    findMessage(channel, ts, ephemeralFor) {
      if (ephemeralFor) return store.ephemerals(ephemeralFor).find((m) => m.ts === ts && m.channel === channel);
      const conversation = store.conversation(channel);
      return conversation ? structuredClone(store.find(conversation, ts)) : undefined;
    },
  };
}

export type SlackDriver = ReturnType<typeof createSlackDriver>;

/** Creates a driver for a simulator (a {@link SlackServer} or any {@link SlackLink}). */
export function createSlackDriver(target: SlackServer | SlackLink, options: DriverOptions = {}) {
  const link = 'store' in target ? linkTo(target) : target;
  const now = options.now ?? (() => new Date());
  const secret = options.signingSecret ?? link.signingSecret;
  if (!secret)
    throw new Error('createSlackDriver: no signing secret; pass signingSecret (the bot’s SLACK_SIGNING_SECRET)');
  const who = (user: string, channel: string) => {
    const dm = link.findDm?.(channel);
    return resolveActor(
      dm ? { ...link.workspace, channels: [...link.workspace.channels, dm] } : link.workspace,
      user,
      channel,
    );
  };

  const deliver = async (
    url: string,
    body: string,
    opened: OpenedInteraction,
    forge: Forgery = {},
  ): Promise<Delivery> => {
    const ts = forge.timestampSeconds ?? Math.floor(now().getTime() / 1000);
    const headers: Record<string, string> = {
      'content-type': forge.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': slackSignature(forge.signingSecret ?? secret, ts, body, forge.signatureVersion),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    };
    for (const h of forge.omitHeaders ?? []) delete headers[h];
    const started = performance.now();
    const base = {
      interactionId: opened.id,
      responseUrl: opened.responseUrl,
      triggerId: opened.triggerId,
      sent: { headers, body },
    };
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(options.ackTimeoutMs ?? 3000),
      });
      const text = await res.text();
      const contentType = res.headers.get('content-type') ?? '';
      return {
        ...base,
        status: res.status,
        body: text,
        contentType,
        ackMs: performance.now() - started,
        timedOut: false,
      };
    } catch (err) {
      if ((err as Error).name !== 'TimeoutError') throw err;
      return { ...base, status: 0, body: '', contentType: '', ackMs: performance.now() - started, timedOut: true };
    }
  };

  return {
    /** Sends `/command text` as `user` in `channel`, as Slack does when the user presses Enter. */
    async slashCommand(input: SlashCommandInput): Promise<Delivery> {
      const { u, c } = who(input.user, input.channel);
      const opened = await link.openInteraction({ kind: 'command', user: u.id, channel: c.id });
      const fields = slashCommandFields({
        workspace: link.workspace,
        verificationToken: link.verificationToken,
        user: u,
        channel: c,
        opened,
        command: input.command ?? '/kvlab',
        text: input.text ?? '',
      });
      const body = new URLSearchParams(fields).toString();
      const result = await deliver(input.url, body, opened, input.forge);
      if (result.status === 200) await link.applyAck(opened.id, result.contentType, result.body);
      return result;
    },

    /** Clicks the button `actionId` on a message the bot posted, as Slack sends the `block_actions` payload. */
    async blockAction(input: BlockActionInput): Promise<Delivery> {
      const { u, c } = who(input.user, input.channel);
      const message = link.findMessage?.(c.id, input.messageTs, input.ephemeral ? u.id : undefined);
      if (!message) throw new Error(`driver: no message ${input.messageTs} in ${c.id} to click on`);
      const found = findAction(message.blocks ?? [], input.actionId);
      if (!found)
        throw new Error(`driver: message ${input.messageTs} has no element with action_id "${input.actionId}"`);
      const opened = await link.openInteraction({
        kind: 'block_actions',
        user: u.id,
        channel: c.id,
        source: { channel: c.id, ts: input.messageTs, ephemeral: input.ephemeral ?? false },
      });
      const payload = blockActionPayload({
        workspace: link.workspace,
        verificationToken: link.verificationToken,
        user: u,
        channel: c,
        opened,
        message,
        messageTs: input.messageTs,
        ephemeral: input.ephemeral ?? false,
        action: found,
        now: now(),
      });
      return deliver(
        input.url,
        new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        opened,
        input.forge,
      );
    },
  };
}
