/**
 * objectVersionHistory end to end: student-01's SecretProviderClass asks for the last two versions of db-password,
 * so the provider lists the secret's versions before it gets them — and so does kvlab's replay. With secrets list in
 * the identity's access policy the pod stays healthy; without it the diagnosis is ACCESS_DENIED naming the list
 * permission (a get-only policy passes every plain mount). Changes are made through the API server (admin) and the
 * simulated vault's own state, as an instructor would make them.
 */
import { CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SingleFlightCache } from '../../diagnostics/gather/single-flight-cache.ts';
import { runDiagnosis } from '../../diagnostics/run-diagnosis.ts';
import { type ClassroomFixture, startClassroomFixture } from './classroom-fixture.ts';

const STUDENT_01_OBJECT_ID = 'c3d9a1e7-2b4f-4e68-9a0c-7f1e5d2b8c46';

let fx: ClassroomFixture;
beforeAll(async () => {
  fx = await startClassroomFixture();
}, 60_000);
afterAll(() => fx?.classroom.close());

const diagnose = async () =>
  (
    await runDiagnosis('student-01', 'pod-keyvault', fx.engine.ports, {
      ...fx.engine.gather,
      cache: new SingleFlightCache(10_000),
    })
  ).report;

async function askForHistory(): Promise<void> {
  const admin = new KubeConfig();
  admin.loadFromString(fx.classroom.kubeconfigYaml);
  admin.setCurrentContext('admin');
  const objects =
    'array:\n  - |\n    objectName: db-password\n    objectType: secret\n    objectVersionHistory: 2\n  - |\n    objectName: api-key\n    objectType: secret\n';
  await admin.makeApiClient(CustomObjectsApi).patchNamespacedCustomObject(
    {
      group: 'secrets-store.csi.x-k8s.io',
      version: 'v1',
      namespace: 'student-01',
      plural: 'secretproviderclasses',
      name: 'azure-kv-secrets',
      body: { spec: { parameters: { objects } } },
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

function studentPolicy() {
  const vault = fx.classroom.scenario.azure.vaults.find((v) => v.name === 'kv-kvlab-lab');
  const policy = vault?.accessPolicies?.find((p) => p.objectId === STUDENT_01_OBJECT_ID);
  if (!policy?.permissions.secrets) throw new Error("student-01's access policy is not in the scenario");
  return policy.permissions as { secrets: string[] };
}

describe('a SecretProviderClass with objectVersionHistory', () => {
  it('is healthy while the identity may list versions, and ACCESS_DENIED for list once it may only get', async () => {
    await askForHistory();
    expect((await diagnose()).verdict).toBe('healthy');

    studentPolicy().secrets = ['get'];
    const report = await diagnose();
    expect(report.verdict).toBe('broken');
    const top = report.problems[0];
    expect(top?.category).toBe('ACCESS_DENIED');
    expect(top?.title).toContain('db-password');
    expect(top?.fix.join('\n')).toMatch(/--secret-permissions get list/);
    // api-key has no history: its get still succeeds, so it is not part of the finding.
    expect(JSON.stringify(top?.evidence)).not.toContain('api-key');
  }, 60_000);
});
