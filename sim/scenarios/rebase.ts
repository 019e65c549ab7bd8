/**
 * Moves a captured dump to "now": every timestamp shifts by the same number of seconds, so ages, event
 * counts over time and token lifetimes look like a live cluster that was captured a moment ago. Fractional
 * seconds (MicroTime) keep their precision; offsets are normalised to `Z` as the API server writes them.
 */
import type { AzureState } from '../azure/state.ts';
import { isRecord } from './kube-object.ts';

/** Fields holding RFC 3339 times in Kubernetes objects (metadata, status, events, conditions, leases). */
const TIMESTAMP_FIELDS = new Set([
  'creationTimestamp',
  'deletionTimestamp',
  'startTime',
  'completionTime',
  'firstTimestamp',
  'lastTimestamp',
  'eventTime',
  'lastObservedTime',
  'deprecatedFirstTimestamp',
  'deprecatedLastTimestamp',
  'lastTransitionTime',
  'lastProbeTime',
  'lastHeartbeatTime',
  'lastUpdateTime',
  'lastScheduleTime',
  'startedAt',
  'finishedAt',
  'expirationTimestamp',
  'renewTime',
  'acquireTime',
  'time',
]);

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** Whole seconds between capture and `now` (what every timestamp is moved by). */
export function rebaseSeconds(capturedAt: string, now: Date): number {
  return Math.round((now.getTime() - Date.parse(capturedAt)) / 1000);
}

/** Shifts one RFC 3339 time by `seconds`; returns `undefined` for anything that is not such a time. */
export function shiftTimestamp(value: string, seconds: number): string | undefined {
  const match = RFC3339.exec(value);
  if (!match) return undefined;
  const [, wholeSeconds, fraction = '', zone = 'Z'] = match;
  const base = Date.parse(`${wholeSeconds}${zone.toUpperCase()}`);
  if (Number.isNaN(base)) return undefined;
  return `${new Date(base + seconds * 1000).toISOString().slice(0, 19)}${fraction}Z`;
}

/** Shifts every timestamp field of a Kubernetes object, at any depth, in place. */
export function rebaseObject(value: unknown, seconds: number): void {
  if (Array.isArray(value)) {
    for (const item of value) rebaseObject(item, seconds);
    return;
  }
  if (!isRecord(value)) return;
  for (const [field, child] of Object.entries(value)) {
    if (typeof child === 'string' && TIMESTAMP_FIELDS.has(field)) {
      value[field] = shiftTimestamp(child, seconds) ?? child;
    } else if (typeof child === 'object' && child !== null) {
      rebaseObject(child, seconds);
    }
  }
}

/** Shifts the Azure times (secret versions' created/nbf/exp, client secret expiry), in place. */
export function rebaseAzure(state: AzureState, seconds: number): void {
  const shift = (time: string | undefined) =>
    time === undefined ? undefined : (shiftTimestamp(time, seconds) ?? time);
  for (const tenant of state.tenants) {
    for (const identity of tenant.identities) {
      for (const secret of identity.secrets ?? []) {
        if (secret.expiresOn !== undefined) secret.expiresOn = shift(secret.expiresOn);
      }
    }
  }
  for (const vault of state.vaults) {
    for (const object of [...(vault.secrets ?? []), ...(vault.keys ?? []), ...(vault.certificates ?? [])]) {
      for (const version of object.versions) {
        if (version.created !== undefined) version.created = shift(version.created);
        if (version.notBefore !== undefined) version.notBefore = shift(version.notBefore);
        if (version.expires !== undefined) version.expires = shift(version.expires);
      }
    }
  }
}
