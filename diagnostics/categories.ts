/**
 * The public problem taxonomy (docs/contracts.md "Problem ids"). Every finding, classified event message and
 * `explain` answer carries one category. `commonProblem` is the row (1–6) of the lab's Common Problems table.
 */
export const CATEGORIES = [
  'CSI_DRIVER_NOT_INSTALLED',
  'CSI_DRIVER_UNHEALTHY',
  'CRD_MISSING',
  'SPC_NOT_FOUND',
  'SPC_INVALID',
  'AUTH_FAILED',
  'ACCESS_DENIED',
  'FIREWALL',
  'VAULT_NOT_FOUND',
  'SECRET_NOT_FOUND',
  'SECRET_DISABLED',
  'SYNC_SECRET_MISSING',
  'TIMEOUT_OR_TRANSIENT',
  'OTHER',
] as const;

export type Category = (typeof CATEGORIES)[number];

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}

/** The lab's Common Problems row for each category, or `null` when the table has none (docs/architecture.md). */
export const COMMON_PROBLEM_ROW: Record<Category, number | null> = {
  CSI_DRIVER_NOT_INSTALLED: 1,
  CSI_DRIVER_UNHEALTHY: 1,
  CRD_MISSING: 3,
  SPC_NOT_FOUND: 3,
  SPC_INVALID: null,
  AUTH_FAILED: 2,
  ACCESS_DENIED: 5,
  FIREWALL: null,
  VAULT_NOT_FOUND: null,
  SECRET_NOT_FOUND: 4,
  SECRET_DISABLED: null,
  SYNC_SECRET_MISSING: 6,
  TIMEOUT_OR_TRANSIENT: null,
  OTHER: null,
};

/** The lab's Common Problems table (exercise 09): the problem column of each row, as the lab words it. */
export const LAB_COMMON_PROBLEMS: Readonly<Record<number, string>> = {
  1: 'CSI driver pods not running',
  2: 'Pod stuck in ContainerCreating',
  3: 'SecretProviderClass not found',
  4: 'keyvault error: secret not found',
  5: '403 Forbidden from Key Vault',
  6: 'Synced K8s Secret not appearing',
};

/** The value of the `kvlab.io/expect` namespace annotation for a namespace whose pod is fine. */
export const HEALTHY = 'healthy';
