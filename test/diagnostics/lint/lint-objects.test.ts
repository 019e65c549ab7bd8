import { describe, expect, it } from 'vitest';
import { lintObjects } from '../../../diagnostics/knowledge/lint/index.ts';

const CID = '3f2a1c9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';

/** A SecretProviderClass as the API returns it (JSON), with managed fields and last-applied configuration. */
function liveSpc(parameters: Record<string, unknown>) {
  return {
    apiVersion: 'secrets-store.csi.x-k8s.io/v1',
    kind: 'SecretProviderClass',
    metadata: {
      name: 'azure-kv-secrets',
      namespace: 'student-1',
      // A placeholder inside last-applied-configuration must not be reported (it is a copy, not the live spec).
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal placeholder is the input under test
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"spec":{"provider":"${PROVIDER}"}}' },
      managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:spec': {} } }],
    },
    spec: { provider: 'azure', parameters },
  };
}

const GOOD_PARAMS = {
  usePodIdentity: 'false',
  clientID: CID,
  keyvaultName: 'kv-class-a-lab',
  tenantId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
  objects: 'array:\n  - |\n    objectName: db-password\n    objectType: secret\n',
};

const livePod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'pod-keyvault', namespace: 'student-1' },
  spec: {
    serviceAccountName: 'workload-identity-sa',
    containers: [
      {
        name: 'app',
        image: 'busybox',
        volumeMounts: [{ name: 'secrets-store', mountPath: '/mnt/secrets', readOnly: true }],
      },
    ],
    volumes: [
      {
        name: 'secrets-store',
        csi: {
          driver: 'secrets-store.csi.k8s.io',
          readOnly: true,
          volumeAttributes: { secretProviderClass: 'azure-kv-secrets' },
        },
      },
    ],
  },
  status: { phase: 'Pending' },
};

describe('lintObjects on live objects', () => {
  it('finds nothing in a healthy SecretProviderClass and pod, ignoring managed fields and annotations', () => {
    expect(lintObjects([liveSpc(GOOD_PARAMS), livePod], 'namespace student-1')).toEqual([]);
  });

  it('reports findings without line or document, with the object they belong to', () => {
    const findings = lintObjects([liveSpc({ ...GOOD_PARAMS, usePodIdentity: 'true' }), livePod], 'namespace student-1');
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'spc/pod-identity',
        path: 'spec.parameters.usePodIdentity',
        object: { kind: 'SecretProviderClass', name: 'azure-kv-secrets', namespace: 'student-1' },
      }),
    ]);
    expect(findings[0]).not.toHaveProperty('line');
    expect(findings[0]).not.toHaveProperty('document');
  });

  it('expands kind: List and prefixes paths with the item index', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [livePod, liveSpc({ ...GOOD_PARAMS, keyvaultName: 'kv_lab' })],
    };
    const findings = lintObjects([list], 'kubectl get -o yaml');
    expect(findings.map((f) => [f.rule, f.path])).toEqual([
      ['spc/keyvault-name', 'items[1].spec.parameters.keyvaultName'],
    ]);
  });

  it('matches SecretProviderClasses to pods by namespace', () => {
    const otherNamespace = { ...liveSpc(GOOD_PARAMS), metadata: { name: 'azure-kv-secrets', namespace: 'student-2' } };
    const findings = lintObjects([otherNamespace, livePod], 'cluster');
    expect(findings.map((f) => f.rule)).toEqual(['pod/spc-not-found']);
    expect(findings[0]?.message).toContain('"student-2"');
  });

  it('reports a non-string parameter read from JSON', () => {
    const findings = lintObjects([liveSpc({ ...GOOD_PARAMS, usePodIdentity: false })], 'cluster');
    expect(findings.map((f) => [f.rule, f.message.includes('unquoted YAML boolean false')])).toEqual([
      ['spc/parameter-not-string', true],
    ]);
  });

  it('compares the ServiceAccount annotation with the SPC clientID', () => {
    const sa = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: 'workload-identity-sa',
        namespace: 'student-1',
        annotations: { 'azure.workload.identity/client-id': '11111111-2222-4333-8444-555555555555' },
      },
    };
    const findings = lintObjects(
      [liveSpc(GOOD_PARAMS), sa, livePod, { ...livePod, metadata: { name: 'second' } }],
      'ns',
    );
    expect(findings.map((f) => [f.rule, f.object?.kind])).toEqual([['sa/client-id-mismatch', 'ServiceAccount']]);
  });
});
