/**
 * The linter's rule table: every rule id with its severity, the problem category it implies (docs/contracts.md "Problem ids")
 * and a one-line summary. Rules report only where and what; severity and category come from here, so an unknown id
 * is a compile error and the table is the single list to review (kube-linter style).
 *
 * Category choice: the category a running pod would show for the same mistake, so `kvlab lint` and
 * `kvlab diagnose` agree (a misspelt driver name surfaces as "driver not found in the list of registered CSI
 * drivers", hence CSI_DRIVER_NOT_INSTALLED; a non-GUID clientID surfaces at Entra ID, hence AUTH_FAILED).
 */
import type { Category } from '../../categories.ts';
import type { Severity } from './types.ts';

export interface LintRuleInfo {
  severity: Severity;
  category: Category;
  summary: string;
  /** `lab`: a convention of the lab, reported only under the lab profile (`kvlab lint --profile lab`, roster namespaces). */
  profile?: 'lab';
  /** Severity under the lab profile when it differs (the lab cluster lacks what the provider would otherwise use). */
  labSeverity?: Severity;
}

/** The category stays a literal type, so `LintRuleOf<C>` knows each rule's category at compile time. */
function rule<C extends Category>(
  severity: Severity,
  category: C,
  summary: string,
  extra: Pick<LintRuleInfo, 'profile' | 'labSeverity'> = {},
): LintRuleInfo & { category: C } {
  return { severity, category, summary, ...extra };
}

/** A lab convention: a warning, only under the lab profile. */
function lab<C extends Category>(category: C, summary: string): LintRuleInfo & { category: C } {
  return rule('warning', category, summary, { profile: 'lab' });
}

