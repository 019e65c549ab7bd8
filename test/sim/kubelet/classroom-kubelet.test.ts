/**
 * The classroom with the simulated kubelet on: the first attempts reproduce every recorded failure (the
 * recorded FailedMount Event's count grows, no new Event), healthy pods stay mounted, and fixes made the way a
 * student or instructor makes them — an SPC edit, an Azure permission, a re-created pod — change the outcome.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutateAzure } from '../../../sim/azure/state.ts';
import { eventsOf, type Obj, pod, recreatePod, spcpsIn, startKubeletClassroom, updateSpc } from './kubelet-fixture.ts';

let c: Awaited<ReturnType<typeof startKubeletClassroom>>;
const recorded = new Map<string, number>();

beforeAll(async () => {
  c = await startKubeletClassroom();
  for (const o of c.scenario.objects as Obj[])
    if (o.kind === 'Event') recorded.set(`${o.metadata.namespace}/${o.metadata.name}`, o.count ?? 1);
  await c.kubelet.settle();
});
afterAll(() => c?.close());

const expectOf = (ns: string) =>
  (c.scenario.objects as Obj[]).find((o) => o.kind === 'Namespace' && o.metadata.name === ns)?.metadata.annotations?.[
    'kvlab.io/expect'
  ];
const students = () => Array.from({ length: 22 }, (_, i) => `student-${String(i + 1).padStart(2, '0')}`);

describe('first attempts reproduce the recorded classroom', () => {
  it('bumps the count of each failing pod’s latest recorded FailedMount Event instead of writing a new one', () => {
    const failing = students().filter((ns) => !['healthy', 'SYNC_SECRET_MISSING'].includes(expectOf(ns)));
    expect(failing).toHaveLength(18);
    for (const ns of failing) {
      const p = pod(c, ns) as Obj;
      const events = eventsOf(c, ns, p.metadata.uid).filter((e) => !e.message.startsWith('Unable to attach'));
      const fresh = events.filter((e) => !recorded.has(`${ns}/${e.metadata.name}`));
      expect(fresh, `${ns} wrote a new FailedMount Event`).toEqual([]);
      const bumped = events.filter((e) => e.count === (recorded.get(`${ns}/${e.metadata.name}`) ?? 0) + 1);
      expect(bumped, ns).toHaveLength(1);
      expect(p.status.phase).toBe('Pending');
      expect(p.status.containerStatuses[0].state.waiting.reason).toBe('ContainerCreating');
    }
  });

  it('leaves healthy pods Running with their SPCPS, and the sync-missing pods waiting for their Secret', () => {
    for (const ns of ['student-01', 'student-02']) {
      expect(pod(c, ns)?.status.phase).toBe('Running');
      expect(spcpsIn(c, ns)).toHaveLength(1);
    }
    for (const ns of ['student-19', 'student-20']) {
      expect(pod(c, ns)?.status.containerStatuses[0].state.waiting.reason).toBe('CreateContainerConfigError');
    }
  });
});

describe('fixes', () => {
  it('student-17 fixes objectName db-passwd → db-password: the pod mounts, SPCPS written, no new failure', async () => {
    const p = pod(c, 'student-17') as Obj;
    const before = eventsOf(c, 'student-17', p.metadata.uid).map((e) => [e.metadata.name, e.count]);
    updateSpc(c, 'student-17', 'azure-kv-secrets', (spc) => {
      spc.spec.parameters.objects = spc.spec.parameters.objects.replace('db-passwd', 'db-password');
    });
    await c.kubelet.settle();
    const after = pod(c, 'student-17') as Obj;
    expect(after.status.phase).toBe('Running');
    expect(after.status.conditions.find((x: Obj) => x.type === 'Ready').status).toBe('True');
    expect(after.status.containerStatuses[0]).toMatchObject({ ready: true, started: true, state: { running: {} } });
    expect(eventsOf(c, 'student-17', p.metadata.uid).map((e) => [e.metadata.name, e.count])).toEqual(before);
    const [spcps] = spcpsIn(c, 'student-17');
    expect(spcps).toMatchObject({
      metadata: {
        name: 'pod-keyvault-student-17-azure-kv-secrets',
        labels: { 'internal.secrets-store.csi.k8s.io/node-name': after.spec.nodeName },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'pod-keyvault', uid: p.metadata.uid }],
      },
      status: {
        mounted: true,
        podName: 'pod-keyvault',
        secretProviderClassName: 'azure-kv-secrets',
        targetPath: `/var/lib/kubelet/pods/${p.metadata.uid}/volumes/kubernetes.io~csi/secrets-store/mount`,
      },
    });
    expect(spcps?.status.objects.map((o: Obj) => o.id)).toEqual(['secret/api-key', 'secret/db-password']);
    expect(spcps?.status.objects.every((o: Obj) => /^[0-9a-f]{32}$/.test(o.version))).toBe(true);
  });

  it('an instructor grants id-kvlab-group-b `get` on kv-kvlab-lab2: student-13 mounts', async () => {
    const objectId = c.scenario.azure.tenants[0]?.identities.find((i) => i.name === 'id-kvlab-group-b')?.objectId;
    mutateAzure(c.scenario.azure, (state) => {
      const vault = state.vaults.find((v) => v.name === 'kv-kvlab-lab2');
      const policy = vault?.accessPolicies?.find((p) => p.objectId === objectId);
      policy?.permissions.secrets?.push('get');
    });
    await c.kubelet.settle();
    expect(pod(c, 'student-13')?.status.phase).toBe('Running');
    expect(spcpsIn(c, 'student-13')).toHaveLength(1);
  });

  it('a mounted pod stays mounted when its SPC breaks; re-created, it fails in the provider’s own wording', async () => {
    updateSpc(c, 'student-01', 'azure-kv-secrets', (spc) => {
      spc.spec.parameters.objects = spc.spec.parameters.objects.replace('objectName: api-key', 'objectName: api-kee');
    });
    await c.kubelet.settle();
    expect(pod(c, 'student-01')?.status.phase).toBe('Running');
    const fresh = recreatePod(c, 'student-01');
    await c.kubelet.settle();
    const p = pod(c, 'student-01') as Obj;
    expect(p.metadata.uid).toBe(fresh.metadata.uid);
    expect(p.spec.nodeName).toMatch(/^aks-nodepool1-31718369-vmss00000[012]$/);
    expect(p.status.phase).toBe('Pending');
    const [event, ...more] = eventsOf(c, 'student-01', p.metadata.uid);
    expect(more).toEqual([]);
    expect(event).toMatchObject({ count: 1, type: 'Warning', source: { component: 'kubelet', host: p.spec.nodeName } });
    expect(event?.message).toBe(
      'MountVolume.SetUp failed for volume "secrets-store" : rpc error: code = Unknown desc = failed to mount secrets store objects for pod student-01/pod-keyvault, err: rpc error: code = Unknown desc = failed to mount objects, error: failed to get objectType:secret, objectName:api-kee, objectVersion:: GET https://kv-kvlab-lab.vault.azure.net/secrets/api-kee/\n' +
        `${'-'.repeat(80)}\nRESPONSE 404: 404 Not Found\nERROR CODE: SecretNotFound\n${'-'.repeat(80)}\n` +
        '{\n  "error": {\n    "code": "SecretNotFound",\n    "message": "A secret with (name/id) api-kee was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182"\n  }\n}\n' +
        `${'-'.repeat(80)}\n`,
    );
  });

  it('schedules a pod applied without a node, mounts it and syncs the SPC’s secretObjects', async () => {
    const template = pod(c, 'student-02') as Obj;
    const { nodeName: _n, ...spec } = template.spec;
    const created: Obj = c.k8s.store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'pod-two', namespace: 'student-02' },
      spec,
    });
    await c.kubelet.settle();
    const p = pod(c, 'student-02', 'pod-two') as Obj;
    expect(p.spec.nodeName).toBeTruthy();
    expect(p.status.phase).toBe('Running');
    expect(eventsOf(c, 'student-02', created.metadata.uid, 'Scheduled')[0]?.message).toBe(
      `Successfully assigned student-02/pod-two to ${p.spec.nodeName}`,
    );
    const spcps = spcpsIn(c, 'student-02').find((s) => s.status.podName === 'pod-two') as Obj;
    const secret = c.k8s.store.get({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: 'student-02',
      name: 'db-secrets-k8s',
    }) as Obj;
    expect(secret.metadata.labels['secrets-store.csi.k8s.io/managed']).toBe('true');
    expect(secret.metadata.ownerReferences.map((o: Obj) => o.name)).toContain(spcps.metadata.name);
    expect(secret.metadata.ownerReferences.find((o: Obj) => o.name === spcps.metadata.name).uid).toBe(
      spcps.metadata.uid,
    );
    expect(Buffer.from(secret.data.DB_PASSWORD, 'base64').toString()).toContain('KVLAB-CANARY');
  });

  it('runs a pod without a CSI volume straight away', async () => {
    c.k8s.store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'plain', namespace: 'student-05' },
      spec: { containers: [{ name: 'app', image: 'busybox' }] },
    });
    await c.kubelet.settle();
    expect(pod(c, 'student-05', 'plain')?.status).toMatchObject({
      phase: 'Running',
      containerStatuses: [{ ready: true }],
    });
  });
});
