/**
 * Turns what the classifier extracted from a message into knowledge-base facts (names to fill into fixes). A
 * value the poster redacted (`xxxx`, `***`, `REDACTED`, `<TENANT_ID>`, `{client-id}`) is not a name: the fix keeps
 * its hint and says how to look the value up.
 */
import type { MessageDetails } from '../knowledge/classify/index.ts';
import type { Facts } from '../types.ts';

const REDACTED = /^(?:[x*_.#-]{3,}|.*redacted.*|<[^>]*>|\{[^}]*\}|\[[^\]]*\]|\.\.\.)$|x{4,}|\*{3,}|#####/i;
const SA_SUBJECT = /^system:serviceaccount:([a-z0-9-]{1,63}):([a-z0-9.-]{1,253})$/;

/** True when a value from a message is a redaction or template text rather than a real name. */
export function isRedacted(value: string): boolean {
  return REDACTED.test(value.trim());
}

export function detailsToFacts(d: MessageDetails): Facts {
  const subject = d.assertionSubject ? SA_SUBJECT.exec(d.assertionSubject) : null;
  const facts: Facts = {
    objectName: d.objectName,
    objectType: d.objectType,
    objectVersion: d.objectVersion,
    vault: d.vault,
    clientId: d.clientId,
    objectId: d.objectId,
    tenantId: d.tenantId,
    aadsts: d.aadsts,
    issuer: d.assertionIssuer,
    subject: d.assertionSubject,
    audience: d.assertionAudience,
    spc: d.secretProviderClass,
    pod: d.pod,
    namespace: d.namespace ?? subject?.[1],
    serviceAccount: subject?.[2],
    volume: d.volume,
    secretName: d.secretName,
  };
  return Object.fromEntries(
    Object.entries(facts).filter(([, v]) => typeof v === 'string' && v !== '' && !isRedacted(v)),
  );
}
