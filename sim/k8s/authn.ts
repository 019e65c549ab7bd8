/**
 * Bearer-token authentication: static tokens (like kube-apiserver `--token-auth-file`) and service-account
 * tokens minted by this server's TokenRequest whose audience the API accepts. Everyone authenticated is in
 * `system:authenticated`; service accounts also in `system:serviceaccounts[:<namespace>]`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { UserInfo } from './rbac.ts';
import type { ObjectStore } from './store.ts';
import type { ServiceAccountTokenIssuer } from './tokens.ts';

/** One static bearer token and the identity it authenticates as. */
export interface StaticToken {
  token: string;
  user: string;
  groups?: string[];
}

/** The outcome of authenticating one request. */
export type AuthResult = { kind: 'anonymous' } | { kind: 'invalid' } | { kind: 'user'; user: UserInfo };

/** Maps a request's bearer token to a user, as kube-apiserver's token authenticators do. */
export class Authenticator {
  readonly #static: Map<string, StaticToken>;
  readonly #issuer: ServiceAccountTokenIssuer;
  readonly #store: ObjectStore;

  constructor(tokens: readonly StaticToken[], issuer: ServiceAccountTokenIssuer, store: ObjectStore) {
    this.#static = new Map(tokens.map((t) => [t.token, t]));
    this.#issuer = issuer;
    this.#store = store;
  }

  /** No Authorization header → anonymous; a header that does not authenticate → invalid (401 everywhere). */
  authenticate(headers: IncomingHttpHeaders): AuthResult {
    const header = headers.authorization;
    if (!header) return { kind: 'anonymous' };
    const match = /^bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) return { kind: 'invalid' };
    const token = match[1];
    const fixed = this.#static.get(token);
    if (fixed) {
      const groups = [...(fixed.groups ?? [])];
      if (!groups.includes('system:authenticated')) groups.push('system:authenticated');
      return { kind: 'user', user: { name: fixed.user, groups } };
    }
    const sa = this.#issuer.verify(this.#store, token);
    if (!sa) return { kind: 'invalid' };
    return {
      kind: 'user',
      user: {
        name: `system:serviceaccount:${sa.namespace}:${sa.name}`,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`, 'system:authenticated'],
      },
    };
  }
}
