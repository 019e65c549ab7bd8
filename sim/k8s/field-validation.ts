/**
 * Server-side field validation (the `fieldValidation` query parameter of create/update/patch, which
 * kubectl ≥ 1.25 sends as `Strict` by default): fields the kind's schema does not know are an error
 * (`Strict`, 400 `<Kind> in version "<v>" cannot be handled as a <Kind>: strict decoding error: unknown
 * field "spec.foo"`), a `Warning` header each (`Warn`, the server's default), or ignored (`Ignore`).
 * Built-in kinds are checked against the compact definitions in openapi-kinds.ts, custom resources against
 * their CRD version's structural openAPIV3Schema; metadata is always checked as ObjectMeta.
 */
import { asObj } from './defaults.ts';
import { DEFINITIONS, DESCRIBED_KINDS, parseFieldType } from './openapi-kinds.ts';
import type { Obj, ResourceInfo } from './resources.ts';
import { badRequest } from './status.ts';

const TOP_LEVEL = new Set(['apiVersion', 'kind', 'metadata']);

/** Unknown field paths (`spec.containers[0].foo`) in the order they appear in the object. */
export function unknownFields(info: ResourceInfo, obj: Obj): string[] {
  const found: string[] = [];
  checkDefinition(asObj(obj.metadata), 'ObjectMeta', 'metadata', found);
  const described = DESCRIBED_KINDS[info.storage];
  if (described) {
    const def = DEFINITIONS[described] ?? {};
    for (const [k, v] of Object.entries(obj)) {
      if (TOP_LEVEL.has(k)) continue;
      const type = def[k];
      if (type === undefined) found.push(k);
      else checkValue(v, type, k, found);
    }
  } else if (info.custom && info.schema) {
    const props = asObj(info.schema.properties);
    for (const [k, v] of Object.entries(obj)) {
      if (TOP_LEVEL.has(k)) continue;
      if (props[k] === undefined && info.schema['x-kubernetes-preserve-unknown-fields'] !== true) found.push(k);
      else if (props[k] !== undefined) checkSchema(v, asObj(props[k]), k, found);
    }
  }
  return found;
}

function checkDefinition(value: Obj, name: string, path: string, found: string[]): void {
  const def = DEFINITIONS[name] ?? {};
  for (const [k, v] of Object.entries(value)) {
    const type = def[k];
    if (type === undefined) found.push(`${path}.${k}`);
    else checkValue(v, type, `${path}.${k}`, found);
  }
}

function checkValue(value: unknown, type: string, path: string, found: string[]): void {
  const t = parseFieldType(type);
  if (!t.ref || value === null || typeof value !== 'object') return;
  if (t.list) {
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) checkValue(item, `@${t.ref}`, `${path}[${i}]`, found);
    }
    return;
  }
  if (!Array.isArray(value)) checkDefinition(value as Obj, t.ref, path, found);
}

function checkSchema(value: unknown, schema: Obj, path: string, found: string[]): void {
  if (schema['x-kubernetes-preserve-unknown-fields'] === true || schema['x-kubernetes-embedded-resource'] === true)
    return;
  if (Array.isArray(value)) {
    if (schema.items)
      for (const [i, item] of value.entries()) checkSchema(item, asObj(schema.items), `${path}[${i}]`, found);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const props = asObj(schema.properties);
  const additional = schema.additionalProperties;
  for (const [k, v] of Object.entries(value as Obj)) {
    const sub = props[k] ?? (additional && typeof additional === 'object' ? additional : undefined);
    if (sub) checkSchema(v, asObj(sub), `${path}.${k}`, found);
    else if (additional !== true && (schema.properties !== undefined || schema.type === 'object'))
      found.push(`${path}.${k}`);
  }
}

/** The request's directive: `Strict`, `Warn` (default) or `Ignore`; anything else is 400 as on a real server. */
export function fieldValidationDirective(query: URLSearchParams): 'Strict' | 'Warn' | 'Ignore' {
  const v = query.get('fieldValidation') ?? 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`);
}

/** Applies the directive: throws for Strict, returns the warnings for Warn, nothing for Ignore. */
export function validateFields(info: ResourceInfo, obj: Obj, query: URLSearchParams): string[] {
  const directive = fieldValidationDirective(query);
  if (directive === 'Ignore') return [];
  const unknown = unknownFields(info, obj).map((p) => `unknown field "${p}"`);
  if (unknown.length === 0) return [];
  if (directive === 'Warn') return unknown;
  throw badRequest(
    `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: strict decoding error: ${unknown.join(', ')}`,
  );
}
