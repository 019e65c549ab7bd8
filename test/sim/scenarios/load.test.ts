import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deterministicUid } from '../../../sim/scenarios/kube-object.ts';
import { listScenarios, loadScenario } from '../../../sim/scenarios/load.ts';
import { ScenarioError } from '../../../sim/scenarios/scenario-error.ts';
import type { Obj } from './mount-oracle.ts';

let root = '';
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kvlab-scenarios-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const CAPTURED = '2026-01-10T12:00:00Z';
const ONE_HOUR_LATER = new Date('2026-01-10T13:00:00Z');
const TENANT = '11111111-2222-4333-8444-555555555555';

/** Writes a scenario directory: scenario.yaml fields, cluster files and an optional azure.yaml. */
function writeScenario(name: string, meta: string, cluster: Record<string, string>, azure?: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'cluster'), { recursive: true });
  writeFileSync(
    join(dir, 'scenario.yaml'),
    `name: ${name}\ndescription: test scenario ${name}\ncapturedAt: ${CAPTURED}\n${meta}`,
  );
  for (const [file, text] of Object.entries(cluster)) writeFileSync(join(dir, 'cluster', file), text);
  if (azure !== undefined) writeFileSync(join(dir, 'azure.yaml'), azure);
  return dir;
}

const BASE_META = `cluster:
  name: test
  issuer: https://eastus.oic.prod-aks.azure.com/${TENANT}/abc/
tokens:
  - token: t-admin
    user: kubernetes-admin
    groups: [system:masters]
`;
const AZURE = `tenants:
  - id: ${TENANT}
    displayName: Test
    identities: []
vaults:
  - name: kv-one
    tenantId: ${TENANT}
    location: eastus
    accessModel: accessPolicies
    secrets:
      - name: s
        versions:
          - version: 0123456789abcdef0123456789abcdef
            created: ${CAPTURED}
  - name: kv-two
    tenantId: ${TENANT}
    location: eastus
    accessModel: rbac
`;
const NAMESPACES = `apiVersion: v1
kind: Namespace
metadata: {name: a, creationTimestamp: "${CAPTURED}"}
---
apiVersion: v1
kind: Namespace
metadata: {name: b}
---
`;
const WORKLOADS = `apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: a
  creationTimestamp: "2026-01-10T11:58:00+01:00"
  annotations: {example.com/time: "2026-01-10T11:00:00Z"}
status:
  startTime: "2026-01-10T11:58:01Z"
  containerStatuses:
    - state: {running: {startedAt: "2026-01-10T11:58:03Z"}}
---
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClassPodStatus
metadata:
  name: p-a-spc
  namespace: a
  ownerReferences: [{apiVersion: v1, kind: Pod, name: p}]
---
apiVersion: v1
kind: Event
metadata: {name: p.17f0a1b2c3d4e5f6, namespace: a}
involvedObject: {apiVersion: v1, kind: Pod, name: p, namespace: a}
reason: FailedMount
eventTime: "2026-01-10T11:59:00.123456Z"
firstTimestamp: null
---
apiVersion: v1
kind: Event
metadata: {name: gone.17f0a1b2c3d4e5f7, namespace: a}
involvedObject: {apiVersion: v1, kind: Pod, name: gone, namespace: a}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: keep, namespace: b}
`;

const byName = (objects: Array<Record<string, unknown>>, kind: string, name: string) =>
  objects.find((o) => o.kind === kind && (o.metadata as Obj).name === name) as Obj | undefined;

async function expectScenarioError(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ScenarioError);
  expect((err as Error).message).toMatch(pattern);
}

