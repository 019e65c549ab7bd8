/**
 * The knowledge base's texts for lint rules, keyed by rule id: how a diagnosis explains a finding of that rule where
 * its category's general text is not enough. knowledge-base.ts adds each as a variant of the rule's category
 * (`LINT_RULES[id].category`), so a lint finding — from `kvlab lint`, or from a check linting the live objects —
 * selects its explanation by its rule id. Part of the one table; rule-table.ts keeps detection, severity and
 * category.
 *
 * Fix steps appear once: a diagnosis always shows the finding's own fix (the rule's, with the exact field and value)
 * first, so a text here lists only what comes after it — apply, recreate the pod, look something up — and never
 * restates it.
 */
import type { KbText } from './kb-types.ts';
import type { RuleId } from './lint/rule-table.ts';

const APPLY_SPC = 'kubectl apply -f secret-provider-class.yaml -n {namespace}';
const LINT_SPC = 'kvlab lint secret-provider-class.yaml';
const RECREATE_POD = 'Pod volumes cannot be changed in place: kubectl delete pod {pod} -n {namespace}';
const APPLY_POD = 'kubectl apply -f pod-keyvault.yaml -n {namespace}';
const LIST_FEDERATED =
  'az identity federated-credential list --identity-name {identityName} --resource-group {resourceGroup} -o table';
const CSI_DOCS = 'https://learn.microsoft.com/azure/aks/csi-secrets-store-driver';

const PLACEHOLDER: Partial<KbText> = {
  cause:
    '{spc} still contains a placeholder such as <KEY_VAULT_NAME> or $KEYVAULT_NAME, which the provider uses literally (vault {vault}, client ID {clientId}, tenant {tenantId}).',
  fix: [APPLY_SPC],
};

export const LINT_ENTRIES = {
  'spc/provider-name': {
    cause:
      'spec.provider in {spc} is not "azure", so the driver finds no provider of that name ("provider not found"). The Azure Key Vault provider registers as "azure".',
    fix: [APPLY_SPC],
  },
  'spc/pod-identity': {
    cause:
      '{spc} sets usePodIdentity: "true", the deprecated AAD pod identity, which the lab cluster does not run. The lab authenticates with workload identity: usePodIdentity "false" and clientID set.',
    fix: [APPLY_SPC],
    docs: 'https://learn.microsoft.com/azure/aks/csi-secrets-store-identity-access',
  },
  'spc/object-type': {
    cause:
      'objectType "{objectType}" of {objectName} in {spc} is not one of secret, key or cert (singular, lower case): "Invalid vaultObjectTypes. Should be secret, key, or cert".',
    fix: [APPLY_SPC],
  },
  'spc/objects-malformed': {
    cause:
      'The objects parameter of {spc} is not in the shape the provider reads: a YAML string ("objects: |") with an "array:" list of "- |" strings, one per object.',
    fix: [LINT_SPC, APPLY_SPC],
  },
  'spc/placeholder': PLACEHOLDER,
  'spc/lab-placeholder': PLACEHOLDER,
  'spc/secret-object-ref': {
    cause:
      'secretObjects in {spc} names a file the mount does not contain. Each data[].objectName must equal a mounted file name: the objectAlias when set, else the objectName ({objectName}).',
    fix: [LINT_SPC, APPLY_SPC, 'Recreate the pod so the sync runs again: kubectl delete pod {pod} -n {namespace}'],
    docs: 'https://secrets-store-csi-driver.sigs.k8s.io/topics/sync-as-kubernetes-secret',
  },
  'pod/csi-driver': {
    owner: 'student',
    title: 'Pod {pod} asks for a CSI driver that does not exist',
    cause:
      'Volume {volume} of pod {pod} names another CSI driver than secrets-store.csi.k8s.io (often secrets-store.csi.x-k8s.io, the API group of SecretProviderClass). No driver of that name is registered, so kubelet cannot mount the volume. The Secrets Store driver itself is installed: nothing for the instructor to do.',
    fix: [RECREATE_POD, APPLY_POD],
    docs: CSI_DOCS,
  },
  'pod/csi-read-only': {
    title: 'The secrets volume of pod {pod} is not read-only',
    cause:
      'The Secrets Store driver mounts only read-only volumes, and volume {volume} of pod {pod} does not set readOnly: true under csi: ("Readonly is not true in request").',
    fix: [RECREATE_POD, APPLY_POD],
    verify: ['kubectl get pod {pod} -n {namespace} -w'],
    docs: CSI_DOCS,
  },
  'pod/spc-reference': {
    title: 'The secrets volume of pod {pod} names no SecretProviderClass',
    cause:
      'Volume {volume} of pod {pod} has no volumeAttributes.secretProviderClass (a misspelt key counts as none), so the driver does not know what to mount ("secretProviderClass is not set").',
    fix: ['kubectl get secretproviderclass -n {namespace}', RECREATE_POD, APPLY_POD],
  },
  'sa/client-id-annotation': {
    cause:
      'ServiceAccount {serviceAccount} has no azure.workload.identity/client-id annotation, so it is not visibly linked to the managed identity {clientId} the SecretProviderClass uses.',
    fix: [LIST_FEDERATED],
    docs: 'https://learn.microsoft.com/azure/aks/workload-identity-deploy-cluster',
  },
  'sa/client-id-mismatch': {
    cause:
      'ServiceAccount {serviceAccount} is annotated with client ID {annotatedClientId}, but SecretProviderClass {spc} uses clientID {clientId}. The mount signs in as the SPC clientID and does not read the annotation (the workload identity webhook hands it to the app), so one of the two is probably the wrong identity.',
    fix: [APPLY_SPC],
  },
} as const satisfies Partial<Record<RuleId, Partial<KbText>>>;

/** The rules with a text of their own here. */
export type RuleWithText = keyof typeof LINT_ENTRIES;
