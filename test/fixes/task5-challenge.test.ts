/**
 * The lab's Task 5 challenge SPC (`broken-spc`: provider azurekeyvault, usePodIdentity "true", objectType secrets,
 * the lab's placeholders, objectName my-secret) applied in student-01 with kubectl, the pod pointed at it: following
 * kvlab's patches round by round — answering only what kvlab asks, with candidates it offers — mounts the pod.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { answerUnknowns } from '../../diagnostics/fixes/answer-unknowns.ts';
import { type FixFixture, hasKubectl, startFixFixture } from './fix-fixture.ts';

const BROKEN_SPC = `apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: broken-spc
spec:
  provider: azurekeyvault
  parameters:
    usePodIdentity: "true"
    clientID: "<IDENTITY_CLIENT_ID>"
    keyvaultName: "<KEY_VAULT_NAME>"
    tenantId: "<TENANT_ID>"
    objects: |
      array:
        - |
          objectName: my-secret
          objectType: secrets
`;
const ANSWERS = { '<KEY_VAULT_NAME>': 'kv-kvlab-lab', '<TENANT_ID>': '72f1a7c4-3b9e-4d2a-8f60-5c1e9b7d2a14' };

let fx: FixFixture;
beforeAll(async () => {
  fx = await startFixFixture();
}, 30_000);
afterAll(() => fx?.close());

it.runIf(hasKubectl)('the Task 5 SPC mounts after kvlab’s patches, with only its questions answered', async () => {
  const ns = 'student-01';
  await fx.kubectl(['apply', '-n', ns, '-f', '-'], BROKEN_SPC);
  const pod = JSON.parse(await fx.kubectl(['get', 'pod', 'pod-keyvault', '-n', ns, '-o', 'json']));
  const manifest = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'pod-keyvault', namespace: ns, labels: pod.metadata.labels },
    spec: {
      ...pod.spec,
      nodeName: undefined,
      volumes: [
        {
          name: 'secrets-store',
          csi: {
            driver: 'secrets-store.csi.k8s.io',
            readOnly: true,
            volumeAttributes: { secretProviderClass: 'broken-spc' },
          },
        },
      ],
      containers: pod.spec.containers.map((c: Record<string, unknown>) => ({
        name: c.name,
        image: c.image,
        command: c.command,
        volumeMounts: [{ name: 'secrets-store', mountPath: '/mnt/secrets', readOnly: true }],
      })),
    },
  };
  await fx.kubectl(['delete', 'pod', 'pod-keyvault', '-n', ns]);
  await fx.kubectl(['apply', '-n', ns, '-f', '-'], JSON.stringify(manifest));
  await fx.kubelet.settle();
  const rounds: Array<{ category: string; asked: string[]; commands: number }> = [];
  for (let round = 0; round < 4 && !fx.mounted(ns); round++) {
    // As "Show fixed YAML" does: the first problem with a patch (a stale event may still rank first).
    const top = (await fx.diagnose(ns)).problems.find((p) => p.patch);
    const patch = top?.patch;
    expect(patch, `round ${round}: ${JSON.stringify(rounds)}`).toBeDefined();
    if (!top || !patch) return;
    rounds.push({
      category: top.category,
      asked: patch.unknowns.map((u) => `${u.placeholder}:${u.candidates.join('|')}`),
      commands: patch.commands.length,
    });
    const pick = patch.unknowns.find((u) => u.placeholder === '<SECRET_NAME>')?.candidates.includes('db-password');
    await fx.applyPatch(answerUnknowns(patch, { ...ANSWERS, ...(pick ? { '<SECRET_NAME>': 'db-password' } : {}) }));
  }
  expect(rounds).toEqual([
    { category: 'SPC_INVALID', asked: ['<TENANT_ID>:', '<KEY_VAULT_NAME>:'], commands: 1 },
    { category: 'SECRET_NOT_FOUND', asked: ['<SECRET_NAME>:db-password|api-key'], commands: 1 },
  ]);
  expect(fx.mounted(ns)).toBe(true);
  expect((await fx.diagnose(ns)).verdict).toBe('healthy');
});
