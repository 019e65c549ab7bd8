/**
 * client-go's event correlator (`tools/record/events_cache.go`) as the kubelet runs it, pure and clocked:
 *  1. aggregation — events alike but for the message (same source, involved object, type, reason) seen with
 *     ≥ 10 distinct messages within 10 minutes are replaced by one `(combined from similar events): <msg>`;
 *  2. dedup — an event equal to one already written (same source, involved object, type, reason, message)
 *     becomes a patch of that Event: `count` + 1, `lastTimestamp` now, first timestamp and name kept;
 *  3. spam filter — a token bucket per source + involved object (burst 25, one token per 5 minutes); an event
 *     without a token is dropped after it was counted, so the next one written jumps in count.
 * `seed` loads the Events already in the cluster so that a restarted kubelet keeps bumping the recorded ones
 * (client-go keeps these caches in memory; the simulation rebuilds them from what a dump recorded).
 */

export interface EventSource {
  component: string;
  host?: string;
}

export interface InvolvedObject {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  fieldPath?: string;
}

/** What a component asks to record. */
export interface EventRequest {
  involvedObject: InvolvedObject;
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  source: EventSource;
}

/** The outcome: write a new Event, patch an existing one by name, or drop it (spam filter). */
export type Correlated =
  | { action: 'skip' }
  | { action: 'create'; event: CorrelatedEvent }
  | { action: 'patch'; event: CorrelatedEvent };

export interface CorrelatedEvent extends EventRequest {
  name: string;
  count: number;
  firstTimestamp: string;
  lastTimestamp: string;
}

export interface CorrelatorOptions {
  /** Distinct similar messages that trigger combining (client-go: 10). */
  maxEvents?: number;
  /** Window of the aggregation in seconds (client-go: 600). */
  maxIntervalSeconds?: number;
  /** Spam filter burst (client-go: 25) and refill rate in tokens per second (client-go: 1/300). */
  spamBurst?: number;
  spamQps?: number;
}

export const COMBINED_PREFIX = '(combined from similar events): ';

interface EventLog {
  name: string;
  count: number;
  firstTimestamp: string;
}

interface AggregateRecord {
  localKeys: Set<string>;
  lastMs: number;
}

interface Bucket {
  tokens: number;
  lastMs: number;
}

/** Existing Event fields the seed reads. */
export interface RecordedEvent {
  metadata: { name: string; creationTimestamp?: string };
  involvedObject: InvolvedObject;
  reason: string;
  message: string;
  type: string;
  source?: Partial<EventSource>;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
}

const objectKey = (o: InvolvedObject) => [o.kind, o.namespace, o.name, o.fieldPath ?? '', o.uid, o.apiVersion];
const sourceKey = (s: Partial<EventSource> | undefined) => [s?.component ?? '', s?.host ?? ''];

export function aggregateKey(e: Pick<EventRequest, 'involvedObject' | 'source' | 'type' | 'reason'>): string {
  return [...sourceKey(e.source), ...objectKey(e.involvedObject), e.type, e.reason].join('\u0000');
}

export function eventKey(e: Pick<EventRequest, 'involvedObject' | 'source' | 'type' | 'reason' | 'message'>): string {
  return `${aggregateKey(e)}\u0000${e.message}`;
}

const spamKey = (e: EventRequest) =>
  [...sourceKey(e.source), ...objectKey({ ...e.involvedObject, fieldPath: '' })].join('\u0000');

export class EventCorrelator {
  readonly #maxEvents: number;
  readonly #maxIntervalMs: number;
  readonly #burst: number;
  readonly #qps: number;
  readonly #logs = new Map<string, EventLog>();
  readonly #aggregates = new Map<string, AggregateRecord>();
  readonly #buckets = new Map<string, Bucket>();
  #lastNanos = 0n;

  constructor(options: CorrelatorOptions = {}) {
    this.#maxEvents = options.maxEvents ?? 10;
    this.#maxIntervalMs = (options.maxIntervalSeconds ?? 600) * 1000;
    this.#burst = options.spamBurst ?? 25;
    this.#qps = options.spamQps ?? 1 / 300;
  }

