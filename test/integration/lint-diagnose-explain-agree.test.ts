/**
 * Lint, diagnose and explain agree (issue 10): each lint rule case that breaks the mount — the rule's trigger fixture
 * (test/fixtures/manifests/lint), completed with the classroom's working objects for whatever the fixture leaves
 * out — is applied with the real kubectl to its own namespace of one simulated classroom. The simulated kubelet
 * attempts the mount against the simulated driver, Entra ID and Key Vault and records its FailedMount event; then
 *
 * - lint of the manifests as applied names the rule with its category, severity and fix;
 * - diagnose of the live namespace puts a problem of that category first, with that severity, the rule's fix among
 *   its steps and the rule among its sources;
 * - explain of the kubelet's FailedMount message gives the same category.
 *
 * Where a command legitimately sees something else, `DIFFERENCES` says what and why, and the test asserts exactly
 * that instead.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Category } from '../../diagnostics/categories.ts';
import { explainMessage } from '../../diagnostics/explain.ts';
import {
  LINT_RULES,
  type LintFinding,
  type LintRuleInfo,
  lintText,
  type RuleId,
} from '../../diagnostics/knowledge/lint/index.ts';
import type { DiagnosisReport } from '../../diagnostics/types.ts';
import { runAz } from '../fixes/az-interpreter.ts';
import { type FixFixture, hasKubectl, startFixFixture } from '../fixes/fix-fixture.ts';

/** The classroom's working identity, tenant and vault (sim/scenarios/classroom, student-01). */
const CLASSROOM = {
  clientId: '5b0e6f3a-9c21-4d7e-a8b4-2f6c1d9e0a37',
  identityName: 'id-kvlab-group-a',
  tenantId: '72f1a7c4-3b9e-4d2a-8f60-5c1e9b7d2a14',
  vault: 'kv-kvlab-lab',
};
/** The fixtures' stand-in values, replaced by the classroom's so that only the rule's own mistake remains. */
const FIXTURE_VALUES: ReadonlyArray<readonly [string, string]> = [
  ['3f2a1c9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b', CLASSROOM.clientId],
  ['9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a', CLASSROOM.tenantId],
  ['kv-class-a-lab', CLASSROOM.vault],
  ['ingress-cert', 'db-password'],
];

const BASE_SPC = `apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: azure-kv-secrets
spec:
  provider: azure
  parameters:
    usePodIdentity: "false"
    clientID: "${CLASSROOM.clientId}"
    keyvaultName: "${CLASSROOM.vault}"
    tenantId: "${CLASSROOM.tenantId}"
    objects: |
      array:
        - |
          objectName: db-password
          objectType: secret
`;
const BASE_SA = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: workload-identity-sa
  annotations:
    azure.workload.identity/client-id: "${CLASSROOM.clientId}"
`;
const BASE_POD = `apiVersion: v1
kind: Pod
metadata:
  name: pod-keyvault
  labels:
    azure.workload.identity/use: "true"
spec:
  serviceAccountName: workload-identity-sa
  containers:
  - name: app
    image: busybox
    volumeMounts:
    - name: secrets-store
      mountPath: /mnt/secrets
      readOnly: true
  volumes:
  - name: secrets-store
    csi:
      driver: secrets-store.csi.k8s.io
      readOnly: true
      volumeAttributes:
        secretProviderClass: azure-kv-secrets
`;
/** What kvlab's replay needs in a lab namespace (as every classroom namespace has it). */
const REPLAY_ROLE = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: kvlab-replay
rules:
- apiGroups: [""]
  resources: [serviceaccounts/token]
  verbs: [create]
- apiGroups: [""]
  resources: [secrets]
  verbs: [list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: kvlab-replay
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: kvlab-replay
subjects:
- kind: ServiceAccount
  name: kvlab
  namespace: kvlab-system
`;

const FIXTURES = new URL('../fixtures/manifests/lint/', import.meta.url);
const PREFIX = 'agree-';

/**
 * The cases: every rule about a SecretProviderClass, Pod or ServiceAccount that fails the mount (an error under the
 * lab profile, as diagnose judges roster namespaces), plus the ServiceAccount mistakes the issue names, which the
 * mount shows are warnings (it signs in as the SPC's clientID and never reads the annotation).
 */
const CASES: RuleId[] = [
  ...(Object.keys(LINT_RULES) as RuleId[]).filter((id) => {
    const rule: LintRuleInfo = LINT_RULES[id];
    return /^(spc|pod|sa)\//.test(id) && (rule.labSeverity ?? rule.severity) === 'error';
  }),
  'sa/client-id-mismatch',
  'sa/placeholder',
];

