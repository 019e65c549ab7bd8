/** Evidence of an earlier pod with the same name (other uid) is not evidence about the current one. */
import type { CoreV1Event } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { eventsOfThisPod, podStatusOfThisPod } from '../../../diagnostics/gather/this-pod.ts';

const status = (uid?: string) => ({
  metadata: {
    name: 'pod-keyvault-student-01-azure-kv-secrets',
    ...(uid ? { ownerReferences: [{ kind: 'Pod', name: 'pod-keyvault', uid }] } : {}),
  },
  status: { mounted: true, objects: [{ id: 'secret/db-password' }, { id: 'secret/api-key' }] },
});
const event = (uid?: string): CoreV1Event =>
  ({ metadata: {}, involvedObject: { kind: 'Pod', name: 'pod-keyvault', ...(uid ? { uid } : {}) } }) as CoreV1Event;

describe('evidence of this pod', () => {
  it("drops the earlier pod's mount status, keeps this pod's and one without owner", () => {
    expect(podStatusOfThisPod(status('old-uid'), 'new-uid')).toBeNull();
    expect(podStatusOfThisPod(status('new-uid'), 'new-uid')?.status?.mounted).toBe(true);
    expect(podStatusOfThisPod(status(), 'new-uid')?.status?.mounted).toBe(true);
  });

  it("drops the earlier pod's events", () => {
    const kept = eventsOfThisPod([event('old-uid'), event('new-uid'), event()], 'new-uid');
    expect(kept.map((e) => e.involvedObject.uid)).toEqual(['new-uid', undefined]);
  });
});
