/**
 * Watch streams (docs/wire-notes.md §6.3; apiserver `handlers/watch.go`, `storage/cacher`): a 200 chunked response of
 * newline-delimited `{"type","object"}` events. resourceVersion unset/"0" starts with synthetic ADDEDs; "<rv>"
 * replays retained changes after it; an rv older than the retained history gets one `ERROR` event carrying
 * the 410 Expired Status, then the stream closes. Objects that stop (start) matching the selectors are sent
 * as DELETED (ADDED), as the watch cache does. BOOKMARKs only with `allowWatchBookmarks`.
 */
import type { ServerResponse } from 'node:http';
import { metaOf, namespaceOf } from './defaults.ts';
import { type FieldRequirement, matchesFields } from './field-selector.ts';
import { type LabelRequirement, matchesLabels } from './label-selector.ts';
import type { Obj, ResourceInfo } from './resources.ts';
import { badRequest, expired, internalError, StatusError } from './status.ts';
import type { Change, ObjectStore } from './store.ts';

/** How often an idle watch with `allowWatchBookmarks` gets a BOOKMARK (the watch cache uses about a minute). */
const BOOKMARK_INTERVAL_MS = 60_000;

/** One watch request, already authorized and parsed. */
export interface WatchRequest {
  info: ResourceInfo;
  /** '' watches all namespaces. */
  namespace: string;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  query: URLSearchParams;
  /** Ends the stream after this long (fault injection), independent of timeoutSeconds. */
  closeAfterMs?: number;
  /** Renders a stored object for this request (served version, Table or PartialObjectMetadata). */
  present(obj: Obj): Obj;
  /** The BOOKMARK object for a resourceVersion. */
  bookmark(rv: string, initialEventsEnd: boolean): Obj;
}

/** A running watch; `stop()` ends the stream cleanly (used on server close and CRD deletion). */
export interface ActiveWatch {
  storage: string;
  stop(): void;
}

/** Validates the watch parameters; errors here are ordinary non-200 Status responses. */
function startingPoint(store: ObjectStore, query: URLSearchParams): { from: number | undefined; initial: boolean } {
  const rvParam = query.get('resourceVersion') ?? '';
  const sendInitial = query.get('sendInitialEvents');
  if (sendInitial !== null) {
    const bookmarks = ['true', '1'].includes(query.get('allowWatchBookmarks') ?? '');
    if (query.get('resourceVersionMatch') !== 'NotOlderThan' || !bookmarks) {
      throw new StatusError(
        422,
        'Invalid',
        'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled and resourceVersionMatch is set to NotOlderThan and allowWatchBookmarks is set to true',
      );
    }
  }
  if (rvParam === '' || rvParam === '0') return { from: undefined, initial: sendInitial !== 'false' };
  if (!/^\d+$/.test(rvParam))
    throw badRequest(`resourceVersion: Invalid value: "${rvParam}": invalid resource version`);
  const from = Number(rvParam);
  const current = Number(store.resourceVersion);
  if (from > current) {
    throw new StatusError(504, 'Timeout', `Too large resource version: ${from}, current: ${current}`, {
      retryAfterSeconds: 1,
    });
  }
  return { from, initial: sendInitial === 'true' };
}

/**
 * Serves one watch on `res`. Throws a StatusError (before anything is written) when the parameters are
 * rejected, as the real server answers such watches with an ordinary error response.
 */
export function serveWatch(store: ObjectStore, res: ServerResponse, w: WatchRequest): ActiveWatch {
  const { from, initial } = startingPoint(store, w.query);
  const wantsBookmarks = ['true', '1'].includes(w.query.get('allowWatchBookmarks') ?? '');
  const matches = (obj: Obj | undefined): boolean =>
    obj !== undefined &&
    (w.namespace === '' || namespaceOf(obj) === w.namespace) &&
    matchesLabels(w.labels, metaOf(obj).labels as Record<string, string> | undefined) &&
    matchesFields(w.info, w.fields, obj);

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  // kube-apiserver flushes the headers at once, so a client sees the watch open before any event arrives.
  res.flushHeaders();
  const timers: NodeJS.Timeout[] = [];
  let closed = false;
  let unsubscribe = () => {};
  const send = (type: string, object: Obj) => {
    if (!closed) res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const stop = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    res.end();
  };
  const emit = (change: Change) => {
    if (change.storage !== w.info.storage) return;
    try {
      deliver(change);
    } catch (e) {
      // A watcher that cannot render an object ends with an error event; the write itself is not affected.
      send('ERROR', internalError((e as Error).message).status as unknown as Obj);
      stop();
    }
  };
  const deliver = (change: Change) => {
    const now = matches(change.type === 'DELETED' ? undefined : change.object);
    const before = matches(change.previous);
    if (change.type === 'ADDED' && now) send('ADDED', w.present(change.object));
    else if (change.type === 'MODIFIED' && now) send(before ? 'MODIFIED' : 'ADDED', w.present(change.object));
    else if (change.type !== 'ADDED' && before && !now) {
      const last = structuredClone(change.previous as Obj);
      metaOf(last).resourceVersion = String(change.rv);
      send('DELETED', w.present(last));
    }
  };

  let replay: Change[] = [];
  if (from !== undefined) {
    const changes = store.changesSince(from);
    if (!changes) {
      const error = expired(`too old resource version: ${from} (${store.oldestWatchableVersion})`);
      send('ERROR', error.status as unknown as Obj);
      stop();
      return { storage: w.info.storage, stop };
    }
    replay = changes;
  }
  if (initial) {
    for (const obj of store.listIn(w.info.storage, w.namespace)) if (matches(obj)) send('ADDED', w.present(obj));
    if (w.query.get('sendInitialEvents') === 'true') send('BOOKMARK', w.bookmark(store.resourceVersion, true));
  }
  for (const change of replay) emit(change);
  unsubscribe = store.subscribe(emit);

  const timeoutSeconds = Number(w.query.get('timeoutSeconds') ?? '');
  if (Number.isFinite(timeoutSeconds) && timeoutSeconds > 0) {
    timers.push(
      setTimeout(() => {
        if (wantsBookmarks) send('BOOKMARK', w.bookmark(store.resourceVersion, false));
        stop();
      }, timeoutSeconds * 1000),
    );
  }
  if (w.closeAfterMs !== undefined) timers.push(setTimeout(stop, w.closeAfterMs));
  if (wantsBookmarks) {
    const tick = () => {
      send('BOOKMARK', w.bookmark(store.resourceVersion, false));
      timers.push(setTimeout(tick, BOOKMARK_INTERVAL_MS).unref());
    };
    timers.push(setTimeout(tick, BOOKMARK_INTERVAL_MS).unref());
  }
  // ServerResponse 'close' fires when the client goes away (IncomingMessage 'close' fires once the body is read).
  res.on('close', stop);
  return { storage: w.info.storage, stop };
}
