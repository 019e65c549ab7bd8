import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../../diagnostics/categories.ts';
import { classifyMessage } from '../../../diagnostics/knowledge/classify/index.ts';
import { loadMessageFixtures, pick } from './message-fixtures.ts';

const fixtures = loadMessageFixtures();

describe('classifyMessage on the message corpus', () => {
  it('has a corpus covering every category', () => {
    const covered = new Set(fixtures.map((f) => f.category));
    expect(CATEGORIES.filter((c) => !covered.has(c))).toEqual([]);
    expect(fixtures.length).toBeGreaterThanOrEqual(60);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    const result = classifyMessage(fixture.text);
    expect(result.category, fixture.about).toBe(fixture.category);
    if (fixture.confidence) expect(result.confidence).toBe(fixture.confidence);
    expect(pick(result.details, fixture.details)).toEqual(fixture.details);
    expect(result.signals.length).toBeGreaterThan(0);
    expect(result.specificity).toBeGreaterThanOrEqual(0);
    expect(result.specificity).toBeLessThanOrEqual(100);
  });

  it('reads both provider generations', () => {
    const generations = new Set(fixtures.map((f) => classifyMessage(f.text).details.providerGeneration));
    expect(generations).toEqual(new Set(['autorest', 'azure-sdk', undefined]));
  });
});
