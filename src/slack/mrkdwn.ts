/**
 * Safe mrkdwn primitives. Everything kvlab shows in Slack that came from a cluster, an event, Azure or a user passes
 * through here, so that text such as `<!channel>`, `<@U123>` or `<https://evil|click>` is displayed, never acted on
 * (docs/wire-notes.md §5.8: `&`, `<`, `>` are Slack's only control characters and must become `&amp;`, `&lt;`, `&gt;`).
 * Inside code spans and blocks too: Slack still parses `<…>` sequences there.
 */

/**
 * `@here`, `@channel`, `@everyone` typed as plain words; with a word joiner after the `@` they stay words. Matched
 * as prefixes too (`@heree`), so cutting escaped text later can never leave a bare `@here` behind.
 */
const MASS_MENTION = /@(here|channel|everyone)/gi;
/** C0 controls except tab and newline, DEL, and bidirectional overrides/isolates that can disguise text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the purpose here.
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;
const WORD_JOINER = '\u2060';
const ZERO_WIDTH_SPACE = '\u200b';

/**
 * Escapes untrusted text for a mrkdwn text object: `&`, `<`, `>` become entities (so no mention, link or special
 * command can form), plain `@here` / `@channel` / `@everyone` are broken with an invisible word joiner, runs of
 * three or more backticks are broken with zero-width spaces (so they cannot open or close a code block around
 * kvlab's own), `\r\n` becomes `\n`, lone UTF-16 surrogates are replaced (Slack rejects ill-formed JSON text), and
 * control or bidi-override characters that could hide or reorder text are dropped. Formatting characters (`*`, `_`,
 * `~`, single backticks) are left alone: they can only change emphasis, and Slack offers no escape for them.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .toWellFormed()
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(MASS_MENTION, `@${WORD_JOINER}$1`)
    .replace(/`{3,}/g, (run) => [...run].join(ZERO_WIDTH_SPACE));
}

/**
 * An inline code span around untrusted text. Slack has no escape for a backtick inside inline code, so backticks
 * become the look-alike `ˋ` (U+02CB), and line breaks become spaces (a span cannot cross lines).
 */
export function code(text: string): string {
  const flat = escapeMrkdwn(text.replace(/\r\n?|\n/g, ' ')).replace(/`/g, 'ˋ');
  return `\`${flat.trim() === '' ? ' ' : flat}\``;
}

/**
 * Escapes text meant for the inside of a ``` block. The same escapes as {@link escapeMrkdwn} are needed there:
 * Slack parses `<…>` sequences inside code blocks too (docs/wire-notes.md §5.8), and a backtick run must not close the block.
 */
export function escapeCode(text: string): string {
  return escapeMrkdwn(text);
}

/** Characters {@link fence} may add around a body, at most: the two fences and two zero-width spaces. */
export const FENCE_OVERHEAD = 8;

/**
 * Wraps an already escaped body (see {@link escapeCode}) in a ``` block. A body that starts or ends with a backtick
 * is padded with a zero-width space so the fence stays three backticks long.
 */
export function fence(escapedBody: string): string {
  const start = escapedBody.startsWith('`') ? ZERO_WIDTH_SPACE : '';
  const end = escapedBody.endsWith('`') ? ZERO_WIDTH_SPACE : '';
  const body = escapedBody.trim() === '' ? ' ' : escapedBody;
  return `\`\`\`${start}${body}${end}\`\`\``;
}

/** A ``` block around untrusted text. */
export function codeBlock(text: string): string {
  return fence(escapeCode(text));
}

/** Bold untrusted text on one line (an empty value gets a visible placeholder, not `**`). */
export function bold(text: string): string {
  const flat = escapeMrkdwn(text.replace(/\r\n?|\n/g, ' ')).trim();
  return flat ? `*${flat}*` : '_(empty)_';
}

/** https URLs with a plain host and no characters that could end or split a Slack link. */
const SAFE_URL = /^https:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:[/?#][^\s<>|"@]*)?$/;

/**
 * A link `<url|label>` when `url` is a plain https URL (knowledge-base docs links); anything else is shown as
 * escaped text, so a crafted URL can never become a disguised link.
 */
export function link(url: string, label: string): string {
  if (!SAFE_URL.test(url)) return `${escapeMrkdwn(label)}: ${escapeMrkdwn(url)}`;
  return `<${url.replace(/&/g, '&amp;')}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`;
}
