/**
 * The Azure Key Vault provider's parameter validation, in its order and with its error strings (provider
 * v1.5–v1.7 wording, which the classroom's DaemonSet image v1.5.2 runs): identity-mode flags, keyvaultName,
 * tenantId, cloudName, the auth config (workload identity token / service principal secret), the `objects`
 * YAML and each object's format, encoding and file name, then the vault name. Pure: the caller says whether
 * the kubelet delivered an `api://AzureADTokenExchange` token and whether a nodePublishSecretRef is set.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Scalar } from 'yaml';

export interface KeyVaultObject {
  objectName: string;
  objectType: string;
  objectVersion: string;
  objectAlias: string;
  objectFormat: string;
  objectEncoding: string;
  /** `objectVersionHistory` (int32): above 1 the provider lists the versions and writes each to a folder. */
  objectVersionHistory: number;
}

export type IdentityMode = 'workloadIdentity' | 'podIdentity' | 'vmManagedIdentity' | 'servicePrincipal';

export interface ProviderConfig {
  vaultName: string;
  tenantId: string;
  clientId: string;
  mode: IdentityMode;
  userAssignedIdentityId: string;
  objects: KeyVaultObject[];
}

export type Validation = { ok: true; config: ProviderConfig } | { ok: false; error: string };

export interface ValidationContext {
  /** The kubelet passed a service-account token for audience `api://AzureADTokenExchange`. */
  hasWorkloadIdentityToken: boolean;
  /** The volume names a nodePublishSecretRef whose Secret exists. */
  hasNodePublishSecret: boolean;
}

const CLOUDS = ['AZUREPUBLICCLOUD', 'AZUREUSGOVERNMENTCLOUD', 'AZURECHINACLOUD', 'AZUREGERMANCLOUD', 'AZURESTACKCLOUD'];
const TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

/** Go's strconv.ParseBool; the provider treats an empty value as false. */
export function parseBool(value: string): boolean | Error {
  if (value === '' || FALSE.includes(value)) return false;
  if (TRUE.includes(value)) return true;
  return new Error(`strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`);
}

/** `failed to get objectType:<t>, objectName:<n>, objectVersion:<v>: ` — the provider's per-object wrapper. */
export const objectPrefix = (o: Pick<KeyVaultObject, 'objectType' | 'objectName' | 'objectVersion'>) =>
  `failed to get objectType:${o.objectType}, objectName:${o.objectName}, objectVersion:${o.objectVersion}: `;

export function validateParameters(parameters: Record<string, string>, ctx: ValidationContext): Validation {
  const p = (key: string) => (parameters[key] ?? '').trim();
  const fail = (error: string): Validation => ({ ok: false, error });
  const flags: Record<string, boolean> = {};
  for (const flag of ['usePodIdentity', 'useVMManagedIdentity']) {
    const parsed = parseBool(p(flag));
    if (parsed instanceof Error) return fail(`failed to parse ${flag} flag, error: ${parsed.message}`);
    flags[flag] = parsed;
  }
  if (flags.usePodIdentity && flags.useVMManagedIdentity) {
    return fail(
      'failed to create auth config, error: cannot enable both pod identity and user-assigned managed identity',
    );
  }
  const vaultName = p('keyvaultName');
  if (!vaultName) return fail('keyvaultName is not set');
  const tenantId = parameters.tenantID !== undefined ? p('tenantID') : p('tenantId');
  if (!tenantId) return fail('tenantId is not set');
  const cloudName = p('cloudName');
  if (cloudName && !CLOUDS.includes(cloudName.toUpperCase())) {
    return fail(
      `cloudName ${cloudName} is not valid, error: autorest/azure: There is no cloud environment matching the name "${cloudName.toUpperCase()}"`,
    );
  }
  const clientId = p('clientID');
  let mode: IdentityMode = 'servicePrincipal';
  if (flags.usePodIdentity) mode = 'podIdentity';
  else if (flags.useVMManagedIdentity) mode = 'vmManagedIdentity';
  else if (clientId) {
    if (!ctx.hasWorkloadIdentityToken) {
      return fail('failed to parse workload identity tokens, error: service account tokens not found');
    }
    mode = 'workloadIdentity';
  } else if (!ctx.hasNodePublishSecret) {
    return fail(
      'failed to create auth config, error: failed to get credentials, nodePublishSecretRef secret is not set',
    );
  }
  const objects = parseObjects(parameters.objects ?? '');
  if (typeof objects === 'string') return fail(objects);
  for (const o of objects) {
    const problem = objectProblem(o);
    if (problem) return fail(objectPrefix(o) + problem);
  }
  const config = { vaultName, tenantId, clientId, mode, userAssignedIdentityId: p('userAssignedIdentityID'), objects };
  // Zero objects: the provider returns nothing and the driver reports `missing object versions` (caller).
  if (objects.length === 0) return { ok: true, config };
  if (vaultName.length < 3 || vaultName.length > 24) {
    return fail(
      `failed to get vault: Invalid vault name: ${JSON.stringify(vaultName)}, must be between 3 and 24 chars`,
    );
  }
  if (!/^[-a-zA-Z0-9]{3,24}$/.test(vaultName)) {
    return fail(`failed to get vault: Invalid vault name: ${JSON.stringify(vaultName)}, must match [-a-zA-Z0-9]{3,24}`);
  }
  return { ok: true, config };
}

