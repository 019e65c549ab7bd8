/**
 * What a student sees at once when their channel is busy (issue 12): their verdict, shown only to them through the
 * command's response_url, while the threaded answer waits for the channel's pace (Slack: about one message per
 * second per channel). It repeats the parent's first line — verdict and top cause — and says where the rest
 * follows. And the line that replaces a progress message in the channel when the answer went private instead.
 * Pure, like every renderer; the parent it reads was already escaped.
 */
import { context, type SlackMessage } from './messages.ts';

/** The verdict notice: the parent's verdict line and where the full answer follows. */
export function renderVerdictNotice(parent: SlackMessage, where: 'thread' | 'dm'): SlackMessage {
  const line = parent.blocks[0] ?? context(parent.text);
  const rest =
    where === 'dm'
      ? 'Only you can see this. The full answer (causes, fixes, every check) follows in your DM with kvlab.'
      : 'Only you can see this. The full answer (causes, fixes, every check) follows in a thread in this channel: Slack lets kvlab post about one message per second here, so it may take a minute in a busy class.';
  return { text: parent.text, blocks: [line, context(rest)] };
}

/** Replaces the progress message in the channel when the answer went to the asker alone (e.g. no such pod). */
export function renderAnsweredPrivately(): SlackMessage {
  const text = '🔒 kvlab answered this one privately, to the person who asked.';
  return { text, blocks: [context(text)] };
}