describe('loadScenario', () => {
  it('moves every timestamp by now - capturedAt and keeps sub-second precision', async () => {
    writeScenario('base', BASE_META, { '00-ns.yaml': NAMESPACES, '10-work.yaml': WORKLOADS }, AZURE);
    const s = await loadScenario(join(root, 'base'), { now: ONE_HOUR_LATER });
    const pod = byName(s.objects, 'Pod', 'p')!;
    expect(pod.metadata.creationTimestamp).toBe('2026-01-10T11:58:00Z');
    expect(pod.status.startTime).toBe('2026-01-10T12:58:01Z');
    expect(pod.status.containerStatuses[0].state.running.startedAt).toBe('2026-01-10T12:58:03Z');
    expect(pod.metadata.annotations['example.com/time']).toBe('2026-01-10T11:00:00Z');
    const event = byName(s.objects, 'Event', 'p.17f0a1b2c3d4e5f6')!;
    expect([event.eventTime, event.firstTimestamp]).toEqual(['2026-01-10T12:59:00.123456Z', null]);
    expect(s.azure.vaults[0]?.secrets?.[0]?.versions[0]?.created).toBe('2026-01-10T13:00:00Z');
  });

  it('fills missing uids deterministically and points events and owner references at them', async () => {
    writeScenario('base', BASE_META, { '00-ns.yaml': NAMESPACES, '10-work.yaml': WORKLOADS }, AZURE);
    const first = await loadScenario(join(root, 'base'));
    const again = await loadScenario(join(root, 'base'));
    const pod = byName(first.objects, 'Pod', 'p')!;
    expect(pod.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(pod.metadata.uid).toBe(deterministicUid('Pod', 'a', 'p'));
    expect(byName(again.objects, 'Pod', 'p')?.metadata.uid).toBe(pod.metadata.uid);
    expect(byName(first.objects, 'Namespace', 'a')?.metadata.uid).not.toBe(
      byName(first.objects, 'Namespace', 'b')?.metadata.uid,
    );
    expect(byName(first.objects, 'Event', 'p.17f0a1b2c3d4e5f6')?.involvedObject.uid).toBe(pod.metadata.uid);
    expect(byName(first.objects, 'SecretProviderClassPodStatus', 'p-a-spc')?.metadata.ownerReferences[0].uid).toBe(
      pod.metadata.uid,
    );
    expect(byName(first.objects, 'Event', 'gone.17f0a1b2c3d4e5f7')?.involvedObject.uid).toBeUndefined();
  });

  it('keeps uids the dump already has', async () => {
    const withUid = WORKLOADS.replace('  name: p\n', '  name: p\n  uid: 0f0f0f0f-0000-4000-8000-000000000001\n');
    writeScenario('base', BASE_META, { '00-ns.yaml': NAMESPACES, '10-work.yaml': withUid }, AZURE);
    const s = await loadScenario(join(root, 'base'));
    expect(byName(s.objects, 'Event', 'p.17f0a1b2c3d4e5f6')?.involvedObject.uid).toBe(
      '0f0f0f0f-0000-4000-8000-000000000001',
    );
  });

  it('builds a variant from its base: removal cascades, same-name objects replace, Azure merges by name', async () => {
    writeScenario('base', BASE_META, { '00-ns.yaml': NAMESPACES, '10-work.yaml': WORKLOADS }, AZURE);
    const variantAzure = `tenants: []\nvaults:\n  - name: kv-two\n    tenantId: ${TENANT}\n    location: westeurope\n    accessModel: rbac\n`;
    const own = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n  annotations: {kvlab.io/expect: healthy}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra, namespace: b}\n`;
    writeScenario(
      'variant',
      'extends: base\nremove:\n  - kind: Namespace\n    name: a\n',
      { 'x.yaml': own },
      variantAzure,
    );
    const s = await loadScenario(join(root, 'variant'), { now: ONE_HOUR_LATER });
    const names = s.objects.map((o) => `${o.kind}/${(o.metadata as Obj).name}`);
    expect(names).toEqual(['Namespace/b', 'ConfigMap/keep', 'ConfigMap/extra']);
    expect(byName(s.objects, 'Namespace', 'b')?.metadata.annotations).toEqual({ 'kvlab.io/expect': 'healthy' });
    expect(s.name).toBe('variant');
    expect([s.cluster.name, s.tokens[0]?.user]).toEqual(['test', 'kubernetes-admin']);
    expect(s.azure.vaults.map((v) => `${v.name}@${v.location}`)).toEqual(['kv-one@eastus', 'kv-two@westeurope']);
    expect(s.azure.tenants.map((t) => t.id)).toEqual([TENANT]);
  });

  it('garbage-collects dependents of removed owners and custom resources of removed CRDs', async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: secretproviderclasspodstatuses.secrets-store.csi.x-k8s.io}\nspec:\n  group: secrets-store.csi.x-k8s.io\n  names: {kind: SecretProviderClassPodStatus, plural: secretproviderclasspodstatuses}\n`;
    writeScenario('base', BASE_META, { '00-ns.yaml': NAMESPACES, '05-crd.yaml': crd, '10-work.yaml': WORKLOADS });
    writeScenario('no-pod', 'extends: base\nremove:\n  - {kind: Pod, namespace: a, name: p}\n', {});
    writeScenario('no-crd', 'extends: base\nremove:\n  - {kind: CustomResourceDefinition}\n', {});
    const noPod = await loadScenario(join(root, 'no-pod'));
    expect(byName(noPod.objects, 'SecretProviderClassPodStatus', 'p-a-spc')).toBeUndefined();
    expect(byName(noPod.objects, 'Event', 'p.17f0a1b2c3d4e5f6')).toBeDefined();
    const noCrd = await loadScenario(join(root, 'no-crd'));
    expect(byName(noCrd.objects, 'SecretProviderClassPodStatus', 'p-a-spc')).toBeUndefined();
    expect(byName(noCrd.objects, 'Pod', 'p')).toBeDefined();
  });

  it('keeps a removed owner’s dependent that has another owner, as the garbage collector does', async () => {
    const shared = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owner-a, namespace: b}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: owner-b, namespace: b}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: shared\n  namespace: b\n  ownerReferences:\n    - {apiVersion: v1, kind: ConfigMap, name: owner-a}\n    - {apiVersion: v1, kind: ConfigMap, name: owner-b}\n`;
    writeScenario('base', BASE_META, { '00-ns.yaml': NAMESPACES, '20-shared.yaml': shared });
    writeScenario('one-owner', 'extends: base\nremove:\n  - {kind: ConfigMap, namespace: b, name: owner-a}\n', {});
    writeScenario('no-owner', 'extends: one-owner\nremove:\n  - {kind: ConfigMap, namespace: b, name: owner-b}\n', {});
    const one = await loadScenario(join(root, 'one-owner'));
    const owners = byName(one.objects, 'Secret', 'shared')?.metadata.ownerReferences;
    expect(owners.map((r: Obj) => [r.name, r.uid])).toEqual([
      ['owner-b', deterministicUid('ConfigMap', 'b', 'owner-b')],
    ]);
    const none = await loadScenario(join(root, 'no-owner'));
    expect(byName(none.objects, 'Secret', 'shared')).toBeUndefined();
  });

  it('names the file and line of malformed YAML', async () => {
    const broken = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    - a\n    b: c\n';
    writeScenario('base', BASE_META, { '00-ns.yaml': NAMESPACES, '20-broken.yaml': broken });
    await expectScenarioError(
      loadScenario(join(root, 'base')),
      /20-broken\.yaml:7:1: invalid YAML: All mapping items must start at the same column/,
    );
  });

  it('names the file and line of a document that is not a Kubernetes object', async () => {
    writeScenario('base', BASE_META, { '00-ns.yaml': `${NAMESPACES}apiVersion: v1\nmetadata: {name: nokind}\n` });
    await expectScenarioError(loadScenario(join(root, 'base')), /00-ns\.yaml:9: the document has no kind/);
  });

  it('names the file and line of invalid Azure state and scenario metadata', async () => {
    writeScenario('base', BASE_META, {}, AZURE.replace('0123456789abcdef0123456789abcdef', 'v1'));
    await expectScenarioError(
      loadScenario(join(root, 'base')),
      /azure\.yaml:13: invalid Azure state at vaults\.0\.secrets\.0\.versions\.0\.version/,
    );
    writeScenario('meta', BASE_META.replace('https://eastus', 'http://eastus'), {});
    await expectScenarioError(
      loadScenario(join(root, 'meta')),
      /scenario\.yaml:6: invalid scenario file at cluster\.issuer/,
    );
  });

  it('rejects duplicates, unmatched removals and extends cycles with the reason', async () => {
    writeScenario('dup', BASE_META, { 'a.yaml': NAMESPACES, 'b.yaml': NAMESPACES });
    await expectScenarioError(
      loadScenario(join(root, 'dup')),
      /b\.yaml:1: duplicate Namespace a \(also at .*a\.yaml:1\)/,
    );
    writeScenario('base', BASE_META, { '00-ns.yaml': NAMESPACES });
    writeScenario('typo', 'extends: base\nremove:\n  - {kind: Namespace, name: c}\n', {});
    await expectScenarioError(
      loadScenario(join(root, 'typo')),
      /remove\[0\] .*"name":"c".* matches no object of "base"/,
    );
    writeScenario('x', 'extends: y\n', {});
    writeScenario('y', 'extends: x\n', {});
    await expectScenarioError(loadScenario(join(root, 'x')), /forms a cycle/);
  });

  it('lists the built-in scenarios when asked for an unknown one', async () => {
    expect(listScenarios()).toEqual(
      expect.arrayContaining(['classroom', 'addon-missing', 'driver-not-ready', 'crd-missing']),
    );
    await expectScenarioError(loadScenario('no-such-lab'), /Unknown scenario "no-such-lab"\. Available: .*classroom/);
    await expectScenarioError(loadScenario(join(root, 'missing')), /has no scenario\.yaml/);
  });
});
