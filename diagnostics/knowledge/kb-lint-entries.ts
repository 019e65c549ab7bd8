/**
 * The knowledge base's texts for lint rules, keyed by rule id: every rule's fix (`LINT_FIXES`), and how a diagnosis
 * explains a finding of that rule where its category's general text is not enough (`LINT_ENTRIES`, which
 * knowledge-base.ts adds as variants of the rule's category, so a lint finding — from `kvlab lint`, or from a check
 * linting the live objects — selects its explanation by its rule id). Part of the one table; rule-table.ts keeps
 * detection, severity and category.
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

/**
 * Every lint rule's fix, keyed by rule id: what `kvlab lint` and a diagnosis say to do about a finding of that rule.
 * A rule replaces it only with the exact step for what it found (the misspelt key and its right spelling, the value
 * to quote), which says the same with the names filled in. `{fact}` placeholders are filled like every knowledge text.
 */
export const LINT_FIXES = {
  'file/too-large': 'Lint only the SecretProviderClass and Pod manifests, not a whole cluster dump.',
  'file/binary': 'Lint the .yaml manifest itself, saved as UTF-8 text.',
  'file/empty': 'Paste the SecretProviderClass and/or Pod manifest.',
  'file/yaml-syntax':
    'Fix the YAML at that line: indent with spaces (not tabs), keep "key: value" pairs aligned, close quotes and brackets.',
  'file/alias-limit': 'Write the values out instead of using YAML anchors (&name) and aliases (*name).',
  'file/not-a-resource': 'Paste whole manifests, each starting with apiVersion and kind, separated by "---".',
  'file/nothing-to-lint':
    'Lint the SecretProviderClass and Pod manifests from the lab (secret-provider-class.yaml, pod-keyvault.yaml).',
  'spc/api-version': 'Set apiVersion: secrets-store.csi.x-k8s.io/v1.',
  'spc/api-version-deprecated': 'Set apiVersion: secrets-store.csi.x-k8s.io/v1.',
  'spc/spec-field': 'Remove the field; spec has only provider, parameters, secretObjects.',
  'spc/provider-name': 'Set provider: azure (lower case, nothing else).',
  'spc/provider-unknown':
    'Use the name your provider plugin registers under (kubectl get pods -n kube-system shows the provider DaemonSet).',
  'spc/parameters-missing':
    'Add spec.parameters with what your provider reads (for Azure: keyvaultName, tenantId, objects and the identity).',
  'spc/parameter-not-string': 'Quote the value, e.g. usePodIdentity: "false".',
  'spc/parameter-name':
    'Rename the key to the spelling the provider reads (keys are case-sensitive, e.g. keyvaultName, tenantId, clientID).',
  'spc/unknown-parameter':
    'Remove the key. The provider reads: keyvaultName, tenantId, tenantID, objects, usePodIdentity, useVMManagedIdentity, userAssignedIdentityID, clientID, useAzureTokenProxy, cloudName, cloudEnvFileName.',
  'spc/bool-flag':
    'Write the flag as "true" or "false" (Go ParseBool also accepts "True"/"False", "TRUE"/"FALSE", "t"/"f", "1"/"0").',
  'spc/pod-identity':
    'Move to workload identity: usePodIdentity: "false" and clientID: "<identity client ID>" with a federated ServiceAccount.',
  'spc/identity-modes':
    'Keep one identity mode: set the other flags to "false" (workload identity: all flags "false" and clientID set).',
  'spc/client-id': 'Set clientID: "<the managed identity client ID>" (a GUID), or set useAzureTokenProxy: "false".',
  'spc/client-id-format':
    'Copy the client ID: az identity show --name <identity> --resource-group <group> --query clientId -o tsv',
  'spc/user-assigned-identity-format':
    'Copy the client ID: az identity show --name <identity> --resource-group <group> --query clientId -o tsv (leave it empty for the system-assigned identity).',
  'spc/keyvault-name':
    'Set keyvaultName to the vault\'s name only (3-24 letters, digits and dashes), not its URL: az keyvault list --query "[].name" -o tsv',
  'spc/keyvault-name-azure': 'Check the spelling against: az keyvault list --query "[].name" -o tsv',
  'spc/tenant-id': 'Add tenantId: "<the tenant ID from your instructor>" (az account show --query tenantId -o tsv).',
  'spc/tenant-id-format': 'Use the tenant GUID: az account show --query tenantId -o tsv',
  'spc/tenant-id-conflict': 'Keep one of them, with the tenant ID from your instructor.',
  'spc/cloud-name':
    'Remove cloudName (defaults to AzurePublicCloud) or use one of: AzurePublicCloud, AzureUSGovernmentCloud, AzureChinaCloud, AzureGermanCloud, AzureStackCloud.',
  'spc/objects-missing':
    'Add the objects block from the lab:\nobjects: |\n  array:\n    - |\n      objectName: db-password\n      objectType: secret',
  'spc/objects-malformed':
    'Write each object as a block string under array, exactly as in the lab:\nobjects: |\n  array:\n    - |\n      objectName: db-password\n      objectType: secret',
  'spc/object-type': 'Set objectType to secret, key or cert (singular, lower case).',
  'spc/object-name': 'Copy the exact name: az keyvault secret list --vault-name <vault> --query "[].name" -o tsv',
  'spc/object-field-name':
    'Rename the field to the spelling the provider reads (objectName, objectType, objectAlias, objectVersion, …; case-sensitive).',
  'spc/unknown-object-field':
    'Remove the field. Object fields: objectName, objectType, objectAlias, objectVersion, objectVersionHistory, objectFormat, objectEncoding, filePermission, objectNotAfter.',
  'spc/object-format':
    'Use objectFormat pem or pfx, and pfx only on objectType secret (a certificate with its private key).',
  'spc/object-encoding': 'Use objectEncoding utf-8, hex or base64, and only on objectType secret.',
  'spc/object-alias': 'Use a plain file name relative to the mount, e.g. objectAlias: db-password.',
  'spc/object-version':
    'Remove objectVersion to get the latest version, or copy one from: az keyvault secret list-versions --vault-name <vault> --name <secret> --query "[].id" -o tsv',
  'spc/object-version-history': 'Write a plain number without quotes, e.g. objectVersionHistory: 5.',
  'spc/file-permission': 'Use octal digits only, e.g. filePermission: "0644".',
  'spc/duplicate-object': 'Remove the duplicate, or give one of them a different objectAlias.',
  'spc/repeated-object': 'Fetch each object once; for several versions use objectVersionHistory instead.',
  'spc/secret-object-fields':
    'Give each secretObjects entry a secretName, a type (e.g. Opaque) and data entries, each with objectName and key.',
  'spc/secret-type-keys':
    'Add data entries for every key the Secret type requires (kubernetes.io/tls: tls.crt and tls.key), or use type: Opaque.',
  'spc/secret-object-ref':
    'Set objectName to a mounted file name: the objectAlias when one is set, else the objectName.',
  'spc/placeholder':
    'Replace the placeholder with the real value (or run your templating step, e.g. envsubst or helm template, before applying).',
  'spc/lab-placeholder': 'Replace the lab placeholder with the value from your instructor, then lint again.',
  'pod/csi-driver': 'Set csi.driver: secrets-store.csi.k8s.io.',
  'pod/csi-read-only': "Add readOnly: true (a YAML boolean, no quotes) under the volume's csi:.",
  'pod/mount-read-only': 'Add readOnly: true to the volumeMount.',
  'pod/spc-reference':
    'Add volumeAttributes: {secretProviderClass: <your SecretProviderClass name>} under csi:, e.g. azure-kv-secrets.',
  'pod/spc-not-found':
    'Use the exact metadata.name of your SecretProviderClass; check with: kubectl get secretproviderclass',
  'pod/volume-unused':
    'Add a volumeMount of the secrets-store volume, with a mountPath such as /mnt/secrets and readOnly: true, to the container.',
  'pod/service-account':
    'Set spec.serviceAccountName to the ServiceAccount name your instructor gave you (the one linked to the managed identity).',
  'pod/node-publish-secret':
    'Either add nodePublishSecretRef: {name: <Secret with clientid and clientsecret>} under csi:, or use workload identity: set clientID in the SecretProviderClass.',
  'pod/workload-identity-label':
    'Set the label azure.workload.identity/use: "true" (quoted) under the pod\'s metadata.labels.',
  'pod/placeholder':
    'Replace the placeholder with the real value (or run your templating step, e.g. envsubst or helm template, before applying).',
  'pod/lab-placeholder': 'Replace the lab placeholder with the value from your instructor, then lint again.',
  'sa/client-id-annotation':
    'kubectl annotate serviceaccount {serviceAccount} -n {namespace} azure.workload.identity/client-id={clientId} --overwrite',
  'sa/client-id-mismatch':
    'Use the same identity client ID (from your instructor) in both the SPC clientID and the ServiceAccount annotation.',
  'sa/placeholder':
    'Replace the placeholder with the real value (or run your templating step, e.g. envsubst or helm template, before applying).',
  'sa/lab-placeholder': 'Replace the lab placeholder with the value from your instructor, then lint again.',
  'lab/identity-mode':
    'For the lab set usePodIdentity and useVMManagedIdentity to "false" and clientID to the identity client ID from your instructor.',
  'lab/provider':
    'For the lab, use provider: azure with the parameters from the lab (keyvaultName, tenantId, clientID, objects).',
  'lab/object-name':
    'Use the lab\'s secret names: db-password, api-key (az keyvault secret list --vault-name <vault> --query "[].name" -o tsv).',
} as const satisfies Record<RuleId, string>;

/** The rules with a text of their own here. */
export type RuleWithText = keyof typeof LINT_ENTRIES;
