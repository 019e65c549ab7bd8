/**
 * The proof of issue 14 for what only the instructor can fix: the patch's `az` commands, run by the test's
 * interpreter against the simulated Azure state, make the pod mount (the kubelet retries on the change) and the
 * next diagnosis healthy. The interpreter refuses what it does not understand, so a wrong suggestion fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAz, splitWords } from './az-interpreter.ts';
import { type FixFixture, startFixFixture } from './fix-fixture.ts';

const INSTRUCTOR_OWNED = [
  ['student-09', 'AUTH_FAILED', 3],
  ['student-13', 'ACCESS_DENIED', 1],
  ['student-14', 'ACCESS_DENIED', 1],
  ['student-15', 'FIREWALL', 1],
] as const;

let fx: FixFixture;
beforeAll(async () => {
  fx = await startFixFixture();
}, 30_000);
afterAll(() => fx?.close());

describe('instructor patches, applied to the simulated Azure state', () => {
  it.each(INSTRUCTOR_OWNED)('%s (%s): the az commands mount the pod', async (namespace, category, commands) => {
    const before = await fx.diagnose(namespace);
    const top = before.problems[0];
    expect(top?.category).toBe(category);
    expect(top?.owner).toBe('instructor');
    const patch = top?.patch;
    expect(patch).toMatchObject({ owner: 'instructor', manifests: '', unknowns: [] });
    expect(patch?.commands).toHaveLength(commands);
    for (const line of patch?.commands ?? []) expect(line).not.toMatch(/<[A-Za-z_ ]+>/);
    if (!patch) return;
    await fx.applyPatch(patch);
    expect(fx.mounted(namespace)).toBe(true);
    expect((await fx.diagnose(namespace)).verdict).toBe('healthy');
  });

  it('the federated credential names the pod’s exact issuer and subject', () => {
    const identity = fx.azure.tenants[0]?.identities.find((i) => i.name === 'id-kvlab-student-09');
    expect(identity?.federatedCredentials).toEqual([
      {
        name: 'kvlab-student-09-workload-identity-sa',
        issuer: fx.classroom.scenario.cluster.issuer,
        subject: 'system:serviceaccount:student-09:workload-identity-sa',
        audiences: ['api://AzureADTokenExchange'],
      },
    ]);
  });

  it('refuses commands, flags and queries it does not understand', () => {
    const az = (line: string) => () =>
      runAz(
        fx.azure,
        splitWords(line, new Map(), () => ''),
      );
    expect(az('az keyvault delete --name kv-kvlab-lab')).toThrow(/not understood/);
    expect(az('az keyvault network-rule add --name kv-kvlab-lab --subnet x')).toThrow(/flag --subnet not understood/);
    expect(az('az identity list --query "[].name" -o tsv')).toThrow(/query not understood/);
    expect(az('az keyvault set-policy --name kv-kvlab-rbac --spn x --secret-permissions get')).toThrow(/RBAC/);
    expect(() => splitWords('az x "$NOPE"', new Map(), () => '')).toThrow(/unset shell variable/);
  });
});
