/**
 * Which knowledge-base variant a detail selects, by structure: Entra's AADSTS code says which part of the
 * federation is wrong (docs/wire-notes.md §3.3), Key Vault's inner code which access model or network rule refused
 * (docs/wire-notes.md §4.3). Shared by the live replay, the event check and `kvlab explain`. Each code selects a
 * variant of one category only; `VARIANT_OF_PAIRS` lists them all for the registry test
 * (test/diagnostics/kb-registry.test.ts).
 */
import type { Category } from '../categories.ts';
import type { KeyVaultOperation, MessageDetails } from './classify/types.ts';
import type { KbVariant } from './knowledge-base.ts';

const AADSTS_VARIANT: Readonly<Record<string, string>> = {
  '70021': 'federation',
  '700211': 'issuer-mismatch',
  '700212': 'audience-mismatch',
  '700213': 'subject-mismatch',
  '7002138': 'subject-mismatch',
  '700016': 'client-id',
  '90002': 'tenant',
  '700024': 'assertion-expired',
};

/** Key Vault's inner code, with the category it refines (a 403's inner code changes its meaning). */
const INNER_CODE_VARIANT: Readonly<Record<string, { category: Category; variant: string }>> = {
  AccessDenied: { category: 'ACCESS_DENIED', variant: 'access-policy' },
  ForbiddenByRbac: { category: 'ACCESS_DENIED', variant: 'rbac' },
  ForbiddenByPolicy: { category: 'ACCESS_DENIED', variant: 'policy' },
  ForbiddenByFirewall: { category: 'FIREWALL', variant: 'firewall' },
  ForbiddenByConnection: { category: 'FIREWALL', variant: 'public-access-disabled' },
  SecretDisabled: { category: 'SECRET_DISABLED', variant: 'disabled' },
  KeyDisabled: { category: 'SECRET_DISABLED', variant: 'disabled' },
  CertificateDisabled: { category: 'SECRET_DISABLED', variant: 'disabled' },
};

/**
 * An access denial's variant by access model and the operation refused: each collection has its own permission
 * (secrets, keys, certificates), and listing versions (objectVersionHistory > 1) needs `list` besides `get`. With
 * RBAC, keys and certificates are listed with the same action as they are read (keys/read, certificates/read);
 * secrets need readMetadata/action to be listed, getSecret/action to be read.
 */
const ACCESS_VARIANT: Readonly<Record<'access-policy' | 'rbac', Readonly<Record<KeyVaultOperation, string>>>> = {
  'access-policy': {
    'secrets get': 'access-policy',
    'secrets list': 'list-access-policy',
    'keys get': 'keys-access-policy',
    'keys list': 'keys-list-access-policy',
    'certificates get': 'certificates-access-policy',
    'certificates list': 'certificates-list-access-policy',
  },
  rbac: {
    'secrets get': 'rbac',
    'secrets list': 'list-rbac',
    'keys get': 'keys-rbac',
    'keys list': 'keys-rbac',
    'certificates get': 'certificates-rbac',
    'certificates list': 'certificates-rbac',
  },
};

/** The ACCESS_DENIED variant for an access model's denial of `operation` (secrets get when unknown). */
export function accessDeniedVariant(model: 'access-policy' | 'rbac', operation: KeyVaultOperation | undefined) {
  return ACCESS_VARIANT[model][operation ?? 'secrets get'];
}

const MODE_VARIANT: Readonly<Record<string, string>> = {
  'pod-identity': 'pod-identity-binding',
  'managed-identity': 'managed-identity',
  'service-principal': 'service-principal',
};

/** Every (category, variant) pair `variantOf` can return. */
export const VARIANT_OF_PAIRS: readonly { category: Category; variant: string }[] = [
  ...Object.values(AADSTS_VARIANT).map((variant) => ({ category: 'AUTH_FAILED' as const, variant })),
  ...Object.values(MODE_VARIANT).map((variant) => ({ category: 'AUTH_FAILED' as const, variant })),
  { category: 'AUTH_FAILED', variant: 'pod-identity-mic' },
  ...Object.values(INNER_CODE_VARIANT),
  ...[...new Set(Object.values(ACCESS_VARIANT).flatMap((byOperation) => Object.values(byOperation)))]
    .filter((variant) => variant !== 'access-policy' && variant !== 'rbac')
    .map((variant) => ({ category: 'ACCESS_DENIED' as const, variant })),
  { category: 'CSI_DRIVER_UNHEALTHY', variant: 'no-ephemeral-mode' },
  { category: 'SECRET_DISABLED', variant: 'unknown-content-type' },
  { category: 'SECRET_DISABLED', variant: 'key-type-unsupported' },
];

