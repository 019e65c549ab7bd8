/**
 * One Entra token exchange per replay, shared by the probe and every Key Vault client it creates.
 *
 * The Key Vault SDKs authenticate by challenge: a client's first request goes out without a token, Key Vault
 * answers 401 with `WWW-Authenticate` (the resource and tenant), and only then does the client ask its credential
 * for a token — with `enableCae: true` and the challenge's tenant. @azure/identity keeps one MSAL application for
 * CAE tokens and another for the rest, so a probe that first asks for a plain token (to tell Entra's answer from
 * Key Vault's) and then lets the clients ask for a CAE one exchanges the assertion twice, each exchange with its
 * own authority discovery. Here the probe starts the exchange exactly as the clients will ask for it, and the
 * clients get a credential that answers that request with the exchange already under way, so the challenge round
 * trip overlaps the exchange instead of following it. A request for another scope or tenant, or with claims (a CAE
 * challenge), goes to the real credential, as before.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';

export interface SharedTokenExchange {
  /** The exchange, started at once: resolves with the token or rejects with Entra's (or the network's) error. */
  token: Promise<AccessToken>;
  /** For the Key Vault clients: answers their token request with {@link SharedTokenExchange.token}. */
  credential: TokenCredential;
}

export function shareTokenExchange(
  credential: TokenCredential,
  scope: string,
  tenantId: string,
  signal?: AbortSignal,
): SharedTokenExchange {
  const token = credential
    .getToken(scope, { enableCae: true, tenantId, ...(signal ? { abortSignal: signal } : {}) })
    .then((t) => {
      if (!t) throw new Error(`Entra ID returned no token for ${scope}`);
      return t;
    });
  token.catch(() => {}); // reported by whoever awaits it
  const same = (scopes: string | string[], options?: GetTokenOptions) => {
    const asked = typeof scopes === 'string' ? [scopes] : scopes;
    return (
      asked.length === 1 &&
      asked[0] === scope &&
      options?.claims === undefined &&
      (options?.tenantId === undefined || options.tenantId.toLowerCase() === tenantId.toLowerCase())
    );
  };
  return {
    token,
    credential: {
      getToken: (scopes, options) => (same(scopes, options) ? token : credential.getToken(scopes, options)),
    },
  };
}
