import { describe, expect, it } from 'vitest';
import { nearest } from '../../../diagnostics/checks/nearest-name.ts';
import { UserInputError } from '../../../diagnostics/errors.ts';
import { SingleFlightCache } from '../../../diagnostics/gather/single-flight-cache.ts';
import { validateTarget } from '../../../diagnostics/target.ts';

describe('validateTarget', () => {
  it('accepts DNS-1123 names', () => {
    expect(validateTarget('student-07', 'pod-keyvault.v2')).toEqual({
      namespace: 'student-07',
      pod: 'pod-keyvault.v2',
    });
  });

  it.each([
    ['Student-07', 'pod'],
    ['student_07', 'pod'],
    ['a'.repeat(64), 'pod'],
    ['ns', 'Pod'],
    ['ns', '-pod'],
    ['ns', '<!channel>'],
    ['ns', ''],
  ])('rejects %s/%s with a message saying what a valid name is', (ns, pod) => {
    expect(() => validateTarget(ns, pod)).toThrow(UserInputError);
    expect(() => validateTarget(ns, pod)).toThrow(/lowercase letters/);
  });
});

describe('nearest', () => {
  it('suggests a close name and nothing for a distant one', () => {
    expect(nearest('azure-kv-secret', ['azure-kv-secrets', 'other'])).toBe('azure-kv-secrets');
    expect(nearest('completely-different', ['azure-kv-secrets'])).toBeUndefined();
  });
});

describe('SingleFlightCache', () => {
  it('shares one in-flight load between concurrent callers and caches it for the TTL', async () => {
    let now = 0;
    let loads = 0;
    const cache = new SingleFlightCache(1_000, () => now);
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 10));
      return loads;
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.get('k', load)));
    expect(new Set(results)).toEqual(new Set([1]));
    now = 500;
    expect(await cache.get('k', load)).toBe(1);
    now = 2_000;
    expect(await cache.get('k', load)).toBe(2);
  });

  it('does not cache failures', async () => {
    const cache = new SingleFlightCache(1_000);
    await expect(cache.get('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get('k', async () => 'ok')).toBe('ok');
  });
});