/** Where a command legitimately sees something else than lint, what it sees instead, and why. */
interface Difference {
  why: string;
  /** The API server refuses the manifests (kubectl's error contains this), so the driver never sees the mistake. */
  rejected?: string;
  /** Diagnose's top category when it differs from lint's. */
  diagnose?: Category;
  /** Explain's category of the kubelet's message when it differs from lint's. */
  explain?: Category;
  /** The simulated kubelet mounts anyway: the check is the real provider's or driver's, not simulated yet. */
  notSimulated?: true;
  /** The real kubelet, driver and provider mount too (the simulated kubelet does the same): no warning event. */
  mountsInReality?: true;
  /** The real kubelet's message, when the simulated kubelet does not produce it. */
  realMessage?: string;
}

const DIFFERENCES: Partial<Record<RuleId, Difference>> = {
  'spc/api-version': {
    why: "The API server serves SecretProviderClass only as secrets-store.csi.x-k8s.io (v1, v1alpha1): kubectl's validation finds no such resource and refuses the whole file, so no pod exists to mount anything.",
    rejected: 'the server could not find the requested resource',
    diagnose: 'OTHER',
  },
  'spc/parameter-not-string': {
    why: "The CRD's schema types parameters as strings: the API server refuses an unquoted boolean, so the SPC never exists and diagnose and the kubelet report it missing.",
    rejected: 'Invalid value: "boolean"',
    diagnose: 'SPC_NOT_FOUND',
    explain: 'SPC_NOT_FOUND',
  },
  'pod/placeholder': {
    why: 'The placeholder is the ServiceAccount name: the API server refuses a pod whose ServiceAccount does not exist, so there is no pod to diagnose.',
    rejected: `serviceaccount "\${SERVICE_ACCOUNT}" not found`,
    diagnose: 'OTHER',
  },
  'spc/pod-identity': {
    why: "The kubelet's message is NMI refusing the token request (port 2579): explain, which sees only the message, explains a pod-identity sign-in failure; lint and diagnose see the usePodIdentity switch in the SPC that caused it.",
    explain: 'AUTH_FAILED',
  },
  'spc/file-permission': {
    why: "The Azure provider does not validate filePermission: it ignores the octal parse error and the file is written with mode 0, so the mount succeeds and only a container that does not run as root cannot read the file. Lint's error is about the pod's read, not the mount.",
    mountsInReality: true,
  },
  'spc/secret-object-fields': {
    why: "The sync controller's ValidateSecretObject refuses a secretObject without a type, but only logs it: the pod mounts and runs, no Secret is created and no event is written, so the mistake is seen only as the missing Secret.",
    mountsInReality: true,
  },
};

interface Case {
  rule: RuleId;
  namespace: string;
  manifests: string;
}

function caseOf(rule: RuleId): Case {
  let fixture = readFileSync(new URL(`${rule.replace('/', '--')}/trigger.yaml`, FIXTURES), 'utf8');
  for (const [from, to] of FIXTURE_VALUES) fixture = fixture.replaceAll(from, to);
  const kinds = new Set(parseAllDocuments(fixture).map((d) => (d.toJS() as { kind?: string } | null)?.kind));
  const namespace = `${PREFIX}${rule.replace('/', '-')}`;
  const parts = [
    ...(kinds.has('ServiceAccount') ? [] : [BASE_SA]),
    ...(kinds.has('SecretProviderClass') ? [] : [BASE_SPC]),
    fixture,
    ...(kinds.has('Pod') ? [] : [BASE_POD]),
  ];
  return { rule, namespace, manifests: parts.join('\n---\n') };
}

interface Seen {
  lint: LintFinding | undefined;
  rejected: string | undefined;
  report: DiagnosisReport;
  /** The first Warning event of the pod: the kubelet's FailedMount, or the driver's sync failure. */
  message: string | undefined;
}

let fx: FixFixture;
const seen = new Map<RuleId, Seen>();

