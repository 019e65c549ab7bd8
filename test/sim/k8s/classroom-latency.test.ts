/**
 * `startClassroom({ latencyMs })` (kvlab sim --latency): every Kubernetes API, Entra ID and Key Vault
 * request is answered no sooner than the configured delay.
 */
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Classroom, startClassroom } from '../../../sim/classroom.ts';

const LATENCY = 150;
let classroom: Classroom;
beforeAll(async () => {
  classroom = await startClassroom({ latencyMs: LATENCY, slackRateLimits: false });
});
afterAll(async () => {
  await classroom?.close();
});

/** Milliseconds until the response of a GET arrives, and its status. */
function timedGet(url: string, headers: Record<string, string> = {}): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: classroom.caPem, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: performance.now() - started, status: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('classroom latency', () => {
  it('delays the Kubernetes API, Entra ID and Key Vault', async () => {
    const k8s = await timedGet(`${classroom.k8s.httpsUrl}/api/v1/namespaces`, {
      Authorization: `Bearer ${classroom.tokens.admin}`,
    });
    const tenant = classroom.scenario.azure.tenants[0]?.id ?? '';
    const entra = await timedGet(`${classroom.entra.authorityHost}/${tenant}/v2.0/.well-known/openid-configuration`);
    // 400: no vault is addressed by the bare endpoint host, so the request is refused before authentication.
    const vault = await timedGet(`${classroom.settings.KVLAB_KEYVAULT_ENDPOINT}/secrets/x?api-version=7.4`);
    expect([k8s.status, entra.status, vault.status]).toEqual([200, 200, 400]);
    for (const { ms } of [k8s, entra, vault]) expect(ms).toBeGreaterThanOrEqual(LATENCY);
  });
});
