/**
 * The simulator's own control surface under `/sim/` (not part of Slack): lets a separate process play Slack's part
 * towards a bot — `kvlab slack-send` reads the workspace, asks for an interaction (its `response_url` and
 * `trigger_id`), reports the bot's acknowledgement, and reads what arrived on the `response_url` and in the user's
 * ephemeral messages. The workspace view leaves out the bot token and signing secret.
 *
 * - `GET /sim/workspace` → team, bot ids, users, channels
 * - `POST /sim/interactions` `{kind, user, channel}` → `{id, response_url, trigger_id}`
 * - `POST /sim/interactions/<id>/ack` `{content_type, body}` → `{ok:true}`
 * - `GET /sim/responses/<id>` → `{responses:[…]}` · `GET /sim/ephemerals/<user>` → `{messages:[…]}`
 */
import type { SlackServer } from './server.ts';
import type { ApiReply } from './wire.ts';
import { findChannel, findUser } from './workspace.ts';

export function simControl(server: SlackServer, method: string, url: URL, raw: string): ApiReply {
  const [, what = '', id = '', action = ''] = url.pathname.split('/').filter(Boolean);
  const { workspace, store } = server;
  if (method === 'GET' && what === 'workspace') {
    const { team, bot, users, channels } = workspace;
    return {
      status: 200,
      body: { team, bot: { userId: bot.userId, botId: bot.botId, appId: bot.appId, name: bot.name }, users, channels },
    };
  }
  if (method === 'POST' && what === 'interactions' && !id) {
    const input = parse(raw);
    const user = findUser(workspace, String(input.user ?? ''));
    const channel = findChannel(workspace, String(input.channel ?? ''));
    if (!user || !channel) return { status: 400, body: { ok: false, error: 'unknown user or channel' } };
    const kind = input.kind === 'block_actions' ? 'block_actions' : 'command';
    const opened = server.openInteraction({ kind, user: user.id, channel: channel.id });
    return {
      status: 200,
      body: { ok: true, id: opened.id, response_url: opened.responseUrl, trigger_id: opened.triggerId },
    };
  }
  if (method === 'POST' && what === 'interactions' && action === 'ack') {
    const input = parse(raw);
    server.applyAck(id, String(input.content_type ?? ''), String(input.body ?? ''));
    return { status: 200, body: { ok: true } };
  }
  if (method === 'GET' && what === 'responses')
    return { status: 200, body: { ok: true, responses: store.responses(id) } };
  if (method === 'GET' && what === 'ephemerals')
    return { status: 200, body: { ok: true, messages: store.ephemerals(id) } };
  return { status: 404, body: { ok: false, error: 'not_found' } };
}

function parse(raw: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
