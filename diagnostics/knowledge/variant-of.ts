/**
 * Which knowledge-base variant a detail selects, by structure: Entra's AADSTS code says which part of the
 * federation is wrong (docs/wire-notes.md §3.3), Key Vault's inner code which access model or network rule refused
 * (docs/wire-notes.md §4.3). Shared by the live replay, the event check and `kvlab explain`. Each code selects a
 * variant of one category only; `VARIANT_OF_PAIRS` lists them all for the registry test
 * (test/diagnostics/kb-registry.test.ts).
 */
import type { Category } from '../categories.ts';

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

const MODE_VARIANT: Readonly<Record<string, string>> = {
  'pod-identity': 'pod-identity-binding',
  'managed-identity': 'managed-identity',
  'service-principal': 'service-principal',
};

/** Every (category, variant) pair `variantOf` can return. */
export const VARIANT_OF_PAIRS: readonly { category: Category; variant: string }[] = [
  ...Object.values(AADSTS_VARIANT).map((variant) => ({ category: 'AUTH_FAILED' as const, variant })),
  ...Object.values(MODE_VARIANT).map((variant) => ({ category: 'AUTH_FAILED' as const, variant })),
  ...Object.values(INNER_CODE_VARIANT),
];

export function variantOf(
  category: Category,
  detail: { aadsts?: string; innerCode?: string; identityMode?: string },
): string | undefined {
  if (category === 'AUTH_FAILED' && detail.aadsts && AADSTS_VARIANT[detail.aadsts])
    return AADSTS_VARIANT[detail.aadsts];
  if (category === 'AUTH_FAILED' && detail.identityMode) return MODE_VARIANT[detail.identityMode];
  const inner = detail.innerCode ? INNER_CODE_VARIANT[detail.innerCode] : undefined;
  return inner?.category === category ? inner.variant : undefined;
}
