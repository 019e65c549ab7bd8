/**
 * Reads a YAML syntax tree (the `yaml` package's `parseDocument` with a `LineCounter`) node by node, so every
 * mistake in a configuration file is reported as `path:line:col` at the exact key or value, never as a bare parser
 * exception or a JSON path the reader must count lines for. YAML 1.2 core schema: `yes`/`on` stay strings.
 */
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import { levenshtein } from '../../diagnostics/checks/nearest-name.ts';
import { ConfigError } from '../../diagnostics/errors.ts';

/** Anything with a source range: a node, or a pair's key. */
type Located = { range?: [number, number, number] | null } | null | undefined;

/** A parsed file plus the ability to point at any of its nodes. */
export interface YamlFile {
  path: string;
  /** The top-level node, or undefined when the file holds nothing but comments or blanks. */
  root: Node | undefined;
  /** `line:col` (1-based) of a node's start; `1:1` when it has no position. */
  where(node: Located): string;
  /** Throws ConfigError `path:line:col: message`. */
  fail(node: Located, message: string): never;
  /** Follows an alias (`*name`) to the node it names; other nodes are returned as they are. */
  deref(node: unknown): Node | undefined;
}

/** A mapping's entries by key, each with its key node (for "unknown key" and "missing" messages) and value. */
export type Entries = Map<string, { key: Scalar; value: Node | undefined }>;

/** Parses one YAML document; a syntax error becomes ConfigError at its position. */
export function parseYamlFile(text: string, path: string): YamlFile {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const where = (node: Located): string => {
    const offset = node?.range?.[0];
    if (offset === undefined) return '1:1';
    const pos = lineCounter.linePos(offset);
    return `${pos.line}:${pos.col}`;
  };
  const file: YamlFile = {
    path,
    root: doc.contents ?? undefined,
    where,
    fail(node, message) {
      throw new ConfigError(`${path}:${where(node)}: ${message}`);
    },
    deref(node) {
      if (isAlias(node)) return node.resolve(doc) ?? file.fail(node, `the alias *${node.source} names no anchor.`);
      return (node as Node | null) ?? undefined;
    },
  };
  const error = doc.errors[0];
  if (error) {
    const pos = lineCounter.linePos(error.pos[0]);
    const reasons: Partial<Record<string, string>> = {
      DUPLICATE_KEY: 'this key appears twice in the same mapping',
      MULTIPLE_DOCS: 'a second document starts here ("---"), and the file must hold one',
    };
    const reason = reasons[error.code] ?? error.message;
    throw new ConfigError(`${path}:${pos.line}:${pos.col}: invalid YAML: ${reason}. Fix the syntax at that line.`);
  }
  return file;
}

/**
 * The entries of a mapping. Keys outside `allowed` are refused with the closest allowed key ("did you mean"),
 * since a misspelt optional key would otherwise be silently ignored.
 */
export function readMap(file: YamlFile, node: Node | undefined, allowed: readonly string[], what: string): Entries {
  const map = file.deref(node);
  if (!isMap(map)) file.fail(node, `${what} must be a mapping of ${allowed.join(', ')} (key: value lines).`);
  const entries: Entries = new Map();
  for (const pair of (map as YAMLMap).items as Pair[]) {
    const key = pair.key;
    if (!isScalar(key) || typeof key.value !== 'string') {
      file.fail(key as Located, `${what} has a key that is not plain text; keys are ${allowed.join(', ')}.`);
    }
    const name = key.value as string;
    if (!allowed.includes(name)) {
      const hint = closest(name, allowed);
      file.fail(
        key,
        `unknown key "${name}" in ${what}${hint ? `; did you mean "${hint}"?` : '.'} Allowed keys: ${allowed.join(', ')}.`,
      );
    }
    entries.set(name, { key: key as Scalar, value: file.deref(pair.value) });
  }
  return entries;
}

/** A text value; numbers, booleans and nulls are refused so `name: 2024` does not silently become a number. */
export function readString(file: YamlFile, node: Node | undefined, what: string, at: Located): string {
  if (node === undefined || (isScalar(node) && node.value === null)) {
    file.fail(node ?? at, `${what} has no value; write one, or remove the line.`);
  }
  if (!isScalar(node) || typeof node.value !== 'string') {
    file.fail(node, `${what} must be text, not ${describe(node)}; put it in quotes if it looks like a number.`);
  }
  return node.value as string;
}

/** The items of a sequence, each dereferenced. An empty value (`key:` alone) counts as an empty list. */
export function readList(file: YamlFile, node: Node | undefined, what: string): Node[] {
  if (node === undefined || (isScalar(node) && node.value === null)) return [];
  if (!isSeq(node)) file.fail(node, `${what} must be a list ("- item" lines or [a, b]), not ${describe(node)}.`);
  return node.items.map((item) => file.deref(item) ?? file.fail(node, `${what} has an empty item; remove it.`));
}

function describe(node: Node): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return node.value === null ? 'empty' : `the ${typeof node.value} ${String(node.value)}`;
  return 'this value';
}

/** The allowed word nearest to `word` (case-insensitive edit distance ≤ 2, or the same word in another case). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = levenshtein(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
