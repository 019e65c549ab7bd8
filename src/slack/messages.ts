/**
 * The message shape every renderer returns, and the few Block Kit constructors they share. Blocks carry mrkdwn with
 * `verbatim: true`, so Slack adds no automatic parsing of its own (no auto-linked channel names or mentions) on top
 * of the text kvlab escaped (docs/wire-notes.md §5.8; Block Kit text object `verbatim`).
 */

/** What a renderer hands to chat.postMessage / chat.update / chat.postEphemeral / a response_url. */
export interface SlackMessage {
  /** Notification and fallback text, already escaped mrkdwn; short (see budget.ts FALLBACK_TEXT_MAX). */
  text: string;
  blocks: object[];
}

export interface MrkdwnText {
  type: 'mrkdwn';
  text: string;
  verbatim: true;
}

export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

/** A mrkdwn text object; `text` must already be escaped. */
export function mrkdwn(text: string): MrkdwnText {
  return { type: 'mrkdwn', text, verbatim: true };
}

/** A plain_text object, for kvlab's own fixed wording only (labels, buttons, modal titles). */
export function plain(text: string): PlainText {
  return { type: 'plain_text', text, emoji: true };
}

/** A section with mrkdwn text (already escaped and within budget: build it with budget.ts `sectionsOf`). */
export function section(text: string): object {
  return { type: 'section', text: mrkdwn(text) };
}

/** A context block with one mrkdwn element. */
export function context(text: string): object {
  return { type: 'context', elements: [mrkdwn(text)] };
}

export function divider(): object {
  return { type: 'divider' };
}

export interface Button {
  text: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
}

/** An actions block of buttons (fixed labels; the value is opaque data the handler decodes). */
export function actions(blockId: string, buttons: Button[]): object {
  return {
    type: 'actions',
    block_id: blockId,
    elements: buttons.map((b) => ({
      type: 'button',
      text: plain(b.text),
      action_id: b.actionId,
      value: b.value,
      ...(b.style ? { style: b.style } : {}),
    })),
  };
}