  /** Rebuilds the caches from Events already written (latest occurrence of a key wins). */
  seed(events: RecordedEvent[]): void {
    const sorted = [...events].sort((a, b) => stamp(a).localeCompare(stamp(b)));
    const combined = new Set<string>();
    for (const e of sorted) {
      const req: EventRequest = {
        involvedObject: e.involvedObject,
        reason: e.reason,
        message: e.message,
        type: e.type as EventRequest['type'],
        source: { component: e.source?.component ?? '', ...(e.source?.host ? { host: e.source.host } : {}) },
      };
      const agg = aggregateKey(req);
      const record = this.#aggregates.get(agg) ?? { localKeys: new Set<string>(), lastMs: 0 };
      record.lastMs = Math.max(record.lastMs, Date.parse(stamp(e)) || 0);
      this.#aggregates.set(agg, record);
      const log = { name: e.metadata.name, count: e.count ?? 1, firstTimestamp: e.firstTimestamp ?? stamp(e) };
      if (e.message.startsWith(COMBINED_PREFIX)) {
        combined.add(agg);
        this.#logs.set(agg, log);
      } else {
        record.localKeys.add(e.message);
        this.#logs.set(eventKey(req), log);
      }
    }
    // A combined Event means the record was full: keep it one short of full, so the next new message combines.
    for (const agg of combined) {
      const record = this.#aggregates.get(agg);
      for (let i = 0; record && record.localKeys.size < this.#maxEvents - 1; i++)
        record.localKeys.add(`\u0000seed${i}`);
    }
  }

  /** Runs one event through aggregation, dedup and the spam filter at time `now`. */
  correlate(request: EventRequest, now: Date): Correlated {
    const nowMs = now.getTime();
    const at = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    // 1. aggregation
    const agg = aggregateKey(request);
    let record = this.#aggregates.get(agg);
    if (!record || nowMs - record.lastMs > this.#maxIntervalMs) record = { localKeys: new Set(), lastMs: nowMs };
    record.localKeys.add(request.message);
    record.lastMs = nowMs;
    this.#aggregates.set(agg, record);
    let event: EventRequest = request;
    let key = eventKey(request);
    if (record.localKeys.size >= this.#maxEvents) {
      // client-go pops an arbitrary key (Go map order); popping the newest keeps the record one short of full.
      record.localKeys.delete(request.message);
      event = { ...request, message: COMBINED_PREFIX + request.message };
      key = agg;
    }
    // 2. dedup
    const last = this.#logs.get(key);
    const observed: CorrelatedEvent = last
      ? { ...event, name: last.name, count: last.count + 1, firstTimestamp: last.firstTimestamp, lastTimestamp: at }
      : {
          ...event,
          name: this.nameFor(event.involvedObject.name, now),
          count: 1,
          firstTimestamp: at,
          lastTimestamp: at,
        };
    this.#logs.set(key, { name: observed.name, count: observed.count, firstTimestamp: observed.firstTimestamp });
    // 3. spam filter
    if (!this.#take(spamKey(request), nowMs)) return { action: 'skip' };
    return { action: last ? 'patch' : 'create', event: observed };
  }

  #take(key: string, nowMs: number): boolean {
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, lastMs: nowMs };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((nowMs - bucket.lastMs) / 1000) * this.#qps);
    bucket.lastMs = nowMs;
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** `<involvedObject.name>.<hex unix nanoseconds>`, unique even when the clock stands still. */
  nameFor(objectName: string, now: Date): string {
    let nanos = BigInt(now.getTime()) * 1_000_000n;
    if (nanos <= this.#lastNanos) nanos = this.#lastNanos + 1n;
    this.#lastNanos = nanos;
    return `${objectName}.${nanos.toString(16)}`;
  }
}

function stamp(e: RecordedEvent): string {
  return e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? e.firstTimestamp ?? '';
}
