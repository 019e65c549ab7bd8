/**
 * The service-account token issuer: TokenRequest (`POST …/serviceaccounts/{name}/token`) mints RS256 JWTs
 * shaped like kube-apiserver's bound tokens, and the same key verifies them when they come back as bearer
 * tokens. Its JWKS is what `/openid/v1/jwks` publishes, so the Entra simulator can validate federated
 * credentials exactly as Azure does against a real cluster's issuer.
 */
import { randomUUID } from 'node:crypto';
import { audiences, createSigningKey, type JwtClaims, type SigningKey, signJwt, verifyJwt } from '../common/jwt.ts';
import { asObj, metaOf, nameOf, rfc3339 } from './defaults.ts';
import type { Obj } from './resources.ts';
import { badRequest, conflict, invalid, notFound } from './status.ts';
import type { ObjectStore } from './store.ts';

/** Kubelet and the API server refuse anything shorter (TokenRequest validation). */
const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;

const BOUND_KINDS: Record<string, { storage: string; resource: string }> = {
  Pod: { storage: '/Pod', resource: 'pods' },
  Secret: { storage: '/Secret', resource: 'secrets' },
  Node: { storage: '/Node', resource: 'nodes' },
};

/** The service account a valid bearer token belongs to. */
export interface VerifiedServiceAccount {
  namespace: string;
  name: string;
  claims: JwtClaims;
}

/** Mints and verifies this cluster's service-account tokens with one RS256 key. */
export class ServiceAccountTokenIssuer {
  readonly issuer: string;
  readonly apiAudiences: string[];
  readonly #key: SigningKey;
  readonly #now: () => Date;

  constructor(issuer: string, apiAudiences: string[], now: () => Date) {
    this.issuer = issuer;
    this.apiAudiences = apiAudiences;
    this.#key = createSigningKey();
    this.#now = now;
  }

  /** The public signing keys, as served at `/openid/v1/jwks`. */
  get jwks(): { keys: Array<Record<string, string>> } {
    return { keys: [this.#key.jwk] };
  }

  /**
   * Handles a TokenRequest for `namespace/name`: validates it like the API server, then returns the
   * TokenRequest object with `status.token` and `status.expirationTimestamp` (the caller answers 201).
   */
  tokenRequest(store: ObjectStore, namespace: string, name: string, body: Obj): Obj {
    if (body.kind !== undefined && body.kind !== 'TokenRequest') {
      throw badRequest(`TokenRequest expected, got ${String(body.kind)}`);
    }
    const spec = asObj(body.spec);
    const expirationSeconds = spec.expirationSeconds === undefined ? 3600 : Number(spec.expirationSeconds);
    if (!Number.isInteger(expirationSeconds) || expirationSeconds < MIN_EXPIRATION_SECONDS) {
      throw invalid('authentication.k8s.io', 'TokenRequest', name, [
        {
          field: 'spec.expirationSeconds',
          type: 'FieldValueInvalid',
          value: expirationSeconds,
          detail: 'may not specify a duration less than 10 minutes',
        },
      ]);
    }
    if (expirationSeconds > MAX_EXPIRATION_SECONDS) {
      throw invalid('authentication.k8s.io', 'TokenRequest', name, [
        {
          field: 'spec.expirationSeconds',
          type: 'FieldValueInvalid',
          value: expirationSeconds,
          detail: 'may not specify a duration larger than 2^32 seconds',
        },
      ]);
    }
    const sa = store.getIn('/ServiceAccount', namespace, name);
    if (!sa) throw notFound({ group: '', resource: 'serviceaccounts' }, name);
    const requested = Array.isArray(spec.audiences) ? spec.audiences.map(String) : [];
    const aud = requested.length > 0 ? requested : this.apiAudiences;
    const kubernetesClaim: Obj = {
      namespace,
      serviceaccount: { name, uid: String(metaOf(sa).uid) },
    };
    const bound = spec.boundObjectRef ? asObj(spec.boundObjectRef) : undefined;
    if (bound) Object.assign(kubernetesClaim, this.#boundClaim(store, namespace, bound));
    const iat = Math.floor(this.#now().getTime() / 1000);
    const exp = iat + expirationSeconds;
    const token = signJwt(
      {
        aud,
        exp,
        iat,
        iss: this.issuer,
        jti: randomUUID(),
        'kubernetes.io': kubernetesClaim,
        nbf: iat,
        sub: `system:serviceaccount:${namespace}:${name}`,
      },
      this.#key,
    );
    return {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace, creationTimestamp: rfc3339(this.#now()) },
      spec: { audiences: aud, expirationSeconds, boundObjectRef: bound ?? null },
      status: { token, expirationTimestamp: rfc3339(new Date(exp * 1000)) },
    };
  }

  /** The `kubernetes.io.pod|secret|node` claim for a bound object, which must exist with the given uid. */
  #boundClaim(store: ObjectStore, namespace: string, ref: Obj): Obj {
    const kind = String(ref.kind ?? '');
    const target = BOUND_KINDS[kind];
    if (!target)
      throw badRequest(`cannot bind token for ${kind} "${String(ref.name)}": supported kinds are Pod, Secret, Node`);
    const objName = String(ref.name ?? '');
    const obj = store.getIn(target.storage, kind === 'Node' ? '' : namespace, objName);
    if (!obj) throw notFound({ group: '', resource: target.resource }, objName);
    const uid = String(metaOf(obj).uid);
    if (ref.uid && ref.uid !== uid) {
      const error = conflict({ group: '', resource: target.resource }, objName);
      error.status.message = `the UID in the bound object reference (${String(ref.uid)}) does not match the UID in record. The object might have been deleted and then recreated`;
      throw error;
    }
    return { [kind.toLowerCase()]: { name: nameOf(obj), uid } };
  }

  /**
   * Validates a bearer token as the API server's service-account authenticator does: our signature and
   * issuer, not expired, an audience the API accepts, and the ServiceAccount (and bound object) still there.
   */
  verify(store: ObjectStore, token: string): VerifiedServiceAccount | undefined {
    let claims: JwtClaims;
    try {
      claims = verifyJwt(token, this.jwks, Math.floor(this.#now().getTime() / 1000)).claims;
    } catch {
      return undefined;
    }
    if (claims.iss !== this.issuer) return undefined;
    if (!audiences(claims).some((a) => this.apiAudiences.includes(a))) return undefined;
    const k8s = asObj(claims['kubernetes.io']);
    const namespace = String(k8s.namespace ?? '');
    const sa = asObj(k8s.serviceaccount);
    const current = store.getIn('/ServiceAccount', namespace, String(sa.name ?? ''));
    if (!current || metaOf(current).uid !== sa.uid) return undefined;
    const pod = k8s.pod ? asObj(k8s.pod) : undefined;
    if (pod && metaOf(store.getIn('/Pod', namespace, String(pod.name)) ?? {}).uid !== pod.uid) return undefined;
    return { namespace, name: String(sa.name), claims };
  }
}
