/**
 * src/cli/early-reads.ts: the first reads start when the reader is wrapped, the engine's first matching call takes
 * the answer in flight (no second request), and anything else reaches the cluster.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterReader } from '../../diagnostics/ports/cluster-reader.ts';
import { withEarlyReads } from '../../src/cli/early-reads.ts';

/** A reader that records each call and answers with its name, or fails the pod read when asked to. */
function recordingReader(options: { failPod?: boolean } = {}) {
  const calls: string[] = [];
  const answer = (call: string) => {
    calls.push(call);
    return call === 'getPod student-07/pod-keyvault' && options.failPod
      ? Promise.reject(new Error('connection reset'))
      : Promise.resolve(call);
  };
  const reader = {
    getPod: (ns: string, name: string) => answer(`getPod ${ns}/${name}`),
    listPodEvents: (ns: string, name: string) => answer(`listPodEvents ${ns}/${name}`),
    getCsiDriver: (name: string) => answer(`getCsiDriver ${name}`),
    listCsiDriverPods: () => answer('listCsiDriverPods'),
    getServiceAccount: (ns: string, name: string) => answer(`getServiceAccount ${ns}/${name}`),
  } as unknown as ClusterReader;
  return { reader, calls };
}

describe('early reads', () => {
  it('start the four first reads at once and hand each to the first matching call', async () => {
    const { reader, calls } = recordingReader();
    const early = withEarlyReads(reader, 'student-07', 'pod-keyvault');
    expect(calls).toEqual([
      'getCsiDriver secrets-store.csi.k8s.io',
      'listCsiDriverPods',
      'getPod student-07/pod-keyvault',
      'listPodEvents student-07/pod-keyvault',
    ]);
    expect(await early.getPod('student-07', 'pod-keyvault')).toBe('getPod student-07/pod-keyvault');
    expect(await early.listPodEvents('student-07', 'pod-keyvault')).toBe('listPodEvents student-07/pod-keyvault');
    expect(await early.getCsiDriver('secrets-store.csi.k8s.io')).toBe('getCsiDriver secrets-store.csi.k8s.io');
    expect(await early.listCsiDriverPods()).toBe('listCsiDriverPods');
    expect(calls).toHaveLength(4);
  });

  it('send other arguments, second calls and other reads to the cluster', async () => {
    const { reader, calls } = recordingReader();
    const early = withEarlyReads(reader, 'student-07', 'pod-keyvault');
    await early.getPod('student-08', 'pod-keyvault');
    await early.getPod('student-07', 'pod-keyvault');
    await early.getPod('student-07', 'pod-keyvault');
    await early.getCsiDriver('other.csi.k8s.io');
    await early.getServiceAccount('student-07', 'default');
    expect(calls.slice(4)).toEqual([
      'getPod student-08/pod-keyvault',
      'getPod student-07/pod-keyvault',
      'getCsiDriver other.csi.k8s.io',
      'getServiceAccount student-07/default',
    ]);
  });

  it('give a failed read to the engine to report, and none is left unhandled', async () => {
    const { reader } = recordingReader({ failPod: true });
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      const early = withEarlyReads(reader, 'student-07', 'pod-keyvault');
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      await expect(early.getPod('student-07', 'pod-keyvault')).rejects.toThrow('connection reset');
    } finally {
      process.off('unhandledRejection', listener);
    }
  });
});
