/**
 * PATCH bodies: JSON Merge Patch (RFC 7386) and JSON Patch (RFC 6902). Strategic merge patch is applied
 * as a plain merge patch — a simplification: lists are replaced instead of merged by their patch merge key,
 * and the `$…` directives (`$setElementOrder/…`, `$patch`, `$retainKeys`, `$deleteFromPrimitiveList/…`,
 * which kubectl apply sends) are dropped rather than interpreted. Custom resources reject strategic merge patch
 * with 415, as the real API server does.
 */
import type { Obj } from './resources.ts';
import { badRequest, StatusError, unsupportedMediaType } from './status.ts';

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
const APPLY_PATCH = 'application/apply-patch+yaml';

const isPlainObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** RFC 7386: objects merge recursively, `null` deletes, everything else replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const out: Obj = isPlainObject(target) ? structuredClone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

const unprocessable = (message: string) => new StatusError(422, 'Invalid', message);

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw unprocessable(`invalid JSON pointer: ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, tokens: string[], op: string, path: string): { parent: Obj | unknown[]; key: string } {
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    cur = Array.isArray(cur) ? cur[Number(t)] : isPlainObject(cur) ? cur[t] : undefined;
    if (cur === undefined)
      throw unprocessable(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  }
  if (!Array.isArray(cur) && !isPlainObject(cur)) {
    throw unprocessable(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  }
  return { parent: cur, key: tokens[tokens.length - 1] ?? '' };
}

function getAt(doc: unknown, path: string, op: string): unknown {
  let cur = doc;
  for (const t of pointer(path)) {
    cur = Array.isArray(cur) ? cur[Number(t)] : isPlainObject(cur) ? cur[t] : undefined;
    if (cur === undefined)
      throw unprocessable(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  }
  return cur;
}

function remove(doc: unknown, path: string, op = 'remove'): unknown {
  const { parent, key } = parentOf(doc, pointer(path), op, path);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length)
      throw unprocessable(`Unable to remove nonexistent key: ${key}: missing value`);
    return parent.splice(i, 1)[0];
  }
  if (!Object.hasOwn(parent, key)) throw unprocessable(`Unable to remove nonexistent key: ${key}: missing value`);
  const value = parent[key];
  delete parent[key];
  return value;
}

function add(doc: unknown, path: string, value: unknown, op = 'add', replace = false): unknown {
  const tokens = pointer(path);
  if (tokens.length === 0) return structuredClone(value);
  const { parent, key } = parentOf(doc, tokens, op, path);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(i) || i < 0 || i > parent.length - (replace ? 1 : 0)) {
      throw unprocessable(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
    }
    parent.splice(i, replace ? 1 : 0, structuredClone(value));
  } else {
    if (replace && !Object.hasOwn(parent, key)) {
      throw unprocessable(`replace operation does not apply: doc is missing key: ${path}: missing value`);
    }
    parent[key] = structuredClone(value);
  }
  return doc;
}

/** RFC 6902 operations add, remove, replace, move, copy, test. */
function jsonPatch(target: Obj, ops: unknown): Obj {
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc: unknown = structuredClone(target);
  for (const raw of ops) {
    const op = isPlainObject(raw) ? raw : {};
    const path = String(op.path ?? '');
    switch (op.op) {
      case 'add':
        doc = add(doc, path, op.value);
        break;
      case 'remove':
        remove(doc, path);
        break;
      case 'replace':
        doc = add(doc, path, op.value, 'replace', true);
        break;
      case 'move':
        doc = add(doc, path, remove(doc, String(op.from ?? ''), 'move'), 'move');
        break;
      case 'copy':
        doc = add(doc, path, getAt(doc, String(op.from ?? ''), 'copy'), 'copy');
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, path, 'test')) !== JSON.stringify(op.value)) {
          throw unprocessable(`testing value ${path} failed: test failed`);
        }
        break;
      default:
        throw unprocessable(`Unexpected kind: ${String(op.op)}`);
    }
  }
  if (!isPlainObject(doc)) throw unprocessable('the patched document is not a JSON object');
  return doc;
}

/** A strategic merge patch without its `$` directive keys (see the module comment). */
function withoutDirectives(patch: unknown): unknown {
  if (Array.isArray(patch)) return patch.map(withoutDirectives);
  if (!isPlainObject(patch)) return patch;
  return Object.fromEntries(
    Object.entries(patch)
      .filter(([k]) => !k.startsWith('$'))
      .map(([k, v]) => [k, withoutDirectives(v)]),
  );
}

/** Applies a PATCH body of `contentType` to `current` (custom resources refuse strategic merge patch). */
export function applyPatch(current: Obj, contentType: string, body: unknown, custom: boolean): Obj {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const accepted = custom
    ? [JSON_PATCH, MERGE_PATCH, APPLY_PATCH]
    : [JSON_PATCH, MERGE_PATCH, APPLY_PATCH, STRATEGIC_MERGE_PATCH];
  if (type === JSON_PATCH) return jsonPatch(current, body);
  if (type === MERGE_PATCH || (type === STRATEGIC_MERGE_PATCH && !custom)) {
    if (!isPlainObject(body))
      throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
    return mergePatch(current, type === STRATEGIC_MERGE_PATCH ? withoutDirectives(body) : body) as Obj;
  }
  if (type === APPLY_PATCH) {
    throw new StatusError(
      415,
      'UnsupportedMediaType',
      'server-side apply is not supported by the kvlab API simulator; use a merge or JSON patch',
    );
  }
  throw unsupportedMediaType(accepted);
}