export const LINT_RULES = {
  // Whole-file problems: nothing (or not everything) could be linted.
  'file/too-large': rule('error', 'OTHER', 'Input is larger than the lint size limit.'),
  'file/binary': rule('error', 'OTHER', 'Input is binary, not YAML text.'),
  'file/empty': rule('warning', 'OTHER', 'Input has no YAML documents.'),
  'file/yaml-syntax': rule('error', 'OTHER', 'A document is not valid YAML.'),
  'file/alias-limit': rule('error', 'OTHER', 'A document expands too many YAML aliases (or an alias has no anchor).'),
  'file/not-a-resource': rule('error', 'OTHER', 'A document is not a Kubernetes object (no mapping with a kind).'),
  'file/nothing-to-lint': rule('warning', 'OTHER', 'No SecretProviderClass, Pod, workload or ServiceAccount found.'),
  // SecretProviderClass: the object and the driver's own checks.
  'spc/api-version': rule('error', 'SPC_INVALID', 'apiVersion is not secrets-store.csi.x-k8s.io/v1.'),
  'spc/api-version-deprecated': rule(
    'warning',
    'SPC_INVALID',
    'apiVersion secrets-store.csi.x-k8s.io/v1alpha1 is deprecated.',
  ),
  'spc/spec-field': rule('warning', 'SPC_INVALID', 'Unknown field under spec.'),
  'spc/provider-name': rule('error', 'SPC_INVALID', 'spec.provider is missing or a misspelling of "azure".'),
  'spc/provider-unknown': rule(
    'warning',
    'SPC_INVALID',
    'spec.provider names no provider kvlab knows; the mount fails unless a provider plugin of that name is installed.',
  ),
  'spc/parameters-missing': rule('error', 'SPC_INVALID', 'spec.parameters is missing.'),
  // Parameters: keys and value types (CRD: map of strings; the provider reads keys case-sensitively).
  'spc/parameter-not-string': rule(
    'error',
    'SPC_INVALID',
    'A parameter value is not a string (unquoted YAML boolean, number or nested YAML).',
  ),
  'spc/parameter-name': rule(
    'error',
    'SPC_INVALID',
    'A parameter key is a misspelling of one the provider reads (keys are case-sensitive).',
  ),
  'spc/unknown-parameter': rule('warning', 'SPC_INVALID', 'A parameter key the Azure provider does not read.'),
  // Identity (docs/wire-notes.md §2.3 steps 2–3, §4).
  'spc/bool-flag': rule('error', 'SPC_INVALID', 'An identity flag is not a Go ParseBool value.'),
  'spc/pod-identity': rule(
    'warning',
    'SPC_INVALID',
    'usePodIdentity is "true": aad-pod-identity is deprecated (still supported where NMI runs; the lab has none).',
    { labSeverity: 'error' },
  ),
  'spc/identity-modes': rule('error', 'SPC_INVALID', 'More than one identity mode is enabled.'),
  'spc/client-id': rule(
    'error',
    'AUTH_FAILED',
    'useAzureTokenProxy (identity binding) is "true" but clientID is empty.',
  ),
  'spc/client-id-format': rule('error', 'AUTH_FAILED', 'clientID is not a GUID.'),
  'spc/user-assigned-identity-format': rule(
    'error',
    'AUTH_FAILED',
    'userAssignedIdentityID (VM managed identity) is not a client ID (GUID).',
  ),
  // Vault, tenant, cloud (docs/wire-notes.md §2.3 steps 4–6, 11; docs/wire-notes.md §4.4).
  'spc/keyvault-name': rule(
    'error',
    'SPC_INVALID',
    'keyvaultName is missing or fails the provider check [-a-zA-Z0-9]{3,24}.',
  ),
  'spc/keyvault-name-azure': rule(
    'warning',
    'VAULT_NOT_FOUND',
    'keyvaultName breaks an Azure naming rule the provider does not check.',
  ),
  'spc/tenant-id': rule('error', 'SPC_INVALID', 'tenantId is missing.'),
  'spc/tenant-id-format': rule('error', 'AUTH_FAILED', 'tenantId is neither a GUID nor a domain name.'),
  'spc/tenant-id-conflict': rule('warning', 'AUTH_FAILED', 'tenantID and tenantId are both set and differ.'),
  'spc/cloud-name': rule('error', 'SPC_INVALID', 'cloudName is not a known Azure cloud.'),
  // objects (docs/wire-notes.md §2.2, §3 steps 8–9, §5).
  'spc/objects-missing': rule('error', 'SPC_INVALID', 'objects is missing or empty.'),
  'spc/objects-malformed': rule('error', 'SPC_INVALID', 'objects is not a YAML map with an array of "- |" strings.'),
  'spc/object-type': rule('error', 'SPC_INVALID', 'objectType is not secret, key or cert.'),
  'spc/object-name': rule('error', 'SPC_INVALID', 'objectName is missing or not a valid Key Vault name.'),
  'spc/object-field-name': rule('error', 'SPC_INVALID', 'An object field is a misspelling of one the provider reads.'),
  'spc/unknown-object-field': rule('warning', 'SPC_INVALID', 'An object field the provider does not read.'),
  'spc/object-format': rule('error', 'SPC_INVALID', 'objectFormat is not pem/pfx, or pfx on a non-secret.'),
  'spc/object-encoding': rule('error', 'SPC_INVALID', 'objectEncoding is invalid or used on a non-secret.'),
  'spc/object-alias': rule('error', 'SPC_INVALID', 'The output file name is empty, absolute or contains "..".'),
  'spc/object-version': rule(
    'warning',
    'SECRET_NOT_FOUND',
    'objectVersion is not a 32-hex-digit Key Vault version id.',
  ),
  'spc/object-version-history': rule(
    'error',
    'SPC_INVALID',
    'objectVersionHistory is not a plain non-negative integer.',
  ),
  'spc/file-permission': rule('error', 'SPC_INVALID', 'filePermission is not an octal number.'),
  'spc/duplicate-object': rule(
    'warning',
    'SPC_INVALID',
    'Two objects write the same file: the mount succeeds, one overwrites the other.',
  ),
  'spc/repeated-object': rule('warning', 'SPC_INVALID', 'The same objectType/objectName is fetched twice.'),
  // secretObjects (sync to a Kubernetes Secret; driver secretutil).
  'spc/secret-object-fields': rule(
    'error',
    'SYNC_SECRET_MISSING',
    'A secretObjects entry lacks secretName, type, data, or a data key.',
  ),
  'spc/secret-type-keys': rule(
    'error',
    'SYNC_SECRET_MISSING',
    'A synced Secret lacks a key its type requires (tls.crt/tls.key, .dockerconfigjson, ssh-privatekey, …).',
  ),
  'spc/secret-object-ref': rule(
    'error',
    'SYNC_SECRET_MISSING',
    'secretObjects[].data[].objectName names no mounted file.',
  ),
  // Placeholders left in (README: the lab's own placeholders are warnings, anything else an error).
  'spc/placeholder': rule('error', 'SPC_INVALID', 'A template placeholder ($VAR, <…>, {{…}}, REPLACE_ME…) is left in.'),
  'spc/lab-placeholder': lab('SPC_INVALID', "One of the lab's own placeholders (<KEY_VAULT_NAME>, …) is left in."),
  // Pod, and the pod templates of workloads.
  'pod/csi-driver': rule('error', 'CSI_DRIVER_NOT_INSTALLED', 'A CSI volume names a misspelt secrets-store driver.'),
  'pod/csi-read-only': rule('error', 'OTHER', 'The secrets-store CSI volume is not readOnly: true.'),
  'pod/mount-read-only': lab('OTHER', 'A volumeMount of the secrets-store volume is not readOnly: true.'),
  'pod/spc-reference': rule('error', 'SPC_NOT_FOUND', 'volumeAttributes.secretProviderClass is missing.'),
  'pod/spc-not-found': rule(
    'warning',
    'SPC_NOT_FOUND',
    'The SecretProviderClass the pod names is not among the linted ones.',
  ),
  'pod/volume-unused': rule(
    'warning',
    'OTHER',
    'No container mounts the secrets-store volume, so kubelet never mounts it.',
  ),
  'pod/service-account': lab('AUTH_FAILED', 'A pod with a secrets-store volume runs as the default ServiceAccount.'),
  'pod/node-publish-secret': rule(
    'error',
    'AUTH_FAILED',
    'The SPC uses a service principal (no identity mode, no clientID) but the volume has no nodePublishSecretRef.',
  ),
  'pod/workload-identity-label': rule(
    'warning',
    'AUTH_FAILED',
    'azure.workload.identity/use is misplaced or not "true".',
  ),
  'pod/placeholder': rule('error', 'OTHER', 'A template placeholder is left in the pod.'),
  'pod/lab-placeholder': lab(
    'OTHER',
    "The lab's <SERVICE_ACCOUNT_NAME> (or another lab placeholder) is left in the pod.",
  ),
  // ServiceAccount used by a linted pod.
  'sa/client-id-annotation': lab(
    'AUTH_FAILED',
    'The ServiceAccount lacks a GUID azure.workload.identity/client-id annotation.',
  ),
  // Warnings: the mount signs in as the SPC's clientID and never reads the ServiceAccount's annotations (the
  // workload identity webhook gives them to the app), so these do not fail the mount (the agreement test shows it).
  'sa/client-id-mismatch': rule(
    'warning',
    'AUTH_FAILED',
    "The ServiceAccount's client-id annotation differs from the SPC's clientID.",
  ),
  'sa/placeholder': rule('warning', 'AUTH_FAILED', 'A template placeholder is left in the ServiceAccount.'),
  'sa/lab-placeholder': lab('AUTH_FAILED', "One of the lab's placeholders is left in the ServiceAccount."),
  // The lab's conventions (profile lab): the lab's cluster, identity and vault, not the provider's rules.
  'lab/identity-mode': lab(
    'AUTH_FAILED',
    'The SPC authenticates without workload identity; the lab uses workload identity only.',
  ),
  'lab/provider': lab('SPC_INVALID', 'The SPC is for another provider; the lab uses the Azure Key Vault provider.'),
  'lab/object-name': lab(
    'SECRET_NOT_FOUND',
    "An object the lab's vault does not hold (it holds db-password and api-key).",
  ),
} satisfies Record<string, LintRuleInfo>;

/** A linter rule id; an id missing from `LINT_RULES` does not compile. */
export type RuleId = keyof typeof LINT_RULES;

/** The rules whose findings fall under `category` (distributes over a union of categories). */
export type LintRuleOf<C extends Category> = C extends Category
  ? { [R in RuleId]: (typeof LINT_RULES)[R]['category'] extends C ? R : never }[RuleId]
  : never;

/** Every rule id, in table order. */
export const LINT_RULE_IDS = Object.keys(LINT_RULES) as RuleId[];
