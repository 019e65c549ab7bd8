/**
 * "Entra / Key Vault answered no" versus "kvlab could not ask": the replay adapter against the simulated Entra ID
 * and Key Vault, with the authority host on a closed port, a vault DNS server that does not answer, a vault name
 * DNS says does not exist, and an identity Entra refuses. Only the last two are findings about the student.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayOutcome } from '../../../diagnostics/ports/vault-probe.ts';
import { createAzureVaultProbe } from '../../../src/adapters/azure-vault-probe.ts';
import { createAzureTransport } from '../../../src/azure/transport.ts';
import { type AzureFixture, NO_FIC, STUDENT, startAzureFixture, TENANT } from '../../sim/azure/azure-fixture.ts';
import { keyVaultVerdict } from './key-vault-verdict.ts';

let fx: AzureFixture;
let closedPort: number;
beforeAll(async () => {
  fx = await startAzureFixture();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closedPort = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
});
afterAll(() => fx?.close());

const vaultName = () => fx.state.vaults[0]?.name ?? 'missing';
const request = (overrides: Partial<{ clientId: string; vaultName: string }> = {}) => ({
  tenantId: TENANT,
  clientId: overrides.clientId ?? STUDENT.clientId,
  vaultName: overrides.vaultName ?? vaultName(),
  assertion: fx.assertion(),
  objects: [{ objectType: 'secret', objectName: 'db-password' }],
});

const check = (outcome: ReplayOutcome) => keyVaultVerdict(outcome);

describe('the replay tells "answered no" from "could not ask"', () => {
  it('authority host on a closed port: could not ask Entra, not AUTH_FAILED', async () => {
    const transport = createAzureTransport({
      keyVaultEndpoint: fx.keyvault.endpoint,
      caPem: fx.caPem,
      authorityHost: `https://127.0.0.1:${closedPort}`,
    });
    const outcome = await createAzureVaultProbe(transport).replay(request());
    expect(outcome.token.ok).toBe(false);
    if (outcome.token.ok) return;
    expect(outcome.token.error).toMatchObject({ kind: 'network', code: 'endpoints_resolution_error' });
    const result = check(outcome);
    expect(result.status).toBe('error');
    expect(result.findings).toEqual([]);
    expect(result.summary).toMatch(
      /^not checked because kvlab itself got no answer from Entra ID \(endpoints_resolution_error\)/,
    );
  });

  it('a vault DNS server that does not answer: could not ask Key Vault, not VAULT_NOT_FOUND', async () => {
    const transport = createAzureTransport({
      keyVaultEndpoint: `https://127.0.0.1:${closedPort}`,
      caPem: fx.caPem,
      authorityHost: fx.entra.authorityHost,
    });
    const outcome = await createAzureVaultProbe(transport).replay(request());
    expect(outcome.token.ok).toBe(true);
    const error = outcome.objects[0]?.outcome.readable === false ? outcome.objects[0].outcome.error : undefined;
    expect(error).toMatchObject({ kind: 'network', code: 'EAI_AGAIN' });
    const result = check(outcome);
    expect(result.status).toBe('error');
    expect(result.summary).toContain('no answer from Key Vault (EAI_AGAIN)');
  });

  it("a vault name DNS says does not exist is still the student's finding", async () => {
    const outcome = await createAzureVaultProbe(fx.transport).replay(request({ vaultName: 'kv-no-such-vault-42' }));
    const error = outcome.objects[0]?.outcome.readable === false ? outcome.objects[0].outcome.error : undefined;
    expect(error).toMatchObject({ kind: 'dns', code: 'ENOTFOUND' });
    const result = check(outcome);
    expect(result.status).toBe('fail');
    expect(result.findings.map((f) => f.category)).toEqual(['VAULT_NOT_FOUND']);
  });

  it('Entra answering with an AADSTS code is still AUTH_FAILED', async () => {
    const outcome = await createAzureVaultProbe(fx.transport).replay(request({ clientId: NO_FIC.clientId }));
    expect(outcome.token.ok).toBe(false);
    if (outcome.token.ok) return;
    expect(outcome.token.error.kind).toBe('auth');
    expect(outcome.token.error.aadsts).toMatch(/^7002/);
    expect(check(outcome).findings.map((f) => f.category)).toEqual(['AUTH_FAILED']);
  });
});
