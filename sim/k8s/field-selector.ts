/**
 * Field selectors (apimachinery `pkg/fields/selector.go`): only `=`, `==`, `!=`, comma = AND, `\` escapes.
 * Each kind supports a closed list of field labels (k/k `pkg/apis/core/v1/conversion.go`,
 * `pkg/registry/core/{pod,event}/strategy.go`, `pkg/apis/events/v1/conversion.go`); anything else is
 * 400 `field label not supported: <label>`, checked before any object is looked at.
 */
import { asObj } from './defaults.ts';
import type { Obj, ResourceInfo } from './resources.ts';
import { badRequest } from './status.ts';

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

function unescapeValue(value: string): string {
  return value.replace(/\\(.)/g, (_m, c: string) => {
    if (c === '\\' || c === ',' || c === '=') return c;
    throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
  });
}

/** Splits on commas that are not backslash-escaped. */
function splitTerms(input: string): string[] {
  const terms: string[] = [];
  let current = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i] ?? '';
    if (c === '\\') {
      current += c + (input[i + 1] ?? '');
      i++;
    } else if (c === ',') {
      terms.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  terms.push(current);
  return terms;
}

/** Parses a field selector; the empty string selects everything. Throws a 400 StatusError. */
export function parseFieldSelector(input: string): FieldRequirement[] {
  if (input.trim() === '') return [];
  return splitTerms(input).map((term) => {
    for (let i = 0; i < term.length; i++) {
      if (term[i] === '\\') {
        i++;
        continue;
      }
      for (const op of ['!=', '==', '='] as const) {
        if (term.startsWith(op, i)) {
          return {
            field: term.slice(0, i).trim(),
            op: op === '!=' ? '!=' : '=',
            value: unescapeValue(term.slice(i + op.length)),
          };
        }
      }
    }
    throw badRequest(`invalid selector: '${input}'; can't understand '${term}'`);
  });
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

function podFields(pod: Obj): Record<string, string> {
  const spec = asObj(pod.spec);
  const status = asObj(pod.status);
  const podIPs = Array.isArray(status.podIPs) ? status.podIPs.map((p) => str(asObj(p).ip)) : [];
  return {
    'spec.nodeName': str(spec.nodeName),
    'spec.restartPolicy': str(spec.restartPolicy),
    'spec.schedulerName': str(spec.schedulerName),
    'spec.serviceAccountName': str(spec.serviceAccountName),
    'spec.hostNetwork': String(spec.hostNetwork === true),
    'status.phase': str(status.phase),
    'status.podIP': str(status.podIP),
    'status.podIPs': podIPs[0] ?? str(status.podIP),
    'status.nominatedNodeName': str(status.nominatedNodeName),
  };
}

/** Fields of a stored (core-form) Event under the core/v1 or the events.k8s.io/v1 names. */
function eventFields(event: Obj, newApi: boolean): Record<string, string> {
  const ref = asObj(event.involvedObject);
  const prefix = newApi ? 'regarding' : 'involvedObject';
  const out: Record<string, string> = {};
  for (const f of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) {
    out[`${prefix}.${f}`] = str(ref[f]);
  }
  out.reason = str(event.reason);
  out.type = str(event.type);
  out[newApi ? 'reportingController' : 'reportingComponent'] = str(event.reportingComponent);
  out.source = str(asObj(event.source).component) || str(event.reportingComponent);
  return out;
}

/** The selectable fields of `obj` served as `info` (always including metadata.name/namespace). */
export function selectableFields(info: ResourceInfo, obj: Obj): Record<string, string> {
  const meta = asObj(obj.metadata);
  const base: Record<string, string> = { 'metadata.name': str(meta.name) };
  if (info.namespaced) base['metadata.namespace'] = str(meta.namespace);
  if (info.custom) return base;
  switch (info.storage) {
    case '/Pod':
      return { ...base, ...podFields(obj) };
    case '/Event':
      return { ...base, ...eventFields(obj, info.group === 'events.k8s.io') };
    case '/Node':
      return { ...base, 'spec.unschedulable': String(asObj(obj.spec).unschedulable === true) };
    case '/Namespace':
      return { ...base, 'status.phase': str(asObj(obj.status).phase) };
    case '/Secret':
      return { ...base, type: str(obj.type) };
    default:
      return base;
  }
}

/** Throws 400 `field label not supported` for the first requirement `info` cannot select on. */
export function checkFieldLabels(info: ResourceInfo, reqs: readonly FieldRequirement[]): void {
  const supported = selectableFields(info, { metadata: {} });
  // Cluster-scoped kinds still accept metadata.namespace (it is always empty).
  supported['metadata.namespace'] = '';
  for (const r of reqs) {
    if (!Object.hasOwn(supported, r.field)) throw badRequest(`field label not supported: ${r.field}`);
  }
}

/** Whether `obj` satisfies every requirement. Missing fields compare as the empty string. */
export function matchesFields(info: ResourceInfo, reqs: readonly FieldRequirement[], obj: Obj): boolean {
  if (reqs.length === 0) return true;
  const fields = selectableFields(info, obj);
  return reqs.every((r) => ((fields[r.field] ?? '') === r.value) === (r.op === '='));
}
