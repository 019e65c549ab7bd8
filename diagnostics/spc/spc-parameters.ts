/**
 * Reads a SecretProviderClass's Azure parameters the way the Azure provider does (reference/02 §1, §4):
 * trimmed strings, `tenantID` before `tenantId`, Go ParseBool flags, and the `objects` YAML whose `array`
 * items are themselves YAML documents. Used by the engine to know what the mount will try; the linter
 * reports the mistakes in detail.
 */
import { parse } from 'yaml';
import type { SecretProviderClass } from '../ports/cluster-reader.ts';

export type IdentityMode = 'workloadIdentity' | 'podIdentity' | 'vmManagedIdentity' | 'tokenProxy' | 'servicePrincipal';

export interface SpcObject {
  objectName: string;
  objectType: string;
  objectVersion?: string;
  objectAlias?: string;
}

export interface SpcParameters {
  provider: string;
  keyvaultName: string;
  tenantId: string;
  clientId: string;
  cloudName: string;
  identityMode: IdentityMode;
  /** Flags that are not valid Go booleans, e.g. `usePodIdentity: "yes"`. */
  badFlags: string[];
  objects: SpcObject[];
  /** Why `objects` could not be read, when it could not. */
  objectsError?: string;
}

const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

export function spcParameters(spc: SecretProviderClass): SpcParameters {
  const raw = spc.spec?.parameters ?? {};
  const str = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string).trim() : '');
  const badFlags: string[] = [];
  const flag = (key: string) => {
    const v = str(key);
    if (v === '' || GO_FALSE.has(v)) return false;
    if (GO_TRUE.has(v)) return true;
    badFlags.push(key);
    return false;
  };
  const podIdentity = flag('usePodIdentity');
  const vmIdentity = flag('useVMManagedIdentity');
  const tokenProxy = flag('useAzureTokenProxy');
  const clientId = str('clientID');
  const identityMode: IdentityMode = podIdentity
    ? 'podIdentity'
    : vmIdentity
      ? 'vmManagedIdentity'
      : tokenProxy
        ? 'tokenProxy'
        : clientId
          ? 'workloadIdentity'
          : 'servicePrincipal';
  const { objects, error } = parseObjects(str('objects'));
  return {
    provider: typeof spc.spec?.provider === 'string' ? spc.spec.provider : '',
    keyvaultName: str('keyvaultName'),
    tenantId: str('tenantID') || str('tenantId'),
    clientId,
    cloudName: str('cloudName'),
    identityMode,
    badFlags,
    objects,
    ...(error ? { objectsError: error } : {}),
  };
}

/** Parses the `objects` parameter: a YAML map with `array`, each item a YAML string describing one object. */
export function parseObjects(text: string): { objects: SpcObject[]; error?: string } {
  if (!text) return { objects: [], error: 'objects is not set' };
  let top: unknown;
  try {
    top = parse(text, { maxAliasCount: 10 });
  } catch (err) {
    return { objects: [], error: `objects is not valid YAML: ${(err as Error).message.split('\n')[0]}` };
  }
  const array = (top as { array?: unknown } | null)?.array;
  if (!Array.isArray(array)) return { objects: [], error: 'objects has no "array" list' };
  const objects: SpcObject[] = [];
  for (const [i, item] of array.entries()) {
    let entry: unknown = item;
    if (typeof item === 'string') {
      try {
        entry = parse(item, { maxAliasCount: 10 });
      } catch (err) {
        return { objects, error: `objects.array[${i}] is not valid YAML: ${(err as Error).message.split('\n')[0]}` };
      }
    } else {
      return { objects, error: `objects.array[${i}] must be a YAML string ("- |" block), not a ${typeof item}` };
    }
    const o = (entry ?? {}) as Record<string, unknown>;
    const s = (k: string) => (o[k] === undefined || o[k] === null ? undefined : String(o[k]).trim());
    objects.push({
      objectName: s('objectName') ?? '',
      objectType: s('objectType') ?? '',
      ...(s('objectVersion') ? { objectVersion: s('objectVersion') } : {}),
      ...(s('objectAlias') ? { objectAlias: s('objectAlias') } : {}),
    });
  }
  return { objects };
}
