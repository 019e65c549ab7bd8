/**
 * Parameter keys and value types. The CRD declares `parameters` as a map of strings, so an unquoted YAML boolean or
 * number is rejected by the API server (docs/wire-notes.md §1.1); the provider reads keys case-sensitively (docs/wire-notes.md §2.1),
 * so a misspelt key is silently ignored and the setting falls back to its default.
 */
import { didYouMean } from '../suggest.ts';
import type { Issue } from '../types.ts';
import { describeType } from '../values.ts';
import { paramAt, type SpcRule } from './spc-context.ts';

/** Every parameter key the Azure provider reads (docs/wire-notes.md §2.1). `tenantId` first: it is the lab's spelling. */
export const KNOWN_PARAMETERS = [
  'keyvaultName',
  'tenantId',
  'tenantID',
  'objects',
  'usePodIdentity',
  'useVMManagedIdentity',
  'userAssignedIdentityID',
  'clientID',
  'useAzureTokenProxy',
  'cloudName',
  'cloudEnvFileName',
] as const;

const DRIVER_ATTRIBUTE = /^csi\.storage\.k8s\.io\//;

function quotedExample(key: string, value: unknown): string {
  return `${key}: "${typeof value === 'boolean' || typeof value === 'number' ? String(value) : '...'}"`;
}

export const parameterTypesRule: SpcRule = ({ params }) => {
  const issues: Issue[] = [];
  for (const [key, value] of Object.entries(params ?? {})) {
    if (typeof value === 'string' || value === null || value === undefined) continue;
    if (key === 'objects' && typeof value === 'object') {
      issues.push({
        rule: 'spc/parameter-not-string',
        at: paramAt(key),
        message: `objects is written as ${describeType(value)}, but every parameter must be a string; the API server rejects the SecretProviderClass (spec.parameters.objects must be of type string).`,
        fix: 'Make objects a block string: "objects: |", then "array:" and one "- |" string per object, as in the lab.',
      });
      continue;
    }
    issues.push({
      rule: 'spc/parameter-not-string',
      at: paramAt(key),
      message: `${key} is ${describeType(value)}, but spec.parameters is a map of strings; the API server rejects the SecretProviderClass (spec.parameters.${key} must be of type string).`,
      fix: `Quote the value: ${quotedExample(key, value)}.`,
    });
  }
  return issues;
};

export const parameterNamesRule: SpcRule = ({ params, azure }) => {
  if (!azure || params === undefined) return [];
  const issues: Issue[] = [];
  for (const key of Object.keys(params)) {
    if ((KNOWN_PARAMETERS as readonly string[]).includes(key)) continue;
    if (DRIVER_ATTRIBUTE.test(key)) {
      issues.push({
        rule: 'spc/unknown-parameter',
        at: paramAt(key),
        message: `${key} is filled in by the CSI driver at mount time from the pod; a value written in the SecretProviderClass is overwritten.`,
        fix: `Remove ${key} from spec.parameters.`,
      });
      continue;
    }
    const guess = didYouMean(key, KNOWN_PARAMETERS);
    if (guess !== undefined && !isSet(params, guess)) {
      issues.push({
        rule: 'spc/parameter-name',
        at: paramAt(key),
        message: `${key} is not a parameter the Azure provider reads (keys are case-sensitive); did you mean ${guess}? As written, the provider ignores it, as if ${guess} were not set.`,
        fix: `Rename ${key} to ${guess}.`,
      });
      continue;
    }
    issues.push({
      rule: 'spc/unknown-parameter',
      at: paramAt(key),
      message:
        guess !== undefined
          ? `${key} is ignored by the Azure provider; ${guess} is already set, so this looks like a leftover duplicate.`
          : `${key} is not a parameter the Azure provider reads; it is ignored.`,
      fix: `Remove ${key}. The provider reads: ${KNOWN_PARAMETERS.join(', ')}.`,
    });
  }
  return issues;
};

/** Whether the key (or, for the tenant, either accepted spelling) is present. */
function isSet(params: Record<string, unknown>, key: string): boolean {
  if (key === 'tenantId' || key === 'tenantID') return params.tenantId !== undefined || params.tenantID !== undefined;
  return params[key] !== undefined;
}

/** The misspelt key in the SPC that stands for `key`, if any (so "missing" rules can point at it instead). */
export function misspellingOf(params: Record<string, unknown> | undefined, key: string): string | undefined {
  if (params === undefined) return undefined;
  return Object.keys(params).find(
    (written) =>
      !(KNOWN_PARAMETERS as readonly string[]).includes(written) && didYouMean(written, KNOWN_PARAMETERS) === key,
  );
}
