/**
 * SPC object-level rules: apiVersion, spec fields, provider name, parameters present. The provider name is the
 * first thing the driver uses: it connects to the provider socket of that name (docs/wire-notes.md §1.1).
 */
import { isPlaceholder } from '../placeholders.ts';
import { didYouMean } from '../suggest.ts';
import type { Issue } from '../types.ts';
import { textOf } from '../values.ts';
import { KNOWN_PROVIDERS, PARAMS_AT, type SpcRule } from './spc-context.ts';

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
    : isPlaceholder(apiVersion)
      ? ' (an unfilled placeholder)'
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

/**
 * The driver connects to the provider socket named by spec.provider. `azure` and the other published providers
 * (aws, gcp, vault, …) are fine; a misspelling of azure (Azure, azurekeyvault, akv) fails; any other name is a
 * warning — the mount works only if a provider plugin of that name runs on the node.
 */
export const providerNameRule: SpcRule = ({ spec, azure, provider, profile }) => {
  if (provider === 'azure') return [];
  if (provider === '') {
    return [
      {
        rule: 'spc/provider-name',
        at: ['spec', 'provider'],
        message: 'spec.provider is not set; the driver fails with "provider not set in <namespace>/<name>".',
        fix: 'Add provider: azure under spec.',
      },
    ];
  }
  if (typeof spec.provider === 'string' && KNOWN_PROVIDERS.includes(provider)) {
    if (profile !== 'lab') return [];
    return [
      {
        rule: 'lab/provider',
        at: ['spec', 'provider'],
        message: `spec.provider is "${provider}": a ${provider} SecretProviderClass, but the lab's secrets are in Azure Key Vault and its cluster runs only the Azure provider, so the driver answers provider not found: provider "${provider}".`,
      },
    ];
  }
  if (azure) {
    return [
      {
        rule: 'spc/provider-name',
        at: ['spec', 'provider'],
        message: `spec.provider is "${provider}", but the Azure Key Vault provider registers as "azure"; the driver fails with: error connecting to provider "${provider}": provider not found: provider "${provider}".`,
      },
    ];
  }
  const guess = didYouMean(provider, KNOWN_PROVIDERS);
  return [
    {
      rule: 'spc/provider-unknown',
      at: ['spec', 'provider'],
      message: `spec.provider is "${provider}", which is none of the published providers (${KNOWN_PROVIDERS.join(', ')})${guess ? `; did you mean ${guess}?` : ''}. Unless a provider plugin named "${provider}" is installed on the node, the driver fails with: provider not found: provider "${provider}".`,
      fix: guess
        ? `Set provider: ${guess} if that is the plugin you installed.`
        : 'Use the name your provider plugin registers under (kubectl get pods -n kube-system shows the provider DaemonSet).',
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
    },
  ];
};
