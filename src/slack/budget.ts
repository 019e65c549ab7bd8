/**
 * Slack's size limits in one place (docs/wire-notes.md §5.7), and the tools every renderer uses to stay inside them: pack
 * escaped text into sections of at most 3,000 characters (splitting long lines without breaking an `&lt;` entity,
 * a surrogate pair or a code fence), pack blocks into messages of at most 50 blocks, cut with a visible notice when
 * something must go, and a final check ({@link finishMessage}) that no message leaves kvlab out of budget.
 * Lengths are counted in UTF-16 units, which is never less than Slack's count in characters.
 */

import { context, type SlackMessage, section } from './messages.ts';
import { FENCE_OVERHEAD, fence } from './mrkdwn.ts';

/** Slack's documented limits (docs/wire-notes.md §5.7). */
export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerModal: 100,
  sectionText: 3000,
  sectionFieldText: 2000,
  sectionFields: 10,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  messageText: 40_000,
} as const;

/** kvlab's own choices, tighter than Slack's, so answers stay readable. */
export const KVLAB_BUDGET = {
  /** Top-level `text` is what notifications and screen readers show: one short line. */
  fallbackText: 300,
  /** Characters of block text per message; more gets hidden behind "Show more" and is hard to read. */
  messageChars: 12_000,
  /** Blocks per message when packing, leaving room for a continuation or cut notice. */
  packedBlocks: LIMITS.blocksPerMessage - 1,
} as const;

/**
 * `text` with at most `max` UTF-16 units kept (never cutting a surrogate pair), saying how much was cut:
 * `… 1,234 more characters`. Works on raw text; escape afterwards.
 */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const kept = splitTokens(text, max, /[\s\S]/gu)[0] ?? '';
  const rest = [...text.slice(kept.length)].length;
  return `${kept}… ${rest.toLocaleString('en-US')} more characters`;
}

/** `text` cut to `max` units with a bare `…` (for one-line labels and fallback text). */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${splitTokens(text, max - 1, /[\s\S]/gu)[0] ?? ''}…`;
}

/** Splits escaped mrkdwn into pieces of at most `max` units, keeping `&amp;` / `&lt;` / `&gt;` and code points whole. */
export function splitEscaped(text: string, max: number): string[] {
  return splitTokens(text, max, /&(?:amp|lt|gt);|[\s\S]/gu);
}

/** Escaped mrkdwn clipped to `max` units with a trailing `…`, never inside an entity or a surrogate pair. */
export function clipEscaped(text: string, max: number): string {
  return text.length <= max ? text : `${splitEscaped(text, max - 1)[0] ?? ''}…`;
}

function splitTokens(text: string, max: number, token: RegExp): string[] {
  const parts: string[] = [];
  let current = '';
  for (const [t] of text.matchAll(token)) {
    if (current.length + t.length > max && current) {
      parts.push(current);
      current = '';
    }
    current += t;
  }
  if (current || parts.length === 0) parts.push(current);
  return parts;
}

/** A piece of section text: escaped mrkdwn prose, or escaped code (see mrkdwn.ts `escapeCode`) to be fenced. */
export interface Piece {
  kind: 'text' | 'code';
  text: string;
  /** How many user-visible items (evidence lines, findings…) start in this piece; used by cut notices. */
  weight?: number;
}

/** A section's text and the weight of the pieces it holds. */
export interface Chunk {
  text: string;
  weight: number;
}

/**
 * Packs pieces into section texts of at most `max` units. Consecutive code pieces share one ``` block; a piece
 * never straddles two sections unless it alone is too long, and then it is split by lines and, if need be,
 * within a line (each part fenced again). Blank results are dropped: no empty section is ever produced.
 */
export function packPieces(pieces: Piece[], max: number = LIMITS.sectionText): Chunk[] {
  const chunks: Chunk[] = [];
  let segments: Array<{ kind: Piece['kind']; lines: string[] }> = [];
  let length = 0;
  let weight = 0;
  const flush = (): void => {
    const text = segments
      .map((s) => (s.kind === 'code' ? fence(s.lines.join('\n')) : s.lines.join('\n')))
      .join('\n')
      .trim();
    if (text) chunks.push({ text, weight });
    segments = [];
    length = 0;
    weight = 0;
  };
  const cost = (kind: Piece['kind'], line: string): number => {
    const last = segments.at(-1);
    if (last?.kind === kind) return 1 + line.length;
    return (segments.length ? 1 : 0) + line.length + (kind === 'code' ? FENCE_OVERHEAD : 0);
  };
  const add = (kind: Piece['kind'], line: string, w: number): void => {
    const last = segments.at(-1);
    length += cost(kind, line);
    weight += w;
    if (last?.kind === kind) last.lines.push(line);
    else segments.push({ kind, lines: [line] });
  };
  for (const piece of pieces) {
    for (const [i, line] of piece.text.split('\n').entries()) {
      const w = i === 0 ? (piece.weight ?? 0) : 0;
      if (length + cost(piece.kind, line) <= max) {
        add(piece.kind, line, w);
        continue;
      }
      flush();
      const room = max - (piece.kind === 'code' ? FENCE_OVERHEAD : 0);
      for (const [j, part] of splitEscaped(line, room).entries()) {
        if (j > 0) flush();
        add(piece.kind, part, j === 0 ? w : 0);
      }
    }
  }
  flush();
  return chunks;
}