/** The `objects` parameter: a YAML map whose `array` holds one YAML document string per object. */
export function parseObjects(text: string): KeyVaultObject[] | string {
  if (!text.trim()) return 'objects is not set';
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0)
    return `failed to yaml unmarshal objects, error: yaml: ${firstLine(doc.errors[0]?.message)}`;
  const unmarshal = (line: number, tag: string, into: string) =>
    `failed to yaml unmarshal objects, error: yaml: unmarshal errors:\n  line ${line}: cannot unmarshal !!${tag} into ${into}`;
  if (isSeq(doc.contents)) return unmarshal(1, 'seq', 'types.StringArray');
  const array = doc.get('array', true);
  if (array === undefined || array === null) return [];
  if (!isSeq(array)) return unmarshal(lines.linePos(rangeStart(array)).line, 'map', '[]string');
  const out: KeyVaultObject[] = [];
  for (const [i, item] of array.items.entries()) {
    const scalar = item as { value?: unknown; range?: [number, number, number] };
    if (typeof scalar.value !== 'string') {
      const tag = Array.isArray(scalar.value) || isSeq(item) ? 'seq' : 'map';
      return unmarshal(lines.linePos(rangeStart(item)).line, tag, 'string');
    }
    const itemLines = new LineCounter();
    const itemDoc = parseDocument(scalar.value, { lineCounter: itemLines });
    if (itemDoc.errors.length > 0) {
      return `unmarshal failed for keyVaultObjects at index ${i}, error: yaml: ${firstLine(itemDoc.errors[0]?.message)}`;
    }
    const decoded = decodeObject(itemDoc.contents, scalar.value, (node) => itemLines.linePos(rangeStart(node)).line);
    if (typeof decoded === 'string') return `unmarshal failed for keyVaultObjects at index ${i}, error: ${decoded}`;
    out.push(decoded);
  }
  return out;
}

const STRING_FIELDS = ['objectName', 'objectType', 'objectVersion', 'objectAlias', 'objectFormat', 'objectEncoding'];
const INT32 = 2 ** 31;

/**
 * gopkg.in/yaml.v3 decoding one object document into the provider's KeyVaultObject: every scalar fits a string
 * field, `objectVersionHistory` takes an int32 (a float is truncated, null is 0), and each value that does not fit
 * is a `line N: cannot unmarshal !!tag `value` into type` error, all of them listed as yaml.v3 lists them.
 */
