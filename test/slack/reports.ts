/**
 * Diagnosis reports, explain inputs and lint results as plain objects of the engine's types (no engine), for the
 * Slack renderer tests. Texts follow what the engine and knowledge base produce for the lab's scenarios.
 */
import type { Classification } from '../../diagnostics/knowledge/classify/index.ts';
import type { LintFinding } from '../../diagnostics/knowledge/lint/types.ts';
import type { DiagnosisReport } from '../../diagnostics/types.ts';
import type { ExplainKnowledge } from '../../src/slack/render-explain.ts';
import type { LintResult } from '../../src/slack/render-lint.ts';

const TARGET = { namespace: 'student-07', pod: 'pod-keyvault' };
const CHECKED_AT = '2026-03-11T09:14:31.250Z';

type Checks = DiagnosisReport['checks'];

export function passingChecks(): Checks {
  return [
    {
      id: 'csi-driver',
      title: 'CSI driver',
      status: 'pass',
      summary: 'driver and Azure provider ready on aks-nodepool1-12345678-vmss000001',
      durationMs: 41,
    },
    {
      id: 'crd',
      title: 'SecretProviderClass CRD',
      status: 'pass',
      summary: 'secretproviderclasses.secrets-store.csi.x-k8s.io/v1 served',
      durationMs: 12,
    },
    {
      id: 'pod',
      title: 'Pod',
      status: 'pass',
      summary: 'pod-keyvault is Running, volume secrets-store uses azure-kv',
      durationMs: 18,
    },
    { id: 'events', title: 'Events', status: 'pass', summary: 'no FailedMount events', durationMs: 15 },
    {
      id: 'secret-provider-class',
      title: 'SecretProviderClass',
      status: 'pass',
      summary: 'azure-kv: provider azure, 1 object, workload identity',
      durationMs: 14,
    },
    {
      id: 'service-account',
      title: 'ServiceAccount',
      status: 'pass',
      summary: 'workload-identity-sa annotated with client ID 0f3c…',
      durationMs: 11,
    },
    {
      id: 'key-vault',
      title: 'Key Vault access',
      status: 'pass',
      summary: 'kv-lab-07: db-password readable (version 3f2a…, enabled)',
      durationMs: 412,
    },
    {
      id: 'synced-secret',
      title: 'Synced Secret',
      status: 'skip',
      summary: 'no secretObjects in azure-kv',
      durationMs: 0,
    },
    {
      id: 'mount-status',
      title: 'Mount status',
      status: 'pass',
      summary: 'SecretProviderClassPodStatus mounted: true',
      durationMs: 9,
    },
  ];
}

export function healthyReport(): DiagnosisReport {
  return { target: { ...TARGET }, verdict: 'healthy', problems: [], checks: passingChecks(), checkedAt: CHECKED_AT };
}

const FAILED_MOUNT =
  "MountVolume.SetUp failed for volume \"secrets-store\" : rpc error: code = Unknown desc = failed to mount secrets store objects for pod student-07/pod-keyvault, err: rpc error: code = Unknown desc = failed to mount objects, error: failed to get objectType:secret, objectName:db-password, objectVersion:: ClientAssertionCredential authentication failed. AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: 'https://westeurope.oic.prod-aks.azure.com/8d3b1f2e/3c1d9a7b/'. Assertion Subject: 'system:serviceaccount:student-07:default'. Assertion Audience: 'api://AzureADTokenExchange'.";

export function authFailedReport(): DiagnosisReport {
  const checks = passingChecks().map((c) => {
    if (c.id === 'key-vault')
      return {
        ...c,
        status: 'fail' as const,
        summary: 'token exchange for client 0f3c9a2e-… failed: AADSTS70021',
        durationMs: 388,
      };
    if (c.id === 'events')
      return { ...c, status: 'fail' as const, summary: '14× FailedMount in the last 10 minutes', durationMs: 16 };
    if (c.id === 'mount-status')
      return { ...c, status: 'warn' as const, summary: 'no SecretProviderClassPodStatus <nil> yet' };
    if (c.id === 'pod')
      return { ...c, status: 'fail' as const, summary: 'pod-keyvault is Pending: ContainerCreating for 9m' };
    return c;
  });
  return {
    target: { ...TARGET },
    verdict: 'broken',
    problems: [
      {
        category: 'AUTH_FAILED',
        commonProblem: 2,
        title: 'Identity id-lab-07 does not trust ServiceAccount default',
        cause:
          'Entra ID found no federated identity credential on identity id-lab-07 that matches the token of ServiceAccount default: issuer https://westeurope.oic.prod-aks.azure.com/8d3b1f2e/3c1d9a7b/, subject system:serviceaccount:student-07:default, audience api://AzureADTokenExchange (AADSTS70021 and its variants 700211–700213).',
        evidence: [
          FAILED_MOUNT,
          'Key Vault replay: token exchange answered 401 invalid_client (AADSTS70021) for client 0f3c9a2e-5b7d-4e1f-9a3c-2d4e6f8a0b1c',
          'pod runs as ServiceAccount default; the lab federates workload-identity-sa & nothing else',
        ],
        fix: [
          'Set spec.serviceAccountName in pod-keyvault.yaml to the ServiceAccount your instructor gave you, then recreate the pod: kubectl delete pod pod-keyvault -n student-07',
          'az identity federated-credential list --identity-name id-lab-07 --resource-group rg-kvlab -o table',
          'Instructor: az identity federated-credential create --name student-07-default --identity-name id-lab-07 --resource-group rg-kvlab --issuer https://westeurope.oic.prod-aks.azure.com/8d3b1f2e/3c1d9a7b/ --subject system:serviceaccount:student-07:default --audience api://AzureADTokenExchange',
        ],
        verify: ['kubectl describe pod pod-keyvault -n student-07', 'kubectl get pod pod-keyvault -n student-07 -w'],
        docs: 'https://learn.microsoft.com/entra/workload-id/workload-identity-federation',
        owner: 'instructor',
        confidence: 'high',
      },
      {
        category: 'SECRET_NOT_FOUND',
        commonProblem: 4,
        title: 'Secret db-pasword is not in Key Vault kv-lab-07',
        cause:
          'SecretProviderClass azure-kv asks for object db-pasword, but Key Vault kv-lab-07 has no secret of that name (names are case-insensitive but must match exactly otherwise).',
        evidence: ['objects[1].objectName: db-pasword', 'vault kv-lab-07 lists: db-password, api-key'],
        fix: [
          'az keyvault secret list --vault-name kv-lab-07 --query "[].name" -o tsv',
          'Set objectName in azure-kv to the exact name, then: kubectl apply -f secret-provider-class.yaml -n student-07',
        ],
        verify: ['az keyvault secret show --vault-name kv-lab-07 --name db-pasword --query id -o tsv'],
        docs: 'https://learn.microsoft.com/azure/key-vault/general/troubleshooting-access-issues?tabs=azure-cli&view=x',
        owner: 'student',
        confidence: 'medium',
      },
      {
        category: 'SYNC_SECRET_MISSING',
        commonProblem: 6,
        title: 'Secret db-secret has not been created in student-07',
        cause: 'The driver creates the synced Kubernetes Secret only once a pod has mounted the volume.',
        evidence: ['secret "db-secret" not found'],
        fix: ['Start a pod that mounts azure-kv: kubectl apply -f pod-keyvault.yaml -n student-07'],
        verify: ['kubectl get secret db-secret -n student-07'],
        docs: 'https://secrets-store-csi-driver.sigs.k8s.io/topics/sync-as-kubernetes-secret',
        owner: 'student',
        confidence: 'low',
      },
    ],
    checks,
    checkedAt: CHECKED_AT,
  };
}

