import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintText } from '../../../diagnostics/knowledge/lint/index.ts';

const LAB = new URL('../../fixtures/manifests/lab/', import.meta.url);

function lintLab(name: string) {
  return lintText(readFileSync(new URL(name, LAB), 'utf8'), name).findings;
}

describe('the lab exercise manifests', () => {
  it("finds exactly the three errors of the Task 5 challenge, on the lines the lab's answers name", () => {
    const findings = lintLab('broken-spc.yaml');
    const errors = findings.filter((f) => f.severity === 'error');
    expect(errors.map((f) => [f.rule, f.path, f.line])).toEqual([
      ['spc/provider-name', 'spec.provider', 7],
      ['spc/pod-identity', 'spec.parameters.usePodIdentity', 9],
      ['spc/object-type', 'spec.parameters.objects.array[0].objectType', 17],
    ]);
    expect(errors.every((f) => f.category === 'SPC_INVALID' && f.document === 1)).toBe(true);
    expect(errors[0]?.message).toContain('"azure"');
    expect(errors[2]?.fix).toBe('Set objectType: secret.');
  });

  it('reports the placeholders the challenge keeps as warnings only', () => {
    const warnings = lintLab('broken-spc.yaml').filter((f) => f.severity === 'warning');
    expect(warnings.map((f) => [f.rule, f.path])).toEqual([
      ['spc/lab-placeholder', 'spec.parameters.clientID'],
      ['spc/lab-placeholder', 'spec.parameters.keyvaultName'],
      ['spc/lab-placeholder', 'spec.parameters.tenantId'],
    ]);
  });

  it('gives the Task 2 SecretProviderClass as printed only placeholder findings', () => {
    const findings = lintLab('spc-as-printed.yaml');
    expect(findings.map((f) => f.rule)).toEqual(['spc/lab-placeholder', 'spc/lab-placeholder', 'spc/lab-placeholder']);
    expect(findings.map((f) => f.line)).toEqual([11, 12, 13]);
  });

  it('gives the Task 3 pod as printed only the ServiceAccount placeholder warning', () => {
    const findings = lintLab('pod-as-printed.yaml');
    expect(findings.map((f) => [f.rule, f.severity, f.path, f.line])).toEqual([
      ['pod/lab-placeholder', 'warning', 'spec.serviceAccountName', 7],
    ]);
  });

  it('accepts the SecretProviderClass, ServiceAccount and pod with real values filled in', () => {
    expect(lintLab('filled-spc-and-pod.yaml')).toEqual([]);
  });

  it('accepts the optional sync-as-Kubernetes-Secret class with real values filled in', () => {
    expect(lintLab('filled-sync-spc.yaml')).toEqual([]);
  });
});
