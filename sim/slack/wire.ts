/**
 * Shapes shared by the Web API handlers: the reply a method produces (Slack answers API errors with HTTP 200 and
 * `{"ok":false,"error":"<code>"}`, docs/wire-notes.md §5.5), argument coercion (form fields are strings, JSON bodies carry
 * real types), and the message-content rules every posting method applies: `text` / `blocks` / `attachments`,
 * `no_text`, `msg_too_long` over 40,000 characters, `invalid_blocks_format`, `invalid_blocks` with
 * `response_metadata.messages`, `too_many_attachments` over 100.
 */
import { isObject, length, validateBlocks, withBlockIds } from './blocks.ts';

export type Args = Record<string, unknown>;

export interface ApiReply {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

export const ok = (body: Record<string, unknown> = {}): ApiReply => ({ status: 200, body: { ok: true, ...body } });

export const fail = (error: string, extra: Record<string, unknown> = {}): ApiReply => ({
  status: 200,
  body: { ok: false, error, ...extra },
});

/** `invalid_*` errors carry Slack's explanations in `response_metadata.messages`. */
export const failWithMessages = (error: string, messages: string[]): ApiReply =>
  fail(error, { response_metadata: { messages } });

/** A string argument, or undefined when absent or empty. */
export function str(args: Args, name: string): string | undefined {
  const v = args[name];
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Slack reads booleans from `true`/`1` (form) or JSON `true`. */
export function bool(args: Args, name: string): boolean {
  const v = args[name];
  return v === true || v === 'true' || v === '1' || v === 1;
}

/** How to treat `text` over 40,000 characters: the documented `msg_too_long`, or the changelog's truncation. */
export type LongTextPolicy = 'reject' | 'truncate';

export const MAX_TEXT = 40_000;
const MAX_ATTACHMENTS = 100;

export interface MessageContent {
  text: string;
  blocks?: Array<Record<string, unknown>>;
  attachments?: unknown[];
}

/** Reads and validates the content of a message; `maxBlocks` is 50 for messages. */
export function readContent(
  args: Args,
  policy: LongTextPolicy,
  pointer = '/blocks',
): { ok: true; content: MessageContent } | { ok: false; reply: ApiReply } {
  const blocks = parseJsonArg(args.blocks);
  if (blocks === 'invalid') return { ok: false, reply: fail('invalid_blocks_format') };
  const attachments = parseJsonArg(args.attachments);
  if (attachments === 'invalid') return { ok: false, reply: fail('invalid_attachments') };
  let text = str(args, 'text') ?? '';
  if (!text && !blocks?.length && !attachments?.length) return { ok: false, reply: fail('no_text') };
  if (length(text) > MAX_TEXT) {
    if (policy === 'reject') return { ok: false, reply: fail('msg_too_long') };
    text = [...text].slice(0, MAX_TEXT).join('');
  }
  if (blocks?.length) {
    const errors = validateBlocks(blocks, pointer, 50);
    if (errors.length) return { ok: false, reply: failWithMessages('invalid_blocks', errors) };
  }
  if (attachments && attachments.length > MAX_ATTACHMENTS) return { ok: false, reply: fail('too_many_attachments') };
  return {
    ok: true,
    content: {
      text,
      ...(blocks?.length ? { blocks: withBlockIds(blocks) } : {}),
      ...(attachments?.length ? { attachments } : {}),
    },
  };
}

/** A JSON argument: WebClient sends it JSON-stringified in a form field, a JSON body sends it as is. */
export function parseJsonArg(raw: unknown): unknown[] | undefined | 'invalid' {
  if (raw === undefined || raw === '') return undefined;
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return 'invalid';
    }
  }
  return Array.isArray(value) ? value : 'invalid';
}

/** A JSON object argument (`view`), parsed the same way. */
export function parseJsonObject(raw: unknown): Record<string, unknown> | undefined {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  return isObject(value) ? value : undefined;
}

/** `"<seconds>.<digits>"` — anything else is `invalid_thread_ts` (`[ERROR] 0 is not a valid thread_ts`). */
export const TS_PATTERN = /^\d{1,10}\.\d{1,6}$/;