/**
 * The variant of `category` a detail selects, if any: an AADSTS code first, then the identity mode (for a sign-in
 * failure without a code: which token source failed), then Key Vault's inner code. The cast is checked by the
 * registry test: every pair in `VARIANT_OF_PAIRS` has a text in the table.
 */
export function variantOf<C extends Category>(category: C, detail: VariantDetail): KbVariant<C> | undefined {
  return pick(category, detail) as KbVariant<C> | undefined;
}

/** What selects a variant, read off a classified message. */
export interface VariantDetail {
  aadsts?: string;
  innerCode?: string;
  identityMode?: IdentityModeName;
  podIdentityComponent?: 'mic';
  /** The Key Vault operation a 403 refused: which permission the fix must grant. */
  keyVaultOperation?: KeyVaultOperation;
  /** A CSIDriver object's volumeLifecycleModes without Ephemeral. */
  lifecycleModes?: string;
  /** A certificate's content type the provider cannot convert. */
  contentType?: string;
  /** A key type the provider does not write. */
  keyType?: string;
}

/**
 * The variant-selecting parts of a message's details; `fallbackMode` (the SPC's identity mode, in a diagnosis) is used
 * when the message itself does not show one, so a bare sign-in failure gets that mode's text.
 */
export function variantDetailOf(details: MessageDetails, fallbackMode?: IdentityModeName): VariantDetail {
  const mode = details.identityMode ?? fallbackMode;
  return {
    ...(details.aadsts ? { aadsts: details.aadsts } : {}),
    ...(details.innerErrorCode ? { innerCode: details.innerErrorCode } : {}),
    ...(mode ? { identityMode: mode } : {}),
    ...(details.podIdentityComponent ? { podIdentityComponent: details.podIdentityComponent } : {}),
    ...(details.keyVaultOperation ? { keyVaultOperation: details.keyVaultOperation } : {}),
    ...(details.lifecycleModes ? { lifecycleModes: details.lifecycleModes } : {}),
    ...(details.contentType !== undefined ? { contentType: details.contentType } : {}),
    ...(details.keyType !== undefined ? { keyType: details.keyType } : {}),
  };
}

function pick(category: Category, detail: VariantDetail) {
  // MIC fails with the cluster's own credentials (even an AADSTS code is about them), never the pod's.
  if (category === 'AUTH_FAILED' && detail.podIdentityComponent === 'mic') return 'pod-identity-mic';
  if (category === 'AUTH_FAILED' && detail.aadsts && AADSTS_VARIANT[detail.aadsts])
    return AADSTS_VARIANT[detail.aadsts];
  if (category === 'AUTH_FAILED' && detail.identityMode) return MODE_VARIANT[detail.identityMode];
  if (category === 'CSI_DRIVER_UNHEALTHY' && detail.lifecycleModes) return 'no-ephemeral-mode';
  if (category === 'SECRET_DISABLED' && detail.contentType !== undefined) return 'unknown-content-type';
  if (category === 'SECRET_DISABLED' && detail.keyType !== undefined) return 'key-type-unsupported';
  const inner = detail.innerCode ? INNER_CODE_VARIANT[detail.innerCode] : undefined;
  if (inner?.category !== category) return undefined;
  if (inner.variant === 'access-policy' || inner.variant === 'rbac') {
    return accessDeniedVariant(inner.variant, detail.keyVaultOperation);
  }
  return inner.variant;
}

/** An identity mode in the words messages use (classify's `identityMode`). */
export type IdentityModeName = 'pod-identity' | 'managed-identity' | 'service-principal' | 'workload-identity';

const SPC_MODE_NAME: Readonly<Record<string, IdentityModeName>> = {
  podIdentity: 'pod-identity',
  vmManagedIdentity: 'managed-identity',
  servicePrincipal: 'service-principal',
  workloadIdentity: 'workload-identity',
};

/** The SecretProviderClass's identity mode (diagnostics/spc/spc-parameters.ts) in the words messages use. */
export function identityModeName(mode: string): IdentityModeName | undefined {
  return SPC_MODE_NAME[mode];
}
