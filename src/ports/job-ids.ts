/**
 * Pure naming rules of queued work, shared by the handlers (which name a request's job) and the queue adapter:
 * they belong to the port, not to BullMQ, so handlers need not import the adapter.
 */

/** A job id for a request: only `[A-Za-z0-9._-]`, never all digits, never containing ':' (BullMQ reserves those). */
export function jobIdFor(kind: 'cmd' | 'rerun' | 'status', requestId: string): string {
  return `${kind}-${requestId.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 120)}`;
}

/** The deduplication id of "this user asks about this pod" (namespace and pod names cannot contain '/'). */
export function dedupeKeyFor(user: string, namespace: string, pod: string): string {
  return `${user}/${namespace}/${pod}`;
}
