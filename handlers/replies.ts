/**
 * Small helpers for the handlers' own short answers: wrap a rendered message as an ephemeral ack/respond body,
 * and build a one-line note from kvlab's fixed wording (names in it are validated Kubernetes names, which
 * contain no mrkdwn control characters).
 */
import type { RespondArguments } from '@slack/bolt';
import type { SlackMessage } from '../src/slack/messages.ts';
import { section } from '../src/slack/messages.ts';

/** An ephemeral body for `ack()` or `respond()`; never replaces the message a button sits on. */
export function ephemeral(message: SlackMessage): RespondArguments {
  return {
    response_type: 'ephemeral',
    replace_original: false,
    text: message.text,
    blocks: message.blocks as never,
  };
}

/** One section of kvlab's own text. */
export function note(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}
