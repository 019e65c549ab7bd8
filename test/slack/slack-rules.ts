/**
 * Checks a rendered message the way Slack would, independently of the renderer's own budget code: the Slack
 * simulator's Block Kit validator (the same code behind its `invalid_blocks`), kvlab's budgets, and safety: every
 * mrkdwn object is `verbatim`, and no text contains a control sequence (`<!…>`, `<@…>`, `<#…>`, a disguised link)
 * or a plain mass mention. The only `<…>` allowed are links `<https://…|label>` that kvlab made itself.
 */
import { validateBlocks } from '../../sim/slack/blocks.ts';
import { budgetViolations, KVLAB_BUDGET } from '../../src/slack/budget.ts';
import type { SlackMessage } from '../../src/slack/messages.ts';

type TextObject = { type: string; text: string; verbatim?: boolean };

/** Every `{type, text}` text object of the given type anywhere in `value`. */
export function textObjects(value: unknown, type: 'mrkdwn' | 'plain_text'): TextObject[] {
  if (Array.isArray(value)) return value.flatMap((v) => textObjects(v, type));
  if (typeof value !== 'object' || value === null) return [];
  const obj = value as Record<string, unknown>;
  const own = obj.type === type && typeof obj.text === 'string' ? [obj as TextObject] : [];
  return [...own, ...Object.values(obj).flatMap((v) => textObjects(v, type))];
}

export function textsOf(value: unknown, type: 'mrkdwn' | 'plain_text'): string[] {
  return textObjects(value, type).map((t) => t.text);
}

/** Sequences Slack would act on: mentions, special commands, links other than `<https://…|label>`, @here… */
export function activeMarkup(text: string, allowMentionOf?: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/<([^>]*)>?/g)) {
    const inner = m[1] ?? '';
    if (allowMentionOf && inner === `@${allowMentionOf}`) continue;
    if (!/^https:\/\/[^\s<>|]+\|[^<>|]+$/.test(inner)) found.push(m[0]);
  }
  for (const m of text.matchAll(/@(here|channel|everyone)\b/gi)) found.push(m[0]);
  return found;
}

/** Every way `message` would be rejected by Slack, break kvlab's budgets, or let text act as markup. */
export function messageProblems(message: SlackMessage, options: { allowMentionOf?: string } = {}): string[] {
  const problems = [...validateBlocks(message.blocks, '/blocks', 50), ...budgetViolations(message)];
  if (!message.text.trim()) problems.push('empty fallback text');
  if (message.text.length > KVLAB_BUDGET.fallbackText) problems.push(`fallback text ${message.text.length} long`);
  for (const text of [message.text, ...textsOf(message.blocks, 'mrkdwn')]) {
    for (const seq of activeMarkup(text, options.allowMentionOf)) problems.push(`active markup ${seq.slice(0, 40)}`);
  }
  for (const text of textsOf(message.blocks, 'plain_text')) if (/[<>&]/.test(text)) problems.push(`plain_text ${text}`);
  const unverbatim = textObjects(message.blocks, 'mrkdwn').filter((t) => t.verbatim !== true);
  if (unverbatim.length) problems.push(`${unverbatim.length} mrkdwn objects without verbatim: true`);
  return problems;
}