/** Section blocks for the pieces (see {@link packPieces}). */
export function sectionsOf(pieces: Piece[]): Unit[] {
  return packPieces(pieces).map((c) => ({ block: section(c.text), weight: c.weight }));
}

/** A block and the weight of what it shows (see {@link Piece.weight}). */
export interface Unit {
  block: object;
  weight?: number;
}

/** Characters of text a block shows: the sum of every `text` string in it. */
export function blockChars(block: unknown): number {
  if (Array.isArray(block)) return block.reduce((n: number, b) => n + blockChars(b), 0);
  if (typeof block !== 'object' || block === null) return 0;
  let n = 0;
  for (const [key, value] of Object.entries(block)) {
    if (key === 'text' && typeof value === 'string') n += value.length;
    else n += blockChars(value);
  }
  return n;
}

/** Groups units into messages of at most {@link KVLAB_BUDGET.packedBlocks} blocks and `messageChars` characters. */
export function packMessages(units: Unit[]): Unit[][] {
  const messages: Unit[][] = [];
  let current: Unit[] = [];
  let chars = 0;
  for (const unit of units) {
    const size = blockChars(unit.block);
    if (current.length && (current.length >= KVLAB_BUDGET.packedBlocks || chars + size > KVLAB_BUDGET.messageChars)) {
      messages.push(current);
      current = [];
      chars = 0;
    }
    current.push(unit);
    chars += size;
  }
  if (current.length) messages.push(current);
  return messages;
}

/**
 * Keeps the units that fit one message; if some must go, ends with a context block saying so, worded by `notice`
 * from the weight and the number of blocks left out.
 */
export function fitMessage(units: Unit[], notice: (omittedWeight: number, omittedBlocks: number) => string): object[] {
  const [first = [], ...rest] = packMessages(units);
  const omitted = rest.flat();
  const blocks = first.map((u) => u.block);
  if (!omitted.length) return blocks;
  const weight = omitted.reduce((n, u) => n + (u.weight ?? 0), 0);
  return [...blocks, context(notice(weight, omitted.length))];
}

/**
 * Assembles a message: fallback `text` shortened to one line of {@link KVLAB_BUDGET.fallbackText}, then a last
 * check against Slack's limits. A message that would still be rejected (a bug, not an input) is replaced by a
 * short note rather than posted and lost to `invalid_blocks`.
 */
export function finishMessage(text: string, blocks: object[]): SlackMessage {
  const message = { text: clipEscaped(text.replace(/\s+/g, ' ').trim(), KVLAB_BUDGET.fallbackText), blocks };
  if (budgetViolations(message).length === 0) return message;
  return {
    text: message.text,
    blocks: [section('⚠️ This answer did not fit in a Slack message. Run the same command with the kvlab CLI.')],
  };
}

/**
 * Every way `message` breaks Slack's limits (docs/wire-notes.md §5.7), as `path: problem` strings; empty when it fits.
 * Covers what kvlab produces: section, context, actions, divider, header and input blocks.
 */
export function budgetViolations(message: SlackMessage): string[] {
  const out: string[] = [];
  const textLimit = (t: unknown, path: string, max: number): void => {
    const s = (t as { text?: unknown } | undefined)?.text;
    if (typeof s !== 'string' || s.trim() === '') out.push(`${path}: empty or missing text`);
    else if (s.length > max) out.push(`${path}: ${s.length} characters, limit ${max}`);
  };
  if (message.text.length > LIMITS.messageText) out.push(`text: ${message.text.length} characters`);
  if (message.blocks.length > LIMITS.blocksPerMessage) out.push(`blocks: ${message.blocks.length} blocks`);
  for (const [i, raw] of message.blocks.entries()) {
    const b = raw as Record<string, unknown>;
    const at = `blocks[${i}]`;
    if (b.type === 'section') {
      if (b.text !== undefined) textLimit(b.text, `${at}.text`, LIMITS.sectionText);
      const fields = (b.fields ?? []) as unknown[];
      if (fields.length > LIMITS.sectionFields) out.push(`${at}.fields: ${fields.length} fields`);
      for (const [j, f] of fields.entries()) textLimit(f, `${at}.fields[${j}]`, LIMITS.sectionFieldText);
      if (b.text === undefined && fields.length === 0) out.push(`${at}: section without text or fields`);
    } else if (b.type === 'context') {
      const elements = (b.elements ?? []) as unknown[];
      if (elements.length === 0 || elements.length > LIMITS.contextElements)
        out.push(`${at}: ${elements.length} elements`);
      for (const [j, e] of elements.entries()) textLimit(e, `${at}.elements[${j}]`, LIMITS.contextText);
    } else if (b.type === 'header') textLimit(b.text, `${at}.text`, LIMITS.headerText);
    else if (b.type === 'actions') {
      const elements = (b.elements ?? []) as Array<Record<string, unknown>>;
      if (elements.length === 0 || elements.length > LIMITS.actionsElements)
        out.push(`${at}: ${elements.length} elements`);
      for (const [j, e] of elements.entries()) {
        textLimit(e.text, `${at}.elements[${j}].text`, LIMITS.buttonText);
        if (typeof e.value === 'string' && e.value.length > LIMITS.buttonValue) out.push(`${at}.elements[${j}].value`);
        if (typeof e.action_id === 'string' && e.action_id.length > LIMITS.actionId) out.push(`${at}.elements[${j}]`);
      }
    }
  }
  return out;
}
