/**
 * A short-lived cache for cluster-wide reads (CSI driver, its pods, the CRD) shared by concurrent diagnoses:
 * the first caller starts the request, everyone arriving while it runs or within `ttlMs` after it gets the
 * same answer (single flight). A class of 100 students asking at once costs one read, not a hundred.
 */
export class SingleFlightCache {
  readonly #entries = new Map<string, { promise: Promise<unknown>; expires: number }>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(ttlMs: number, now: () => number = Date.now) {
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.#entries.get(key);
    if (hit && hit.expires > this.#now()) return hit.promise as Promise<T>;
    const promise = load();
    const entry = { promise, expires: Number.POSITIVE_INFINITY }; // pinned while in flight
    this.#entries.set(key, entry);
    promise.then(
      () => {
        entry.expires = this.#now() + this.#ttlMs;
      },
      () => {
        // Failures are not cached: the next caller tries again.
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
      },
    );
    return promise;
  }

  clear(): void {
    this.#entries.clear();
  }
}
