/**
 * The corrected SecretProviderClass for a problem: the live object, cleaned (clean-manifest.ts), with every field
 * the linter calls an error fixed and the fields the diagnosis found wrong (clientID Entra does not know, tenant
 * not found, vault or object not in Azure, pinned disabled version) replaced. Undefined when nothing changes.
 */
import type { Evidence } from '../gather/gather-evidence.ts';
import type { MergedProblem } from '../judge.ts';
import { lintObjects } from '../knowledge/lint/index.ts';
import { cleanSpc, type Manifest } from './clean-manifest.ts';
import type { Draft } from './draft.ts';
import { fixMissingObjects, fixObjectTypes, fixSecretObjectRefs, unpinRefusedVersions } from './spc-objects-fix.ts';
import {
  askVaultName,
  fixClientId,
  fixIdentity,
  fixParameterKeys,
  fixProvider,
  fixTenantId,
} from './spc-parameters-fix.ts';

const IDENTITY_RULES: ReadonlySet<string> = new Set([
  'spc/pod-identity',
  'spc/identity-modes',
  'spc/bool-flag',
  'lab/identity-mode',
  'spc/client-id',
  'spc/client-id-format',
]);

/** Returns the fixed copy of `live` (in `namespace` when given), or undefined when nothing needed changing. */
export function fixSpc(
  d: Draft,
  live: Manifest,
  e: Evidence,
  problem: Pick<MergedProblem, 'category' | 'variant'>,
  namespace?: string,
): Manifest | undefined {
  const spc = cleanSpc(live, namespace);
  spc.spec ??= {};
  spc.spec.parameters ??= {};
  const before = d.changes.length + d.unknowns.length;
  fixParameterKeys(d, spc);
  const findings = lintObjects([spc], 'the SecretProviderClass', { profile: 'lab' });
  const rules: ReadonlySet<string> = new Set(
    findings.filter((f) => f.severity === 'error' || IDENTITY_RULES.has(f.rule)).map((f) => f.rule),
  );
  const placeholderAt = new Set(
    findings.filter((f) => f.rule === 'spc/placeholder' || f.rule === 'spc/lab-placeholder').map((f) => f.path),
  );
  const { category, variant } = problem;

  if (rules.has('spc/provider-name')) fixProvider(d, spc);
  // A sign-in through aad-pod-identity that failed (the events check names it from the SPC's identity mode): the
  // lab's cluster runs no NMI, so the fix is workload identity, as for the spc/pod-identity rule.
  const podIdentityFailed = category === 'AUTH_FAILED' && variant === 'pod-identity-binding';
  if ([...IDENTITY_RULES].some((r) => rules.has(r)) || podIdentityFailed) fixIdentity(d, spc, e);
  const clientWrong = category === 'AUTH_FAILED' && (variant === 'client-id' || variant === 'sa/client-id-mismatch');
  if (clientWrong || placeholderAt.has('spec.parameters.clientID')) fixClientId(d, spc, e, clientWrong);
  const tenantWrong =
    rules.has('spc/tenant-id') ||
    rules.has('spc/tenant-id-format') ||
    (category === 'AUTH_FAILED' && variant === 'tenant');
  if (tenantWrong || placeholderAt.has('spec.parameters.tenantId') || placeholderAt.has('spec.parameters.tenantID')) {
    fixTenantId(d, spc, e, tenantWrong);
  }
  if (category === 'VAULT_NOT_FOUND') {
    askVaultName(d, spc, `there is no vault ${spc.spec.parameters.keyvaultName}`);
  } else if (rules.has('spc/keyvault-name') || placeholderAt.has('spec.parameters.keyvaultName')) {
    askVaultName(d, spc, 'the SecretProviderClass has none');
  }
  if (rules.has('spc/object-type')) fixObjectTypes(d, spc);
  if (category === 'SECRET_NOT_FOUND') fixMissingObjects(d, spc, e);
  if (category === 'SECRET_DISABLED') unpinRefusedVersions(d, spc, e);
  if (rules.has('spc/secret-object-ref')) fixSecretObjectRefs(d, spc);
  return d.changes.length + d.unknowns.length > before ? spc : undefined;
}

/** Lint errors left in `objects` (the patch's own objects, unknowns answered): a patch must leave none. */
export function remainingErrors(objects: Manifest[]): string[] {
  return lintObjects(objects, 'the patch', { profile: 'lab' })
    .filter((f) => f.severity === 'error')
    .map((f) => `${f.rule} at ${f.path}: ${f.message}`);
}
