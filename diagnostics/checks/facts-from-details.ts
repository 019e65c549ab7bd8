/** Turns what the classifier extracted from a message into knowledge-base facts (names to fill into fixes). */
import type { MessageDetails } from '../knowledge/classify/index.ts';
import type { Facts } from '../types.ts';

export function detailsToFacts(d: MessageDetails): Facts {
  const facts: Facts = {
    objectName: d.objectName,
    objectType: d.objectType,
    vault: d.vault,
    clientId: d.clientId,
    tenantId: d.tenantId,
    aadsts: d.aadsts,
    issuer: d.assertionIssuer,
    subject: d.assertionSubject,
    spc: d.secretProviderClass,
  };
  return Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined && v !== ''));
}
