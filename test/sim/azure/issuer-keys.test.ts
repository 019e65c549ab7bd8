import { describe, expect, it } from 'vitest';
import { holdIssuerKeys } from '../../../sim/entra/issuer-keys.ts';

const ISSUER = 'https://eastus.oic.prod-aks.azure.com/tenant/cluster/';

/** An issuer whose published key ids can change; counts the fetches Entra makes. */
function issuer(kids: string[]) {
  const state = { kids, fetches: 0, down: false };
  const fetchKeys = async (iss: string) => {
    state.fetches++;
    if (state.down) throw new Error('connect ECONNREFUSED');
    return iss === ISSUER ? { keys: state.kids.map((kid) => ({ kty: 'RSA', kid })) } : undefined;
  };
  return { state, fetchKeys };
}

describe('the issuer keys Entra holds', () => {
  it('fetches an issuer once for every assertion signed with a key it holds', async () => {
    const { state, fetchKeys } = issuer(['k1']);
    const keys = holdIssuerKeys(fetchKeys);
    for (let i = 0; i < 3; i++) expect(await keys(ISSUER, 'k1')).toEqual({ keys: [{ kty: 'RSA', kid: 'k1' }] });
    expect(state.fetches).toBe(1);
  });

  it('shares one fetch among concurrent assertions', async () => {
    const { state, fetchKeys } = issuer(['k1']);
    const keys = holdIssuerKeys(fetchKeys);
    await Promise.all([keys(ISSUER, 'k1'), keys(ISSUER, 'k1'), keys(ISSUER, 'k1')]);
    expect(state.fetches).toBe(1);
  });

  it('fetches again, once, for a key id it does not hold (a rotated cluster key)', async () => {
    const { state, fetchKeys } = issuer(['k1']);
    const keys = holdIssuerKeys(fetchKeys);
    await keys(ISSUER, 'k1');
    state.kids = ['k1', 'k2'];
    expect((await keys(ISSUER, 'k2'))?.keys).toEqual([
      { kty: 'RSA', kid: 'k1' },
      { kty: 'RSA', kid: 'k2' },
    ]);
    await keys(ISSUER, 'k2');
    expect(state.fetches).toBe(2);
    // A kid the issuer never published costs a fetch per assertion and verifies against nothing new.
    expect((await keys(ISSUER, 'forged'))?.keys).toHaveLength(2);
    expect(state.fetches).toBe(3);
  });

  it('fetches again after the hold time', async () => {
    const { state, fetchKeys } = issuer(['k1']);
    let t = 0;
    const keys = holdIssuerKeys(fetchKeys, { ttlMs: 1_000, now: () => t });
    await keys(ISSUER, 'k1');
    t = 999;
    await keys(ISSUER, 'k1');
    expect(state.fetches).toBe(1);
    t = 1_000;
    await keys(ISSUER, 'k1');
    expect(state.fetches).toBe(2);
  });

  it('keeps no failure: an issuer that was unreachable is asked again at the next assertion', async () => {
    const { state, fetchKeys } = issuer(['k1']);
    const keys = holdIssuerKeys(fetchKeys);
    state.down = true;
    expect(await keys(ISSUER, 'k1')).toBeUndefined();
    state.down = false;
    expect((await keys(ISSUER, 'k1'))?.keys).toHaveLength(1);
    expect(state.fetches).toBe(2);
    expect(await keys('https://unknown.example/', 'k1')).toBeUndefined();
    expect(await keys('https://unknown.example/', 'k1')).toBeUndefined();
    expect(state.fetches).toBe(4);
  });
});
