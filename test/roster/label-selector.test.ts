import { describe, expect, it } from 'vitest';
import { isQualifiedName, matchesLabels, parseLabelSelector } from '../../src/roster/label-selector.ts';

const labels = { 'kvlab.io/class': 'class-a', tier: 'lab', 'kubernetes.io/metadata.name': 'student-01' };

describe('label selectors', () => {
  it.each<[string, boolean]>([
    ['kvlab.io/class=class-a', true],
    ['kvlab.io/class==class-a', true],
    ['kvlab.io/class=class-b', false],
    ['kvlab.io/class!=class-b', true],
    ['kvlab.io/class = class-a , tier=lab', true],
    ['kvlab.io/class=class-a,tier=prod', false],
    ['tier in (lab, prod)', true],
    ['tier notin (lab)', false],
    ['missing notin (x)', true],
    ['missing in (x)', false],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['missing!=x', true],
    ['kvlab.io/class in (class-a,class-b),!legacy', true],
  ])('%s matches: %s', (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it.each([
    ['', /empty/],
    ['a=b,', /empty term/],
    ['a in ()', /lists no values/],
    ['a b', /not a label selector term/],
    ['Bad_Prefix/x=y', /"Bad_Prefix\/x" .* not a label key/],
    ['a=-bad', /"-bad" .* not a label value/],
    [`a=${'v'.repeat(64)}`, /not a label value/],
  ])('refuses %j', (selector, message) => {
    expect(() => parseLabelSelector(selector)).toThrow(message);
  });

  it('recognises qualified names as Kubernetes does', () => {
    expect(isQualifiedName('kvlab.io/slack-users')).toBe(true);
    expect(isQualifiedName('slack-users')).toBe(true);
    expect(isQualifiedName('/slack-users')).toBe(false);
    expect(isQualifiedName('kvlab.io/')).toBe(false);
    expect(isQualifiedName('slack users')).toBe(false);
    expect(isQualifiedName(`kvlab.io/${'n'.repeat(64)}`)).toBe(false);
  });
});
