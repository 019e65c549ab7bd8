/**
 * The moment a new `kvlab diagnose` process has nothing to do: its token request to Entra ID is on the wire (the
 * exchange takes the longest of any request, the simulated Entra's included — it fetches the cluster's OIDC keys),
 * so work rehearsed then (diagnostics/run-diagnosis.ts `rehearseChecks`) delays no answer. Observed through Node's
 * `http.client.request.created` channel: a POST to an `/oauth2/v2.0/token` path, once written.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

const CHANNEL = 'http.client.request.created';

/** Resolves once a token request has been written, or after `timeoutMs` (no exchange, or one that failed early). */
export function tokenRequestWritten(timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe(CHANNEL, onRequest);
      resolve();
    };
    const onRequest = (message: unknown) => {
      const { request } = message as { request: ClientRequest };
      if (request.method === 'POST' && request.path.split('?')[0]?.endsWith('/oauth2/v2.0/token')) {
        request.once('finish', done);
        request.once('close', done);
      }
    };
    const timer = setTimeout(done, timeoutMs);
    timer.unref();
    subscribe(CHANNEL, onRequest);
  });
}
