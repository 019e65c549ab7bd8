/**
 * Workload identity federation as Entra ID applies it to a `client_assertion` (docs/wire-notes.md §3.1, §3): the assertion
 * must be a well-formed JWT within its lifetime, match one of the identity's federated identity credentials (FIC)
 * on issuer, subject and audience (case-sensitive), and carry a signature that verifies against the issuer's
 * published keys. Each failure maps to the AADSTS code the real service returns.
 */
import type { FederatedCredential, Identity } from '../azure/state.ts';
import { audiences, type DecodedJwt, decodeJwt, JwtError, verifyJwt } from '../common/jwt.ts';
import { aadsts, type EntraError } from './errors.ts';
import type { IssuerJwksResolver } from './issuer-keys.ts';

/** Clock skew Entra tolerates on assertion `exp`/`nbf` (believed 5 minutes, as for certificate assertions). */
export const ASSERTION_SKEW_SECONDS = 300;

/**
 * Validates a client assertion for `identity`. Order: shape → lifetime → FIC match → issuer keys → signature,
 * so an assertion from an unknown issuer is reported as a federation mismatch before Entra would try to fetch
 * that issuer's keys. Returns `undefined` when the assertion is accepted.
 */
export async function checkClientAssertion(
  assertion: string,
  identity: Identity,
  ctx: { now: Date; resolveIssuerJwks: IssuerJwksResolver },
): Promise<EntraError | undefined> {
  let decoded: DecodedJwt;
  try {
    decoded = decodeJwt(assertion);
  } catch {
    return aadsts.malformedAssertion();
  }
  const { iss, sub, exp, nbf, iat } = decoded.claims;
  if (typeof iss !== 'string' || typeof sub !== 'string' || typeof exp !== 'number') return aadsts.malformedAssertion();

  const nowSeconds = Math.floor(ctx.now.getTime() / 1000);
  const notBefore = typeof nbf === 'number' ? nbf : undefined;
  if (
    nowSeconds > exp + ASSERTION_SKEW_SECONDS ||
    (notBefore !== undefined && nowSeconds + ASSERTION_SKEW_SECONDS < notBefore)
  ) {
    const validFrom = notBefore ?? (typeof iat === 'number' ? iat : 0);
    return aadsts.assertionTimeRange(ctx.now, new Date(validFrom * 1000), new Date(exp * 1000));
  }

  const mismatch = matchFederatedCredential(identity.federatedCredentials ?? [], iss, sub, audiences(decoded.claims));
  if (mismatch) return mismatch;

  const kid = typeof decoded.header.kid === 'string' ? decoded.header.kid : undefined;
  const jwks = await ctx.resolveIssuerJwks(iss, kid).catch(() => undefined);
  if (!jwks || !Array.isArray(jwks.keys) || jwks.keys.length === 0) return aadsts.issuerUnreachable();
  try {
    verifyJwt(assertion, jwks as { keys: Array<Record<string, unknown>> }, nowSeconds, ASSERTION_SKEW_SECONDS);
  } catch (err) {
    const named = kid ?? '';
    if (err instanceof JwtError && err.reason === 'unknown_key') return aadsts.invalidSignature('key', named);
    if (err instanceof JwtError && err.reason === 'bad_signature') return aadsts.invalidSignature('signature', named);
    return aadsts.malformedAssertion();
  }
  return undefined;
}

/**
 * Finds the FIC the assertion satisfies, or the error for the closest partial match. Entra looks FICs up by
 * issuer, then subject, then checks the audience, so: no FIC at all → 70021; none with this issuer → 700211;
 * issuer matches but no subject does → 700213 (7002138 when only the case differs); issuer and subject match
 * but no audience does → 700212.
 */
export function matchFederatedCredential(
  fics: FederatedCredential[],
  iss: string,
  sub: string,
  aud: string[],
): EntraError | undefined {
  const audText = aud.join(',');
  if (fics.length === 0) return aadsts.noFederatedCredentials(iss, sub, audText);
  const byIssuer = fics.filter((f) => f.issuer === iss);
  if (byIssuer.length === 0) return aadsts.issuerMismatch(iss);
  const bySubject = byIssuer.filter((f) => f.subject === sub);
  if (bySubject.length === 0) {
    const caseOnly = byIssuer.some((f) => f.subject.toLowerCase() === sub.toLowerCase());
    return caseOnly ? aadsts.subjectCaseMismatch(sub) : aadsts.subjectMismatch(sub);
  }
  if (!bySubject.some((f) => f.audiences.some((a) => aud.includes(a)))) return aadsts.audienceMismatch(audText);
  return undefined;
}
