import { describe, expect, it } from 'vitest';
import { judge } from '../../../diagnostics/judge.ts';
import type { CheckId, CheckResult, Finding } from '../../../diagnostics/types.ts';

const finding = (f: Partial<Finding> & Pick<Finding, 'category'>): Finding => ({
  severity: 'error',
  confidence: 'high',
  evidence: [`${f.category} evidence`],
  facts: {},
  ...f,
});
const result = (id: CheckId, findings: Finding[]): CheckResult => ({
  id,
  title: id,
  status: findings.length ? 'fail' : 'pass',
  summary: '',
  findings,
  durationMs: 0,
});
const ctx = { mounted: false, replayAllReadable: false, driverInstalled: true, volumeNamesDriver: true };

describe('judge', () => {
  it('orders problems by where they sit in the mount, not by the order checks ran', () => {
    const problems = judge(
      [
        result('key-vault', [finding({ category: 'ACCESS_DENIED' })]),
        result('secret-provider-class', [finding({ category: 'SPC_INVALID' })]),
        result('csi-driver', [finding({ category: 'CSI_DRIVER_UNHEALTHY' })]),
      ],
      ctx,
    );
    expect(problems.map((p) => p.category)).toEqual(['CSI_DRIVER_UNHEALTHY', 'SPC_INVALID', 'ACCESS_DENIED']);
  });

  it('merges the same category from the replay and the events, preferring the live variant and facts', () => {
    const [p] = judge(
      [
        result('events', [finding({ category: 'ACCESS_DENIED', facts: { vault: 'from-event' } })]),
        result('key-vault', [finding({ category: 'ACCESS_DENIED', variant: 'rbac', facts: { vault: 'kv-live' } })]),
      ],
      ctx,
      { vault: 'base', pod: 'pod-keyvault' },
    );
    expect(p).toMatchObject({
      category: 'ACCESS_DENIED',
      variant: 'rbac',
      facts: { vault: 'kv-live', pod: 'pod-keyvault' },
    });
    expect(p?.evidence).toEqual(['ACCESS_DENIED evidence']);
  });

  it("folds kubelet's generic timeout into a specific cause, but keeps it when it is all there is", () => {
    const timeout = finding({ category: 'TIMEOUT_OR_TRANSIENT', confidence: 'low' });
    const withCause = judge([result('events', [timeout, finding({ category: 'SECRET_NOT_FOUND' })])], ctx);
    expect(withCause.map((p) => p.category)).toEqual(['SECRET_NOT_FOUND']);
    expect(judge([result('events', [timeout])], ctx).map((p) => p.category)).toEqual(['TIMEOUT_OR_TRANSIENT']);
  });

  it('downgrades stale event findings when the live replay reads every object', () => {
    const problems = judge([result('events', [finding({ category: 'ACCESS_DENIED' })])], {
      ...ctx,
      replayAllReadable: true,
    });
    expect(problems[0]?.severity).toBe('warning');
    expect(problems[0]?.evidence.at(-1)).toMatch(/works now/);
  });

  it('reads "driver not registered" on an installed driver as unhealthy on that node', () => {
    const [p] = judge([result('events', [finding({ category: 'CSI_DRIVER_NOT_INSTALLED' })])], ctx);
    expect(p?.category).toBe('CSI_DRIVER_UNHEALTHY');
    const [q] = judge([result('events', [finding({ category: 'CSI_DRIVER_NOT_INSTALLED' })])], {
      ...ctx,
      driverInstalled: false,
    });
    expect(q?.category).toBe('CSI_DRIVER_NOT_INSTALLED');
  });

  it('keeps "driver not registered" as the pod\'s mistake when its volume names another driver', () => {
    const problems = judge(
      [
        result('pod', [finding({ category: 'CSI_DRIVER_NOT_INSTALLED', variant: 'pod/csi-driver' })]),
        result('events', [finding({ category: 'CSI_DRIVER_NOT_INSTALLED' })]),
      ],
      { ...ctx, volumeNamesDriver: false },
    );
    expect(problems.map((p) => p.category)).toEqual(['CSI_DRIVER_NOT_INSTALLED']);
  });

  it('puts warnings after every error', () => {
    const problems = judge(
      [
        result('service-account', [finding({ category: 'AUTH_FAILED', severity: 'warning' })]),
        result('synced-secret', [finding({ category: 'SYNC_SECRET_MISSING' })]),
      ],
      ctx,
    );
    expect(problems.map((p) => [p.category, p.severity])).toEqual([
      ['SYNC_SECRET_MISSING', 'error'],
      ['AUTH_FAILED', 'warning'],
    ]);
  });
});
