/**
 * All SecretProviderClass rules, in the order the driver and the Azure provider would hit the problems
 * (docs/wire-notes.md §2.3), so the first finding is the one a mount would fail on first.
 */
import { placeholderIssues } from '../placeholders.ts';
import type { Issue, LintProfile, PathSegment } from '../types.ts';
import { isRecord } from '../values.ts';
import { duplicateObjectsRule } from './duplicates.ts';
import {
  boolFlagsRule,
  clientIdFormatRule,
  clientIdRule,
  identityModesRule,
  labIdentityModeRule,
  podIdentityRule,
  userAssignedIdentityRule,
} from './identity.ts';
import { labObjectNameRule, objectFieldNamesRule, objectNameRule, objectTypeRule } from './object-fields.ts';
import {
  filePermissionRule,
  objectAliasRule,
  objectEncodingRule,
  objectFormatRule,
  objectVersionHistoryRule,
  objectVersionRule,
} from './object-options.ts';
import { objectsMalformedRule, objectsMissingRule } from './objects-rules.ts';
import { parameterNamesRule, parameterTypesRule } from './parameter-keys.ts';
import { apiVersionRule, parametersRule, providerNameRule, specFieldsRule } from './provider.ts';
import { secretObjectFieldsRule, secretObjectRefsRule } from './secret-objects.ts';
import { secretTypeKeysRule } from './secret-types.ts';
import { buildSpcContext, PARAMS_AT, type SpcContext, type SpcRule } from './spc-context.ts';
import {
  cloudNameRule,
  keyvaultNameAzureRule,
  keyvaultNameRule,
  tenantIdFormatRule,
  tenantIdRule,
} from './vault-tenant.ts';

/** Placeholders anywhere the provider or API server reads: names, provider, parameters, object fields, secretObjects. */
/**
 * Placeholders anywhere the provider or API server reads: names, provider, parameters, object fields,
 * secretObjects. Another provider's parameters are its own business: only the driver's fields are looked at.
 */
const placeholdersRule: SpcRule = (spc: SpcContext) => {
  const metadata = isRecord(spc.object.metadata) ? spc.object.metadata : {};
  const roots: Array<{ value: unknown; at: PathSegment[] }> = [
    { value: metadata.name, at: ['metadata', 'name'] },
    { value: metadata.namespace, at: ['metadata', 'namespace'] },
    { value: spc.spec.provider, at: ['spec', 'provider'] },
    { value: spc.spec.secretObjects, at: ['spec', 'secretObjects'] },
  ];
  for (const [key, value] of Object.entries(spc.azure ? (spc.params ?? {}) : {})) {
    if (key !== 'objects' || spc.objects === undefined) roots.push({ value, at: [...PARAMS_AT, key] });
  }
  for (const object of spc.objects?.objects ?? []) {
    for (const [key, field] of object.fields) roots.push({ value: field.value, at: [...object.at, key] });
  }
  return placeholderIssues(roots, { lab: 'spc/lab-placeholder', template: 'spc/placeholder' }, spc.profile);
};

export const SPC_RULES: readonly SpcRule[] = [
  apiVersionRule,
  specFieldsRule,
  providerNameRule,
  parametersRule,
  parameterTypesRule,
  parameterNamesRule,
  boolFlagsRule,
  podIdentityRule,
  identityModesRule,
  labIdentityModeRule,
  keyvaultNameRule,
  tenantIdRule,
  cloudNameRule,
  clientIdRule,
  clientIdFormatRule,
  userAssignedIdentityRule,
  tenantIdFormatRule,
  objectsMissingRule,
  objectsMalformedRule,
  objectFieldNamesRule,
  objectFormatRule,
  objectEncodingRule,
  objectAliasRule,
  objectTypeRule,
  objectNameRule,
  labObjectNameRule,
  objectVersionRule,
  objectVersionHistoryRule,
  filePermissionRule,
  duplicateObjectsRule,
  keyvaultNameAzureRule,
  secretObjectFieldsRule,
  secretTypeKeysRule,
  secretObjectRefsRule,
  placeholdersRule,
];

/** Lints one SecretProviderClass object; paths in the issues are relative to the object. */
export function lintSpc(
  object: Record<string, unknown>,
  profile: LintProfile = 'provider',
): { context: SpcContext; issues: Issue[] } {
  const context = buildSpcContext(object, profile);
  return { context, issues: SPC_RULES.flatMap((rule) => rule(context)) };
}
