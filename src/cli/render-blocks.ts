/**
 * Block Kit → terminal text for `kvlab slack-send`: what a person would read in Slack, not the wire format.
 * mrkdwn entities are unescaped (`&lt;nil&gt;` → `<nil>`), mentions and links become readable (`<@U1>` → `@U1`,
 * `<https://x|docs>` → `docs (https://x)`), buttons show as `[Re-run]`. Pure; escapes nothing for a terminal
 * beyond dropping control characters other than newline and tab.
 */

export interface BlockLike {
  type?: string;
  text?: { text?: string } | string;
  fields?: Array<{ text?: string }>;
  elements?: Array<{ type?: string; text?: unknown; elements?: unknown[] }>;
}

export interface MessageLike {
  text?: string;
  blocks?: BlockLike[];
}

/** mrkdwn → plain text: control sequences made readable, then the three entities Slack escapes unescaped. */
export function mrkdwnToText(mrkdwn: string): string {
  return mrkdwn
    .replace(/<([@#])([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, sigil: string, id: string, label?: string) =>
      sigil === '@' ? `@${label ?? id}` : `#${label ?? id}`,
    )
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, label?: string) => `@${label ?? id}`)
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]*)>/g, '$2 ($1)')
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(CONTROL, '');
}

/** Control characters other than tab and newline: a terminal would act on them. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { text?: unknown }).text === 'string') {
    return (value as { text: string }).text;
  }
  return undefined;
}

/** One message as lines of text: its blocks in order, else its fallback `text`. */
export function renderMessageText(message: MessageLike): string {
  const lines: string[] = [];
  for (const block of message.blocks ?? []) {
    switch (block.type) {
      case 'divider':
        lines.push('────────');
        break;
      case 'actions': {
        const labels = (block.elements ?? []).map((e) => textOf(e.text)).filter((t): t is string => Boolean(t));
        if (labels.length) lines.push(labels.map((l) => `[${mrkdwnToText(l)}]`).join(' '));
        break;
      }
      case 'context': {
        const parts = (block.elements ?? []).map((e) => textOf(e.text)).filter((t): t is string => Boolean(t));
        if (parts.length) lines.push(mrkdwnToText(parts.join('  ')));
        break;
      }
      case 'rich_text':
        break; // kvlab does not post rich_text; its fallback text covers it
      default: {
        const text = textOf(block.text);
        if (text) lines.push(mrkdwnToText(text));
        for (const field of block.fields ?? []) if (field.text) lines.push(mrkdwnToText(field.text));
      }
    }
  }
  return lines.length ? lines.join('\n') : mrkdwnToText(message.text ?? '');
}
