/**
 * Reads a SecretProviderClass's Azure parameters the way the Azure provider does (docs/wire-notes.md §2.1, §4):
 * trimmed strings, `tenantID` before `tenantId`, Go ParseBool flags, and the `objects` YAML whose `array`
 * items are themselves YAML documents — parsed by the linter's parser, so the engine and `kvlab lint` agree on
 * what the provider reads. Used by the engine to know what the mount will try; the linter reports the mistakes.
 */
import { parseObjects } from '../knowledge/lint/spc/objects-parse.ts';
import type { SecretProviderClass } from '../ports/cluster-reader.ts';

export type IdentityMode = 'workloadIdentity' | 'podIdentity' | 'vmManagedIdentity' | 'tokenProxy' | 'servicePrincipal';

export interface SpcObject {
  objectName: string;
  objectType: string;
  objectVersion?: string;
  objectAlias?: string;
  /** A plain non-negative integer as written (the provider's int32); above 1 the provider lists versions first. */
  objectVersionHistory?: number;
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
  /** What the provider fetches; empty when `objects` is missing or the provider would reject it. */
  objects: SpcObject[];
  /** Why the provider cannot read `objects`, when it cannot. */
  objectsProblem?: string;
}

const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/**
 * Parsed once per SPC object: checks, the judge and class status all ask, and parsing the `objects` YAML is the
 * costly part. Objects read from the cluster are never modified in place (fixes work on copies).
 */
const PARSED = new WeakMap<SecretProviderClass, SpcParameters>();

export function spcParameters(spc: SecretProviderClass): SpcParameters {
  let parsed = PARSED.get(spc);
  if (!parsed) {
    parsed = parseParameters(spc);
    PARSED.set(spc, parsed);
  }
  return parsed;
}

function parseParameters(spc: SecretProviderClass): SpcParameters {
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
  const { objects, problem } = readObjects(str('objects'));
  return {
    provider: typeof spc.spec?.provider === 'string' ? spc.spec.provider : '',
    keyvaultName: str('keyvaultName'),
    tenantId: str('tenantID') || str('tenantId'),
    clientId,
    cloudName: str('cloudName'),
    identityMode,
    badFlags,
    objects,
    ...(problem ? { objectsProblem: problem } : {}),
  };
}

/** Every problem the parser reports fails the mount before any Key Vault call, so such objects are never fetched. */
function readObjects(text: string): { objects: SpcObject[]; problem?: string } {
  if (!text) return { objects: [], problem: 'objects is not set' };
  const parsed = parseObjects(text);
  const first = parsed.problems[0];
  if (first) return { objects: [], problem: first.message };
  return {
    objects: parsed.objects.map(({ fields }) => {
      const field = (k: string) => fields.get(k)?.value.trim() || undefined;
      const version = field('objectVersion');
      const alias = field('objectAlias');
      const history = fields.get('objectVersionHistory')?.quoted ? undefined : field('objectVersionHistory');
      return {
        objectName: field('objectName') ?? '',
        objectType: field('objectType') ?? '',
        ...(version ? { objectVersion: version } : {}),
        ...(alias ? { objectAlias: alias } : {}),
        ...(history && /^\d{1,9}$/.test(history) ? { objectVersionHistory: Number(history) } : {}),
      };
    }),
  };
}
