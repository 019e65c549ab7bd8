/**
 * `kvlab slack-send --as <user> --channel <channel> "/kvlab …"`: types a slash command into the simulated Slack
 * (sim/slack/send-command.ts) and delivers it, signed like Slack, to a running `kvlab serve`. Defaults come from
 * the `kvlab sim` env file: the simulator from `SLACK_API_URL`, the bot at `http://127.0.0.1:$PORT/slack/events`,
 * the signing secret from `SLACK_SIGNING_SECRET` (never from argv). Prints the acknowledgement and what arrived on
 * the response_url; the threaded answer is read with conversations.history / conversations.replies.
 */
import { parseSlackSendArgs, sendSlashCommand } from '../../sim/slack/send-command.ts';
import { readAnswerThread } from './read-thread.ts';
import { EXIT, UsageError } from './usage.ts';

export async function runSlackSendCommand(args: string[]): Promise<number> {
  const env = process.env;
  const parsed = parseSlackSendArgs(args, {
    ...(env.SLACK_API_URL ? { simUrl: env.SLACK_API_URL.replace(/\/api\/?$/, '') } : {}),
    botUrl: `http://127.0.0.1:${env.PORT || '3000'}/slack/events`,
    ...(env.SLACK_SIGNING_SECRET ? { signingSecret: env.SLACK_SIGNING_SECRET } : {}),
  });
  if (!parsed.ok) throw new UsageError(parsed.message);
  const since = Date.now() / 1000;
  const result = await sendSlashCommand(parsed.value);
  const { delivery } = result;
  const out = [
    `ack          HTTP ${delivery.status} in ${Math.round(delivery.ackMs)} ms${delivery.timedOut ? ' (Slack gave up: over 3 s)' : ''}`,
    ...result.ephemerals.map((m) => `ephemeral    ${m.text}`),
    ...result.responses.map((r) => `response_url ${r.effect}: ${String(r.payload.text ?? '')}`),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  // A queued diagnosis is answered in the channel, in a thread: show it once the bot has finished posting.
  // (A refusal or usage error is the ephemeral above, and nothing is queued.)
  const queued = result.ephemerals.some((m) => /Diagnosing/.test(m.text));
  if (
    delivery.status === 200 &&
    queued &&
    /^\/\S+\s+diagnose\b/.test(parsed.value.commandLine) &&
    env.SLACK_BOT_TOKEN &&
    env.SLACK_API_URL
  ) {
    const thread = await readAnswerThread({
      apiUrl: env.SLACK_API_URL,
      token: env.SLACK_BOT_TOKEN,
      // The channel as Slack sent it to the bot: an id, even if a name was typed.
      channel: new URLSearchParams(delivery.sent.body).get('channel_id') ?? parsed.value.channel,
      since,
      timeoutMs: 60_000,
    });
    process.stdout.write(
      thread
        ? `${thread.map((m, i) => `${i === 0 ? 'answer' : `reply ${i}`}\n${m.replace(/^/gm, '  ')}`).join('\n')}\n`
        : `thread       no answer in ${parsed.value.channel} within 60 s; read it with conversations.history / conversations.replies\n`,
    );
  }
  return delivery.status === 200 ? EXIT.ok : EXIT.inconclusive;
}