function decodeObject(root: unknown, text: string, lineOf: (node: unknown) => number): KeyVaultObject | string {
  const o: KeyVaultObject = {
    objectName: '',
    objectType: '',
    objectVersion: '',
    objectAlias: '',
    objectFormat: '',
    objectEncoding: '',
    objectVersionHistory: 0,
  };
  if (root === null || root === undefined) return o;
  const errors: string[] = [];
  if (!isMap(root)) {
    const tag = isSeq(root) ? 'seq' : scalarTag(root as Scalar, text);
    return `yaml: unmarshal errors:\n  line ${lineOf(root)}: cannot unmarshal !!${tag}${shownValue(root, tag, text)} into types.KeyVaultObject`;
  }
  const fields = o as unknown as Record<string, string | number>;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value;
    if (STRING_FIELDS.includes(key)) {
      if (isScalar(value)) fields[key] = value.value === null ? '' : sourceOf(value, text);
      else if (value)
        errors.push(`line ${lineOf(value)}: cannot unmarshal !!${isSeq(value) ? 'seq' : 'map'} into string`);
      continue;
    }
    if (key !== 'objectVersionHistory' || !value) continue;
    if (!isScalar(value)) {
      errors.push(`line ${lineOf(value)}: cannot unmarshal !!${isSeq(value) ? 'seq' : 'map'} into int32`);
      continue;
    }
    const tag = scalarTag(value, text);
    const n = typeof value.value === 'number' ? Math.trunc(value.value) : Number.NaN;
    if (tag === 'null') o.objectVersionHistory = 0;
    else if ((tag === 'int' || tag === 'float') && n >= -INT32 && n < INT32) o.objectVersionHistory = n;
    else errors.push(`line ${lineOf(value)}: cannot unmarshal !!${tag}${shownValue(value, tag, text)} into int32`);
  }
  return errors.length > 0 ? `yaml: unmarshal errors:\n  ${errors.join('\n  ')}` : o;
}

/** The scalar's resolved tag as yaml.v3 prints it: quoted text is a str, a plain scalar resolves by its form. */
function scalarTag(node: Scalar, text: string): string {
  if (node.type !== 'PLAIN') return 'str';
  if (node.value === null) return 'null';
  if (typeof node.value === 'boolean') return 'bool';
  if (typeof node.value === 'number')
    return /^[-+]?(0x|0o)?[0-9a-fA-F_]+$/.test(sourceOf(node, text)) ? 'int' : 'float';
  return 'str';
}

/** yaml.v3's value in a type error: `` `text` ``, cut to 7 characters and `...` beyond 10; none for seq and map. */
function shownValue(node: unknown, tag: string, text: string): string {
  if (tag === 'seq' || tag === 'map') return '';
  const value = isScalar(node) ? (node.type === 'PLAIN' ? sourceOf(node, text) : String(node.value)) : '';
  return value.length > 10 ? ` \`${value.slice(0, 7)}...\`` : ` \`${value}\``;
}

/** A scalar's text as written (yaml.v3 fills a string field with it): plain scalars keep `0644`, `1e3` as typed. */
const sourceOf = (node: Scalar, text: string): string => {
  if (node.type !== 'PLAIN' || !node.range) return String(node.value);
  return text.slice(node.range[0], node.range[1]).trim();
};

/** The per-object checks of the provider's validate.go, or undefined when the object is fine. */
function objectProblem(o: KeyVaultObject): string | undefined {
  const format = o.objectFormat.toLowerCase();
  if (format && format !== 'pem' && format !== 'pfx')
    return `invalid objectFormat: ${o.objectFormat}, should be PEM or PFX`;
  if (format === 'pfx' && o.objectType !== 'secret') return 'PFX format only supported for objectType: secret';
  const encoding = o.objectEncoding.toLowerCase();
  if (encoding && o.objectType !== 'secret') return 'objectEncoding only supported for objectType: secret';
  if (encoding && !['utf-8', 'base64', 'hex'].includes(encoding)) {
    return `invalid objectEncoding: ${o.objectEncoding}, should be hex, base64 or utf-8`;
  }
  const file = fileNameOf(o);
  if (!file) return 'file name must not be empty';
  if (file.startsWith('/')) return 'file name must be a relative path';
  if (file.includes('..')) return "file name must not contain '..'";
  return undefined;
}

/** The file the object is written to: `objectAlias`, else `objectName`. */
export const fileNameOf = (o: Pick<KeyVaultObject, 'objectAlias' | 'objectName'>) => o.objectAlias || o.objectName;

const firstLine = (message: string | undefined) => (message ?? '').split('\n')[0] ?? '';
const rangeStart = (node: unknown) => ((node as { range?: [number] }).range?.[0] ?? 0) as number;
