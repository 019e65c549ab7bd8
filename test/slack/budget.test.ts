import { describe, expect, it } from 'vitest';
import {
  budgetViolations,
  cut,
  finishMessage,
  fitMessage,
  KVLAB_BUDGET,
  LIMITS,
  packMessages,
  packPieces,
  splitEscaped,
} from '../../src/slack/budget.ts';
import { actions, context, section } from '../../src/slack/messages.ts';
import { escapeCode } from '../../src/slack/mrkdwn.ts';

describe('splitEscaped', () => {
  it('never splits an entity or a surrogate pair', () => {
    const text = `${'&amp;'.repeat(7)}😀😀&lt;`;
    for (let max = 5; max < 20; max++) {
      const parts = splitEscaped(text, max);
      expect(parts.join('')).toBe(text);
      for (const p of parts) {
        expect(p.length).toBeLessThanOrEqual(max);
        expect(p).toMatch(/^(?:&amp;|&lt;|😀)*$/u);
      }
    }
  });
});

describe('cut', () => {
  it('keeps short text and says how many characters it cut from long text', () => {
    expect(cut('short', 10)).toBe('short');
    expect(cut('abcdefghij', 4)).toBe('abcd… 6 more characters');
  });
});

describe('packPieces', () => {
  it('keeps every section within 3,000 characters and loses no evidence line', () => {
    const lines = Array.from({ length: 120 }, (_, i) => `line ${i} <nil> ${'z'.repeat(80)}`);
    const chunks = packPieces([
      { kind: 'text', text: '*Evidence*' },
      ...lines.map((l) => ({ kind: 'code' as const, text: escapeCode(l), weight: 1 })),
    ]);
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      expect((c.text.match(/```/g) ?? []).length % 2).toBe(0);
    }
    expect(chunks.reduce((n, c) => n + c.weight, 0)).toBe(lines.length);
    const shown = chunks.map((c) => c.text.replaceAll('```', '')).join('\n');
    for (const l of lines) expect(shown).toContain(escapeCode(l));
  });

  it('splits one 10,000-character line over several fenced sections, keeping all of it', () => {
    const line = escapeCode(`${'<'.repeat(2000)}${'y'.repeat(8000)}`);
    const chunks = packPieces([{ kind: 'code', text: line, weight: 1 }]);
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      expect(c.text.startsWith('```') && c.text.endsWith('```')).toBe(true);
    }
    expect(chunks.map((c) => c.text.slice(3, -3)).join('')).toBe(line);
  });

  it('produces no section for blank pieces', () => {
    expect(packPieces([{ kind: 'text', text: '  \n ' }])).toEqual([]);
  });
});

describe('packMessages and fitMessage', () => {
  const units = Array.from({ length: 120 }, (_, i) => ({ block: section(`row ${i}`), weight: 1 }));

  it('packs at most 49 blocks per message, leaving room for a continuation line', () => {
    const messages = packMessages(units);
    expect(messages.map((m) => m.length)).toEqual([49, 49, 22]);
  });

  it('starts a new message when the characters would exceed the readability budget', () => {
    const big = Array.from({ length: 6 }, () => ({ block: section('x'.repeat(2900)) }));
    const messages = packMessages(big);
    for (const m of messages) {
      expect(m.reduce((n, u) => n + (u.block as { text: { text: string } }).text.text.length, 0)).toBeLessThanOrEqual(
        KVLAB_BUDGET.messageChars,
      );
    }
  });

  it('says how much it left out when one message cannot hold everything', () => {
    const blocks = fitMessage(units, (rows) => `… ${rows} more rows`);
    expect(blocks).toHaveLength(50);
    expect(blocks.at(-1)).toEqual(context('… 71 more rows'));
  });
});

describe('budgetViolations', () => {
  it('accepts a message within every limit', () => {
    expect(budgetViolations({ text: 'ok', blocks: [section('fine'), context('also fine')] })).toEqual([]);
  });

  it('reports each limit kvlab could break', () => {
    const tooMany = Array.from({ length: 51 }, () => section('x'));
    const found = budgetViolations({
      text: 'x'.repeat(40_001),
      blocks: [
        ...tooMany,
        section(''),
        section('x'.repeat(3001)),
        { type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) },
        actions('a', [{ text: 'b'.repeat(76), actionId: 'x', value: 'v'.repeat(2001) }]),
      ],
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'text: 40001 characters',
        'blocks: 55 blocks',
        'blocks[51].text: empty or missing text',
        'blocks[52].text: 3001 characters, limit 3000',
        'blocks[53]: 11 elements',
        'blocks[54].elements[0].text: 76 characters, limit 75',
        'blocks[54].elements[0].value',
      ]),
    );
  });
});

describe('finishMessage', () => {
  it('shortens the fallback text to one line without cutting an entity', () => {
    const msg = finishMessage(`a\nb ${'&lt;'.repeat(200)}`, [section('x')]);
    expect(msg.text.length).toBeLessThanOrEqual(KVLAB_BUDGET.fallbackText);
    expect(msg.text).toMatch(/^a b (&lt;)+…$/);
  });

  it('replaces a message Slack would reject with a short note instead of losing it to invalid_blocks', () => {
    const msg = finishMessage('x', [section('y'.repeat(3001))]);
    expect(msg.blocks).toHaveLength(1);
    expect(JSON.stringify(msg.blocks)).toContain('did not fit in a Slack message');
  });
});
