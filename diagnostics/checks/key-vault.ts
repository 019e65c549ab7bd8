/**
 * Key Vault replay: what the mount itself does — TokenRequest for the pod's ServiceAccount, exchange at
 * Entra ID for the SPC's clientID/tenantId, then the get of each object by its type (secret, key, cert), as the
 * provider does, after listing its versions when it sets objectVersionHistory above 1 (the list permission).
 * Reports per object: readable, version, enabled/expiry, a key's type, whether a secret backs a certificate —
 * never a value or key material. Shows the token's iss/sub/aud beside what a federated credential
 * must match.
 */
import { readValue } from '../gather/read.ts';
import type { ObjectOutcome, ProbeError } from '../ports/vault-probe.ts';
import { spcParameters } from '../spc/spc-parameters.ts';
import type { Facts, Finding } from '../types.ts';
import { type Check, couldNotCheck, type Emits, outcome, skip, tagged } from './check.ts';
import { PROBE_ERROR_VARIANTS, probeErrorFinding } from './probe-error-finding.ts';

/** A readable object Key Vault will not let the mount use as is, per object type (the fix commands differ). */
const UNUSABLE = {
  secret: { disabled: 'disabled', expired: 'expired', 'not-yet-valid': 'not-yet-valid' },
  key: { disabled: 'key-disabled', expired: 'key-expired', 'not-yet-valid': 'key-not-yet-valid' },
  cert: { disabled: 'cert-disabled', expired: 'cert-expired', 'not-yet-valid': 'cert-not-yet-valid' },
} as const;

/** Besides these, probeErrorFinding's variants from variantOf, and objectId. */
const EMITS = {
  variants: {
    ...PROBE_ERROR_VARIANTS,
    // probeErrorFinding's key-disabled and cert-disabled, and UNUSABLE's.
    SECRET_DISABLED: [
      'disabled',
      'expired',
      'not-yet-valid',
      'key-disabled',
      'key-expired',
      'key-not-yet-valid',
      'cert-disabled',
      'cert-expired',
      'cert-not-yet-valid',
      'key-type-unsupported',
      'unknown-content-type',
    ],
  },
  facts: [
    'namespace',
    'serviceAccount',
    'spc',
    'vault',
    'clientId',
    'tenantId',
    'issuer',
    'subject',
    'objectName',
    'objectType',
    'objectVersion',
    'objectId',
  ],
} as const satisfies Emits;

export const keyVaultCheck: Check = {
  id: 'key-vault',
  title: 'Key Vault access (replay of the mount)',
  emits: EMITS,
  reads: (e) => [e.replay],
  run(e, now) {
    if (!e.replay) return skip('not replayed (no usable SecretProviderClass, or replay is off)');
    if (!e.replay.ok) return couldNotCheck(e.replay.gap.message);
    const replay = e.replay.value;
    if (!replay.performed) return skip(`not replayed: ${replay.reason}`);
    const spc = readValue(e.spc);
    const params = spc ? spcParameters(spc) : undefined;
    const { namespace } = e.target;
    const facts: Facts = {
      namespace,
      serviceAccount: replay.serviceAccount,
      spc: spc?.metadata.name,
      vault: params?.keyvaultName,
      clientId: params?.clientId,
      tenantId: params?.tenantId,
      issuer: replay.claims.iss,
      subject: replay.claims.sub,
    };
    const unasked = notAsked(replay.outcome.token.ok ? undefined : replay.outcome.token.error, replay.outcome.objects);
    if (unasked) {
      return couldNotCheck(
        `not checked because kvlab itself got no answer from ${unasked.who} (${unasked.error.code ?? unasked.error.kind}): this is kvlab's network (egress, DNS, proxy, TLS), not a finding about the student's setup`,
      );
    }
    const tokenLine = `service-account token: iss ${replay.claims.iss}, sub ${replay.claims.sub}, aud ${replay.claims.aud.join(',')}`;
    if (!replay.outcome.token.ok) {
      const finding = probeErrorFinding(replay.outcome.token.error, facts);
      finding.evidence.push(
        tokenLine,
        `a federated credential must match exactly: issuer ${replay.claims.iss}, subject ${replay.claims.sub}, audience api://AzureADTokenExchange`,
      );
      return outcome([finding], `Entra ID refused the token exchange for client ${params?.clientId}`);
    }
    const findings: Finding[] = [];
    const lines: string[] = [];
    for (const o of replay.outcome.objects) {
      const label = `${o.objectType}/${o.objectName}`;
      if (!o.outcome.readable && o.outcome.error.kind === 'unsupported') {
        lines.push(`${label}: not probed (${o.outcome.error.message})`);
        continue;
      }
      const objectFacts = {
        ...facts,
        objectName: o.objectName,
        objectType: o.objectType,
        ...(o.objectVersion ? { objectVersion: o.objectVersion } : {}),
      };
      if (!o.outcome.readable) {
        const { error, existsAs, during } = o.outcome;
        const finding = probeErrorFinding(error, objectFacts, {
          ...o,
          ...(existsAs ? { existsAs } : {}),
          ...(during ? { during } : {}),
        });
        if (existsAs?.some((t) => t !== o.objectType))
          finding.evidence.push(`vault ${params?.keyvaultName} has ${o.objectName} as: ${existsAs.join(', ')}`);
        if (during === 'list-versions')
          finding.evidence.push(
            `${label} sets objectVersionHistory ${o.objectVersionHistory}: the provider lists its versions before it gets them, and Key Vault refused that listing`,
          );
        findings.push(finding);
        lines.push(`${label}: ${describe(error)}${during === 'list-versions' ? ' listing its versions' : ''}`);
        continue;
      }
      const { version, enabled, expiresOn, notBefore } = o.outcome;
      lines.push(
        `${label}: readable, version ${version ?? '?'}${kindNote(o.outcome)}${enabled === false ? ', disabled' : ''}${expiresOn ? `, expires ${expiresOn}` : ''}`,
      );
      const unwritable = unwritableBy(o.objectType, o.outcome);
      if (unwritable) {
        findings.push({
          ...tagged(EMITS, 'SECRET_DISABLED', unwritable.variant),
          severity: 'error',
          confidence: 'high',
          evidence: [`${label}: ${unwritable.why}`],
          facts: objectFacts,
        });
        continue;
      }
      const expired = expiresOn && new Date(expiresOn) < now;
      const early = notBefore && new Date(notBefore) > now;
      if (enabled === false || expired || early) {
        const type = o.objectType === 'key' || o.objectType === 'cert' ? o.objectType : 'secret';
        findings.push({
          ...tagged(
            EMITS,
            'SECRET_DISABLED',
            UNUSABLE[type][enabled === false ? 'disabled' : expired ? 'expired' : 'not-yet-valid'],
          ),
          severity: 'warning',
          confidence: 'medium',
          evidence: [
            `${label}: ${enabled === false ? 'disabled' : expired ? `expired ${expiresOn}` : `not valid before ${notBefore}`}`,
          ],
          facts: objectFacts,
        });
      }
    }
    for (const f of findings) f.evidence.push(tokenLine);
    const readable = replay.outcome.objects.filter((o) => o.outcome.readable).length;
    return outcome(
      findings,
      `${readable}/${replay.outcome.objects.length} object(s) readable from ${params?.keyvaultName}: ${lines.join('; ')}`,
    );
  },
};

