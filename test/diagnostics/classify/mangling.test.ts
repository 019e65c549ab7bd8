import { describe, expect, it } from 'vitest';
import { classifyMessage, type MessageDetails } from '../../../diagnostics/knowledge/classify/index.ts';
import { MANGLERS } from './manglers.ts';
import { loadMessageFixtures, pick } from './message-fixtures.ts';

/** Details a wrapper legitimately adds or changes (a describe row carries its own event reason). */
function keyDetails(details: MessageDetails): MessageDetails {
  const { eventReason: _reason, ...rest } = details;
  return rest;
}

const fixtures = loadMessageFixtures();

describe('classifyMessage on mangled copies', () => {
  for (const [how, mangle] of MANGLERS) {
    describe(how, () => {
      it.each(fixtures.map((f) => [f.name, f] as const))('%s classifies like its clean version', (_name, fixture) => {
        const clean = classifyMessage(fixture.text);
        const mangled = classifyMessage(mangle(fixture.text));
        expect(mangled.category).toBe(clean.category);
        expect(mangled.category).toBe(fixture.category);
        const expected = keyDetails(fixture.details);
        expect(pick(mangled.details, expected)).toEqual(expected);
      });
    });
  }
});
