/**
 * The key-vault check's verdict on a replay outcome, with the smallest evidence it reads: the replay of pod
 * student-01/pod-keyvault, and the SecretProviderClass when the check needs its parameters.
 */
import { keyVaultCheck } from '../../../diagnostics/checks/key-vault.ts';
import type { Evidence } from '../../../diagnostics/gather/gather-evidence.ts';
import type { SecretProviderClass } from '../../../diagnostics/ports/cluster-reader.ts';
import type { ReplayOutcome } from '../../../diagnostics/ports/vault-probe.ts';

export function keyVaultVerdict(outcome: ReplayOutcome, spc?: SecretProviderClass) {
  const evidence = {
    target: { namespace: 'student-01', pod: 'pod-keyvault' },
    ...(spc ? { spc: { ok: true, value: spc } } : {}),
    replay: {
      ok: true,
      durationMs: 1,
      value: {
        performed: true,
        serviceAccount: 'workload-identity-sa',
        claims: { iss: 'https://issuer/', sub: 'system:serviceaccount:student-01:workload-identity-sa', aud: ['x'] },
        outcome,
      },
    },
  } as unknown as Evidence;
  return keyVaultCheck.run(evidence, new Date());
}
