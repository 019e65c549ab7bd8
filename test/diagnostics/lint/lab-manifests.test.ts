import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type LintProfile, lintText } from '../../../diagnostics/knowledge/lint/index.ts';

const LAB = new URL('../../fixtures/manifests/lab/', import.meta.url);

function lintLab(name: string, profile: LintProfile = 'lab') {
  return lintText(readFileSync(new URL(name, LAB), 'utf8'), name, { profile }).findings;
}

describe('the lab exercise manifests, under the lab profile', () => {
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

  it("reports the placeholders the challenge keeps, and its secret name the lab's vault lacks, as warnings only", () => {
    const warnings = lintLab('broken-spc.yaml').filter((f) => f.severity === 'warning');
    expect(warnings.map((f) => [f.rule, f.path])).toEqual([
      ['lab/object-name', 'spec.parameters.objects.array[0].objectName'],
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

describe('the lab exercise manifests, under the default (provider) profile', () => {
  it('keeps the challenge errors the provider itself rejects; pod identity is only deprecated, placeholders are errors', () => {
    const findings = lintLab('broken-spc.yaml', 'provider');
    expect(findings.map((f) => [f.rule, f.severity, f.path])).toEqual([
      ['spc/provider-name', 'error', 'spec.provider'],
      ['spc/pod-identity', 'warning', 'spec.parameters.usePodIdentity'],
      ['spc/object-type', 'error', 'spec.parameters.objects.array[0].objectType'],
      ['spc/placeholder', 'error', 'spec.parameters.clientID'],
      ['spc/placeholder', 'error', 'spec.parameters.keyvaultName'],
      ['spc/placeholder', 'error', 'spec.parameters.tenantId'],
    ]);
    expect(findings[1]?.message).toContain('still supported');
  });

  it("gives every placeholder the same severity, the lab's and any other", () => {
    const spc = lintLab('spc-as-printed.yaml', 'provider');
    const pod = lintLab('pod-as-printed.yaml', 'provider');
    expect([...spc, ...pod].map((f) => [f.rule, f.severity])).toEqual([
      ['spc/placeholder', 'error'],
      ['spc/placeholder', 'error'],
      ['spc/placeholder', 'error'],
      ['pod/placeholder', 'error'],
    ]);
  });

  it('accepts the filled-in lab manifests', () => {
    expect(lintLab('filled-spc-and-pod.yaml', 'provider')).toEqual([]);
    expect(lintLab('filled-sync-spc.yaml', 'provider')).toEqual([]);
  });
});
