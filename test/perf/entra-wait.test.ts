/**
 * src/cli/entra-wait.ts: resolves once a token request is written — not for other requests — and every request made
 * beside it is written too, or at its deadline.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tokenRequestWritten } from '../../src/cli/entra-wait.ts';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end('{}'));
});
let port = 0;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const send = (method: string, path: string) =>
  new Promise<void>((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port, method, path }, (res) => res.resume().on('end', resolve));
    r.on('error', reject);
    r.end(method === 'POST' ? 'grant_type=client_credentials' : undefined);
  });

describe('waiting for the token request', () => {
  it('resolves when a POST to a token endpoint has been written, not before', async () => {
    let resolved = false;
    const waiting = tokenRequestWritten(60_000).then(() => {
      resolved = true;
    });
    await send('GET', '/tenant/v2.0/.well-known/openid-configuration');
    await send('POST', '/tenant/oauth2/v2.0/devicecode');
    expect(resolved).toBe(false);
    await send('POST', '/tenant/oauth2/v2.0/token?client-request-id=1');
    await waiting;
    expect(resolved).toBe(true);
  });

  it('waits for a request still being written beside the token request (a challenge in its TLS handshake)', async () => {
    let resolved = false;
    const waiting = tokenRequestWritten(60_000).then(() => {
      resolved = true;
    });
    const pending = request({ host: '127.0.0.1', port, method: 'PUT', path: '/secrets/x' });
    const answered = new Promise<void>((resolve) => pending.on('response', (res) => res.resume().on('end', resolve)));
    pending.write('part');
    await send('POST', '/tenant/oauth2/v2.0/token');
    await new Promise((r) => setImmediate(r));
    expect(resolved).toBe(false);
    pending.end('rest');
    await waiting;
    expect(resolved).toBe(true);
    await answered;
  });

  it('resolves at its deadline when no token request comes', async () => {
    vi.useFakeTimers();
    try {
      let resolved = false;
      const waiting = tokenRequestWritten(150).then(() => {
        resolved = true;
      });
      await vi.advanceTimersByTimeAsync(149);
      expect(resolved).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await waiting;
      expect(resolved).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
