/**
 * `kvlab slack-send --as <user> --channel <channel> "/kvlab …"`: types a slash command into the simulated Slack
 * (sim/slack/send-command.ts) and delivers it, signed like Slack, to a running `kvlab serve`. Defaults come from
 * the `kvlab sim` env file: the simulator from `SLACK_API_URL`, the bot at `http://127.0.0.1:$PORT/slack/events`,
 * the signing secret from `SLACK_SIGNING_SECRET` (never from argv). Prints the acknowledgement and what arrived on
 * the response_url; the threaded answer is read with conversations.history / conversations.replies.
 */
import { parseSlackSendArgs, sendSlashCommand } from '../../sim/slack/send-command.ts';
import { EXIT, UsageError } from './usage.ts';

export async function runSlackSendCommand(args: string[]): Promise<number> {
  const env = process.env;
  const parsed = parseSlackSendArgs(args, {
    ...(env.SLACK_API_URL ? { simUrl: env.SLACK_API_URL.replace(/\/api\/?$/, '') } : {}),
    botUrl: `http://127.0.0.1:${env.PORT || '3000'}/slack/events`,
    ...(env.SLACK_SIGNING_SECRET ? { signingSecret: env.SLACK_SIGNING_SECRET } : {}),
  });
  if (!parsed.ok) throw new UsageError(parsed.message);
  const result = await sendSlashCommand(parsed.value);
  const { delivery } = result;
  const out = [
    `ack          HTTP ${delivery.status} in ${Math.round(delivery.ackMs)} ms${delivery.timedOut ? ' (Slack gave up: over 3 s)' : ''}`,
    ...result.ephemerals.map((m) => `ephemeral    ${m.text}`),
    ...result.responses.map((r) => `response_url ${r.effect}: ${String(r.payload.text ?? '')}`),
    `thread       the answer is posted in ${parsed.value.channel}; read it with conversations.history / conversations.replies`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  return delivery.status === 200 ? EXIT.ok : EXIT.inconclusive;
}
