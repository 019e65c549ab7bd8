/**
 * The lint engine over already-parsed objects: classifies each object (SecretProviderClass, Pod or workload,
 * ServiceAccount; other kinds are ignored), runs the per-kind rules and the cross-object rules, and turns issues
 * into findings with severity and category from the rule table. Pure: no I/O, no cluster access.
 */

import { renderLintFix } from '../knowledge-base.ts';
import {
  type LintedPod,
  type LintedSpc,
  nodePublishSecretIssues,
  serviceAccountIssues,
  serviceAccountPlaceholders,
  spcNotFoundIssues,
} from './cross-references.ts';
import { formatPath } from './json-path.ts';
import {
  csiDriverRule,
  csiReadOnlyRule,
  mountReadOnlyRule,
  spcReferenceRule,
  volumeUnusedRule,
} from './pod/csi-volume.ts';
import { podPlaceholdersRule, serviceAccountRule, workloadIdentityLabelRule } from './pod/identity.ts';
import { isPodKind, type PodRule, podTarget } from './pod/pod-target.ts';
import { collectResources, type LintInput, type Placed } from './resources.ts';
import { LINT_RULES, type LintRuleInfo } from './rule-table.ts';
import { lintSpc } from './spc/index.ts';
import type { LintFinding, LintOptions, LintProfile } from './types.ts';

/** Pod rules in the order kubelet and the driver meet the problems. */
const POD_RULES: readonly PodRule[] = [
  csiDriverRule,
  volumeUnusedRule,
  csiReadOnlyRule,
  spcReferenceRule,
  serviceAccountRule,
  mountReadOnlyRule,
  workloadIdentityLabelRule,
  podPlaceholdersRule,
];

const LINTED_KINDS =
  'SecretProviderClass, Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, ServiceAccount';

function toFinding({ input, issue }: Placed, profile: LintProfile): LintFinding {
  const rule: LintRuleInfo = LINT_RULES[issue.rule];
  const fullPath = [...input.basePath, ...issue.at];
  const finding: LintFinding = {
    rule: issue.rule,
    severity: profile === 'lab' ? (rule.labSeverity ?? rule.severity) : rule.severity,
    category: rule.category,
    path: formatPath(fullPath),
    message: issue.message,
    fix: issue.fix ?? renderLintFix(issue.rule),
  };
  const line = input.locate?.(fullPath);
  if (line !== undefined && line > 0) finding.line = line;
  if (input.document !== undefined) finding.document = input.document;
  if (input.ref !== undefined) finding.object = { ...input.ref };
  return finding;
}

/** Findings and notes for inputs linted together. */
export interface LintOutcome {
  findings: LintFinding[];
  /** Which provider each SecretProviderClass is for, when kvlab checked only the driver's rules for it. */
  notes: string[];
}

/** Lints inputs that belong together (one file, or one namespace's live objects). */
export function lintInputs(inputs: readonly LintInput[], origin: string, options: LintOptions = {}): LintOutcome {
  const profile = options.profile ?? 'provider';
  const { resources, placed } = collectResources(inputs, origin);
  const notes: string[] = [];
  const spcs: LintedSpc[] = [];
  const pods: LintedPod[] = [];
  const sas = resources.filter((r) => r.kind === 'ServiceAccount');
  for (const resource of resources) {
    if (resource.kind === 'SecretProviderClass') {
      const { context, issues } = lintSpc(resource.object, profile);
      spcs.push({ resource, context });
      if (!context.azure && context.provider !== '') notes.push(otherProviderNote(resource.ref.name, context.provider));
      for (const issue of issues) placed.push({ input: resource, issue });
    } else if (isPodKind(resource.kind)) {
      const target = podTarget(resource.kind, resource.object);
      if (target === undefined) continue;
      pods.push({ resource, target });
      for (const rule of POD_RULES) for (const issue of rule(target, profile)) placed.push({ input: resource, issue });
    }
  }
  placed.push(
    ...spcNotFoundIssues(pods, spcs),
    ...nodePublishSecretIssues(pods, spcs),
    ...serviceAccountIssues(pods, spcs, sas),
    ...serviceAccountPlaceholders(sas, profile),
  );
  if (resources.length > 0 && spcs.length === 0 && pods.length === 0 && sas.length === 0) {
    const kinds = [...new Set(resources.map((r) => r.kind))].join(', ');
    placed.push({
      input: { basePath: [] },
      issue: {
        rule: 'file/nothing-to-lint',
        at: [],
        message: `${origin} holds only ${kinds}; kvlab lint checks ${LINTED_KINDS}.`,
      },
    });
  }
  const seen = new Set<string>();
  const applicable = placed.filter(({ issue }) => profile === 'lab' || LINT_RULES[issue.rule].profile !== 'lab');
  const findings = applicable
    .map((p) => toFinding(p, profile))
    .filter((finding) => {
      const key = `${finding.document ?? 0}|${finding.rule}|${finding.path}|${finding.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  // Stable: rule order within a document is meaningful (first failure first).
  return { findings: findings.sort((a, b) => (a.document ?? 0) - (b.document ?? 0)), notes };
}

function otherProviderNote(name: string | undefined, provider: string): string {
  return `SecretProviderClass ${name ?? '(unnamed)'} is for the ${provider} provider, not Azure Key Vault: kvlab checked only what the Secrets Store CSI driver itself requires (provider, parameters, secretObjects, the pod volume).`;
}

/**
 * Lints objects that are already parsed, e.g. live objects read from the cluster (SecretProviderClass, Pod,
 * ServiceAccount, workloads; `kind: List` is expanded). `origin` names where they came from in messages
 * (e.g. "namespace student-1"). Findings have no line or document. Never throws.
 */
export function lintObjects(objects: unknown[], origin: string, options: LintOptions = {}): LintFinding[] {
  return lintInputs(
    objects.map((value) => ({ value })),
    origin,
    options,
  ).findings;
}
