/**
 * Reads kvlab's answer to one command back from the simulated Slack for `kvlab slack-send`, the way any Slack
 * client would (conversations.history / conversations.replies). The answer is found by its job: a diagnosis
 * parent carries `{namespace, pod, jobId}` in its buttons' value, so the parent whose jobId is this command's
 * (or, when the command joined a pending diagnosis, whose target is this command's) is the one — never simply the
 * newest bot thread, which in a burst is usually someone else's. It is final once the parent is no longer a
 * progress message (it has its buttons) and the thread is complete: a broken answer ends with the checks table
 * (its context line "checked <time> UTC"), a healthy one has one reply when it mentions notes, else none.
 * An answer given privately through the command's response_url (no such pod, no channel or DM reachable) has no
 * thread to wait for: given the `responses` posted there, it is returned as soon as it is complete by the same
 * rule ("details below"), or once the response_url is used up (Slack takes 5 posts).
 */

import { renderMessageText } from './render-blocks.ts';
import { slackApi } from './slack-api.ts';

interface SlackMessageLike {
  ts: string;
  text?: string;
  bot_id?: string;
  reply_count?: number;
  blocks?: Array<{
    type?: string;
    text?: { text?: string };
    elements?: Array<{ type?: string; text?: unknown; value?: string }>;
    fields?: Array<{ text?: string }>;
  }>;
}

export interface AnswerQuery {
  apiUrl: string;
  token: string;
  channel: string;
  /** Unix seconds: only messages posted after this. */
  since: number;
  timeoutMs: number;
  /** The job this command queued (`cmd-<trigger id>`). */
  jobId: string;
  /** The command's target, to recognise the pending job it joined … */
  target?: { namespace?: string; pod: string };
  /** … once this says the command joined one (else only `jobId` matches: in a burst, targets repeat). */
  joined?: () => Promise<boolean>;
  /** Poll interval (default 300 ms). */
  pollMs?: number;
  /** What arrived on the command's response_url so far, oldest first (a private answer comes this way). */
  responses?: () => Promise<Array<{ payload: Record<string, unknown> }>>;
}

/** Posts a response_url accepts (Slack: 5 within 30 minutes): a private answer cut there is all there will be. */
const RESPONSE_URL_POSTS = 5;

export interface AnswerThread {
  /** Parent first, then the replies, each as terminal text. */
  messages: string[];
  /** False when the timeout passed before the thread was complete (what arrived so far is in `messages`). */
  complete: boolean;
  /** `response_url`: the answer came privately, as separate messages on the response_url, not as a thread. */
  via?: 'thread' | 'response_url';
}

export async function readAnswerThread(query: AnswerQuery): Promise<AnswerThread | undefined> {
  const api = slackApi(query.apiUrl, query.token);
  const call = (method: string, params: Record<string, string>) =>
    api<{ ok: boolean; messages?: SlackMessageLike[] }>(method, params);
  const deadline = Date.now() + query.timeoutMs;
  let last: SlackMessageLike[] | undefined;
  for (;;) {
    const history = await call('conversations.history', {
      channel: query.channel,
      oldest: String(query.since),
      limit: '1000',
    });
    const joined = (await query.joined?.()) ?? false;
    const parent = (history.messages ?? []).find((m) => m.bot_id && isOurs(m, query, joined));
    if (parent) {
      const thread = await call('conversations.replies', { channel: query.channel, ts: parent.ts, limit: '1000' });
      last = thread.messages ?? [parent];
      if (isComplete(last)) return { messages: last.map(renderMessageText), complete: true, via: 'thread' };
    }
    const privately = query.responses ? privateAnswer(await query.responses(), query, joined) : undefined;
    if (privately?.complete || (privately && !last && Date.now() >= deadline)) return privately;
    if (Date.now() >= deadline)
      return last ? { messages: last.map(renderMessageText), complete: false, via: 'thread' } : undefined;
    await new Promise((r) => setTimeout(r, query.pollMs ?? 300));
  }
}

/** The diagnosis button value `{v:1, namespace, pod, jobId}` of a final parent, if it has one. */
function buttonValue(m: SlackMessageLike): { namespace?: string; pod?: string; jobId?: string } | undefined {
  for (const block of m.blocks ?? []) {
    if (block.type !== 'actions') continue;
    for (const element of block.elements ?? []) {
      if (!element.value) continue;
      try {
        return JSON.parse(element.value) as { namespace?: string; pod?: string; jobId?: string };
      } catch {}
    }
  }
  return undefined;
}

function isOurs(m: SlackMessageLike, query: AnswerQuery, joined: boolean): boolean {
  const value = buttonValue(m);
  if (!value) return false;
  if (value.jobId === query.jobId) return true;
  const t = query.target;
  if (!joined) return false;
  return t !== undefined && value.pod === t.pod && (t.namespace === undefined || value.namespace === t.namespace);
}

/** This command's answer among the response_url posts: from its parent (the first with our buttons) on. */
function privateAnswer(
  responses: Array<{ payload: Record<string, unknown> }>,
  query: AnswerQuery,
  joined: boolean,
): AnswerThread | undefined {
  const messages = responses.map((r) => r.payload as unknown as SlackMessageLike);
  const start = messages.findIndex((m) => isOurs(m, query, joined));
  if (start < 0) return undefined;
  const answer = messages.slice(start);
  const complete = isComplete(answer) || responses.length >= RESPONSE_URL_POSTS;
  return { messages: answer.map(renderMessageText), complete, via: 'response_url' };
}

function isComplete(thread: SlackMessageLike[]): boolean {
  const [parent, ...replies] = thread;
  if (!parent) return false;
  const meta = renderMessageText(parent);
  if (/details (in the thread|below)/.test(meta)) {
    return replies.some((r) => /(^|\n)checked \d{4}-\d\d-\d\d [\d:]+ UTC/.test(renderMessageText(r)));
  }
  if (/\d+ notes? (in the thread|below)/.test(meta)) return replies.length >= 1;
  return true;
}
