import { describe, expect, it } from 'vitest';
import { isCategory } from '../../../diagnostics/categories.ts';
import { type Classification, classifyMessage } from '../../../diagnostics/knowledge/classify/index.ts';
import { seededRandom } from './manglers.ts';
import { loadMessageFixtures } from './message-fixtures.ts';

const ACCESS_DENIED_403 =
  'MountVolume.SetUp failed for volume "secrets-store" : rpc error: code = Unknown desc = failed to mount secrets store objects for pod student-07/pod-keyvault, err: rpc error: code = Unknown desc = failed to mount objects, error: failed to get objectType:secret, objectName:db-password, objectVersion:: keyvault.BaseClient#GetSecret: Failure responding to request: StatusCode=403 -- Original Error: autorest/azure: Service returned an error. Status=403 Code="Forbidden" Message="denied" InnerError={"code":"AccessDenied"}';
const ONE_MB = 1024 * 1024;

function expectWellFormed(result: Classification): void {
  expect(isCategory(result.category)).toBe(true);
  expect(['high', 'medium', 'low']).toContain(result.confidence);
  expect(result.specificity).toBeGreaterThanOrEqual(0);
  expect(result.specificity).toBeLessThanOrEqual(100);
  expect(result.signals.length).toBeGreaterThan(0);
  expect(result.signals.join(' ')).not.toContain('classifier failed');
}

function timed(text: string): { result: Classification; ms: number } {
  const start = performance.now();
  const result = classifyMessage(text);
  return { result, ms: performance.now() - start };
}

describe('classifyMessage bounds', () => {
  it.each([
    ['empty', ''],
    ['whitespace', '  \n\t  \r\n '],
  ])('answers %s input with OTHER, low confidence and a reason', (_what, text) => {
    const result = classifyMessage(text);
    expect(result).toMatchObject({ category: 'OTHER', confidence: 'low', specificity: 0, details: {} });
    expect(result.signals[0]).toContain('nothing to classify');
  });

  it('survives input that is not a string at run time', () => {
    for (const value of [undefined, null, 42, { message: 'x' }]) {
      expectWellFormed(classifyMessage(value as unknown as string));
    }
  });

  it('says so when the input is binary junk', () => {
    const random = seededRandom(1);
    const junk = Array.from({ length: 4096 }, () => String.fromCharCode(Math.floor(random() * 256))).join('');
    const result = classifyMessage(junk);
    expectWellFormed(result);
    expect(result.confidence).toBe('low');
    expect(result.signals.join(' ')).toContain('not text');
  });

  it('classifies a 1 MB paste within a loose time budget, reading its tail', () => {
    const filler = 'I0311 09:14:27.000000 1 nodeserver.go:100] "node publish volume" pod="student-07/pod-keyvault"\n';
    const text = filler.repeat(Math.ceil(ONE_MB / filler.length)) + ACCESS_DENIED_403;
    expect(text.length).toBeGreaterThan(ONE_MB);
    const { result, ms } = timed(text);
    expect(result.category).toBe('ACCESS_DENIED');
    expect(result.signals.join(' ')).toContain('long paste');
    expect(ms).toBeLessThan(2000);
  });

  it('reads the head of a 1 MB paste too', () => {
    const text = `${ACCESS_DENIED_403}\n${'x'.repeat(ONE_MB)}`;
    expect(classifyMessage(text).category).toBe('ACCESS_DENIED');
  });

  it.each([
    ['repeated gRPC wrappers', 'rpc error: code = Unknown desc = '],
    ['repeated inner errors', '"innererror":{"code":'],
    ['repeated AADSTS', 'AADSTS'],
    ['repeated lookups', 'lookup a.b'],
    ['repeated object wrappers', 'failed to get objectType:secret, objectName:'],
    ['backslashes', '\\\\\\"'],
    ['orphan colour codes', '[0;31'],
    ['repeated URLs', 'https://kv.vault.azure.net'],
    ['repeated SDK response lines', 'RESPONSE 403: GET https://x'],
    ['repeated RestError dumps', 'RestError "a'],
    ['repeated RBAC denials', 'User "a" cannot'],
    ['one long word', 'a'],
    ['whitespace', ' \n'],
    ['table rows', '  Warning  FailedMount  3m  kubelet  x\n'],
    ['fixed-width lines', `${'y'.repeat(79)}\n`],
  ])('stays fast on 1 MB of %s', (_what, unit) => {
    const { result, ms } = timed(unit.repeat(Math.ceil(ONE_MB / unit.length)));
    expectWellFormed(result);
    expect(ms).toBeLessThan(2000);
  });
});

describe('classifyMessage under random truncation and garbage', () => {
  const texts = loadMessageFixtures().map((f) => f.text);
  const random = seededRandom(20250311);
  const pickInt = (n: number) => Math.floor(random() * n);
  const GARBAGE = [
    '\x00',
    '\x1b[',
    '\\',
    '"',
    '{',
    '}',
    '\u2502',
    '\ud83d',
    '\r',
    '\n',
    '\\u00',
    'AADSTS',
    '[',
    '\u200b',
  ];

  it('never throws and always answers a well-formed classification', () => {
    for (let i = 0; i < 400; i++) {
      const text = texts[pickInt(texts.length)] ?? '';
      const start = pickInt(text.length + 1);
      let sample = text.slice(start, start + pickInt(text.length - start + 1));
      for (let g = pickInt(6); g > 0; g--) {
        const at = pickInt(sample.length + 1);
        sample = sample.slice(0, at) + (GARBAGE[pickInt(GARBAGE.length)] ?? '') + sample.slice(at);
      }
      expectWellFormed(classifyMessage(sample));
    }
  });
});
