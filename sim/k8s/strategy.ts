/**
 * Per-kind registry strategy rules that go beyond generic storage: the Lease's MicroTime wire format (the
 * decoder rejects anything but exactly six fractional digits, 400 before validation), Lease spec validation
 * (k/k `pkg/apis/coordination/validation`), and the update preconditions of strategies whose
 * AllowUnconditionalUpdate is false (a PUT without `metadata.resourceVersion` is 422).
 */
import { asObj, metaOf } from './defaults.ts';
import type { Obj, ResourceInfo } from './resources.ts';
import { badRequest, type FieldError, invalid } from './status.ts';

const LEASE = 'coordination.k8s.io/Lease';
const MICROTIME_LAYOUT = '2006-01-02T15:04:05.000000Z07:00';

/**
 * Go's `time.Parse(RFC3339Micro)` failure for `value`, or undefined when it parses. Only the fractional-second
 * and zone elements are checked in detail (the parts JavaScript clients get wrong); other shapes fail whole.
 */
function microTimeError(value: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(.*)$/.exec(value);
  if (!m)
    return `parsing time ${JSON.stringify(value)} as "${MICROTIME_LAYOUT}": cannot parse ${JSON.stringify(value)} as "2006"`;
  const rest = m[2] ?? '';
  const fraction = /^\.(\d*)/.exec(rest)?.[1];
  const at = (elem: string, layoutElem: string) =>
    `parsing time ${JSON.stringify(value)} as "${MICROTIME_LAYOUT}": cannot parse ${JSON.stringify(elem)} as "${layoutElem}"`;
  if (fraction === undefined || fraction.length < 6) return at(rest, '.000000');
  const zone = rest.slice(7);
  if (!/^(Z|[+-]\d{2}:\d{2})$/.test(zone)) return at(zone, 'Z07:00');
  return undefined;
}

/** Rejects a body the real decoder could not turn into the kind (400 BadRequest, like `cannot be handled as`). */
export function checkWireFormat(info: ResourceInfo, obj: Obj): void {
  if (info.storage !== LEASE) return;
  const spec = asObj(obj.spec);
  for (const field of ['acquireTime', 'renewTime']) {
    const v = spec[field];
    if (v === undefined || v === null) continue;
    const problem =
      typeof v === 'string' ? microTimeError(v) : `json: cannot unmarshal ${typeof v} into Go value of type string`;
    if (problem) {
      throw badRequest(`${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: ${problem}`);
    }
  }
}

/** Field errors of the kind's own validation (only Leases have any here). */
export function kindFieldErrors(info: ResourceInfo, obj: Obj): FieldError[] {
  if (info.storage !== LEASE) return [];
  const spec = asObj(obj.spec);
  const errors: FieldError[] = [];
  const positive = (field: string, min: number, detail: string) => {
    const v = spec[field];
    if (typeof v === 'number' && v < min)
      errors.push({ field: `spec.${field}`, type: 'FieldValueInvalid', value: v, detail });
  };
  positive('leaseDurationSeconds', 1, 'must be greater than 0');
  positive('leaseTransitions', 0, 'must be greater than or equal to 0');
  return errors;
}

/** 422 when the strategy forbids unconditional updates and the PUT body carries no resourceVersion. */
export function checkUpdatePreconditions(info: ResourceInfo, obj: Obj): void {
  if (info.unconditionalUpdate !== false) return;
  const rv = metaOf(obj).resourceVersion;
  if (rv !== undefined && rv !== '' && rv !== '0') return;
  throw invalid(info.group, info.kind, String(metaOf(obj).name ?? ''), [
    {
      field: 'metadata.resourceVersion',
      type: 'FieldValueInvalid',
      value: 0,
      valueText: '0x0',
      detail: 'must be specified for an update',
    },
  ]);
}
