import type { CoreV1Event } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { eventsCheck } from '../../../diagnostics/checks/events.ts';
import { collapseRepeats, repeatKey, seenLine } from '../../../diagnostics/checks/repeated-events.ts';
import type { Evidence } from '../../../diagnostics/gather/gather-evidence.ts';

const NOW = new Date('2026-03-12T14:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const DENIED =
  'MountVolume.SetUp failed for volume "secrets-store" : rpc error: code = Unknown desc = failed to mount secrets store objects for pod student-13/pod-keyvault, err: rpc error: code = Unknown desc = failed to mount objects, error: failed to get objectType:secret, objectName:db-password, objectVersion:: GET https://kv-kvlab-lab2.vault.azure.net/secrets/db-password/\n--------------------------------------------------------------------------------\nRESPONSE 403: 403 Forbidden\nERROR CODE: Forbidden';
const TIMED_OUT =
  'Unable to attach or mount volumes: unmounted volumes=[secrets-store], unattached volumes=[secrets-store kube-api-access-x]: timed out waiting for the condition';

function event(name: string, message: string, count: number, first: number, last: number): CoreV1Event {
  return {
    metadata: { name },
    involvedObject: { kind: 'Pod', name: 'pod-keyvault' },
    type: 'Warning',
    reason: 'FailedMount',
    message,
    count,
    firstTimestamp: minutesAgo(first),
    lastTimestamp: minutesAgo(last),
  };
}

const ENTRA = (trace: string, at: string) =>
  `MountVolume.SetUp failed … AADSTS700016: Application with identifier '5b0e6f3a-9c21-4d7e-a8b4-2f6c1d9e0a73' was not found. Trace ID: ${trace} Correlation ID: ${trace} Timestamp: ${at}Z ⏎ "trace_id": "${trace}", ⏎ "correlation_id": "${trace}"`;

describe('repeated events', () => {
  it('read two retries of one failure as the same text: trace ids and timestamps aside, never client ids', () => {
    const a = ENTRA('034b801e-4733-4f8d-8338-7281b0aaae55', '2026-12-07 01:11:03');
    const b = ENTRA('72453492-1dc6-47b2-9ba0-d9154bb5b70b', '2026-12-07 01:12:44');
    expect(repeatKey(a)).toBe(repeatKey(b));
    expect(repeatKey(`(combined from similar events): ${a}`)).toBe(repeatKey(b));
    const otherClient = a.replace('5b0e6f3a-9c21-4d7e-a8b4-2f6c1d9e0a73', '5b0e6f3a-9c21-4d7e-a8b4-2f6c1d9e0a37');
    expect(repeatKey(otherClient)).not.toBe(repeatKey(a));
    expect(collapseRepeats([event('a', a, 1, 9, 9), event('b', b, 1, 4, 4)]).map((g) => g.count)).toEqual([2]);
  });

  it('fold the same text into one entry: counts summed, first and last seen across the objects', () => {
    const groups = collapseRepeats([
      event('a', DENIED, 3, 40, 20),
      event('b', TIMED_OUT, 1, 30, 30),
      event('c', DENIED, 1, 15, 15),
      event('d', `${DENIED}\n`, 5, 12, 2),
    ]);
    expect(groups.map((g) => [g.event.metadata?.name, g.count])).toEqual([
      ['d', 9],
      ['b', 1],
    ]);
    expect(seenLine(groups[0]!, NOW)).toBe('(×9 over 38m, last 2m ago)');
    expect(seenLine(groups[1]!, NOW)).toBe('(30m ago)');
  });

  it('give the events check one line per distinct message, with ×N and when it last happened', () => {
    const many = Array.from({ length: 40 }, (_, i) => event(`e${i}`, DENIED, 1, 60 - i, 60 - i));
    const e = {
      target: { namespace: 'student-13', pod: 'pod-keyvault' },
      events: { ok: true, value: [...many, event('t', TIMED_OUT, 12, 50, 1)] },
    } as unknown as Evidence;
    const outcome = eventsCheck.run(e, NOW);
    expect(outcome.findings.map((f) => f.category)).toEqual(['ACCESS_DENIED', 'TIMEOUT_OR_TRANSIENT']);
    expect(outcome.findings.map((f) => f.evidence.length)).toEqual([1, 1]);
    expect(outcome.findings[0]?.evidence[0]).toMatch(/^FailedMount \(×40 over 39m, last 21m ago\): MountVolume\.SetUp/);
    expect(outcome.findings[1]?.evidence[0]).toBe(`FailedMount (×12 over 49m, last 60s ago): ${TIMED_OUT}`);
    expect(outcome.summary).toBe('41 warning event(s): FailedMount');
  });
});
