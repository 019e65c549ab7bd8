import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Category } from '../../../diagnostics/categories.ts';
import { isCategory } from '../../../diagnostics/categories.ts';
import type { Classification, MessageDetails } from '../../../diagnostics/knowledge/classify/index.ts';

/**
 * Loads `test/fixtures/messages/*.txt`: a header of `# category:`, optional `# confidence:`, `# details:` (JSON,
 * the key details the classifier must extract) and `# about:` lines, then `---`, then the message verbatim.
 */
export interface MessageFixture {
  name: string;
  /** Real-world fixtures: where the message was published, and why it gets its label. */
  source?: string;
  why?: string;
  era?: string;
  layer?: string;
  category: Category;
  confidence?: Classification['confidence'];
  details: MessageDetails;
  about: string;
  text: string;
}

const DIR = join(import.meta.dirname, '../../fixtures/messages');
/** Real users' messages from public sources, kept apart from the lab's own wording (see its README). */
export const REAL_WORLD_DIR = join(DIR, 'real-world');

function header(head: string, key: string): string | undefined {
  return new RegExp(`^# ${key}: (.*)$`, 'm').exec(head)?.[1];
}

export function loadMessageFixtures(dir: string = DIR): MessageFixture[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.txt'))
    .sort()
    .map((file) => {
      const raw = readFileSync(join(dir, file), 'utf8');
      const split = raw.indexOf('\n---\n');
      if (split < 0) throw new Error(`${file}: no "---" line between header and message`);
      const head = raw.slice(0, split);
      const category = header(head, 'category');
      if (!isCategory(category)) throw new Error(`${file}: "# category:" is not a known category`);
      const confidence = header(head, 'confidence') as Classification['confidence'] | undefined;
      return {
        name: file.replace(/\.txt$/, ''),
        category,
        ...(confidence ? { confidence } : {}),
        details: JSON.parse(header(head, 'details') ?? '{}') as MessageDetails,
        about: header(head, 'about') ?? header(head, 'why') ?? '',
        ...optional(head, ['source', 'why', 'era', 'layer']),
        text: raw.slice(split + 5).replace(/\n$/, ''),
      };
    });
}

function optional(head: string, keys: readonly ('source' | 'why' | 'era' | 'layer')[]): Partial<MessageFixture> {
  const out: Partial<MessageFixture> = {};
  for (const key of keys) {
    const value = header(head, key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The subset of `actual` named by the keys of `expected`, for `toEqual` comparisons. */
export function pick(actual: MessageDetails, expected: MessageDetails): MessageDetails {
  return Object.fromEntries(Object.keys(expected).map((key) => [key, actual[key as keyof MessageDetails]]));
}
