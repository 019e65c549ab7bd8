/**
 * SPC object-level rules: apiVersion, spec fields, provider name, parameters present. The provider name is the
 * first thing the driver uses: it connects to the provider socket of that name (docs/wire-notes.md §1.1).
 */
import { didYouMean } from '../suggest.ts';
import type { Issue } from '../types.ts';
import { textOf } from '../values.ts';
import { PARAMS_AT, type SpcRule } from './spc-context.ts';

const GROUP = 'secrets-store.csi.x-k8s.io';
const SPEC_FIELDS = ['provider', 'parameters', 'secretObjects'] as const;

export const apiVersionRule: SpcRule = ({ object }) => {
  const apiVersion = textOf(object.apiVersion) ?? '';
  if (apiVersion === `${GROUP}/v1`) return [];
  if (apiVersion === `${GROUP}/v1alpha1`) {
    return [
      {
        rule: 'spc/api-version-deprecated',
        at: ['apiVersion'],
        message: `${GROUP}/v1alpha1 is deprecated; the API server warns "${GROUP}/v1alpha1 is deprecated. Use ${GROUP}/v1 instead."`,
        fix: `Set apiVersion: ${GROUP}/v1.`,
      },
    ];
  }
  const hint = apiVersion.startsWith('secrets-store.csi.k8s.io')
    ? ' (secrets-store.csi.k8s.io is the CSI driver name used in the pod volume; the API group has "x-k8s")'
    : '';
  return [
    {
      rule: 'spc/api-version',
      at: ['apiVersion'],
      message: `apiVersion is "${apiVersion}"${hint}; kubectl answers "no matches for kind SecretProviderClass" and nothing is created.`,
      fix: `Set apiVersion: ${GROUP}/v1.`,
    },
  ];
};

export const specFieldsRule: SpcRule = ({ spec }) =>
  Object.keys(spec)
    .filter((key) => !(SPEC_FIELDS as readonly string[]).includes(key))
    .map((key): Issue => {
      const guess = didYouMean(key, SPEC_FIELDS);
      return {
        rule: 'spc/spec-field',
        at: ['spec', key],
        message: `spec.${key} is not a SecretProviderClass field${guess ? ` (did you mean ${guess}?)` : ''}; kubectl's strict validation rejects it, otherwise the API server drops it.`,
        fix: guess ? `Rename ${key} to ${guess}.` : `Remove ${key}; spec has only ${SPEC_FIELDS.join(', ')}.`,
      };
    });

export const providerNameRule: SpcRule = ({ spec }) => {
  const provider = textOf(spec.provider)?.trim();
  if (provider === 'azure') return [];
  if (provider === undefined || provider === '') {
    return [
      {
        rule: 'spc/provider-name',
        at: ['spec', 'provider'],
        message: 'spec.provider is not set; the driver fails with "provider not set in <namespace>/<name>".',
        fix: 'Add provider: azure under spec.',
      },
    ];
  }
  return [
    {
      rule: 'spc/provider-name',
      at: ['spec', 'provider'],
      message: `spec.provider is "${provider}", but the Azure Key Vault provider registers as "azure"; the driver fails with: error connecting to provider "${provider}": provider not found: provider "${provider}".`,
      fix: 'Set provider: azure (lower case, nothing else).',
    },
  ];
};

export const parametersRule: SpcRule = ({ spec, params }) => {
  if (params !== undefined) return [];
  const misspelt = Object.keys(spec).find((key) => key !== 'parameters' && didYouMean(key, ['parameters']));
  return [
    {
      rule: 'spc/parameters-missing',
      at: [...PARAMS_AT],
      message: `spec.parameters is ${spec.parameters === undefined ? 'missing' : 'not a map'}${misspelt ? ` (there is a spec.${misspelt})` : ''}; the driver fails with "parameters not set in <namespace>/<name>".`,
      fix: 'Add spec.parameters with keyvaultName, tenantId, clientID and objects, as in the lab.',
    },
  ];
};
