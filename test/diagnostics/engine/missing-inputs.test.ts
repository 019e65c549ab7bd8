/**
 * What a diagnosis says when something it needs is not there: a pod that does not exist (a finding, with the pods
 * that do and the closest name), a read that failed (every check after it "not checked because …", never a fact), and
 * a pod so fresh that nothing has failed yet. Evidence is built by hand from the lab's manifests; the checks, judge
 * and knowledge base are the real ones.
 */
import { readFileSync } from 'node:fs';
import type { V1CSIDriver, V1Pod, V1ServiceAccount } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Evidence } from '../../../diagnostics/gather/gather-evidence.ts';
import type { SecretProviderClass } from '../../../diagnostics/ports/cluster-reader.ts';
import { FRESH_POD_MS, isPodNotFound, judgeEvidence } from '../../../diagnostics/run-diagnosis.ts';
import type { Gap, Read } from '../../../diagnostics/types.ts';

const AT = new Date('2026-03-12T14:00:00Z');
const docs = parseAllDocuments(
  readFileSync(new URL('../../fixtures/manifests/lab/filled-spc-and-pod.yaml', import.meta.url), 'utf8'),
).map((d) => d.toJS());
const SPC = docs.find((d) => d.kind === 'SecretProviderClass') as SecretProviderClass;
const SA = docs.find((d) => d.kind === 'ServiceAccount') as V1ServiceAccount;
const POD_SPEC = docs.find((d) => d.kind === 'Pod') as V1Pod;

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const failed = (what: string): Read<never> => {
  const gap: Gap = { what, reason: 'timeout', message: `reading ${what} timed out: no answer within 5000 ms` };
  return { ok: false, gap };
};
const ready = { conditions: [{ type: 'Ready', status: 'True' }] };
const driverPod = (app: string): V1Pod => ({
  metadata: { name: `${app}-x`, labels: { app } },
  spec: { nodeName: 'node-1', containers: [] },
  status: ready,
});
const CLUSTER = {
  csiDriver: ok<V1CSIDriver | null>({
    metadata: { name: 'secrets-store.csi.k8s.io' },
    spec: { tokenRequests: [{ audience: 'api://AzureADTokenExchange' }] },
  }),
  driverPods: ok([driverPod('secrets-store-csi-driver'), driverPod('secrets-store-provider-azure')]),
};
const CRD = ok({
  metadata: { name: 'secretproviderclasses.secrets-store.csi.x-k8s.io' },
  spec: {
    group: 'secrets-store.csi.x-k8s.io',
    names: { kind: 'x', plural: 'x' },
    scope: 'Namespaced',
    versions: [{ name: 'v1', served: true, storage: true }],
  },
  status: { conditions: [{ type: 'Established', status: 'True' }] },
} as never);
const target = (pod: string, namespace = 'student-01') => ({ namespace, pod });
const summaries = (report: ReturnType<typeof judgeEvidence>['report']) =>
  Object.fromEntries(report.checks.map((c) => [c.id, [c.status, c.summary]]));

function missingPod(pod: string, others: string[], namespaceExists?: boolean): Evidence {
  return {
    target: target(pod),
    ...CLUSTER,
    pod: ok(null),
    events: ok([]),
    otherPods: ok(others),
    ...(namespaceExists === undefined ? {} : { namespaceExists: ok(namespaceExists) }),
    spcCrd: CRD,
  };
}

