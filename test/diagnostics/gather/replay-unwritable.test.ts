/**
 * Objects Key Vault returns that the provider still cannot write to the volume (provider getKey / getSecret): a key
 * that is neither RSA nor EC (a symmetric oct-HSM key from a Managed HSM) and a certificate's secret whose content
 * type is neither PKCS#12 nor PEM. The replay reads them fine; the key-vault check must say the mount fails and why,
 * as the provider's own error (classified from the pod's events) does.
 */
import { describe, expect, it } from 'vitest';
import { explainMessage } from '../../../diagnostics/explain.ts';
import type { SecretProviderClass } from '../../../diagnostics/ports/cluster-reader.ts';
import type { ReplayOutcome } from '../../../diagnostics/ports/vault-probe.ts';
import { keyVaultVerdict } from './key-vault-verdict.ts';

const SPC = {
  metadata: { name: 'spc-keyvault', namespace: 'student-01' },
  spec: { provider: 'azure', parameters: { keyvaultName: 'kv-objects', clientID: 'c', tenantId: 't' } },
} as unknown as SecretProviderClass;
const V1 = '2a1b2c3d4e5f60718293a4b5c6d7e8f9';

const outcome = (objects: ReplayOutcome['objects']): ReplayOutcome => ({ token: { ok: true }, objects });
const tags = (o: ReplayOutcome) =>
  keyVaultVerdict(o, SPC).findings.map((f) => `${f.category}/${f.variant ?? '-'}/${f.severity}`);

describe('objects the provider cannot write', () => {
  it('a symmetric key is SECRET_DISABLED key-type-unsupported; RSA and EC keys, HSM or not, pass', () => {
    const readable = (keyType: string) => ({ readable: true as const, version: V1, enabled: true, keyType });
    const o = outcome([
      { objectType: 'key', objectName: 'aes-key', outcome: readable('oct-HSM') },
      { objectType: 'key', objectName: 'rsa-key', outcome: readable('RSA-HSM') },
      { objectType: 'key', objectName: 'ec-key', outcome: readable('EC') },
    ]);
    expect(tags(o)).toEqual(['SECRET_DISABLED/key-type-unsupported/error']);
    const [finding] = keyVaultVerdict(o, SPC).findings;
    expect(finding?.facts).toMatchObject({ objectName: 'aes-key', objectType: 'key', vault: 'kv-objects' });
    expect(finding?.evidence[0]).toContain("key type 'oct-HSM' currently not supported");
  });

  it("a certificate's secret in another content type is unknown-content-type; PKCS#12 and PEM pass", () => {
    const cert = (contentType?: string) => ({
      readable: true as const,
      version: V1,
      enabled: true,
      certificateBacked: true,
      ...(contentType ? { contentType } : {}),
    });
    const o = outcome([
      { objectType: 'secret', objectName: 'der-cert', outcome: cert('application/pkix-cert') },
      { objectType: 'secret', objectName: 'no-type', outcome: cert() },
      { objectType: 'secret', objectName: 'pfx-cert', outcome: cert('application/x-pkcs12') },
      { objectType: 'secret', objectName: 'pem-cert', outcome: cert('application/x-pem-file') },
      // A plain secret's content type is the owner's label: the provider writes its value as is.
      {
        objectType: 'secret',
        objectName: 'plain',
        outcome: { readable: true, version: V1, enabled: true, contentType: 'text/plain' },
      },
    ]);
    expect(tags(o)).toEqual([
      'SECRET_DISABLED/unknown-content-type/error',
      'SECRET_DISABLED/unknown-content-type/error',
    ]);
  });

  it("explains the provider's own error for a symmetric key with the same variant", () => {
    const e = explainMessage(
      'MountVolume.SetUp failed for volume "secrets-store" : rpc error: code = Unknown desc = failed to mount secrets store objects for pod student-05/pod-keyvault, err: rpc error: code = Unknown desc = failed to mount objects, error: failed to get objectType:key, objectName:aes-key, objectVersion:: failed to get key. key type \'oct-HSM\' currently not supported',
    );
    expect(e.category).toBe('SECRET_DISABLED');
    expect(e.details).toMatchObject({ objectName: 'aes-key', objectType: 'key', keyType: 'oct-HSM' });
    // The key-type-unsupported text (the category's own would say disabled or expired).
    expect(e.title).toBe('aes-key in vault <vault name> is a key the provider cannot mount');
    expect(e.fix[0]).toBe('az keyvault key show --vault-name <vault name> --name aes-key --query key.kty -o tsv');
  });
});
