/**
 * Mistakes the real kubelet, Azure provider and sync controller catch, made in a running classroom (student-01,
 * whose pod mounts) and seen through the pod's events, its SPCPS and the synced Secret: a misspelt CSI driver,
 * a quoted objectVersionHistory, version history with and without Key Vault's list permission, a certificate's
 * PKCS#12 secret written as PEM, and secretObjects the controller cannot build.
 */
import { randomUUID, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutateAzure } from '../../../sim/azure/state.ts';
import { eventsOf, type Obj, pod, recreatePod, spcpsIn, startKubeletClassroom, updateSpc } from './kubelet-fixture.ts';

let c: Awaited<ReturnType<typeof startKubeletClassroom>>;
const NS = 'student-01';
const RULE = '-'.repeat(80);

beforeAll(async () => {
  c = await startKubeletClassroom();
  await c.kubelet.settle();
});
afterAll(() => c?.close());

const objectsYaml = (...objects: string[]) =>
  `array:\n${objects
    .map(
      (o) =>
        `  - |\n${o
          .split('\n')
          .map((l) => `    ${l}`)
          .join('\n')}\n`,
    )
    .join('')}`;

/** Sets the SPC's objects (and secretObjects), re-creates the pod, waits, and returns the fresh pod. */
async function mountWith(objects: string, secretObjects?: Obj[]): Promise<Obj> {
  updateSpc(c, NS, 'azure-kv-secrets', (spc) => {
    spc.spec.parameters.objects = objects;
    if (secretObjects) spc.spec.secretObjects = secretObjects;
    else delete spc.spec.secretObjects;
  });
  const fresh = recreatePod(c, NS);
  await c.kubelet.settle();
  return pod(c, NS) ?? fresh;
}

const warnings = (p: Obj) =>
  (c.k8s.store.list('v1', 'Event', NS) as Obj[]).filter(
    (e) => e.involvedObject?.uid === p.metadata.uid && e.type === 'Warning',
  );
const secret = (name: string): Obj | undefined =>
  (c.k8s.store.list('v1', 'Secret', NS) as Obj[]).find((s) => s.metadata.name === name);
const spcpsOf = (p: Obj) => spcpsIn(c, NS).find((s) => s.metadata.ownerReferences?.[0]?.uid === p.metadata.uid);
const prefix = `MountVolume.SetUp failed for volume "secrets-store" : rpc error: code = Unknown desc = failed to mount secrets store objects for pod ${NS}/pod-keyvault, err: rpc error: code = Unknown desc = failed to mount objects, error: `;

