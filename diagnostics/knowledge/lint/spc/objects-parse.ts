/**
 * Parses the `objects` parameter the way the Azure provider does (docs/wire-notes.md §2.2, §3 step 8): the string is YAML
 * whose top level is a map with key `array`, each element of which is itself a string holding one object's YAML.
 * The provider uses gopkg.in/yaml.v3 into string fields, so every scalar counts as text: we parse with the YAML
 * failsafe schema (all scalars are strings) and keep whether a scalar was quoted (an int32 field rejects quotes).
 * Problems are returned as data, with the provider's own error wording where docs/wire-notes.md §2 gives it.
 */
import { isAlias, isMap, isScalar, isSeq, type Node, parseDocument, Scalar } from 'yaml';
import type { PathSegment } from '../types.ts';

export const OBJECTS_AT: readonly PathSegment[] = ['spec', 'parameters', 'objects'];

/**
 * The per-object fields the provider reads (docs/wire-notes.md §2.2). `objectNotAfter` is read by provider versions after
 * v1.8.2; it is listed so that it is not reported as unknown.
 */
export const KNOWN_OBJECT_FIELDS = [
  'objectName',
  'objectType',
  'objectAlias',
  'objectVersion',
  'objectVersionHistory',
  'objectFormat',
  'objectEncoding',
  'filePermission',
  'objectNotAfter',
] as const;

export interface ObjectField {
  value: string;
  /** The scalar was written in quotes. */
  quoted: boolean;
  /** The value is a YAML map or list, which a string field cannot hold. */
  collection: boolean;
}

export interface ParsedObject {
  index: number;
  at: PathSegment[];
  fields: Map<string, ObjectField>;
}

export interface ObjectsProblem {
  at: PathSegment[];
  message: string;
  fix: string;
}

export interface ObjectsParse {
  /** Objects the provider would read, in order. */
  objects: ParsedObject[];
  /** Reasons the provider would reject the string or read fewer objects than written. */
  problems: ObjectsProblem[];
}

const ITEM_FIX =
  'Write each object as a block string under array, exactly as in the lab:\nobjects: |\n  array:\n    - |\n      objectName: db-password\n      objectType: secret';

function yamlKind(node: unknown): string {
  if (isMap(node)) return '!!map';
  if (isSeq(node)) return '!!seq';
  return '!!str';
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** Parses one embedded YAML string; `undefined` plus a message when it is not valid YAML. */
function parseEmbedded(text: string): { contents: Node | null; error?: string } {
  const doc = parseDocument(text, { schema: 'failsafe', logLevel: 'silent', uniqueKeys: true });
  const error = doc.errors[0];
  if (error) return { contents: null, error: firstLine(error.message) };
  return { contents: doc.contents as Node | null };
}

function parseItem(text: string, index: number, at: PathSegment[], problems: ObjectsProblem[]): ParsedObject | null {
  const parsed = parseEmbedded(text);
  if (parsed.error !== undefined) {
    problems.push({
      at,
      message: `array[${index}] is not valid YAML; the provider fails with "unmarshal failed for keyVaultObjects at index ${index}, error: ${parsed.error}".`,
      fix: 'Indent the object fields consistently under "- |", one "field: value" per line.',
    });
    return null;
  }
  const fields = new Map<string, ObjectField>();
  const root = parsed.contents;
  if (root === null || (isScalar(root) && root.value === '')) return { index, at, fields };
  if (!isMap(root)) {
    problems.push({
      at,
      message: `array[${index}] is not a map of object fields; the provider fails with "unmarshal failed for keyVaultObjects at index ${index}, error: cannot unmarshal ${yamlKind(root)} into types.KeyVaultObject".`,
      fix: ITEM_FIX,
    });
    return null;
  }
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === undefined) continue;
    const value = pair.value;
    if (isScalar(value)) {
      const quoted = value.type === Scalar.QUOTE_DOUBLE || value.type === Scalar.QUOTE_SINGLE;
      fields.set(key, { value: String(value.value ?? ''), quoted, collection: false });
    } else if (value === null || value === undefined) {
      fields.set(key, { value: '', quoted: false, collection: false });
    } else {
      fields.set(key, { value: '', quoted: false, collection: true });
      if ((KNOWN_OBJECT_FIELDS as readonly string[]).includes(key)) {
        problems.push({
          at: [...at, key],
          message: `${key} holds a YAML ${isMap(value) ? 'map' : 'list'}; the provider fails with "unmarshal failed for keyVaultObjects at index ${index}, error: cannot unmarshal ${yamlKind(value)} into string".`,
          fix: `Write ${key} as a single value on one line.`,
        });
      }
    }
  }
  return { index, at, fields };
}