/** kvlab's own failure to get any answer: a refused/reset connection, a timeout, a DNS server that did not answer, TLS. */
function isUnanswered(err: ProbeError): boolean {
  return err.kind === 'network' || err.kind === 'timeout';
}

function notAsked(
  tokenError: ProbeError | undefined,
  objects: readonly { outcome: { readable: true } | { readable: false; error: ProbeError } }[],
): { who: string; error: ProbeError } | undefined {
  if (tokenError) return isUnanswered(tokenError) ? { who: 'Entra ID', error: tokenError } : undefined;
  const failed = objects.flatMap((o) => (o.outcome.readable ? [] : [o.outcome.error]));
  const unanswered = failed.filter(isUnanswered);
  // Only when nothing answered: one object's reset beside another's 404 still leaves the 404 a finding.
  return unanswered.length > 0 && unanswered.length === failed.length
    ? { who: 'Key Vault', error: unanswered[0] as ProbeError }
    : undefined;
}

/** The key types whose public part the provider writes as PEM (provider getKey). */
const WRITABLE_KEY_TYPES = ['RSA', 'RSA-HSM', 'EC', 'EC-HSM'];
/** The content types of a certificate's secret the provider converts (provider getSecret). */
const CONVERTIBLE_CONTENT_TYPES = ['application/x-pkcs12', 'application/x-pem-file'];

/** An object Key Vault returned that the provider still cannot write to the volume, as the mount would fail. */
function unwritableBy(
  objectType: string,
  o: ObjectOutcome & { readable: true },
): { variant: 'key-type-unsupported' | 'unknown-content-type'; why: string } | undefined {
  if (objectType === 'key' && o.keyType && !WRITABLE_KEY_TYPES.includes(o.keyType)) {
    return {
      variant: 'key-type-unsupported',
      why: `a ${o.keyType} key: the provider writes RSA and EC keys only ("failed to get key. key type '${o.keyType}' currently not supported")`,
    };
  }
  if (objectType === 'secret' && o.certificateBacked && !CONVERTIBLE_CONTENT_TYPES.includes(o.contentType ?? '')) {
    return {
      variant: 'unknown-content-type',
      why: `a certificate's secret of content type '${o.contentType ?? ''}': the provider converts application/x-pkcs12 and application/x-pem-file only ("failed to get certificate. unknown content type")`,
    };
  }
  return undefined;
}

/** What a readable object is, beyond its version: a key's type, a certificate's secret. */
function kindNote(o: ObjectOutcome & { readable: true }): string {
  if (o.keyType) return `, ${o.keyType} key`;
  if (o.certificateBacked) return `, certificate-backed${o.contentType ? ` (${o.contentType})` : ''}`;
  return '';
}

function describe(err: ProbeError): string {
  const codes = [err.statusCode, err.code, err.innerCode, err.aadsts && `AADSTS${err.aadsts}`]
    .filter(Boolean)
    .join(' ');
  return `${err.kind} error${codes ? ` (${codes})` : ''}`;
}
