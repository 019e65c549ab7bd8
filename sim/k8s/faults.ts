/**
 * Test controls: fault injection per route (latency, an error Status, a dropped connection, a watch closed
 * early) and request counters per route template. Neither exists on a real API server; they let tests
 * produce the timeouts, 5xx, resets and watch restarts a real cluster produces at random.
 */

/** What to match and what to do to matching requests. */
export interface FaultSpec {
  /** HTTP method to match, or `WATCH` for watch requests only (any when omitted). */
  method?: string;
  /** Matches the URL path (RegExp), or equals the path or its template (`/api/v1/namespaces/{namespace}/pods`). */
  path: RegExp | string;
  /** Delay before the request is handled (applies together with the other effects). */
  latencyMs?: number;
  /** Answer with this HTTP code and a matching Status body instead of handling the request. */
  status?: number;
  /** Destroy the socket without any response (the client sees a connection reset / socket hang up). */
  drop?: boolean;
  /** For watch requests: end the stream cleanly after this many milliseconds. */
  closeWatchAfterMs?: number;
  /** How many matching requests this fault applies to (unlimited when omitted). */
  times?: number;
}

/** A registered fault; `hits` counts the requests it has affected. */
export interface Fault extends FaultSpec {
  readonly id: number;
  hits: number;
}

/** The request a fault is matched against. */
export interface FaultTarget {
  method: string;
  path: string;
  /** The route template without the method, e.g. `/api/v1/namespaces/{namespace}/pods/{name}`. */
  template: string;
  watch: boolean;
}

/** The registered faults, consulted once per request before authentication. */
export class FaultInjector {
  #faults: Fault[] = [];
  #nextId = 1;

  /** Registers a fault; the first registered fault that matches a request wins. */
  add(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, id: this.#nextId++, hits: 0 };
    this.#faults.push(fault);
    return fault;
  }

  remove(fault: Fault): void {
    this.#faults = this.#faults.filter((f) => f.id !== fault.id);
  }

  clear(): void {
    this.#faults = [];
  }

  /** Finds and consumes one use of the first fault matching `target`. */
  take(target: FaultTarget): Fault | undefined {
    const fault = this.#faults.find((f) => matches(f, target));
    if (!fault) return undefined;
    fault.hits++;
    if (fault.times !== undefined && fault.hits >= fault.times) this.remove(fault);
    return fault;
  }
}

function matches(f: Fault, t: FaultTarget): boolean {
  const method = f.method?.toUpperCase();
  if (method === 'WATCH' ? !t.watch : method !== undefined && method !== t.method) return false;
  const watchOnly = f.closeWatchAfterMs !== undefined && f.status === undefined && !f.drop && f.latencyMs === undefined;
  if (watchOnly && !t.watch) return false;
  if (f.path instanceof RegExp) return f.path.test(t.path);
  return f.path === t.path || f.path === t.template;
}

/** Requests seen per route key (`GET /api/v1/namespaces/{namespace}/pods/{name}`, `WATCH …` for watches). */
export class RequestCounter {
  readonly #counts = new Map<string, number>();

  increment(route: string): void {
    this.#counts.set(route, (this.#counts.get(route) ?? 0) + 1);
  }

  /** Requests for one route key (0 when never seen). */
  get(route: string): number {
    return this.#counts.get(route) ?? 0;
  }

  /** All requests since start or the last reset. */
  total(): number {
    let n = 0;
    for (const v of this.#counts.values()) n += v;
    return n;
  }

  /** A copy of all counters. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  reset(): void {
    this.#counts.clear();
  }
}