describe('the provider', () => {
  it('fails a quoted objectVersionHistory with yaml.v3’s int32 error', async () => {
    const p = await mountWith(objectsYaml('objectName: db-password\nobjectType: secret\nobjectVersionHistory: "5"'));
    expect(p.status.phase).toBe('Pending');
    expect(eventsOf(c, NS, p.metadata.uid).map((e) => e.message)).toEqual([
      `${prefix}unmarshal failed for keyVaultObjects at index 0, error: yaml: unmarshal errors:\n  line 3: cannot unmarshal !!str \`5\` into int32`,
    ]);
  });

  it('fails objectEncoding: base64 on a secret that is not base64 with Go’s decoding error, unwrapped', async () => {
    const p = await mountWith(objectsYaml('objectName: db-password\nobjectType: secret\nobjectEncoding: base64'));
    expect(eventsOf(c, NS, p.metadata.uid).map((e) => e.message)).toEqual([
      `${prefix}illegal base64 data at input byte 5`,
    ]);
  });

  it('lists the versions for objectVersionHistory 2 and writes the enabled ones to <file>/<index>', async () => {
    const p = await mountWith(objectsYaml('objectName: db-password\nobjectType: secret\nobjectVersionHistory: 2'));
    expect(p.status.phase).toBe('Running');
    // db-password has two versions; the older one is disabled, so one is written.
    expect(spcpsOf(p)?.status.objects).toEqual([
      { id: 'secret/db-password/0', version: '8e4b2d6f0a1c3e5b7d9f1a3c5e7b9d0f' },
    ]);
  });

  it('fails the listing with Key Vault’s 403 when the identity may get but not list secrets', async () => {
    const objectId = c.scenario.azure.tenants[0]?.identities.find((i) => i.name === 'id-kvlab-group-a')?.objectId;
    mutateAzure(c.scenario.azure, (state) => {
      const policy = state.vaults
        .find((v) => v.name === 'kv-kvlab-lab')
        ?.accessPolicies?.find((a) => a.objectId === objectId);
      if (policy) policy.permissions.secrets = (policy.permissions.secrets ?? []).filter((s) => s !== 'list');
    });
    const p = await mountWith(objectsYaml('objectName: db-password\nobjectType: secret\nobjectVersionHistory: 2'));
    const [message, ...more] = eventsOf(c, NS, p.metadata.uid).map((e) => e.message as string);
    expect(more).toEqual([]);
    expect(
      message?.startsWith(
        `${prefix}GET https://kv-kvlab-lab.vault.azure.net/secrets/db-password/versions\n${RULE}\nRESPONSE 403: 403 Forbidden\nERROR CODE: Forbidden\n`,
      ),
    ).toBe(true);
    mutateAzure(c.scenario.azure, (state) => {
      const policy = state.vaults
        .find((v) => v.name === 'kv-kvlab-lab')
        ?.accessPolicies?.find((a) => a.objectId === objectId);
      policy?.permissions.secrets?.push('list');
    });
  });

  it('takes one version more than objectVersionHistory when the vault has that many, as the provider’s loop does', async () => {
    mutateAzure(c.scenario.azure, (state) => {
      const secret = state.vaults.find((v) => v.name === 'kv-kvlab-lab')?.secrets?.find((x) => x.name === 'api-key');
      // The scenario loader moves recorded times near today: the new versions are a day and two days newer.
      const first = Date.parse(String(secret?.versions[0]?.created));
      const day = (n: number) => new Date(first + n * 86_400_000).toISOString();
      secret?.versions.push(
        { version: 'a'.repeat(32), value: 'kvlab-api-second', enabled: true, created: day(1) },
        { version: 'b'.repeat(32), value: 'kvlab-api-third', enabled: true, created: day(2) },
      );
    });
    const p = await mountWith(objectsYaml('objectName: api-key\nobjectType: secret\nobjectVersionHistory: 2'));
    expect(p.status.phase).toBe('Running');
    expect(spcpsOf(p)?.status.objects).toEqual([
      { id: 'secret/api-key/0', version: 'b'.repeat(32) },
      { id: 'secret/api-key/1', version: 'a'.repeat(32) },
      { id: 'secret/api-key/2', version: 'c2a4e6b8d0f213579bdf2468ace01357' },
    ]);
  });

  it('writes a certificate’s PKCS#12 secret as PEM, which a kubernetes.io/tls Secret splits into key and cert', async () => {
    mutateAzure(c.scenario.azure, (state) => {
      const vault = state.vaults.find((v) => v.name === 'kv-kvlab-lab');
      if (vault) {
        vault.certificates = [
          {
            name: 'ingress-cert',
            versions: [{ version: 'd1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6', enabled: true, created: '2026-03-02T15:40:00Z' }],
          },
        ];
      }
    });
    const p = await mountWith(objectsYaml('objectName: ingress-cert\nobjectType: secret'), [
      {
        secretName: 'ingress-tls',
        type: 'kubernetes.io/tls',
        data: [
          { objectName: 'ingress-cert', key: 'tls.key' },
          { objectName: 'ingress-cert', key: 'tls.crt' },
        ],
      },
    ]);
    expect(warnings(p)).toEqual([]);
    expect(p.status.phase).toBe('Running');
    const tls = secret('ingress-tls') as Obj;
    expect(tls.type).toBe('kubernetes.io/tls');
    const key = Buffer.from(tls.data['tls.key'], 'base64').toString();
    const crt = Buffer.from(tls.data['tls.crt'], 'base64').toString();
    expect(key).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----\n$/);
    expect(new X509Certificate(crt).subject).toBe('CN=ingress-cert');
  });
});

