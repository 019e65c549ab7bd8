/**
 * Turns linted inputs (YAML documents or live objects) into resources: expands `kind: List`, reads kind, name and
 * namespace, and reports inputs that are not Kubernetes objects.
 */
import type { Issue, LintObjectRef, PathSegment } from './types.ts';
import { isRecord, recordAt, stringAt } from './values.ts';

/** Maps a path from the document root to a 1-based line, when the source text is known. */
export type Locate = (path: readonly PathSegment[]) => number | undefined;

/** One input value: a parsed YAML document or a live object. */
export interface LintInput {
  value: unknown;
  document?: number;
  locate?: Locate;
}

export interface Resource {
  kind: string;
  object: Record<string, unknown>;
  /** Path of the object inside its document ([] or ['items', i] for List members). */
  basePath: PathSegment[];
  document?: number;
  locate?: Locate;
  ref: LintObjectRef;
}

/** An issue and the input it belongs to. */
export interface Placed {
  input: { basePath: PathSegment[]; document?: number; locate?: Locate; ref?: LintObjectRef };
  issue: Issue;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a YAML list';
  if (isRecord(value)) return 'a map without a "kind" field';
  return `the plain value ${JSON.stringify(String(value)).slice(0, 60)}`;
}

function toResource(object: Record<string, unknown>, input: LintInput, basePath: PathSegment[]): Resource {
  const kind = stringAt(object.kind) ?? '';
  const metadata = recordAt(object.metadata);
  const ref: LintObjectRef = { kind };
  const name = stringAt(metadata.name);
  const namespace = stringAt(metadata.namespace);
  if (name !== undefined) ref.name = name;
  if (namespace !== undefined) ref.namespace = namespace;
  return { kind, object, basePath, document: input.document, locate: input.locate, ref };
}

/** Resources in the inputs, plus `file/not-a-resource` issues for inputs that are not Kubernetes objects. */
export function collectResources(
  inputs: readonly LintInput[],
  origin: string,
): { resources: Resource[]; placed: Placed[] } {
  const resources: Resource[] = [];
  const placed: Placed[] = [];
  for (const input of inputs) {
    const value = input.value;
    if (value === null || value === undefined) continue;
    if (!isRecord(value) || typeof value.kind !== 'string' || value.kind === '') {
      placed.push({
        input: { basePath: [], document: input.document, locate: input.locate },
        issue: {
          rule: 'file/not-a-resource',
          at: [],
          message: `${input.document ? `Document ${input.document} of ${origin}` : `An object in ${origin}`} is ${describe(value)}, not a Kubernetes object; kubectl would refuse it ("Object 'Kind' is missing").`,
        },
      });
      continue;
    }
    if (value.kind.endsWith('List') && Array.isArray(value.items)) {
      value.items.forEach((item, i) => {
        if (isRecord(item)) resources.push(toResource(item, input, ['items', i]));
      });
      continue;
    }
    resources.push(toResource(value, input, []));
  }
  return { resources, placed };
}

/** Whether two namespaces can be the same (an unset namespace means "the namespace it is applied to"). */
export function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}
