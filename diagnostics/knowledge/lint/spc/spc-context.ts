/**
 * What the SecretProviderClass rules look at, digested once per SPC: the spec, the parameters map, whether the
 * Azure provider's rules apply, and the parsed `objects` parameter.
 */
import type { Issue, PathSegment } from '../types.ts';
import { isRecord, textOf } from '../values.ts';
import { type ObjectsParse, parseObjects } from './objects-parse.ts';

export const PARAMS_AT: readonly PathSegment[] = ['spec', 'parameters'];

export interface SpcContext {
  object: Record<string, unknown>;
  spec: Record<string, unknown>;
  /** spec.parameters when it is a map. */
  params: Record<string, unknown> | undefined;
  /** The Azure provider's parameter rules apply (provider is azure, missing, or a misspelling of it). */
  azure: boolean;
  /** The parsed objects parameter, when it is a non-empty string. */
  objects: ObjectsParse | undefined;
}

/** A rule over one SecretProviderClass. */
export type SpcRule = (spc: SpcContext) => Issue[];

const AZURE_LIKE = /azure|akv|key-?vault/i;

export function buildSpcContext(object: Record<string, unknown>): SpcContext {
  const spec = isRecord(object.spec) ? object.spec : {};
  const params = isRecord(spec.parameters) ? spec.parameters : undefined;
  const provider = textOf(spec.provider);
  const azure =
    provider === undefined || provider.trim() === '' || AZURE_LIKE.test(provider) || params?.keyvaultName !== undefined;
  const objectsText = params?.objects;
  const objects = typeof objectsText === 'string' && objectsText.trim() !== '' ? parseObjects(objectsText) : undefined;
  return { object, spec, params, azure, objects };
}

/** A parameter as text (numbers and booleans as written), `undefined` when absent, null or nested YAML. */
export function param(spc: SpcContext, key: string): string | undefined {
  return spc.params === undefined ? undefined : textOf(spc.params[key]);
}

export function paramAt(key: string): PathSegment[] {
  return [...PARAMS_AT, key];
}