describe('the sync controller', () => {
  it('does not create a Secret from a secretObject without a type, and writes no event', async () => {
    const p = await mountWith(objectsYaml('objectName: db-password\nobjectType: secret'), [
      { secretName: 'untyped', data: [{ objectName: 'db-password', key: 'DB_PASSWORD' }] },
    ]);
    expect(p.status.phase).toBe('Running');
    expect(warnings(p)).toEqual([]);
    expect(secret('untyped')).toBeUndefined();
  });

  it('reports a kubernetes.io/tls key whose file is not a certificate, with Go’s pkcs12 error', async () => {
    const p = await mountWith(objectsYaml('objectName: db-password\nobjectType: secret'), [
      { secretName: 'not-tls', type: 'kubernetes.io/tls', data: [{ objectName: 'db-password', key: 'tls.crt' }] },
    ]);
    const [event, ...more] = warnings(p);
    expect(more).toEqual([]);
    expect(event?.reason).toBe('FailedToCreateSecret');
    expect(event?.source).toEqual({ component: 'csi-secrets-store-controller' });
    expect(event?.message).toBe(
      `failed to get data in spc ${NS}/azure-kv-secrets for secret not-tls, err: failed to get cert data from file /var/lib/kubelet/pods/${p.metadata.uid}/volumes/kubernetes.io~csi/secrets-store/mount/db-password, err: pkcs12: error reading P12 data: asn1: structure error: tags don't match (16 vs {class:1 tag:11 length:118 isCompound:false}) {optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false} pfxPdu @2`,
    );
    expect(secret('not-tls')).toBeUndefined();
  });

  it('gets the API server’s refusal for a kubernetes.io/tls Secret without tls.key: the create times out', async () => {
    const p = await mountWith(objectsYaml('objectName: ingress-cert\nobjectType: secret'), [
      { secretName: 'half-tls', type: 'kubernetes.io/tls', data: [{ objectName: 'ingress-cert', key: 'tls.crt' }] },
    ]);
    expect(warnings(p).map((e) => [e.reason, e.message])).toEqual([
      ['FailedToCreateSecret', 'timed out waiting for the condition'],
    ]);
    expect(secret('half-tls')).toBeUndefined();
  });
});

describe('the kubelet', () => {
  /** The pod re-created with its volume's driver set to `driver`; returns its FailedMount messages. */
  async function withDriver(driver: string): Promise<string[]> {
    const old = pod(c, NS) as Obj;
    c.k8s.store.delete({ apiVersion: 'v1', kind: 'Pod', namespace: NS, name: 'pod-keyvault' });
    const { nodeName: _node, ...spec } = old.spec;
    spec.volumes = spec.volumes.map((v: Obj) => (v.csi ? { ...v, csi: { ...v.csi, driver } } : v));
    c.k8s.store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'pod-keyvault', namespace: NS, uid: randomUUID() },
      spec,
    });
    await c.kubelet.settle();
    const p = pod(c, NS) as Obj;
    expect(p.status.phase).toBe('Pending');
    return eventsOf(c, NS, p.metadata.uid).map((e) => e.message);
  }

  it('finds no CSIDriver object for a misspelt driver name', async () => {
    updateSpc(c, NS, 'azure-kv-secrets', (spc) => {
      spc.spec.parameters.objects = objectsYaml('objectName: db-password\nobjectType: secret');
    });
    expect(await withDriver('secrets-store.csi.x-k8s.io')).toEqual([
      'MountVolume.NewMounter initialization failed for volume "secrets-store" : volume mode "Ephemeral" not supported by driver secrets-store.csi.x-k8s.io (no CSIDriver object)',
    ]);
  });

  it('refuses an inline volume of a driver whose CSIDriver supports only persistent volumes', async () => {
    expect(await withDriver('disk.csi.azure.com')).toEqual([
      'MountVolume.NewMounter initialization failed for volume "secrets-store" : volume mode "Ephemeral" not supported by driver disk.csi.azure.com (only supports ["Persistent"])',
    ]);
  });
});
