/**
 * The federated issuers' keys as Entra holds them. A relying party does not fetch an issuer's OIDC discovery
 * document and JWKS for every token it validates: it keeps the key set and fetches it again when a token names a
 * key id the set lacks — the key-rollover rule of OpenID Connect Core 1.0 §10.1.1 — so a cluster that rotated its
 * service-account signing key (`az aks oidc-issuer rotate-signing-keys`) verifies at its first new token. Here
 * a key set is also fetched again after `ttlMs`, and a failed fetch is not kept: the next assertion tries again
 * (an issuer that comes back is seen at once). Concurrent assertions of one issuer share one fetch.
 */

/** Fetches the public keys of a token issuer; `undefined` when unreachable. `kid`: the key id the assertion names. */
export type IssuerJwksResolver = (issuer: string, kid?: string) => Promise<{ keys: object[] } | undefined>;

/** How long a fetched key set is kept when every assertion's key id is in it. */
export const ISSUER_KEYS_TTL_MS = 5 * 60_000;

interface Held {
  keys: Promise<{ keys: object[] } | undefined>;
  fetchedAt: number;
}

export function holdIssuerKeys(
  fetchKeys: IssuerJwksResolver,
  options: { ttlMs?: number; now?: () => number } = {},
): IssuerJwksResolver {
  const ttlMs = options.ttlMs ?? ISSUER_KEYS_TTL_MS;
  const now = options.now ?? Date.now;
  const held = new Map<string, Held>();

  const fetchNow = (issuer: string, kid?: string): Held => {
    const entry: Held = { keys: fetchKeys(issuer, kid).catch(() => undefined), fetchedAt: now() };
    held.set(issuer, entry);
    // A failure is forgotten once it is known, so only assertions already waiting for it share it.
    void entry.keys.then((set) => {
      if (!usable(set) && held.get(issuer) === entry) held.delete(issuer);
    });
    return entry;
  };

  return async (issuer, kid) => {
    const entry = held.get(issuer);
    if (!entry || now() - entry.fetchedAt >= ttlMs) return fetchNow(issuer, kid).keys;
    const set = await entry.keys;
    if (!usable(set)) return fetchNow(issuer, kid).keys;
    if (kid !== undefined && !set.keys.some((k) => (k as { kid?: unknown }).kid === kid)) {
      // Rolled over since the set was fetched (or a forged kid): fetch once more, unless that fetch is under way.
      const current = held.get(issuer);
      return (current && current !== entry ? current : fetchNow(issuer, kid)).keys;
    }
    return set;
  };
}

function usable(set: { keys: object[] } | undefined): set is { keys: object[] } {
  return set !== undefined && Array.isArray(set.keys) && set.keys.length > 0;
}
