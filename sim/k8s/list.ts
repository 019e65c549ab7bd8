/**
 * List semantics (docs/wire-notes.md §6.1–6.2): label/field selectors, resourceVersion / resourceVersionMatch, and
 * limit/continue paging with opaque continue tokens that expire (410) once their resourceVersion is compacted.
 */
import { metaOf, nameOf, namespaceOf } from './defaults.ts';
import { checkFieldLabels, type FieldRequirement, matchesFields, parseFieldSelector } from './field-selector.ts';
import { type LabelRequirement, matchesLabels, parseLabelSelector } from './label-selector.ts';
import type { Obj, ResourceInfo } from './resources.ts';
import { badRequest, expired, StatusError } from './status.ts';
import type { ObjectStore } from './store.ts';

/** Parsed label and field selectors of one request. */
export interface Selectors {
  labels: LabelRequirement[];
  fields: FieldRequirement[];
}

/** Parses `labelSelector` and `fieldSelector` (400 on bad syntax or unsupported field labels). */
export function parseSelectors(info: ResourceInfo, query: URLSearchParams): Selectors {
  const labels = parseLabelSelector(query.get('labelSelector') ?? '');
  const fields = parseFieldSelector(query.get('fieldSelector') ?? '');
  checkFieldLabels(info, fields);
  return { labels, fields };
}

/** Whether an object satisfies both selectors. */
export const selects = (info: ResourceInfo, s: Selectors, obj: Obj): boolean =>
  matchesLabels(s.labels, metaOf(obj).labels as Record<string, string> | undefined) &&
  matchesFields(info, s.fields, obj);

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

const encodeContinue = (rv: number, lastKey: string) =>
  Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: `${lastKey}\u0000` })).toString('base64url');

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
    if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.rv !== 'number' || typeof parsed.start !== 'string')
      throw new Error();
    return parsed;
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

const TOO_OLD_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/** Checks the list's resourceVersion parameters and returns the resourceVersion the list reports. */
function listVersion(store: ObjectStore, query: URLSearchParams): number {
  const rv = query.get('resourceVersion') ?? '';
  const match = query.get('resourceVersionMatch') ?? '';
  const current = Number(store.resourceVersion);
  if (match && !rv) {
    throw new StatusError(
      422,
      'Invalid',
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    );
  }
  if (match && match !== 'NotOlderThan' && match !== 'Exact') {
    throw new StatusError(
      422,
      'Invalid',
      `ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`,
    );
  }
  if (rv === '' || rv === '0') return current;
  if (!/^\d+$/.test(rv)) throw badRequest(`resourceVersion: Invalid value: "${rv}": invalid resource version`);
  const requested = Number(rv);
  if (requested > current) {
    throw new StatusError(504, 'Timeout', `Too large resource version: ${requested}, current: ${current}`, {
      retryAfterSeconds: 1,
    });
  }
  // Only the newest state is kept, so an Exact read of an older version is answered like a compacted one.
  if (match === 'Exact' && requested !== current) {
    throw expired(`too old resource version: ${requested} (${current})`);
  }
  return current;
}

/** One page of a list and its ListMeta (resourceVersion, continue, remainingItemCount). */
export interface ListResult {
  items: Obj[];
  metadata: Obj;
}

/** Lists `info` in `namespace` ('' = all) applying selectors and paging. */
export function listObjects(
  store: ObjectStore,
  info: ResourceInfo,
  namespace: string,
  query: URLSearchParams,
): ListResult {
  const selectors = parseSelectors(info, query);
  const token = query.get('continue');
  const limit = Number.parseInt(query.get('limit') ?? '', 10);
  let rv: number;
  let startAfter = '';
  if (token) {
    const decoded = decodeContinue(token);
    if (decoded.rv < store.oldestWatchableVersion) throw expired(TOO_OLD_CONTINUE);
    rv = decoded.rv;
    startAfter = decoded.start.endsWith('\u0000') ? decoded.start.slice(0, -1) : decoded.start;
  } else {
    rv = listVersion(store, query);
  }
  const keyOf = (o: Obj) => `${namespaceOf(o)}/${nameOf(o)}`;
  const all = store
    .listIn(info.storage, namespace)
    .filter((o) => selects(info, selectors, o))
    .filter((o) => !startAfter || compareKeys(o, startAfter) > 0);
  const metadata: Obj = { resourceVersion: String(rv) };
  if (!Number.isFinite(limit) || limit <= 0 || all.length <= limit) return { items: all, metadata };
  const items = all.slice(0, limit);
  const last = items[items.length - 1];
  metadata.continue = encodeContinue(rv, last ? keyOf(last) : '');
  if (selectors.labels.length === 0 && selectors.fields.length === 0) metadata.remainingItemCount = all.length - limit;
  return { items, metadata };
}

/** Orders like the store's listing: namespace, then name. */
function compareKeys(obj: Obj, key: string): number {
  const slash = key.indexOf('/');
  const ns = key.slice(0, slash);
  const name = key.slice(slash + 1);
  return namespaceOf(obj).localeCompare(ns) || nameOf(obj).localeCompare(name);
}
