/**
 * Knowledge about the SecretProviderClass and what it syncs: not found, invalid, synced Secret missing. Part of the
 * one table in knowledge-base.ts. SPC_INVALID variants are keyed by linter rule id, so a lint finding's rule selects
 * its explanation.
 */
import type { Category } from '../categories.ts';
import type { KbEntry, KbText } from './kb-types.ts';

const APPLY_SPC = 'kubectl apply -f secret-provider-class.yaml -n {namespace}';
const LINT_SPC = 'kvlab lint secret-provider-class.yaml';
const RECREATE_POD = 'Pod volumes cannot be changed in place: kubectl delete pod {pod} -n {namespace}';

const PLACEHOLDER: Partial<KbText> = {
  cause:
    '{spc} still contains a placeholder such as <KEY_VAULT_NAME> or $KEYVAULT_NAME, which the provider uses literally (vault {vault}, client ID {clientId}, tenant {tenantId}).',
  fix: ['Replace every placeholder with the values from your instructor.', APPLY_SPC],
};

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
    variants: {
      'spc/provider-name': {
        cause:
          'spec.provider in {spc} is not "azure", so the driver finds no provider of that name ("provider not found"). The Azure Key Vault provider registers as "azure".',
        fix: ['Set provider: azure in {spc}.', APPLY_SPC],
      },
      'spc/pod-identity': {
        cause:
          '{spc} sets usePodIdentity: "true", the deprecated AAD pod identity, which the lab cluster does not run. The lab authenticates with workload identity: usePodIdentity "false" and clientID set.',
        fix: ['Set usePodIdentity: "false" in {spc} and clientID: "{clientId}".', APPLY_SPC],
        docs: 'https://learn.microsoft.com/azure/aks/csi-secrets-store-identity-access',
      },
      'spc/object-type': {
        cause:
          'objectType "{objectType}" of {objectName} in {spc} is not one of secret, key or cert (singular, lower case): "Invalid vaultObjectTypes. Should be secret, key, or cert".',
        fix: ['Set objectType: secret for {objectName} in {spc}.', APPLY_SPC],
      },
      'spc/objects-malformed': {
        cause:
          'The objects parameter of {spc} is not in the shape the provider reads: a YAML string ("objects: |") with an "array:" list of "- |" strings, one per object.',
        fix: [LINT_SPC, APPLY_SPC],
      },
      'spc/placeholder': PLACEHOLDER,
      'spc/lab-placeholder': PLACEHOLDER,
      'pod-volume': {
        title: 'The secrets volume of pod {pod} is misconfigured',
        cause:
          'Volume {volume} of pod {pod} names a wrong CSI driver, has no volumeAttributes.secretProviderClass, or is not readOnly: true (the driver refuses it with "Readonly is not true in request").',
        fix: ['kvlab lint pod-keyvault.yaml', RECREATE_POD, 'kubectl apply -f pod-keyvault.yaml -n {namespace}'],
        docs: 'https://learn.microsoft.com/azure/aks/csi-secrets-store-driver',
      },
    },
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
      'spc/secret-object-ref': {
        cause:
          'secretObjects in {spc} names a file the mount does not contain. Each data[].objectName must equal a mounted file name: the objectAlias when set, else the objectName ({objectName}).',
        fix: [LINT_SPC, APPLY_SPC, 'Recreate the pod so the sync runs again: kubectl delete pod {pod} -n {namespace}'],
        docs: 'https://secrets-store-csi-driver.sigs.k8s.io/topics/sync-as-kubernetes-secret',
      },
    },
  },
} as const satisfies Partial<Record<Category, KbEntry>>;
