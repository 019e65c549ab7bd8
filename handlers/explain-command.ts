/**
 * `/kvlab explain <error text>`: classify the pasted message and answer in the acknowledgement itself (ephemeral).
 * The classifier is pure and bounded (64 KiB), so this fits Slack's 3 seconds, and the pasted text — which may
 * hold anything a student copied — never goes to the queue or Redis.
 */
import { UserInputError } from '../diagnostics/errors.ts';
import { explainMessage } from '../diagnostics/explain.ts';
import { classifyMessage } from '../diagnostics/knowledge/classify/index.ts';
import { renderExplain } from '../src/slack/render-explain.ts';
import { renderUsageError } from '../src/slack/render-help.ts';
import type { HandlerDeps } from './deps.ts';
import type { CommandContext } from './diagnose-command.ts';
import { ephemeral } from './replies.ts';

export async function handleExplain(
  deps: Pick<HandlerDeps, 'log'>,
  { ack }: Pick<CommandContext, 'ack'>,
  text: string,
): Promise<void> {
  let answer: ReturnType<typeof renderExplain>;
  try {
    const knowledge = explainMessage(text);
    answer = renderExplain({ text, classification: classifyMessage(text), knowledge });
    deps.log.info({ category: knowledge.category, confidence: knowledge.confidence }, 'explained a message');
  } catch (err) {
    if (err instanceof UserInputError) return ack(ephemeral(renderUsageError(err.message)));
    throw err;
  }
  await ack(ephemeral(answer));
}
