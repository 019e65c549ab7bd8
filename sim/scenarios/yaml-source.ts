/**
 * Reads scenario YAML with positions, so every mistake in a scenario is reported as `file:line` (the `yaml`
 * package's LineCounter), never as a bare parser exception. YAML 1.2 core schema: timestamps stay strings,
 * `yes`/`on` stay strings, as the Kubernetes API server reads manifests.
 */
import { type Document, isNode, LineCounter, parseAllDocuments, parseDocument } from 'yaml';
import { ScenarioError } from './scenario-error.ts';

/** One parsed YAML document and where it starts. */
export interface SourcedDocument {
  value: unknown;
  file: string;
  /** 1-based line of the document's first content. */
  line: number;
}

/** A single-document YAML file kept with its syntax tree, to point at the line of a schema error. */
export interface PositionedDocument {
  value: unknown;
  file: string;
  /** 1-based line of the node at `path`, or of the nearest existing parent. */
  lineOf(path: ReadonlyArray<PropertyKey>): number;
}

const PARSE_OPTIONS = { uniqueKeys: true, prettyErrors: false } as const;

/** Parses a multi-document YAML file; empty documents (e.g. after a trailing `---`) are skipped. */
export function parseYamlStream(text: string, file: string): SourcedDocument[] {
  const lineCounter = new LineCounter();
  const documents: SourcedDocument[] = [];
  for (const doc of parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter })) {
    throwFirstError(doc, file, lineCounter);
    const value = toValue(doc, file, lineCounter);
    if (value === null || value === undefined) continue;
    const offset = isNode(doc.contents) && doc.contents.range ? doc.contents.range[0] : (doc.range?.[0] ?? 0);
    documents.push({ value, file, line: lineCounter.linePos(offset).line });
  }
  return documents;
}

/** Parses a file that must hold exactly one YAML document. */
export function parseYamlDocument(text: string, file: string): PositionedDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...PARSE_OPTIONS, lineCounter });
  throwFirstError(doc, file, lineCounter);
  return {
    value: toValue(doc, file, lineCounter),
    file,
    lineOf(path) {
      for (let depth = path.length; depth >= 0; depth--) {
        const node = doc.getIn(path.slice(0, depth) as unknown[], true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      }
      return 1;
    },
  };
}

function throwFirstError(doc: Document, file: string, lineCounter: LineCounter): void {
  const error = doc.errors[0];
  if (!error) return;
  const pos = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
  const reason = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.code;
  throw new ScenarioError(`${file}:${pos.line}:${pos.col}: invalid YAML: ${reason}. Fix the syntax at that line.`);
}

function toValue(doc: Document, file: string, lineCounter: LineCounter): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    const line = lineCounter.linePos(doc.range?.[0] ?? 0).line;
    throw new ScenarioError(`${file}:${line}: cannot read YAML: ${(err as Error).message}`, { cause: err });
  }
}
