/**
 * The equality- and set-based label selectors of Kubernetes (`kvlab.io/class=class-a`, `tier in (a,b)`, `!legacy`),
 * parsed once when the roster is read and evaluated against a namespace's labels when authorizing an instructor.
 * Grammar and semantics follow the API server's `labels.Parse`:
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */

/** One comma-separated term of a selector. `=`/`==` parse as `in` with one value, `!=` as `notin`. */
export interface LabelRequirement {
  key: string;
  op: 'in' | 'notin' | 'exists' | 'absent';
  values: string[];
}

const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/**
 * Whether `key` is a Kubernetes qualified name (`[prefix/]name`), the shape of label and annotation keys:
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/#syntax-and-character-set
 */
export function isQualifiedName(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !PREFIX.test(prefix))) return false;
  return name.length > 0 && name.length <= 63 && NAME.test(name);
}

/**
 * Parses a selector. Throws an `Error` whose message says which term is wrong and what is expected; the roster
 * reader adds the file position. An empty selector is refused: it would select every namespace, kube-system too.
 */
export function parseLabelSelector(text: string): LabelRequirement[] {
  const terms = splitTerms(text);
  if (terms.length === 0) {
    throw new Error('the selector is empty, which would select every namespace; write e.g. "kvlab.io/class=class-a"');
  }
  return terms.map(parseTerm);
}

/** Whether a namespace with these labels is selected (all requirements hold, as in Kubernetes). */
export function matchesLabels(requirements: readonly LabelRequirement[], labels: Record<string, string>): boolean {
  return requirements.every(({ key, op, values }) => {
    const value = Object.hasOwn(labels, key) ? labels[key] : undefined;
    if (op === 'exists') return value !== undefined;
    if (op === 'absent') return value === undefined;
    const listed = value !== undefined && values.includes(value);
    return op === 'in' ? listed : !listed;
  });
}

/** Splits on commas outside parentheses; a trailing or doubled comma is an empty term and so an error. */
function splitTerms(text: string): string[] {
  if (text.trim() === '') return [];
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  terms.push(text.slice(start).trim());
  return terms;
}

function parseTerm(term: string): LabelRequirement {
  if (term === '') throw new Error('the selector has an empty term (two commas in a row, or one at an end)');
  let m = /^!\s*(\S+)$/.exec(term);
  if (m) return { key: checkKey(m[1]!, term), op: 'absent', values: [] };
  m = /^([^\s=!(),]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(term);
  if (m) {
    const op = m[2] === '!=' ? 'notin' : 'in';
    return { key: checkKey(m[1]!, term), op, values: [checkValue(m[3]!, term)] };
  }
  m = /^([^\s=!(),]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(term);
  if (m) {
    if (m[3]!.trim() === '') throw new Error(`"${term}" lists no values; put at least one between the parentheses`);
    const values = m[3]!.split(',').map((v) => checkValue(v.trim(), term));
    return { key: checkKey(m[1]!, term), op: m[2] as 'in' | 'notin', values };
  }
  if (/^[^\s=!(),]+$/.test(term)) return { key: checkKey(term, term), op: 'exists', values: [] };
  throw new Error(
    `"${term}" is not a label selector term; use key=value, key!=value, key in (a,b), key notin (a,b), key or !key`,
  );
}

function checkKey(key: string, term: string): string {
  if (!isQualifiedName(key)) {
    throw new Error(
      `"${key}" in "${term}" is not a label key; use an optional DNS prefix and a name of at most 63 letters, digits, "-", "_" or "." (e.g. kvlab.io/class)`,
    );
  }
  return key;
}

function checkValue(value: string, term: string): string {
  if (value.length > 63 || !VALUE.test(value)) {
    throw new Error(
      `"${value}" in "${term}" is not a label value; use at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`,
    );
  }
  return value;
}
