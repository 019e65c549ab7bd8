/**
 * Which knowledge-base variant a detail selects, by structure: Entra's AADSTS code says which part of the
 * federation is wrong (docs/wire-notes.md §3.3), Key Vault's inner code which access model or network rule refused
 * (docs/wire-notes.md §4.3). Shared by the live replay, the event check and `kvlab explain`.
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

const INNER_CODE_VARIANT: Readonly<Record<string, string>> = {
  AccessDenied: 'access-policy',
  ForbiddenByRbac: 'rbac',
  ForbiddenByPolicy: 'policy',
  ForbiddenByFirewall: 'firewall',
  ForbiddenByConnection: 'public-access-disabled',
  SecretDisabled: 'disabled',
  KeyDisabled: 'disabled',
  CertificateDisabled: 'disabled',
};

const MODE_VARIANT: Readonly<Record<string, string>> = {
  'pod-identity': 'pod-identity-binding',
  'managed-identity': 'managed-identity',
  'service-principal': 'service-principal',
};

export function variantOf(
  category: Category,
  detail: { aadsts?: string; innerCode?: string; identityMode?: string },
): string | undefined {
  if (category === 'AUTH_FAILED' && detail.aadsts && AADSTS_VARIANT[detail.aadsts])
    return AADSTS_VARIANT[detail.aadsts];
  if (category === 'AUTH_FAILED' && detail.identityMode) return MODE_VARIANT[detail.identityMode];
  if (detail.innerCode && ['ACCESS_DENIED', 'FIREWALL', 'SECRET_DISABLED'].includes(category)) {
    return INNER_CODE_VARIANT[detail.innerCode];
  }
  return undefined;
}
