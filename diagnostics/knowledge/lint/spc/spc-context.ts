/**
 * What the SecretProviderClass rules look at, digested once per SPC: the spec, the parameters map, whether the
 * Azure provider's rules apply, the identity mode the provider will choose, the lint profile, and the parsed
 * `objects` parameter.
 */
import { isPlaceholder } from '../placeholders.ts';
import type { Issue, LintProfile, PathSegment } from '../types.ts';
import { isRecord, parseGoBool, textOf } from '../values.ts';
import { type ObjectsParse, parseObjects } from './objects-parse.ts';

export const PARAMS_AT: readonly PathSegment[] = ['spec', 'parameters'];

export interface SpcContext {
  object: Record<string, unknown>;
  spec: Record<string, unknown>;
  /** spec.parameters when it is a map. */
  params: Record<string, unknown> | undefined;
  /** The Azure provider's parameter rules apply (provider is azure, missing, or a misspelling of it). */
  azure: boolean;
  /** spec.provider, trimmed ('' when missing). */
  provider: string;
  /** How the Azure provider will authenticate (docs/knowledge.md "Identity modes"). */
  mode: IdentityMode;
  profile: LintProfile;
  /** The parsed objects parameter, when it is a non-empty string. */
  objects: ObjectsParse | undefined;
}

/** A rule over one SecretProviderClass. */
export type SpcRule = (spc: SpcContext) => Issue[];

const AZURE_LIKE = /azure|akv|key-?vault/i;

/** Providers with a published Secrets Store CSI plugin (the driver's e2e suites and the providers' own repos). */
export const KNOWN_PROVIDERS = ['azure', 'aws', 'gcp', 'vault', 'openbao', 'akeyless', 'conjur', 'e2e-provider'];

/**
 * The Azure provider's identity modes, chosen as v1.8 does (at most one flag true; none ⇒ clientID decides):
 * `conflict` when several flags are true, `unknown` when a flag cannot be read (placeholder, not ParseBool).
 */
export type IdentityMode =
  | 'workload-identity'
  | 'pod-identity'
  | 'vm-managed-identity'
  | 'identity-binding'
  | 'service-principal'
  | 'conflict'
  | 'unknown';

const MODE_FLAGS = [
  ['usePodIdentity', 'pod-identity'],
  ['useVMManagedIdentity', 'vm-managed-identity'],
  ['useAzureTokenProxy', 'identity-binding'],
] as const;

function identityMode(params: Record<string, unknown> | undefined): IdentityMode {
  const on: IdentityMode[] = [];
  for (const [key, mode] of MODE_FLAGS) {
    const text = params === undefined ? undefined : textOf(params[key]);
    if (text === undefined) continue;
    const value = isPlaceholder(text) ? undefined : parseGoBool(text);
    if (value === undefined) return 'unknown';
    if (value) on.push(mode);
  }
  if (on.length > 1) return 'conflict';
  if (on.length === 1) return on[0]!;
  const clientId = params === undefined ? undefined : textOf(params.clientID);
  return clientId !== undefined && clientId.trim() !== '' ? 'workload-identity' : 'service-principal';
}

export function buildSpcContext(object: Record<string, unknown>, profile: LintProfile = 'provider'): SpcContext {
  const spec = isRecord(object.spec) ? object.spec : {};
  const params = isRecord(spec.parameters) ? spec.parameters : undefined;
  const provider = textOf(spec.provider)?.trim() ?? '';
  const azure =
    provider === 'azure' ||
    (!KNOWN_PROVIDERS.includes(provider) &&
      (provider === '' || AZURE_LIKE.test(provider) || params?.keyvaultName !== undefined));
  const objectsText = params?.objects;
  const objects =
    azure && typeof objectsText === 'string' && objectsText.trim() !== '' ? parseObjects(objectsText) : undefined;
  return { object, spec, params, azure, provider, mode: identityMode(params), profile, objects };
}

/** A parameter as text (numbers and booleans as written), `undefined` when absent, null or nested YAML. */
export function param(spc: SpcContext, key: string): string | undefined {
  return spc.params === undefined ? undefined : textOf(spc.params[key]);
}

export function paramAt(key: string): PathSegment[] {
  return [...PARAMS_AT, key];
}
