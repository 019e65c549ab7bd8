/**
 * The rehearsal a new CLI process runs while the replay is in flight (diagnostics/run-diagnosis.ts
 * `rehearseChecks`, GatherOptions.whileReplaying): called once, while the replay is still unanswered, with the
 * evidence gathered so far; never when there is no replay; and a rehearsed diagnosis reports exactly what an
 * unrehearsed one does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Evidence } from '../../diagnostics/gather/gather-evidence.ts';
import { SingleFlightCache } from '../../diagnostics/gather/single-flight-cache.ts';
import type { VaultProbe } from '../../diagnostics/ports/vault-probe.ts';
import { rehearseChecks, runDiagnosis } from '../../diagnostics/run-diagnosis.ts';
import { type ClassroomFixture, startClassroomFixture } from '../integration/classroom-fixture.ts';

let fx: ClassroomFixture;
beforeAll(async () => {
  fx = await startClassroomFixture();
}, 60_000);
afterAll(() => fx?.classroom.close());

const AT = new Date('2026-12-07T12:00:00Z');
const gather = (extra: object = {}) => ({ ...fx.engine.gather, cache: new SingleFlightCache(10_000), ...extra });

describe('rehearsing the checks while the replay is in flight', () => {
  it('starts once, before the replay answers, with the evidence so far', async () => {
    const seen: string[] = [];
    const vault: VaultProbe = {
      replay: async (request, signal) => {
        const outcome = await fx.engine.ports.vault.replay(request, signal);
        seen.push('replay answered');
        return outcome;
      },
    };
    const soFar: Evidence[] = [];
    const whileReplaying = (e: Evidence) => {
      seen.push('rehearsal');
      soFar.push(e);
    };
    await runDiagnosis(
      'student-13',
      'pod-keyvault',
      { ...fx.engine.ports, vault },
      gather({ whileReplaying }),
      () => AT,
    );
    expect(seen).toEqual(['rehearsal', 'replay answered']);
    expect(soFar[0]?.replay).toBeUndefined();
    expect(soFar[0]?.spc?.ok).toBe(true);
  });

  it('is not called when there is no replay to wait for', async () => {
    const calls: Evidence[] = [];
    const options = gather({ replay: 'off', whileReplaying: (e: Evidence) => calls.push(e) });
    await runDiagnosis('student-13', 'pod-keyvault', fx.engine.ports, options, () => AT);
    await runDiagnosis(
      'student-03',
      'pod-keyvault',
      fx.engine.ports,
      gather({ whileReplaying: (e: Evidence) => calls.push(e) }),
      () => AT,
    );
    // student-03's SecretProviderClass is missing: nothing to replay either.
    expect(calls).toEqual([]);
  });

  it('changes nothing in the report', async () => {
    const plain = await runDiagnosis('student-13', 'pod-keyvault', fx.engine.ports, gather(), () => AT);
    const rehearsals: Array<Promise<void>> = [];
    const rehearsed = await runDiagnosis(
      'student-13',
      'pod-keyvault',
      fx.engine.ports,
      gather({ whileReplaying: (e: Evidence) => rehearsals.push(rehearseChecks(e, AT)) }),
      () => AT,
    );
    await Promise.all(rehearsals);
    expect(rehearsals).toHaveLength(1);
    const timeless = (r: unknown) =>
      JSON.parse(JSON.stringify(r), (k, v) => (k === 'durationMs' ? undefined : v)) as unknown;
    expect(timeless(rehearsed.report)).toEqual(timeless(plain.report));
  });
});