describe('a pod that does not exist', () => {
  it('is a finding that suggests the closest name, and the checks that need the pod are skipped', () => {
    const { report, podMissing } = judgeEvidence(missingPod('pod-keyvalut', ['pod-keyvault', 'web']), AT);
    expect(podMissing).toBe(true);
    expect(report.verdict).toBe('broken');
    expect(isPodNotFound(report)).toBe(true);
    const [top] = report.problems;
    expect(top?.category).toBe('OTHER');
    expect(top?.title).toBe('Pod pod-keyvalut does not exist in namespace student-01 — did you mean pod-keyvault?');
    expect(top?.cause).toBe(
      'There is no pod named pod-keyvalut in namespace student-01; the closest name there is pod-keyvault, so the name was probably mistyped. The pods there: pod-keyvault, web.',
    );
    expect(top?.fix[0]).toBe(
      'Diagnose the pod that exists: kvlab diagnose pod-keyvault -n student-01 (in Slack: /kvlab diagnose pod-keyvault).',
    );
    expect(top?.evidence).toEqual([
      'pod pod-keyvalut does not exist in namespace student-01',
      'pods in student-01: pod-keyvault, web',
    ]);
    const because = 'not checked because pod pod-keyvalut does not exist in namespace student-01';
    expect(summaries(report)).toEqual({
      'csi-driver': ['pass', '1 driver and 1 provider pods, 0 restarts in total'],
      crd: ['pass', 'secretproviderclasses.secrets-store.csi.x-k8s.io/v1 is served'],
      pod: [
        'fail',
        'pod pod-keyvalut does not exist in namespace student-01 — did you mean pod-keyvault?; pods there: pod-keyvault, web',
      ],
      events: ['skip', because],
      'secret-provider-class': ['skip', because],
      'service-account': ['skip', because],
      'key-vault': ['skip', because],
      'synced-secret': ['skip', because],
      'mount-status': ['skip', because],
    });
  });

  it('lists the pods there when no name is close', () => {
    const { report } = judgeEvidence(missingPod('my-app', ['pod-keyvault']), AT);
    expect(report.problems[0]?.title).toBe('Pod my-app does not exist in namespace student-01');
    expect(report.problems[0]?.cause).toContain('The pods there: pod-keyvault.');
    expect(report.problems[0]?.fix[0]).toBe('kubectl get pods -n student-01');
  });

  it('says when the namespace has no pods at all', () => {
    const { report } = judgeEvidence(missingPod('pod-keyvault', [], true), AT);
    expect(report.problems[0]?.cause).toContain('The pods there: none, the namespace has no pods.');
    expect(report.problems[0]?.evidence).toEqual([
      'pod pod-keyvault does not exist in namespace student-01',
      'namespace student-01 has no pods',
    ]);
  });

  it('says when the namespace itself does not exist', () => {
    const { report } = judgeEvidence(missingPod('pod-keyvault', [], false), AT);
    expect(isPodNotFound(report)).toBe(true);
    expect(report.problems[0]?.title).toBe('Namespace student-01 does not exist');
    expect(report.checks.find((c) => c.id === 'events')?.summary).toBe(
      'not checked because namespace student-01 does not exist',
    );
  });

  it('comes before a cluster-wide problem: the asker first needs the right name', () => {
    const evidence = { ...missingPod('pod-keyvalut', ['pod-keyvault']), csiDriver: ok(null) };
    const { report } = judgeEvidence(evidence, AT);
    expect(report.problems.map((p) => p.category)).toEqual(['OTHER', 'CSI_DRIVER_NOT_INSTALLED']);
    expect(isPodNotFound(report)).toBe(true);
  });
});

