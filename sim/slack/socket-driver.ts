/**
 * Plays Slack's part towards an app connected over Socket Mode (socket-mode.ts): a person's slash command or
 * button click becomes an envelope on the app's WebSocket — the same fields the HTTP driver sends, as a JSON
 * object — with a `response_url` and single-use `trigger_id` minted by the simulator, and Slack's 3-second wait for
 * the ack. A command's ack `payload` is shown to the user as Slack would show an HTTP ack body (see `applyAck`).
 * No signing secret is involved: the app authenticated when it opened the connection with its app-level token.
 */
import { linkTo } from './driver.ts';
import { blockActionPayload, findAction, resolveActor, slashCommandFields } from './interaction-payloads.ts';
import type { SlackServer } from './server.ts';
import type { SocketAck } from './socket-mode.ts';

/** How a socket delivery went, with the interaction it opened. */
export interface SocketDelivery extends SocketAck {
  interactionId: string;
  responseUrl: string;
  triggerId: string;
}

export interface SocketCommandInput {
  /** User id or handle. */
  user: string;
  /** Channel id or name. */
  channel: string;
  command?: string;
  text?: string;
}

export interface SocketBlockActionInput {
  user: string;
  channel: string;
  /** The message carrying the button. */
  messageTs: string;
  /** The message is an ephemeral one shown to `user` (then Slack sends no `message`). */
  ephemeral?: boolean;
  actionId: string;
}

export interface SocketDriverOptions {
  /** How long Slack waits for each ack (default 3000 ms). */
  ackTimeoutMs?: number;
  now?: () => Date;
}

export type SocketDriver = ReturnType<typeof createSocketDriver>;

/** Creates a Socket Mode driver for an in-process simulator. */
export function createSocketDriver(server: SlackServer, options: SocketDriverOptions = {}) {
  const link = linkTo(server);
  const now = options.now ?? (() => new Date());
  const ackTimeoutMs = options.ackTimeoutMs ?? 3000;
  const common = { workspace: server.workspace, verificationToken: server.workspace.verificationToken };

  return {
    /**
     * Waits until the app has a usable connection; pass `after: server.socketMode.stats.opened` (read before a
     * `disconnect`) to wait for the reconnect.
     */
    waitForApp: (wait: { after?: number; timeoutMs?: number } = {}): Promise<void> =>
      server.socketMode.waitForConnection(wait),

    /** Sends `/command text` as `user` in `channel` over the app's socket and returns its ack and timing. */
    async slashCommandOverSocket(input: SocketCommandInput): Promise<SocketDelivery> {
      const { u, c } = resolveActor(server.workspace, input.user, input.channel);
      const opened = server.openInteraction({ kind: 'command', user: u.id, channel: c.id });
      const fields = slashCommandFields({
        ...common,
        user: u,
        channel: c,
        opened,
        command: input.command ?? '/kvlab',
        text: input.text ?? '',
      });
      const ack = await server.socketMode.deliver('slash_commands', fields, { ackTimeoutMs });
      if (ack.payload) server.applyAck(opened.id, 'application/json', JSON.stringify(ack.payload));
      return { ...ack, interactionId: opened.id, responseUrl: opened.responseUrl, triggerId: opened.triggerId };
    },

    /** Clicks the button `actionId` on a message, delivered as an `interactive` envelope. */
    async blockActionOverSocket(input: SocketBlockActionInput): Promise<SocketDelivery> {
      const { u, c } = resolveActor(server.workspace, input.user, input.channel);
      const ephemeral = input.ephemeral ?? false;
      const message = link.findMessage?.(c.id, input.messageTs, ephemeral ? u.id : undefined);
      if (!message) throw new Error(`socket driver: no message ${input.messageTs} in ${c.id} to click on`);
      const action = findAction(message.blocks ?? [], input.actionId);
      if (!action) {
        throw new Error(`socket driver: message ${input.messageTs} has no element with action_id "${input.actionId}"`);
      }
      const opened = server.openInteraction({
        kind: 'block_actions',
        user: u.id,
        channel: c.id,
        source: { channel: c.id, ts: input.messageTs, ephemeral },
      });
      const payload = blockActionPayload({
        ...common,
        user: u,
        channel: c,
        opened,
        message,
        messageTs: input.messageTs,
        ephemeral,
        action,
        now: now(),
      });
      const ack = await server.socketMode.deliver('interactive', payload, {
        ackTimeoutMs,
        acceptsResponsePayload: false,
      });
      return { ...ack, interactionId: opened.id, responseUrl: opened.responseUrl, triggerId: opened.triggerId };
    },
  };
}
