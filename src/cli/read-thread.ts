/**
 * Reads kvlab's answer back from the simulated Slack for `kvlab slack-send`: the newest parent message the bot
 * posted in the channel since `since`, once it is no longer a progress message, and its thread replies, as the
 * plain text of their blocks. Uses conversations.history / conversations.replies like any Slack client.
 */

interface SlackMessageLike {
  ts: string;
  text?: string;
  bot_id?: string;
  reply_count?: number;
  blocks?: Array<{ text?: { text?: string }; elements?: Array<{ text?: unknown }>; fields?: Array<{ text?: string }> }>;
}

export async function readAnswerThread(options: {
  apiUrl: string;
  token: string;
  channel: string;
  since: number;
  timeoutMs: number;
}): Promise<string[] | undefined> {
  const call = async (method: string, params: Record<string, string>) => {
    const res = await fetch(`${options.apiUrl.replace(/\/?$/, '/')}${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params),
    });
    return (await res.json()) as { ok: boolean; messages?: SlackMessageLike[] };
  };
  const deadline = Date.now() + options.timeoutMs;
  let lastCount = -1;
  let stableSince = 0;
  while (Date.now() < deadline) {
    const history = await call('conversations.history', { channel: options.channel, oldest: String(options.since) });
    const parent = history.messages?.find((m) => m.bot_id && !/Diagnosing/.test(m.text ?? ''));
    if (parent) {
      const count = parent.reply_count ?? 0;
      if (count !== lastCount) [lastCount, stableSince] = [count, Date.now()];
      // Replies arrive at Slack's pace (about one a second): wait until no new one came for 2.5 s.
      if (Date.now() - stableSince > 2_500) {
        const thread = await call('conversations.replies', { channel: options.channel, ts: parent.ts });
        return (thread.messages ?? []).map(textOf);
      }
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return undefined;
}

function textOf(m: SlackMessageLike): string {
  const parts = (m.blocks ?? []).flatMap((b) => [
    b.text?.text,
    // Context elements carry mrkdwn strings; buttons carry plain_text objects (their labels are not the answer).
    ...(b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : undefined)),
    ...(b.fields ?? []).map((f) => f.text),
  ]);
  const text = parts.filter(Boolean).join('\n');
  return text || m.text || '';
}