describe('a check whose input could not be read', () => {
  it('says "not checked because" with the failed read, never a fact about the pod', () => {
    const evidence: Evidence = {
      target: target('pod-keyvault'),
      ...CLUSTER,
      pod: failed('pod student-01/pod-keyvault'),
      events: ok([]),
      spcCrd: CRD,
    };
    const { report } = judgeEvidence(evidence, AT);
    const because = 'not checked because reading pod student-01/pod-keyvault timed out: no answer within 5000 ms';
    const s = summaries(report);
    expect(s.pod).toEqual(['error', because]);
    for (const id of ['secret-provider-class', 'service-account', 'key-vault', 'synced-secret', 'mount-status']) {
      expect(s[id], id).toEqual(['skip', because]);
    }
    // The events were read: they are still judged.
    expect(s.events).toEqual(['pass', 'no warning events (0 events in all)']);
    expect(report.verdict).toBe('inconclusive');
    expect(report.note).toBeUndefined();
  });

  it('names the SecretProviderClass when its read failed', () => {
    const evidence: Evidence = {
      target: target('pod-keyvault'),
      ...CLUSTER,
      pod: ok(pendingPod(60_000)),
      events: ok([]),
      spc: failed('SecretProviderClass student-01/azure-kv-secrets'),
      serviceAccount: ok(SA),
      podStatus: ok(null),
      spcCrd: CRD,
    };
    const s = summaries(judgeEvidence(evidence, AT).report);
    const because =
      'not checked because reading SecretProviderClass student-01/azure-kv-secrets timed out: no answer within 5000 ms';
    expect(s['secret-provider-class']).toEqual(['error', because]);
    expect(s['key-vault']).toEqual(['skip', because]);
    expect(s['synced-secret']).toEqual(['skip', because]);
  });

  it('names the volume when the pod mounts no SecretProviderClass', () => {
    const pod = pendingPod(60_000);
    pod.spec = { ...pod.spec, containers: pod.spec?.containers ?? [], volumes: [] };
    const evidence: Evidence = {
      target: target('pod-keyvault'),
      ...CLUSTER,
      pod: ok(pod),
      events: ok([]),
      serviceAccount: ok(SA),
      spcCrd: CRD,
    };
    const s = summaries(judgeEvidence(evidence, AT).report);
    expect(s['secret-provider-class']).toEqual([
      'skip',
      'not checked because pod pod-keyvault has no Secrets Store CSI volume',
    ]);
  });
});

function pendingPod(ageMs: number): V1Pod {
  return {
    ...POD_SPEC,
    metadata: {
      ...POD_SPEC.metadata,
      namespace: 'student-01',
      uid: 'u1',
      creationTimestamp: new Date(AT.getTime() - ageMs),
    },
    spec: { ...POD_SPEC.spec, containers: POD_SPEC.spec?.containers ?? [], nodeName: 'node-1' },
    status: {
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'app',
          image: 'busybox',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'ContainerCreating' } },
        },
      ],
    },
  };
}

function freshEvidence(ageMs: number, events: Evidence['events'] = ok([])): Evidence {
  return {
    target: target('pod-keyvault'),
    ...CLUSTER,
    pod: ok(pendingPod(ageMs)),
    events,
    spc: ok(SPC),
    serviceAccount: ok(SA),
    podStatus: ok(null),
  };
}

describe('a pod that has just been created', () => {
  it('is "nothing has failed yet" with what to watch, while the verdict stays inconclusive', () => {
    const { report } = judgeEvidence(freshEvidence(40_000), AT);
    expect(report.verdict).toBe('inconclusive');
    expect(report.problems).toEqual([]);
    expect(report.note).toEqual({
      kind: 'not-failed-yet',
      title: 'nothing has failed yet: pod pod-keyvault is still starting',
      text: expect.stringContaining('Every check passed and there is no warning event'),
      watch: [
        'kubectl get pod pod-keyvault -n student-01 -w',
        'kubectl get events -n student-01 --field-selector involvedObject.name=pod-keyvault,reason=FailedMount -w',
      ],
    });
  });

  it('is plain inconclusive once it has been Pending longer than a mount takes to fail', () => {
    expect(judgeEvidence(freshEvidence(FRESH_POD_MS + 1_000), AT).report.note).toBeUndefined();
  });

  it('is not "nothing has failed yet" when a check could not run or a warning event exists', () => {
    expect(
      judgeEvidence(freshEvidence(40_000, failed('the events of pod student-01/pod-keyvault')), AT).report.note,
    ).toBeUndefined();
    const warning = {
      metadata: { name: 'e1' },
      involvedObject: { kind: 'Pod', name: 'pod-keyvault' },
      type: 'Warning',
      reason: 'FailedScheduling',
      message: '0/3 nodes are available: 3 Insufficient cpu.',
      count: 1,
      lastTimestamp: new Date(AT.getTime() - 10_000),
    };
    const report = judgeEvidence(freshEvidence(40_000, ok([warning as never])), AT).report;
    expect(report.note).toBeUndefined();
    expect(report.verdict).toBe('broken');
  });
});
