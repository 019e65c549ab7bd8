/**
 * A replay of secrets only never loads the Key Vault keys and certificates SDKs (the CLI's common path stays as
 * fast as before); an SPC that lists a key or a certificate loads them on first need. Counted in a fresh Node
 * process by a module resolve hook, against the simulated Entra ID and Key Vault.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const SCRIPT = `
import { registerHooks } from 'node:module';
const loaded = new Set();
registerHooks({
  resolve(specifier, context, next) {
    if (/^@azure\\/keyvault-(keys|certificates|secrets)$/.test(specifier)) loaded.add(specifier);
    return next(specifier, context);
  },
});
const { startAzureFixture, TENANT, STUDENT } = await import(${JSON.stringify(here('../sim/azure/azure-fixture.ts'))});
const { createAzureVaultProbe } = await import(${JSON.stringify(here('../../src/adapters/azure-vault-probe.ts'))});
const fx = await startAzureFixture();
const probe = createAzureVaultProbe(fx.transport);
const replay = (objects) =>
  probe.replay({ tenantId: TENANT, clientId: STUDENT.clientId, vaultName: 'kv-policy', assertion: fx.assertion(), objects });
const lines = [];
const secrets = await replay([{ objectType: 'secret', objectName: 'db-password' }]);
lines.push(['secrets', secrets.objects.map((o) => o.outcome.readable).join(','), [...loaded].sort().join(',')].join(' '));
const keys = await replay([{ objectType: 'key', objectName: 'signing-key' }, { objectType: 'cert', objectName: 'tls-cert' }]);
lines.push(['keys', keys.objects.map((o) => o.outcome.readable).join(','), [...loaded].sort().join(',')].join(' '));
await fx.close();
console.log(lines.join('\\n'));
`;

describe('the replay loads the keys and certificates SDKs only when needed', () => {
  it('a secrets-only replay loads @azure/keyvault-secrets alone; a key or cert object loads the others', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', SCRIPT], {
      cwd: here('../..'),
      timeout: 120_000,
    });
    expect(stdout.trim().split('\n')).toEqual([
      'secrets true @azure/keyvault-secrets',
      'keys true,true @azure/keyvault-certificates,@azure/keyvault-keys,@azure/keyvault-secrets',
    ]);
  });
});
