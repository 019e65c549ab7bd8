import { describe, expect, it } from 'vitest';
import { checkFieldLabels, matchesFields, parseFieldSelector } from '../../../sim/k8s/field-selector.ts';
import { matchesLabels, parseLabelSelector } from '../../../sim/k8s/label-selector.ts';
import { BUILTIN_RESOURCES } from '../../../sim/k8s/resources.ts';
import { StatusError } from '../../../sim/k8s/status.ts';

const labels = { app: 'web', tier: 'frontend', version: '3' };
const select = (selector: string, l: Record<string, string> | undefined = labels) =>
  matchesLabels(parseLabelSelector(selector), l);

describe('label selectors', () => {
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web,tier=frontend', true],
    ['app!=web', false],
    ['missing!=x', true],
    ['app in (api, web)', true],
    ['app notin (web)', false],
    ['missing notin (web)', true],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['version>2,version<4', true],
    ['example.com/team=a', false],
    ['app=', false],
  ])('%j selects %s', (selector, expected) => {
    expect(select(selector)).toBe(expected);
  });

  it.each(['app in web', 'app=web,', ',app', 'app in ()', 'app=a b', 'Bad Key=1'])(
    'rejects %j with 400 BadRequest',
    (selector) => {
      if (selector === 'app=') {
        expect(select(selector, { app: '' })).toBe(true); // an empty value is valid
        return;
      }
      const error = (() => {
        try {
          parseLabelSelector(selector);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(StatusError);
      expect((error as StatusError).status).toMatchObject({ code: 400, reason: 'BadRequest' });
    },
  );
});

describe('field selectors', () => {
  const events = BUILTIN_RESOURCES.find((r) => r.group === '' && r.resource === 'events');
  const newEvents = BUILTIN_RESOURCES.find((r) => r.group === 'events.k8s.io');
  const event = {
    metadata: { name: 'e', namespace: 'ns' },
    involvedObject: { kind: 'Pod', name: 'p', uid: 'u-1' },
    reason: 'FailedMount',
    type: 'Warning',
    reportingComponent: 'kubelet',
  };

  it('matches core event fields, with source falling back to the reporting component', () => {
    if (!events) throw new Error('events resource missing');
    const reqs = parseFieldSelector('involvedObject.uid=u-1,reason==FailedMount,source=kubelet,type!=Normal');
    checkFieldLabels(events, reqs);
    expect(matchesFields(events, reqs, event)).toBe(true);
    expect(matchesFields(events, parseFieldSelector('involvedObject.name=q'), event)).toBe(false);
  });

  it('uses the regarding.* names for events.k8s.io and rejects the core ones there', () => {
    if (!newEvents) throw new Error('events.k8s.io resource missing');
    expect(matchesFields(newEvents, parseFieldSelector('regarding.kind=Pod,reportingController=kubelet'), event)).toBe(
      true,
    );
    expect(() => checkFieldLabels(newEvents, parseFieldSelector('involvedObject.kind=Pod'))).toThrow(
      'field label not supported: involvedObject.kind',
    );
  });

  it('unescapes values and rejects terms without an operator', () => {
    expect(parseFieldSelector('metadata.name=a\\,b')).toEqual([{ field: 'metadata.name', op: '=', value: 'a,b' }]);
    expect(() => parseFieldSelector('metadata.name')).toThrow(
      "invalid selector: 'metadata.name'; can't understand 'metadata.name'",
    );
  });
});
