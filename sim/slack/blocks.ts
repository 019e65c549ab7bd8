/**
 * Block Kit validation with Slack's limits (docs/wire-notes.md §5.7): 50 blocks per message / 100 per modal, section text
 * 1–3000, fields ≤ 10 × 2000, header ≤ 150, context ≤ 10 elements, actions ≤ 25 elements, button text ≤ 75,
 * value ≤ 2000, url ≤ 3000, action_id / block_id ≤ 255 and block_id unique, markdown ≤ 12,000 across the payload.
 * Problems are reported as Slack words them in `response_metadata.messages`:
 * `[ERROR] <what> [json-pointer:<where>]` (e.g. `must be less than 3001 characters [json-pointer:/blocks/0/text/text]`,
 * `no more than 50 items allowed [json-pointer:/blocks]`, `unsupported type: sections [json-pointer:/blocks/0/type]`;
 * other wordings follow the same pattern and are not verified against Slack).
 */
import { randomBytes } from 'node:crypto';

type Json = Record<string, unknown>;

const BLOCK_TYPES = new Set([
  'actions',
  'context',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'table',
  'video',
]);

const ELEMENT_LIMITS: Record<string, Record<string, number>> = {
  button: { value: 2000, url: 3000 },
};

/** Validates `blocks` (already JSON-parsed) for a message (`max` 50) or a modal (`max` 100). */
export function validateBlocks(blocks: unknown[], pointer: string, max: number): string[] {
  const errors: string[] = [];
  const err: Reporter = (what, where) => {
    errors.push(`[ERROR] ${what} [json-pointer:${where}]`);
  };
  if (blocks.length > max) err(`no more than ${max} items allowed`, pointer);
  const blockIds = new Set<string>();
  let markdownChars = 0;
  for (const [i, raw] of blocks.entries()) {
    const at = `${pointer}/${i}`;
    const problem = blockShape(raw, at);
    if (problem || !isObject(raw)) {
      if (problem) err(...problem);
      continue;
    }
    if (raw.block_id !== undefined) {
      if (typeof raw.block_id !== 'string') err('must provide a string', `${at}/block_id`);
      else if (length(raw.block_id) > 255) err('must be less than 256 characters', `${at}/block_id`);
      else if (blockIds.has(raw.block_id)) err(`duplicate block_id: ${raw.block_id}`, `${at}/block_id`);
      else blockIds.add(raw.block_id);
    }
    switch (raw.type) {
      case 'section':
        if (raw.text === undefined && raw.fields === undefined) err('must define either `text` or `fields`', at);
        if (raw.text !== undefined) textObject(raw.text, `${at}/text`, 3000, err);
        if (raw.fields !== undefined) list(raw.fields, `${at}/fields`, 10, err, (f, p) => textObject(f, p, 2000, err));
        if (raw.accessory !== undefined) element(raw.accessory, `${at}/accessory`, err);
        break;
      case 'header':
        if (raw.text === undefined) err('missing required field: text', at);
        else textObject(raw.text, `${at}/text`, 150, err, 'plain_text');
        break;
      case 'context':
        list(raw.elements, `${at}/elements`, 10, err, (e, p) =>
          isObject(e) && e.type === 'image' ? undefined : textObject(e, p, 3000, err),
        );
        break;
      case 'actions':
        list(raw.elements, `${at}/elements`, 25, err, (e, p) => element(e, p, err));
        break;
      case 'image':
        if (raw.image_url === undefined && raw.slack_file === undefined) err('missing required field: image_url', at);
        if (typeof raw.alt_text !== 'string') err('missing required field: alt_text', at);
        else if (length(raw.alt_text) > 2000) err('must be less than 2001 characters', `${at}/alt_text`);
        break;
      case 'input':
        if (raw.label === undefined) err('missing required field: label', at);
        else textObject(raw.label, `${at}/label`, 2000, err, 'plain_text');
        if (raw.element === undefined) err('missing required field: element', at);
        break;
      case 'markdown':
        if (typeof raw.text !== 'string') err('missing required field: text', at);
        else {
          markdownChars += length(raw.text);
          if (markdownChars > 12_000) err('must be less than 12001 characters', `${at}/text`);
        }
        break;
      case 'rich_text':
        if (!Array.isArray(raw.elements)) err('missing required field: elements', at);
        break;
    }
  }
  return errors;
}

/**
 * Slack gives every block without a `block_id` a short random one (visible in history and in the `block_id` of a
 * `block_actions` payload), so the simulator does too.
 */
export function withBlockIds(blocks: unknown[]): Json[] {
  return blocks.map((b) => {
    const block = b as Json;
    return typeof block.block_id === 'string' ? block : { ...block, block_id: randomBytes(3).toString('base64url') };
  });
}

type Reporter = (what: string, where: string) => void;

type Problem = [what: string, where: string];

function blockShape(raw: unknown, at: string): Problem | undefined {
  if (!isObject(raw)) return ['must provide an object', at];
  if (typeof raw.type !== 'string') return ['missing required field: type', at];
  if (!BLOCK_TYPES.has(raw.type)) return [`unsupported type: ${raw.type}`, `${at}/type`];
  return undefined;
}

function textShape(raw: unknown, at: string, only?: 'plain_text'): Problem | undefined {
  if (!isObject(raw)) return ['must provide an object', at];
  if (raw.type !== 'plain_text' && raw.type !== 'mrkdwn')
    return [`unsupported type: ${String(raw.type)}`, `${at}/type`];
  if (only && raw.type !== only) return [`must be a ${only} text object`, `${at}/type`];
  if (typeof raw.text !== 'string') return ['must provide a string', `${at}/text`];
  return undefined;
}

function textObject(raw: unknown, at: string, max: number, err: Reporter, only?: 'plain_text'): void {
  const problem = textShape(raw, at, only);
  if (problem || !isObject(raw) || typeof raw.text !== 'string') {
    if (problem) err(...problem);
    return;
  }
  const n = length(raw.text);
  if (n < 1) err('must be more than 0 characters', `${at}/text`);
  if (n > max) err(`must be less than ${max + 1} characters`, `${at}/text`);
}

function element(raw: unknown, at: string, err: Reporter): void {
  if (!isObject(raw) || typeof raw.type !== 'string') {
    err(isObject(raw) ? 'missing required field: type' : 'must provide an object', at);
    return;
  }
  if (typeof raw.action_id === 'string' && length(raw.action_id) > 255) {
    err('must be less than 256 characters', `${at}/action_id`);
  }
  if (raw.type === 'button') {
    if (raw.text === undefined) err('missing required field: text', at);
    else textObject(raw.text, `${at}/text`, 75, err, 'plain_text');
  }
  for (const [field, max] of Object.entries(ELEMENT_LIMITS[raw.type] ?? {})) {
    const value = raw[field];
    if (typeof value === 'string' && length(value) > max)
      err(`must be less than ${max + 1} characters`, `${at}/${field}`);
  }
}

function list(raw: unknown, at: string, max: number, err: Reporter, each: (item: unknown, at: string) => void): void {
  if (!Array.isArray(raw)) {
    err('must provide an array', at);
    return;
  }
  if (raw.length === 0) err('must provide at least 1 item', at);
  if (raw.length > max) err(`no more than ${max} items allowed`, at);
  raw.forEach((item, i) => {
    each(item, `${at}/${i}`);
  });
}

/** Characters as Slack counts them (code points, not UTF-16 units). */
export function length(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