/** Each case in its own namespace, all at once; one kubelet settle; then lint, diagnose and the events. */
beforeAll(async () => {
  if (!hasKubectl) return;
  fx = await startFixFixture();
  const cases = CASES.map(caseOf);
  // Federate each namespace's ServiceAccount first: every Azure change restarts the kubelet's attempts.
  for (const c of cases) {
    runAz(fx.azure, [
      'az',
      'identity',
      'federated-credential',
      'create',
      '--name',
      `fic-${c.namespace}`,
      '--identity-name',
      CLASSROOM.identityName,
      '--resource-group',
      'rg-identities',
      '--issuer',
      fx.classroom.scenario.cluster.issuer,
      '--subject',
      `system:serviceaccount:${c.namespace}:workload-identity-sa`,
    ]);
  }
  const rejected = new Map<RuleId, string>();
  await Promise.all(
    cases.map(async (c) => {
      await fx.kubectl(['apply', '-f', '-'], `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${c.namespace}\n`);
      await fx
        .kubectl(['apply', '-n', c.namespace, '-f', '-'], `${REPLAY_ROLE}\n---\n${c.manifests}`)
        .catch((err: Error) => rejected.set(c.rule, err.message));
    }),
  );
  await fx.kubelet.settle();
  // A few diagnoses at a time: each makes a dozen reads with a per-read deadline, on a machine shared with others.
  await inBatches(cases, 4, async (c) => {
    const events = fx.classroom.k8s.store.list('v1', 'Event', c.namespace) as Array<{
      type?: string;
      reason?: string;
      message?: string;
    }>;
    const warnings = events.filter((e) => e.type === 'Warning');
    seen.set(c.rule, {
      lint: lintText(c.manifests, `${c.namespace}.yaml`, { profile: 'lab' }).findings.find((f) => f.rule === c.rule),
      rejected: rejected.get(c.rule),
      report: await fx.diagnose(c.namespace),
      message: (warnings.find((e) => e.reason === 'FailedMount') ?? warnings[0])?.message,
    });
  });
}, 120_000);
afterAll(() => fx?.close());

async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

describe.runIf(hasKubectl)('lint, diagnose and explain agree on a mistake in the manifests', () => {
  it.each(CASES)('%s', (rule) => {
    const s = seen.get(rule);
    expect(s, 'the case ran').toBeDefined();
    if (!s) return;
    const { lint, report } = s;
    const difference: Difference = DIFFERENCES[rule] ?? { why: '' };
    // lint: the rule, with the rule table's category and (lab) severity and a fix.
    expect(lint, 'lint reports the rule').toBeDefined();
    if (!lint) return;
    const info: LintRuleInfo = LINT_RULES[rule];
    expect([lint.category, lint.severity]).toEqual([info.category, info.labSeverity ?? info.severity]);

    // The API server's answer.
    if (difference.rejected) expect(s.rejected).toContain(difference.rejected);
    else expect(s.rejected, 'kubectl applies the manifests').toBeUndefined();

    // diagnose: the same category first, the same severity, lint's fix among the steps, each step once.
    const top = report.problems[0];
    const context = JSON.stringify({
      problems: report.problems.map((p) => [p.category, p.sources?.map((x) => `${x.check}:${x.rule ?? ''}`)]),
      checks: report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id} ${c.status}: ${c.summary}`),
      message: s.message,
    });
    expect(top?.category, context).toBe(difference.diagnose ?? lint.category);
    if (!top) return;
    expect(new Set(top.fix).size, 'each fix step once').toBe(top.fix.length);
    if (difference.diagnose === undefined) {
      expect(report.verdict === 'broken' ? 'error' : 'warning', 'severity').toBe(lint.severity);
      expect(top.fix).toContain(lint.fix);
      expect(top.sources?.map((source) => source.rule)).toContain(rule);
    }

    // explain: the kubelet's (or the driver's) message gives the same category.
    if (difference.notSimulated || difference.mountsInReality) {
      expect(s.message, 'the simulated kubelet mounts').toBeUndefined();
    }
    const message = s.message ?? difference.realMessage;
    if (lint.severity === 'warning') expect(s.message, 'a warning does not fail the mount').toBeUndefined();
    if (message !== undefined) {
      expect(explainMessage(message).category, message).toBe(
        difference.explain ?? difference.diagnose ?? lint.category,
      );
    }
  });

  it("explains a pod-identity SPC's failure as pod identity in diagnose too (events, from the SPC's identity mode)", () => {
    const report = seen.get('spc/pod-identity')?.report;
    const auth = report?.problems.find((p) => p.category === 'AUTH_FAILED');
    expect(auth?.sources?.find((source) => source.check === 'events')?.rule).toBe('pod-identity-binding');
    expect(explainMessage(seen.get('spc/pod-identity')?.message ?? '').cause).toBe(auth?.cause);
  });

  it('documents only differences of rules it runs', () => {
    expect(Object.keys(DIFFERENCES).filter((rule) => !CASES.includes(rule as RuleId))).toEqual([]);
    for (const [rule, d] of Object.entries(DIFFERENCES)) expect(d.why.length, rule).toBeGreaterThan(40);
  });
});