/** Lines `event 001: …` of 200 characters, then one of 10,000: more evidence than three replies hold. */
export function hugeEvidenceReport(lines = 400): DiagnosisReport {
  const base = authFailedReport();
  const evidence = Array.from({ length: lines }, (_, i) =>
    `event ${String(i + 1).padStart(3, '0')}: ${'MountVolume.SetUp failed <nil> & retrying '.repeat(5)}`.slice(0, 200),
  );
  evidence.splice(3, 0, `long line: ${'x'.repeat(9_989)}`);
  const [first] = base.problems;
  return { ...base, problems: [{ ...first!, evidence }] };
}

export function explainInput(): { text: string; classification: Classification; knowledge: ExplainKnowledge } {
  return {
    text: `<!channel> see <https://evil.example|the fix> & this:\n${FAILED_MOUNT}`,
    classification: {
      category: 'AUTH_FAILED',
      confidence: 'high',
      specificity: 90,
      details: {
        aadsts: '70021',
        objectName: 'db-password',
        statusCode: 401,
        errorCode: 'invalid_client',
        assertionSubject: 'system:serviceaccount:student-07:default',
        assertionAudience: 'api://AzureADTokenExchange',
        pod: 'pod-keyvault',
        namespace: 'student-07',
      },
      signals: ['kubelet MountVolume.SetUp wrapper', 'Entra ID answered 401 invalid_client with AADSTS70021'],
    },
    knowledge: {
      title: 'Identity <identity name> does not trust ServiceAccount default',
      cause:
        'Entra ID found no federated identity credential on identity <managed identity name> that matches the token of ServiceAccount default.',
      fix: [
        'az identity federated-credential list --identity-name <managed identity name> --resource-group <resource group> -o table',
      ],
      verify: ['kubectl describe pod pod-keyvault -n student-07'],
      docs: 'https://learn.microsoft.com/entra/workload-id/workload-identity-federation',
      commonProblem: 2,
    },
  };
}

function finding(f: Partial<LintFinding> & Pick<LintFinding, 'rule' | 'message'>): LintFinding {
  return { severity: 'error', category: 'SPC_INVALID', path: '', fix: '', ...f };
}

export function lintResult(): LintResult {
  return {
    files: [
      {
        file: 'pasted YAML',
        findings: [
          finding({
            rule: 'spc/provider-name',
            path: 'spec.provider',
            line: 6,
            document: 1,
            object: { kind: 'SecretProviderClass', name: 'azure-kv', namespace: 'student-07' },
            message: 'provider is "azure-keyvault"; the Azure provider registers as "azure".',
            fix: 'Set spec.provider: azure.',
          }),
          finding({
            rule: 'spc/placeholder',
            path: 'spec.parameters.keyvaultName',
            line: 10,
            document: 1,
            object: { kind: 'SecretProviderClass', name: 'azure-kv' },
            message: 'keyvaultName is still the template placeholder <KEY_VAULT_NAME>.',
            fix: 'Replace <KEY_VAULT_NAME> with the vault name from your instructor.',
          }),
          finding({
            rule: 'pod/mount-read-only',
            severity: 'warning',
            category: 'OTHER',
            path: 'spec.containers[0].volumeMounts[0].readOnly',
            line: 31,
            document: 2,
            object: { kind: 'Pod', name: 'pod-keyvault' },
            message: 'the secrets-store volume is mounted read-write.',
            fix: 'Set readOnly: true on the mount.',
          }),
        ],
      },
    ],
    errors: 2,
    warnings: 1,
  };
}
