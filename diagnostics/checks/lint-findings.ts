/**
 * The linter's findings on live objects, as diagnosis findings: the rule's category and severity from the rule table,
 * the rule id as the knowledge-base variant, the rule's message as evidence and its fix as the first fix step. Checks
 * use this for the objects they judge, so `kvlab lint` and `kvlab diagnose` say the same about the same mistake
 * (test/integration/lint-diagnose-explain-agree.test.ts).
 */
import type { V1Pod, V1ServiceAccount } from '@kubernetes/client-node';
import type { LintFinding, LintProfile, RuleId } from '../knowledge/lint/index.ts';
import { lintObjects } from '../knowledge/lint/index.ts';
import type { SecretProviderClass } from '../ports/cluster-reader.ts';
import type { Facts, Finding } from '../types.ts';
import { lintVariant } from './check.ts';

/** The live objects one mount uses; the linter also checks the links between them (pod → SPC → ServiceAccount). */
export interface LiveObjects {
  pod?: V1Pod | null | undefined;
  spc?: SecretProviderClass | null | undefined;
  serviceAccount?: V1ServiceAccount | null | undefined;
}

/** Objects as the API server serves them on GET carry kind and apiVersion; list items and some clients omit them. */
function withKinds({ pod, spc, serviceAccount }: LiveObjects): unknown[] {
  return [
    ...(spc ? [{ apiVersion: 'secrets-store.csi.x-k8s.io/v1', ...spc, kind: 'SecretProviderClass' }] : []),
    ...(pod ? [{ apiVersion: 'v1', ...pod, kind: 'Pod' }] : []),
    ...(serviceAccount ? [{ apiVersion: 'v1', ...serviceAccount, kind: 'ServiceAccount' }] : []),
  ];
}

/** The findings `keep` selects (by rule and the finding's path), linting `objects` together under `profile`. */
export function lintFindings(
  objects: LiveObjects,
  origin: string,
  profile: LintProfile,
  keep: (rule: RuleId, path: string) => boolean,
  facts: Facts,
): Finding[] {
  return lintObjects(withKinds(objects), origin, { profile })
    .filter((l) => keep(l.rule, l.path))
    .map((l) => asFinding(l, facts));
}

export function asFinding(l: LintFinding, facts: Facts): Finding {
  return {
    ...lintVariant(l),
    severity: l.severity,
    confidence: 'high',
    evidence: [`${l.path}: ${l.message}`],
    facts,
    fixes: [l.fix],
  };
}
