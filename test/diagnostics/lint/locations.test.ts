import { describe, expect, it } from 'vitest';
import { lintText } from '../../../diagnostics/knowledge/lint/index.ts';

const CID = '3f2a1c9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
const TID = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';

function spc(objects: string, extra = ''): string {
  return [
    'apiVersion: secrets-store.csi.x-k8s.io/v1',
    'kind: SecretProviderClass',
    'metadata:',
    '  name: azure-kv-secrets',
    '  namespace: student-1',
    'spec:',
    '  provider: azure',
    '  parameters:',
    `    clientID: "${CID}"`,
    '    keyvaultName: "kv-class-a-lab"',
    `    tenantId: "${TID}"`,
    objects,
    extra,
  ].join('\n');
}

describe('finding locations', () => {
  it('points into the second "- |" item of objects, counting blank lines inside the block', () => {
    const text = spc(
      [
        '    objects: |',
        '      array:',
        '        - |',
        '          objectName: db-password',
        '          objectType: secret',
        '',
        '        - |',
        '          objectName: api-key',
        '',
        '          objectType: keys',
      ].join('\n'),
    );
    const [finding] = lintText(text, 'spc.yaml').findings;
    expect(finding?.rule).toBe('spc/object-type');
    expect(finding?.path).toBe('spec.parameters.objects.array[1].objectType');
    expect(finding?.line).toBe(21);
    expect(text.split('\n')[20]).toContain('objectType: keys');
    expect(finding?.object).toEqual({ kind: 'SecretProviderClass', name: 'azure-kv-secrets', namespace: 'student-1' });
  });

  it('falls back to the objects line when objects is a quoted string', () => {
    const text = spc('    objects: "array:\\n  - |\\n    objectName: db-password\\n    objectType: secrets\\n"');
    const [finding] = lintText(text, 'spc.yaml').findings;
    expect(finding?.rule).toBe('spc/object-type');
    expect(finding?.line).toBe(12);
  });

  it('numbers documents and lines across a multi-document file', () => {
    const pod = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: pod-keyvault',
      '  namespace: student-1',
      'spec:',
      '  serviceAccountName: workload-identity-sa',
      '  containers:',
      '  - name: app',
      '    image: busybox',
      '    volumeMounts:',
      '    - {name: secrets-store, mountPath: /mnt/secrets, readOnly: true}',
      '  volumes:',
      '  - name: secrets-store',
      '    csi:',
      '      driver: secrets-store.csi.k8s.io',
      '      volumeAttributes: {secretProviderClass: azure-kv-secrets}',
    ].join('\n');
    const text = `${spc('    objects: |\n      array:\n        - |\n          objectName: db-password\n          objectType: secret')}\n---\n${pod}\n`;
    const findings = lintText(text, 'both.yaml').findings;
    expect(findings.map((f) => [f.rule, f.document, f.line, f.path])).toEqual([
      ['pod/csi-read-only', 2, 33, 'spec.volumes[0].csi.readOnly'],
    ]);
  });

  it('renders keys with dots and slashes in brackets', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      '  labels:',
      '    azure.workload.identity/use: "yes"',
      'spec: {}',
    ].join('\n');
    const [finding] = lintText(text, 'pod.yaml').findings;
    expect(finding?.path).toBe('metadata.labels["azure.workload.identity/use"]');
    expect(finding?.line).toBe(6);
  });

  it('locates pod rules inside a Deployment template', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web}',
      'spec:',
      '  template:',
      '    spec:',
      '      serviceAccountName: workload-identity-sa',
      '      containers: [{name: app, image: nginx, volumeMounts: [{name: kv, mountPath: /kv, readOnly: true}]}]',
      '      volumes:',
      '      - name: kv',
      '        csi:',
      '          driver: secrets-store.csi.k8s.io',
      '          readOnly: true',
      '          volumeAttributes:',
      '            secretProviderClass: ""',
    ].join('\n');
    const findings = lintText(text, 'deploy.yaml').findings;
    expect(findings.map((f) => [f.rule, f.path, f.line])).toEqual([
      ['pod/spc-reference', 'spec.template.spec.volumes[0].csi.volumeAttributes.secretProviderClass', 15],
    ]);
    expect(findings[0]?.object).toEqual({ kind: 'Deployment', name: 'web' });
  });
});