/** Parses the `objects` parameter text (already known to be a non-empty string). */
export function parseObjects(text: string): ObjectsParse {
  const problems: ObjectsProblem[] = [];
  const objects: ParsedObject[] = [];
  const at = [...OBJECTS_AT];
  const parsed = parseEmbedded(text.trim());
  if (parsed.error !== undefined) {
    problems.push({
      at,
      message: `objects is not valid YAML; the provider fails with "failed to yaml unmarshal objects, error: ${parsed.error}".`,
      fix: ITEM_FIX,
    });
    return { objects, problems };
  }
  const root = parsed.contents;
  if (!isMap(root)) {
    const shape = isSeq(root) ? 'a bare YAML list' : 'plain text';
    problems.push({
      at,
      message: `objects is ${shape}, not a map with an "array" key; the provider fails with "failed to yaml unmarshal objects, error: yaml: unmarshal errors: cannot unmarshal ${yamlKind(root)} into types.StringArray".`,
      fix: `Put the list under an "array:" key. ${ITEM_FIX}`,
    });
    return { objects, problems };
  }
  const arrayPair = root.items.find((pair) => isScalar(pair.key) && pair.key.value === 'array');
  if (arrayPair === undefined) {
    const keys = root.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : '?'));
    problems.push({
      at,
      message: `objects has no "array" key (found: ${keys.join(', ') || 'nothing'}); the key is case-sensitive, so the provider reads zero objects and the driver fails with "missing object versions".`,
      fix: `Use the lowercase key "array". ${ITEM_FIX}`,
    });
    return { objects, problems };
  }
  const list = arrayPair.value;
  const arrayAt = [...at, 'array'];
  if (!isSeq(list)) {
    if (list !== null && !(isScalar(list) && list.value === '')) {
      problems.push({
        at: arrayAt,
        message: `objects.array is ${isMap(list) ? 'a map' : 'plain text'}, not a list; the provider fails with "failed to yaml unmarshal objects, error: yaml: unmarshal errors: cannot unmarshal ${yamlKind(list)} into []string".`,
        fix: ITEM_FIX,
      });
      return { objects, problems };
    }
  }
  const items = isSeq(list) ? list.items : [];
  if (items.length === 0) {
    problems.push({
      at: arrayAt,
      message:
        'objects.array is empty: the provider fetches nothing and the driver fails with "missing object versions".',
      fix: ITEM_FIX,
    });
    return { objects, problems };
  }
  items.forEach((item, index) => {
    const itemAt = [...arrayAt, index];
    if (isMap(item) || isSeq(item)) {
      problems.push({
        at: itemAt,
        message: `array[${index}] is written as a YAML ${isMap(item) ? 'map' : 'list'} instead of a "- |" string; the provider rejects the whole objects parameter with "failed to yaml unmarshal objects, error: yaml: unmarshal errors: cannot unmarshal ${yamlKind(item)} into string".`,
        fix: `Add "|" after the dash so the object becomes a string. ${ITEM_FIX}`,
      });
      return;
    }
    if (isAlias(item)) {
      // Aliases are not expanded here (an alias bomb must stay cheap); an object is written out in full.
      problems.push({
        at: itemAt,
        message: `array[${index}] is a YAML alias (*${item.source}) instead of a "- |" string; kvlab does not expand aliases, and an alias of a list or map makes the provider fail with "cannot unmarshal … into string".`,
        fix: `Write the object out in full. ${ITEM_FIX}`,
      });
      return;
    }
    const text = isScalar(item) ? String(item.value ?? '') : '';
    const object = parseItem(text, index, itemAt, problems);
    if (object !== null) objects.push(object);
  });
  return { objects, problems };
}
