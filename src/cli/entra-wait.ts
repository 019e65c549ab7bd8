/**
 * The moment a new `kvlab diagnose` process has nothing to do: its token request to Entra ID is on the wire, and so is
 * every request made beside it (Key Vault's challenge, whose TLS handshake would otherwise wait behind the rehearsal,
 * and with it the authenticated reads that need its answer), so work rehearsed then (diagnostics/run-diagnosis.ts
 * `rehearseChecks`) delays little. Rehearsing later, once the authenticated reads are out, was measured no better
 * (bench/README.md): the rehearsal then outlasts the last wait. Observed through Node's `http.client.request.created`
 * channel.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

const CHANNEL = 'http.client.request.created';

/**
 * Resolves once a token request has been written and so has every other request made since this was called (Key
 * Vault's challenge: its TLS handshake must not wait behind the rehearsal), or after `timeoutMs` (no exchange, or one
 * that failed early).
 */
export function tokenRequestWritten(timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    let tokenWritten = false;
    const unwritten = new Set<ClientRequest>();
    const done = () => {
      clearTimeout(timer);
      unsubscribe(CHANNEL, onRequest);
      resolve();
    };
    const written = (request: ClientRequest, isToken: boolean) => {
      if (!unwritten.delete(request)) return;
      if (isToken) tokenWritten = true;
      if (tokenWritten && unwritten.size === 0) done();
    };
    const onRequest = (message: unknown) => {
      const { request } = message as { request: ClientRequest };
      const isToken = request.method === 'POST' && request.path.split('?')[0]?.endsWith('/oauth2/v2.0/token') === true;
      unwritten.add(request);
      request.once('finish', () => written(request, isToken));
      request.once('close', () => written(request, isToken));
    };
    const timer = setTimeout(done, timeoutMs);
    timer.unref();
    subscribe(CHANNEL, onRequest);
  });
}
