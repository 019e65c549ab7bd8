/**
 * student-01's replay against vaults of a test's own, in the simulated Entra ID and Key Vault: the fixture with the
 * vaults added (started and closed around the file's tests), the replay of objects in one vault, and the key-vault
 * check's verdict on its outcome.
 */
import { afterAll, beforeAll } from 'vitest';
import type { SecretProviderClass } from '../../../diagnostics/ports/cluster-reader.ts';
import type { ProbeObjectRef, ReplayOutcome } from '../../../diagnostics/ports/vault-probe.ts';
import type { Vault } from '../../../sim/azure/state.ts';
import { createAzureVaultProbe } from '../../../src/adapters/azure-vault-probe.ts';
import { type AzureFixture, STUDENT, startAzureFixture, TENANT } from '../../sim/azure/azure-fixture.ts';
import { keyVaultVerdict } from './key-vault-verdict.ts';

/** What every test vault shares: the tenant, a region, a subscription. */
export const VAULT_BASE = {
  tenantId: TENANT,
  location: 'westeurope',
  subscriptionId: '3c9e1f00-1111-4222-8333-444455556666',
};

export function useVaultReplay(vaults: Vault[]) {
  let fx: AzureFixture;
  beforeAll(async () => {
    fx = await startAzureFixture();
    fx.state.vaults.push(...vaults);
  });
  afterAll(() => fx?.close());
  return {
    fixture: () => fx,
    replay: (vaultName: string, refs: ProbeObjectRef[]): Promise<ReplayOutcome> =>
      createAzureVaultProbe(fx.transport).replay({
        tenantId: TENANT,
        clientId: STUDENT.clientId,
        vaultName,
        assertion: fx.assertion(),
        objects: refs,
      }),
    /** The key-vault check's verdict on a replay of `vaultName`, with the smallest evidence it reads. */
    check: (outcome: ReplayOutcome, vaultName: string) => {
      const spc = {
        metadata: { name: 'spc-keyvault', namespace: 'student-01' },
        spec: {
          provider: 'azure',
          parameters: { keyvaultName: vaultName, clientID: STUDENT.clientId, tenantId: TENANT },
        },
      };
      return keyVaultVerdict(outcome, spc as SecretProviderClass);
    },
  };
}
