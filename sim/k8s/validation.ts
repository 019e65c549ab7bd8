/**
 * Create/update validation the API server applies before storing: object names (DNS-1123 subdomain, label
 * for Namespaces, path-segment for RBAC kinds and CRDs' `<plural>.<group>` rule) and, for custom resources,
 * the structural types of the CRD's openAPIV3Schema (`type`, `properties`, `additionalProperties`, `items`,
 * `required`, `enum`). Failures are 422 Invalid with apimachinery's field-error wording.
 */
import { asObj } from './defaults.ts';
import type { Obj, ResourceInfo } from './resources.ts';
import { type FieldError, invalid } from './status.ts';
import { kindFieldErrors } from './strategy.ts';

const SUBDOMAIN = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN_MSG = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${SUBDOMAIN}')`;
const LABEL_MSG = `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${LABEL}')`;

function nameProblems(info: ResourceInfo, name: string): string[] {
  if (info.group === 'rbac.authorization.k8s.io') {
    if (name === '.' || name === '..') return [`may not be '${name}'`];
    return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
  }
  if (info.storage === '/Namespace') {
    const problems = name.length > 63 ? ['must be no more than 63 characters'] : [];
    return new RegExp(`^${LABEL}$`).test(name) ? problems : [...problems, LABEL_MSG];
  }
  const problems = name.length > 253 ? ['must be no more than 253 characters'] : [];
  return new RegExp(`^${SUBDOMAIN}$`).test(name) ? problems : [...problems, SUBDOMAIN_MSG];
}

/** Throws 422 Invalid when the object's name (or, for custom resources, its body) is not acceptable. */
export function validateObject(info: ResourceInfo, obj: Obj): void {
  const meta = asObj(obj.metadata);
  const name = typeof meta.name === 'string' ? meta.name : '';
  const errors: FieldError[] = [];
  if (!name) {
    errors.push({ field: 'metadata.name', type: 'FieldValueRequired', detail: 'name or generateName is required' });
  } else {
    for (const detail of nameProblems(info, name))
      errors.push({ field: 'metadata.name', type: 'FieldValueInvalid', value: name, detail });
  }
  if (info.storage === 'apiextensions.k8s.io/CustomResourceDefinition') {
    const spec = asObj(obj.spec);
    const expected = `${String(asObj(spec.names).plural ?? '')}.${String(spec.group ?? '')}`;
    if (name && name !== expected) {
      errors.push({
        field: 'metadata.name',
        type: 'FieldValueInvalid',
        value: name,
        detail: 'must be spec.names.plural+"."+spec.group',
      });
    }
  }
  errors.push(...kindFieldErrors(info, obj));
  if (info.schema) {
    const props = asObj(info.schema.properties);
    for (const [key, value] of Object.entries(obj)) {
      if (key === 'apiVersion' || key === 'kind' || key === 'metadata') continue;
      const sub = props[key];
      if (sub) checkSchema(value, asObj(sub), key, errors);
    }
  }
  if (errors.length > 0) throw invalid(info.group, info.kind, name, errors);
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function checkSchema(value: unknown, schema: Obj, path: string, errors: FieldError[]): void {
  const type = schema.type;
  if (value === null && schema.nullable === true) return;
  if (typeof type === 'string') {
    const actual = jsonType(value);
    const ok = actual === type || (type === 'number' && actual === 'integer');
    if (!ok && schema['x-kubernetes-int-or-string'] !== true) {
      errors.push({
        field: path,
        type: 'FieldValueTypeInvalid',
        value: actual,
        detail: `${path} in body must be of type ${type}: "${actual}"`,
      });
      return;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    errors.push({
      field: path,
      type: 'FieldValueNotSupported',
      value,
      detail: `supported values: ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`,
    });
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => {
      checkSchema(item, asObj(schema.items), `${path}[${i}]`, errors);
    });
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Obj;
    const props = asObj(schema.properties);
    for (const req of Array.isArray(schema.required) ? schema.required.map(String) : []) {
      if (obj[req] === undefined) errors.push({ field: `${path}.${req}`, type: 'FieldValueRequired', detail: '' });
    }
    for (const [k, v] of Object.entries(obj)) {
      const sub =
        props[k] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (sub) checkSchema(v, asObj(sub), `${path}.${k}`, errors);
    }
  }
}
