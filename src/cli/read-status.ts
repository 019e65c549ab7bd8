/**
 * Reads kvlab's answer to `/kvlab status` back from the simulated Slack for `kvlab slack-send`, wherever it was
 * delivered: an instructor's class status is a DM from kvlab (the parent with the Refresh button, edited from
 * "Gathering…" to the summary, and its row pages in the thread); a student's own row is an ephemeral message
 * (read through the simulator's `/sim/ephemerals/<user>`, as only that person's client would show it).
 */

import { type MessageLike as Rendered, renderMessageText } from './render-blocks.ts';
import { slackApi } from './slack-api.ts';

type MessageLike = Rendered & { ts: string; text?: string; bot_id?: string };

export interface StatusQuery {
  apiUrl: string;
  simUrl: string;
  token: string;
  user: string;
  /** Unix seconds: only answers after this. */
  since: number;
  timeoutMs: number;
  scope: 'class' | 'own';
  pollMs?: number;
}

export interface StatusAnswer {
  messages: string[];
  complete: boolean;
  /** Where it was delivered, for the printout. */
  where: string;
}

const REFRESH_ACTION = 'kvlab_status_refresh';

export async function readStatusAnswer(q: StatusQuery): Promise<StatusAnswer | undefined> {
  const api = slackApi(q.apiUrl, q.token);
  const call = (method: string, params: Record<string, string>) =>
    api<{ ok: boolean; messages?: MessageLike[]; channel?: { id?: string } }>(method, params);
  const deadline = Date.now() + q.timeoutMs;
  const dm = q.scope === 'class' ? (await call('conversations.open', { users: q.user })).channel?.id : undefined;
  let last: StatusAnswer | undefined;
  for (;;) {
    if (q.scope === 'own') {
      const res = await fetch(`${q.simUrl.replace(/\/+$/, '')}/sim/ephemerals/${encodeURIComponent(q.user)}`);
      const shown = res.ok ? (((await res.json()) as { messages?: MessageLike[] }).messages ?? []) : [];
      const own = shown.filter((m) => Number(m.ts) >= q.since && /Your progress in/.test(m.text ?? ''));
      if (own.length) return { messages: own.map(renderMessageText), complete: true, where: 'ephemeral' };
    } else if (dm) {
      const history = await call('conversations.history', { channel: dm, oldest: String(q.since), limit: '200' });
      const parent = (history.messages ?? []).find((m) => m.bot_id && hasRefresh(m));
      if (parent) {
        const thread =
          (await call('conversations.replies', { channel: dm, ts: parent.ts, limit: '1000' })).messages ?? [];
        const pages = Number(/\((\d+) messages?\)/.exec(renderMessageText(parent))?.[1] ?? 0);
        last = { messages: thread.map(renderMessageText), complete: thread.length - 1 >= pages, where: `DM ${dm}` };
        if (last.complete) return last;
      }
    }
    if (Date.now() >= deadline) return last;
    await new Promise((r) => setTimeout(r, q.pollMs ?? 300));
  }
}

function hasRefresh(m: MessageLike): boolean {
  const elements = (m.blocks ?? []).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));
  return elements.some((e) => (e as { action_id?: unknown }).action_id === REFRESH_ACTION);
}
