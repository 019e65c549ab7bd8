/**
 * core/v1 Event ↔ events.k8s.io/v1 Event. Both APIs read the same stored objects (docs/wire-notes.md §6.7,
 * k/k `pkg/apis/events/v1/conversion.go`); the store keeps the core form.
 */
import type { Obj } from './resources.ts';

/** [core field, events.k8s.io/v1 field] pairs; identical names are listed once on both sides. */
const FIELD_MAP: ReadonlyArray<readonly [string, string]> = [
  ['eventTime', 'eventTime'],
  ['series', 'series'],
  ['reportingComponent', 'reportingController'],
  ['reportingInstance', 'reportingInstance'],
  ['action', 'action'],
  ['reason', 'reason'],
  ['involvedObject', 'regarding'],
  ['related', 'related'],
  ['message', 'note'],
  ['type', 'type'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
];

function mapFields(from: Obj, pairs: ReadonlyArray<readonly [string, string]>, apiVersion: string): Obj {
  const out: Obj = { kind: 'Event', apiVersion, metadata: from.metadata };
  for (const [src, dst] of pairs) if (from[src] !== undefined) out[dst] = from[src];
  return out;
}

/** Renders a stored (core) Event as events.k8s.io/v1. `eventTime` is required there, so it is always present. */
export function coreToEventsV1(event: Obj): Obj {
  const out = mapFields(event, FIELD_MAP, 'events.k8s.io/v1');
  if (out.eventTime === undefined) out.eventTime = null;
  return out;
}

/** Converts an events.k8s.io/v1 Event written by a client into the stored core form. */
export function eventsV1ToCore(event: Obj): Obj {
  return mapFields(
    event,
    FIELD_MAP.map(([core, v1]) => [v1, core] as const),
    'v1',
  );
}
