/**
 * Starts the Kubernetes API simulator on the test cluster and offers a raw HTTP helper for asserting wire
 * details (status codes, Content-Type, Status bodies) that typed clients hide.
 */
import { type KubeApiServer, type KubeApiServerOptions, startKubeApiServer } from '../../../sim/k8s/server.ts';
import { ADMIN_TOKEN, clusterObjects, ISSUER, NOW, staticTokens, tlsMaterial } from './fixtures.ts';

export async function startTestServer(overrides: Partial<KubeApiServerOptions> = {}): Promise<KubeApiServer> {
  const { caPem, tls } = await tlsMaterial();
  return startKubeApiServer({
    objects: clusterObjects(),
    issuer: ISSUER,
    tls,
    caPem,
    tokens: staticTokens,
    now: () => NOW,
    ...overrides,
  });
}

export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
  json: Record<string, unknown>;
  headers: Headers;
}

/** A plain HTTP request against the simulator's HTTP endpoint (admin token unless `token: null`). */
export async function raw(
  server: KubeApiServer,
  path: string,
  init: { method?: string; token?: string | null; body?: unknown; contentType?: string; accept?: string } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = {};
  const token = init.token === undefined ? ADMIN_TOKEN : init.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (init.accept) headers.Accept = init.accept;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['Content-Type'] = init.contentType ?? 'application/json';
  }
  const res = await fetch(`${server.httpUrl}${path}`, { method: init.method ?? 'GET', headers, body });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON (plain-text 404, logs): tests look at `text`
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json, headers: res.headers };
}

/** Polls `check` until it returns true (or fails the test after `timeoutMs`). */
export async function eventually(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
