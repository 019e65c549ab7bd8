/**
 * Label selectors as apimachinery `pkg/labels/selector.go` parses them: comma = AND; `k=v`, `k==v`, `k!=v`
 * (also matches objects without `k`), `k in (a,b)`, `k notin (a,b)`, `k` (exists), `!k` (does not exist),
 * `k>n`, `k<n`. Parse failures are 400 BadRequest with apimachinery's wording.
 */
import { badRequest } from './status.ts';

type Op = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  op: Op;
  values: string[];
}

const NAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const NAME_RE = new RegExp(`^${NAME}$`);
const PREFIX_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VALUE_RE = new RegExp(`^(${NAME})?$`);

function validateKey(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  if (prefix !== undefined && (!PREFIX_RE.test(prefix) || prefix.length > 253)) {
    return `key: Invalid value: "${key}": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
  }
  if (name.length > 63) return `key: Invalid value: "${key}": name part must be no more than 63 characters`;
  if (!NAME_RE.test(name)) {
    return `key: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${NAME}')`;
  }
  return undefined;
}

function validateValue(key: string, value: string, index: number): string | undefined {
  if (value.length <= 63 && VALUE_RE.test(value)) return undefined;
  return `values[${index}][${key}]: Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(${NAME})?')`;
}

/** Splits a selector into tokens: identifiers, operators, parentheses and commas. */
function tokenize(input: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (input.startsWith('==', i) || input.startsWith('!=', i)) {
      tokens.push(input.slice(i, i + 2));
      i += 2;
    } else if ('=!(),<>'.includes(c)) {
      tokens.push(c);
      i++;
    } else {
      let j = i;
      while (j < input.length && !/[\s=!(),<>]/.test(input[j] ?? '')) j++;
      tokens.push(input.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

const fail = (found: string | undefined, expected: string) =>
  badRequest(`unable to parse requirement: found '${found ?? ''}', expected: ${expected}`);
const isIdentifier = (t: string | undefined): t is string =>
  t !== undefined && !'=!(),<>'.includes(t[0] ?? '=') && t !== '==';

/** Parses a label selector string; the empty string selects everything. Throws a 400 StatusError. */
export function parseLabelSelector(input: string): LabelRequirement[] {
  const tokens = tokenize(input);
  const reqs: LabelRequirement[] = [];
  let i = 0;
  const check = (req: LabelRequirement) => {
    const problem = validateKey(req.key) ?? req.values.map((v, n) => validateValue(req.key, v, n)).find(Boolean);
    if (problem) throw badRequest(`unable to parse requirement: ${problem}`);
    reqs.push(req);
  };
  while (i < tokens.length) {
    if (tokens[i] === '!') {
      const k = tokens[i + 1];
      if (!isIdentifier(k)) throw fail(k, 'identifier');
      check({ key: k, op: '!', values: [] });
      i += 2;
    } else {
      const k = tokens[i];
      if (!isIdentifier(k)) throw fail(k, 'identifier');
      const op = tokens[i + 1];
      i += 2;
      if (op === undefined || op === ',') {
        check({ key: k, op: 'exists', values: [] });
        i -= op === undefined ? 1 : 0;
        if (op === ',' && i >= tokens.length) throw fail('', 'identifier');
        continue;
      }
      if (op === '=' || op === '==' || op === '!=') {
        const v = tokens[i];
        const value = isIdentifier(v) ? v : '';
        if (isIdentifier(v)) i++;
        check({ key: k, op: op === '!=' ? '!=' : '=', values: [value] });
      } else if (op === 'in' || op === 'notin') {
        if (tokens[i] !== '(') throw fail(tokens[i], "'('");
        i++;
        const values: string[] = [];
        while (tokens[i] !== ')') {
          const v = tokens[i];
          if (v === undefined) throw fail('', "')'");
          if (v === ',') {
            i++;
            continue;
          }
          if (!isIdentifier(v)) throw fail(v, 'identifier');
          values.push(v);
          i++;
        }
        i++;
        if (values.length === 0)
          throw badRequest(`unable to parse requirement: for 'in', 'notin' operators, values set can't be empty`);
        check({ key: k, op, values });
      } else if (op === '>' || op === '<') {
        const v = tokens[i++];
        if (!isIdentifier(v) || !/^-?\d+$/.test(v))
          throw badRequest(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
        check({ key: k, op: op === '>' ? 'gt' : 'lt', values: [v] });
      } else {
        throw fail(op, "'=', '!=', '==', 'in', notin'");
      }
    }
    if (i < tokens.length) {
      if (tokens[i] !== ',') throw fail(tokens[i], "','");
      i++;
      if (i >= tokens.length) throw fail('', 'identifier');
    }
  }
  return reqs;
}

/** Whether `labels` satisfy every requirement. */
export function matchesLabels(reqs: readonly LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case '=':
        return has && v === r.values[0];
      case '!=':
        return !has || v !== r.values[0];
      case 'in':
        return has && r.values.includes(v ?? '');
      case 'notin':
        return !has || !r.values.includes(v ?? '');
      case 'exists':
        return has;
      case '!':
        return !has;
      case 'gt':
      case 'lt': {
        const n = Number.parseInt(v ?? '', 10);
        if (!has || Number.isNaN(n)) return false;
        return r.op === 'gt' ? n > Number(r.values[0]) : n < Number(r.values[0]);
      }
    }
    return false;
  });
}
