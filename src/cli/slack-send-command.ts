/**
 * `kvlab slack-send --as <user> --channel <channel> "/kvlab …"`: types a slash command into the simulated Slack
 * (sim/slack/send-command.ts) and delivers it, signed like Slack, to a running `kvlab serve`. Defaults come from
 * the `kvlab sim` env file: the simulator from `SLACK_API_URL`, the bot at `http://127.0.0.1:$PORT/slack/events`,
 * the signing secret from `SLACK_SIGNING_SECRET` (never from argv). Prints the acknowledgement as text, then — for
 * a queued diagnosis — waits until this command's own answer is complete (src/cli/read-thread.ts) and prints it,
 * then whatever arrived on the response_url. An answer given privately (through the response_url: no thread) is
 * printed as soon as it is complete, without waiting for a thread that never comes. A closed stdout (`| head`)
 * ends it quietly (see main.ts).
 */
import { parseSlackSendArgs, sendSlashCommand } from '../../sim/slack/send-command.ts';
import type { EphemeralMessage, ResponseRecord } from '../../sim/slack/store.ts';
import { jobIdFor } from '../ports/job-ids.ts';
import { readStatusAnswer } from './read-status.ts';
import { readAnswerThread } from './read-thread.ts';
import { renderMessageText } from './render-blocks.ts';
import { EXIT, UsageError } from './usage.ts';

const DEFAULT_ANSWER_WAIT_MS = 60_000;

export async function runSlackSendCommand(args: string[]): Promise<number> {
  const env = process.env;
  const parsed = parseSlackSendArgs(args, {
    ...(env.SLACK_API_URL ? { simUrl: env.SLACK_API_URL.replace(/\/api\/?$/, '') } : {}),
    botUrl: `http://127.0.0.1:${env.PORT || '3000'}/slack/events`,
    ...(env.SLACK_SIGNING_SECRET ? { signingSecret: env.SLACK_SIGNING_SECRET } : {}),
  });
  if (!parsed.ok) throw new UsageError(parsed.message);
  const options = parsed.value;
  const target = diagnoseTarget(options.commandLine);
  const since = Date.now() / 1000;
  // A diagnosis is waited for below; anything else is answered in the ack, plus a moment for response_url posts.
  const result = await sendSlashCommand({ ...options, waitMs: target ? 0 : Math.min(options.waitMs ?? 1000, 1000) });
  const { delivery } = result;
  const indent = (text: string) => text.replace(/\n/g, '\n             ');
  const write = (lines: string[]) => lines.length && process.stdout.write(`${lines.join('\n')}\n`);
  write([
    `ack          HTTP ${delivery.status} in ${Math.round(delivery.ackMs)} ms${delivery.timedOut ? ' (Slack gave up: over 3 s)' : ''}`,
    ...result.ephemerals.map((m) => `ephemeral    ${indent(renderMessageText(m))}`),
  ]);
  const queued = target !== undefined && result.ephemerals.some((m) => /Diagnosing/.test(m.text));
  let responsesShown = 0;
  if (delivery.status === 200 && queued && env.SLACK_BOT_TOKEN && env.SLACK_API_URL) {
    const timeoutMs = options.waitMs ?? DEFAULT_ANSWER_WAIT_MS;
    const responses = () => responsesOf(options.simUrl, delivery.interactionId);
    let joined = false;
    const thread = await readAnswerThread({
      apiUrl: env.SLACK_API_URL,
      token: env.SLACK_BOT_TOKEN,
      // The channel as Slack sent it to the bot: an id, even if a name was typed.
      channel: new URLSearchParams(delivery.sent.body).get('channel_id') ?? options.channel,
      // A joined diagnosis started earlier; look back far enough to find its message.
      since: since - 30 * 60,
      timeoutMs,
      jobId: jobIdFor('cmd', delivery.triggerId),
      joined: async () => {
        joined ||= (await responses()).some((r) => /already asked/.test(String(r.payload.text ?? '')));
        return joined;
      },
      target,
      responses,
    });
    // A private answer is printed from the response_url below, as every response_url post is.
    const privately = thread?.via === 'response_url';
    const answer = privately ? [] : (thread?.messages ?? []);
    write(answer.map((m, i) => `${i === 0 ? 'answer' : `reply ${i}`}\n${m.replace(/^/gm, '  ')}`));
    if (!thread?.complete) {
      write([
        privately
          ? `answer       incomplete on the response_url after ${Math.round(timeoutMs / 1000)} s`
          : `thread       ${thread ? 'incomplete' : 'no answer'} in ${options.channel} after ${Math.round(timeoutMs / 1000)} s; ` +
            'read it with conversations.history / conversations.replies',
      ]);
    }
    const late = await responses();
    write(late.map(responseLine));
    responsesShown = late.length;
  }
  // A class status arrives in the instructor's DM, a student's own row as an ephemeral: print it from there.
  const acked = result.ephemerals.map((m) => m.text).join('\n');
  const scope = /Your progress in/.test(acked) ? undefined : statusScope(acked);
  if (delivery.status === 200 && scope && env.SLACK_BOT_TOKEN && env.SLACK_API_URL) {
    const timeoutMs = options.waitMs ?? DEFAULT_ANSWER_WAIT_MS;
    const user = new URLSearchParams(delivery.sent.body).get('user_id') ?? options.as;
    const status = await readStatusAnswer({
      apiUrl: env.SLACK_API_URL,
      simUrl: options.simUrl,
      token: env.SLACK_BOT_TOKEN,
      user,
      since,
      timeoutMs,
      scope,
    });
    const messages = status?.messages ?? [];
    write(messages.map((m, i) => `${i === 0 ? `answer (${status?.where})` : `reply ${i}`}\n${m.replace(/^/gm, '  ')}`));
    if (!status?.complete)
      write([`status       ${status ? 'incomplete' : 'no answer'} after ${Math.round(timeoutMs / 1000)} s`]);
  }
  if (!responsesShown) write(result.responses.map(responseLine));
  return delivery.status === 200 ? EXIT.ok : EXIT.inconclusive;
}

function responseLine(r: ResponseRecord): string {
  return `response_url ${r.effect}: ${renderMessageText(r.payload as Pick<EphemeralMessage, 'text' | 'blocks'>)}`;
}

async function responsesOf(simUrl: string, interactionId: string): Promise<ResponseRecord[]> {
  const res = await fetch(`${simUrl.replace(/\/+$/, '')}/sim/responses/${interactionId}`);
  if (!res.ok) return [];
  return ((await res.json()) as { responses?: ResponseRecord[] }).responses ?? [];
}

/** Which status answer the acknowledgement announced: the class (by DM) or the student's own row. */
function statusScope(ack: string): 'class' | 'own' | undefined {
  if (/Gathering the status of .* direct message/.test(ack)) return 'class';
  if (/Gathering your progress in/.test(ack)) return 'own';
  return undefined;
}

/** `/kvlab diagnose <pod> [-n <ns>]` → its target; undefined for any other command. */
export function diagnoseTarget(commandLine: string): { pod: string; namespace?: string } | undefined {
  const words = commandLine.trim().split(/\s+/).slice(1);
  if (words[0] !== 'diagnose') return undefined;
  let pod: string | undefined;
  let namespace: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '-n' || w === '--namespace') namespace = words[++i];
    else if (w.startsWith('--namespace=')) namespace = w.slice('--namespace='.length);
    else if (!w.startsWith('-')) pod ??= w;
  }
  return pod ? { pod, ...(namespace ? { namespace } : {}) } : undefined;
}
