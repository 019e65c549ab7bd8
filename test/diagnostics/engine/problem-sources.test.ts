/**
 * A problem says where it came from (check ids, lint rules, the evidence each contributed) and lists each fix
 * step once, even when a lint rule's fix and the knowledge base's say the same thing.
 */
import { describe, expect, it } from 'vitest';
import { judge } from '../../../diagnostics/judge.ts';
import { fixSteps } from '../../../diagnostics/run-diagnosis.ts';
import type { CheckResult, Finding } from '../../../diagnostics/types.ts';

function result(id: CheckResult['id'], findings: Finding[]): CheckResult {
  return { id, title: id, status: 'fail', summary: '', findings, durationMs: 0 };
}

const ctx = { mounted: false, replayAllReadable: false, driverInstalled: true, volumeNamesDriver: true };

describe('problem sources', () => {
  it('names every check and rule behind a merged problem, with the evidence each gave', () => {
    const [problem] = judge(
      [
        result('secret-provider-class', [
          {
            category: 'SPC_INVALID',
            variant: 'spc/object-type',
            severity: 'error',
            confidence: 'high',
            evidence: ['spec.parameters.objects.array[0].objectType: objectType is "secrets"'],
            facts: {},
          },
        ]),
        result('events', [
          {
            category: 'SPC_INVALID',
            severity: 'error',
            confidence: 'medium',
            evidence: ['FailedMount: Invalid vaultObjectTypes. Should be secret, key, or cert'],
            facts: {},
          },
        ]),
      ],
      ctx,
    );
    expect(problem?.sources).toEqual([
      {
        check: 'secret-provider-class',
        rule: 'spc/object-type',
        severity: 'error',
        evidence: ['spec.parameters.objects.array[0].objectType: objectType is "secrets"'],
      },
      {
        check: 'events',
        severity: 'error',
        evidence: ['FailedMount: Invalid vaultObjectTypes. Should be secret, key, or cert'],
      },
    ]);
  });
});

describe('fix steps', () => {
  it('keeps the specific step and drops a general one that repeats it', () => {
    expect(
      fixSteps(
        ['Set objectType: secret.'],
        ['set objectType: secret.', 'kubectl apply -f secret-provider-class.yaml -n student-01'],
      ),
    ).toEqual(['Set objectType: secret.', 'kubectl apply -f secret-provider-class.yaml -n student-01']);
  });

  it('drops a step contained in another, and keeps distinct commands that share words', () => {
    expect(
      fixSteps(
        ['Replace every placeholder with the values from your instructor, then lint again.'],
        ['Replace every placeholder with the values from your instructor'],
      ),
    ).toEqual(['Replace every placeholder with the values from your instructor, then lint again.']);
    const distinct = ['kubectl get secretproviderclass -n student-01', 'kubectl get pod pod-keyvault -n student-01 -w'];
    expect(fixSteps([], distinct)).toEqual(distinct);
  });
});
