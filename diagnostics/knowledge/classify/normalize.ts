import { isTableHeader, parseEventRow } from './event-rows.ts';
import type { Views } from './types.ts';

/**
 * Undoes what copy-paste does to an error message (terminals, Slack, GitHub, JSON logs, `kubectl describe`)
 * so the rules see the text the component wrote. Pure and bounded: at most {@link MAX_SCANNED} characters are
 * looked at (head and tail of longer pastes), and every pattern is linear.
 */

/** Longest input scanned; longer pastes keep their head (wrappers) and tail (innermost cause). */
export const MAX_SCANNED = 64 * 1024;
const HEAD = 40 * 1024;
const TAIL = MAX_SCANNED - HEAD;

/** One event (or the whole paste when it is not an events table) after normalisation. */
export interface Segment {
  reason?: string;
  text: string;
}

/** The normalised paste, split into event rows when it was an events table. */
export interface Prepared {
  text: string;
  segments: Segment[];
  truncated: boolean;
  /** Share of the raw input that was printable text (low for binary junk). */
  printableRatio: number;
}

const ESCAPES = /\\u([0-9a-fA-F]{4})|\\(["\\/nrt])/g;
const HAS_ESCAPE = /\\(?:u[0-9a-fA-F]{4}|["\\/nrt])/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing terminal escapes and control bytes is the purpose
const ANSI = /\x1b\[[0-?]{0,32}[ -/]{0,8}[@-~]|\x1b\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)|\x1b[@-_]/g;
const ORPHAN_SGR = /\[(?:\d{1,3};){0,6}\d{1,3}m/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing terminal escapes and control bytes is the purpose
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]/g;
const BOX = /[\u2500-\u259f]/g;
const LEADING_BORDER = /^[ \t]{0,16}(?:[|>\u2502\u2503\u2551\u2575\u2577\u254e\u254f][ \t]?){1,3}/;
const TRAILING_BORDER = /[ \t]{0,64}[|\u2502\u2503\u2551][ \t]{0,16}$/;
const KUBELET_START = /^(?:MountVolume\.\w{1,40}(?: \w{1,40})? failed|Unable to attach or mount volumes)/;
const COMBINED = /\(combined from similar events\):[ \t]*/g;

function capLength(text: string): { text: string; truncated: boolean } {
  if (text.length <= MAX_SCANNED) return { text, truncated: false };
  return { text: `${text.slice(0, HEAD)}\n…\n${text.slice(text.length - TAIL)}`, truncated: true };
}

/** Reverses JSON string escaping (also double escaping from JSON logs inside JSON), at most three passes. */
function unescapeJson(text: string): string {
  let out = text;
  for (let pass = 0; pass < 3 && HAS_ESCAPE.test(out); pass++) {
    out = out.replace(ESCAPES, (_m, hex: string | undefined, ch: string | undefined) => {
      if (hex) return String.fromCharCode(Number.parseInt(hex, 16));
      if (ch === 'n') return '\n';
      if (ch === 'r') return '\r';
      if (ch === 't') return '\t';
      return ch ?? '';
    });
  }
  return out;
}

/** Typographic characters that chat tools and word processors substitute for ASCII. */
function asciiPunctuation(text: string): string {
  return text
    .replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' ')
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '');
}

const MIN_WRAP_WIDTH = 24;

/**
 * Indices of lines broken at a fixed width (terminal or `fold` wrapping): the longest lines share one length,
 * at least two of them exist, and at least one break falls inside a word. Those lines are re-joined without a
 * separator. Ruler lines (`----`) never count.
 */
function hardWrappedLines(lines: string[]): Set<number> {
  let width = 0;
  for (const line of lines) if (!/^[-\s]*$/.test(line) && line.length > width) width = line.length;
  const wrapped = new Set<number>();
  if (width < MIN_WRAP_WIDTH) return wrapped;
  let midWord = false;
  for (let i = 0; i < lines.length - 1; i++) {
    const line = lines[i] ?? '';
    if (line.length !== width) continue;
    wrapped.add(i);
    if (/[\w"'/.:-]$/.test(line) && /^[\w"'/.:-]/.test(lines[i + 1] ?? '')) midWord = true;
  }
  return wrapped.size >= 2 && midWord ? wrapped : new Set();
}

function stripBorders(line: string): string {
  return line.replace(LEADING_BORDER, '').replace(TRAILING_BORDER, '');
}

/** Joins hard-wrapped physical lines, strips table borders and box-drawing characters. */
function logicalLines(text: string): string[] {
  const physical = text.split('\n');
  const wrapped = hardWrappedLines(physical);
  const out: string[] = [];
  let pending = '';
  physical.forEach((line, i) => {
    pending += stripBorders(line).replace(BOX, ' ');
    if (!wrapped.has(i)) {
      out.push(pending.trimEnd());
      pending = '';
    }
  });
  if (pending) out.push(pending.trimEnd());
  return out;
}

/** Drops table headers and event columns; returns one segment per event (continuation lines stay with it). */
function toSegments(lines: string[]): { text: string; segments: Segment[] } {
  const rows: Segment[] = [];
  const preamble: string[] = [];
  const kept: string[] = [];
  for (const line of lines) {
    if (isTableHeader(line)) continue;
    const row = parseEventRow(line);
    const content = (row ? row.message : line).replace(COMBINED, '');
    kept.push(content);
    const last = rows[rows.length - 1];
    if (row) rows.push({ reason: row.reason, text: content });
    else if (KUBELET_START.test(content)) rows.push({ text: content });
    else if (last) last.text += `\n${content}`;
    else preamble.push(content);
  }
  const text = kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  // Text before the first event (a log line, the body of `kubectl describe pod`) is a segment of its own.
  const before = preamble.join('\n').trim();
  const segments = [...(before ? [{ text: before }] : []), ...rows.map((s) => ({ ...s, text: s.text.trim() }))];
  return { text, segments: segments.length > 0 ? segments : [{ text }] };
}

function printableRatio(raw: string): number {
  if (raw.length === 0) return 1;
  const sample = raw.length > MAX_SCANNED ? raw.slice(0, MAX_SCANNED) : raw;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: counting control bytes is the purpose
  const junk = sample.match(/[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f\ufffd]/g)?.length ?? 0;
  return 1 - junk / sample.length;
}

/** Escapes, colours, line endings, typography and control bytes. */
function cleanCharacters(text: string): string {
  const unescaped = asciiPunctuation(unescapeJson(asciiPunctuation(text)));
  return unescaped
    .replace(ANSI, '')
    .replace(ORPHAN_SGR, '')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, ' ')
    .replace(/\t/g, '  ');
}

/** Normalises a paste and splits events tables into rows. Never throws. */
export function prepareMessage(input: string): Prepared {
  const raw = typeof input === 'string' ? input : String(input ?? '');
  const { text: capped, truncated } = capLength(raw);
  // Re-join wrapped lines before unescaping (a wrap can split `\"`), then strip borders the escapes hid.
  const physical = logicalLines(capped.replace(/\r\n?/g, '\n')).join('\n');
  const lines = cleanCharacters(physical)
    .split('\n')
    .map((line) => stripBorders(line).replace(BOX, ' ').trimEnd());
  const { text, segments } = toSegments(lines);
  return { text, segments, truncated, printableRatio: printableRatio(raw) };
}

/**
 * Undoes copy-paste mangling: JSON escaping (`\n`, `\"`, `\u003c`), ANSI colours, CRLF, smart quotes and
 * typographic dashes, table borders (`│`, `|`), fixed-width hard line breaks, `kubectl describe` event columns
 * and the `(combined from similar events): ` prefix. Returns the message text, one event per line group.
 */
export function normalizeMessage(text: string): string {
  return prepareMessage(text).text;
}

/** Builds the line-preserving, flat and compact views the extractors and rules match on. */
export function buildViews(text: string): Views {
  const compact = text.replace(/\s+/g, '');
  const joined = text
    .replace(/\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return { text, flat: text.replace(/\s+/g, ' ').trim(), joined, compact, lower: compact.toLowerCase() };
}
