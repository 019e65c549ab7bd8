/**
 * Knowledge about the SecretProviderClass and what it syncs: not found, invalid, synced Secret missing. Part of the
 * one table in knowledge-base.ts. Texts for lint rules (keyed by rule id) are in kb-lint-entries.ts.
 */
import type { Category } from '../categories.ts';
import type { KbEntry } from './kb-types.ts';

const APPLY_SPC = 'kubectl apply -f secret-provider-class.yaml -n {namespace}';
const LINT_SPC = 'kvlab lint secret-provider-class.yaml';
const RECREATE_POD = 'Pod volumes cannot be changed in place: kubectl delete pod {pod} -n {namespace}';

export const SPC_ENTRIES = {
  SPC_NOT_FOUND: {
    commonProblem: 3,
    owner: 'student',
    title: 'SecretProviderClass {spc} was not found in namespace {namespace}',
    cause:
      'Pod {pod} mounts SecretProviderClass {spc}, but there is none with that name in namespace {namespace}. The driver only looks in the pod\'s own namespace ("failed to get secretproviderclass {namespace}/{spc}").',
    fix: [
      'kubectl get secretproviderclass -n {namespace}',
      "If it is missing, apply it in the pod's namespace: kubectl apply -f secret-provider-class.yaml -n {namespace}",
      'If the names differ, make volumeAttributes.secretProviderClass in the pod equal the metadata.name of the class.',
    ],
    verify: ['kubectl get secretproviderclass {spc} -n {namespace}', 'kubectl get pod {pod} -n {namespace} -w'],
    docs: 'https://secrets-store-csi-driver.sigs.k8s.io/troubleshooting',
    variants: {
      'other-namespace': {
        cause:
          "SecretProviderClass {spc} exists, but in namespace {otherNamespace}, while pod {pod} runs in {namespace}. The driver only looks in the pod's own namespace.",
        fix: [
          'Create it where the pod runs: kubectl apply -f secret-provider-class.yaml -n {namespace}',
          'kubelet retries the mount; no need to touch the pod.',
        ],
      },
      typo: {
        cause:
          "There is no SecretProviderClass {spc} in namespace {namespace}, but there is {nearestSpc}: the name in the pod's volumeAttributes.secretProviderClass is probably misspelt.",
        fix: [
          'Set volumeAttributes.secretProviderClass: {nearestSpc} in pod-keyvault.yaml.',
          RECREATE_POD,
          'kubectl apply -f pod-keyvault.yaml -n {namespace}',
        ],
      },
    },
  },
  SPC_INVALID: {
    commonProblem: null,
    owner: 'student',
    title: 'SecretProviderClass {spc} has invalid parameters',
    cause:
      'The Azure provider rejects SecretProviderClass {spc} before it reaches Key Vault: a wrong provider name, pod identity switched on, an objectType other than secret, key or cert, a malformed objects block, or a placeholder left in.',
    fix: [
      LINT_SPC,
      `Fix what it reports, then apply again: ${APPLY_SPC}`,
      'A pod stuck in ContainerCreating picks up the fixed class at its next mount retry; a running pod must be recreated: kubectl delete pod {pod} -n {namespace}',
    ],
    verify: ['kubectl describe pod {pod} -n {namespace}', 'kubectl exec {pod} -n {namespace} -- ls /mnt/secrets/'],
    docs: 'https://azure.github.io/secrets-store-csi-driver-provider-azure/docs/getting-started/usage/',
  },
  SYNC_SECRET_MISSING: {
    commonProblem: 6,
    owner: 'student',
    title: 'The synced Kubernetes Secret {secretName} does not exist',
    cause:
      'The driver creates Secret {secretName} from the secretObjects of {spc} only while a pod mounts that SecretProviderClass, and removes it when the last such pod is gone. It never exists before a pod uses the volume, and it is not created when secretObjects names a file the mount does not contain.',
    fix: [
      'kubectl get pods -n {namespace}',
      'Start a pod that mounts {spc}: kubectl apply -f pod-keyvault.yaml -n {namespace}',
      'kubectl describe pod {pod} -n {namespace}',
    ],
    verify: [
      'kubectl get secret {secretName} -n {namespace}',
      'kubectl get secretproviderclasspodstatus -n {namespace}',
    ],
    docs: 'https://learn.microsoft.com/azure/aks/csi-secrets-store-configuration-options',
    variants: {
      'not-mounted': {
        cause:
          'No pod has mounted SecretProviderClass {spc} successfully yet. As the lab says, the Kubernetes Secret is created only when a pod mounts the volume.',
      },
      'sync-disabled': {
        owner: 'instructor',
        cause:
          'Pod {pod} mounted {spc}, but Secret {secretName} was not created: secret sync is switched off in the driver (a self-managed install with syncSecret.enabled=false), or the driver may not create Secrets. The pod events say which.',
        fix: [
          'kubectl describe pod {pod} -n {namespace}',
          'Tell your instructor, with the SecretCreationFailed event if there is one.',
        ],
        docs: 'https://azure.github.io/secrets-store-csi-driver-provider-azure/docs/configurations/sync-with-k8s-secrets/',
      },
    },
  },
} as const satisfies Partial<Record<Category, KbEntry>>;
