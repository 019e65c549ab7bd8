/**
 * All SecretProviderClass rules, in the order the driver and the Azure provider would hit the problems
 * (docs/wire-notes.md §2.3), so the first finding is the one a mount would fail on first.
 */
import { placeholderIssues } from '../placeholders.ts';
import type { Issue, PathSegment } from '../types.ts';
import { isRecord } from '../values.ts';
import { duplicateObjectsRule } from './duplicates.ts';
import {
  boolFlagsRule,
  clientIdFormatRule,
  clientIdRule,
  identityModesRule,
  podIdentityRule,
  vmManagedIdentityRule,
} from './identity.ts';
import { objectFieldNamesRule, objectNameRule, objectTypeRule } from './object-fields.ts';
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
import { buildSpcContext, PARAMS_AT, type SpcContext, type SpcRule } from './spc-context.ts';
import {
  cloudNameRule,
  keyvaultNameAzureRule,
  keyvaultNameRule,
  tenantIdFormatRule,
  tenantIdRule,
} from './vault-tenant.ts';

/** Placeholders anywhere the provider or API server reads: names, provider, parameters, object fields, secretObjects. */
const placeholdersRule: SpcRule = (spc: SpcContext) => {
  const metadata = isRecord(spc.object.metadata) ? spc.object.metadata : {};
  const roots: Array<{ value: unknown; at: PathSegment[] }> = [
    { value: metadata.name, at: ['metadata', 'name'] },
    { value: metadata.namespace, at: ['metadata', 'namespace'] },
    { value: spc.spec.provider, at: ['spec', 'provider'] },
    { value: spc.spec.secretObjects, at: ['spec', 'secretObjects'] },
  ];
  for (const [key, value] of Object.entries(spc.params ?? {})) {
    if (key !== 'objects' || spc.objects === undefined) roots.push({ value, at: [...PARAMS_AT, key] });
  }
  for (const object of spc.objects?.objects ?? []) {
    for (const [key, field] of object.fields) roots.push({ value: field.value, at: [...object.at, key] });
  }
  return placeholderIssues(roots, { lab: 'spc/lab-placeholder', template: 'spc/placeholder' });
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
  vmManagedIdentityRule,
  keyvaultNameRule,
  tenantIdRule,
  cloudNameRule,
  clientIdRule,
  clientIdFormatRule,
  tenantIdFormatRule,
  objectsMissingRule,
  objectsMalformedRule,
  objectFieldNamesRule,
  objectFormatRule,
  objectEncodingRule,
  objectAliasRule,
  objectTypeRule,
  objectNameRule,
  objectVersionRule,
  objectVersionHistoryRule,
  filePermissionRule,
  duplicateObjectsRule,
  keyvaultNameAzureRule,
  secretObjectFieldsRule,
  secretObjectRefsRule,
  placeholdersRule,
];

/** Lints one SecretProviderClass object; paths in the issues are relative to the object. */
export function lintSpc(object: Record<string, unknown>): { context: SpcContext; issues: Issue[] } {
  const context = buildSpcContext(object);
  return { context, issues: SPC_RULES.flatMap((rule) => rule(context)) };
}
