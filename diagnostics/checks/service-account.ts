/**
 * ServiceAccount: the pod's ServiceAccount exists, and its `azure.workload.identity/client-id` annotation
 * agrees with the SecretProviderClass's clientID (the CSI mount itself uses the SPC's clientID; a
 * disagreement usually means the student copied the wrong id into one of them). Needs: get serviceaccounts.
 */
import { readValue } from '../gather/read.ts';
import { spcParameters } from '../spc/spc-parameters.ts';
import type { Finding } from '../types.ts';
import { type Check, couldNotCheck, type Emits, notChecked, outcome, tagged } from './check.ts';

export const CLIENT_ID_ANNOTATION = 'azure.workload.identity/client-id';

const EMITS = {
  variants: { AUTH_FAILED: ['service-account-missing', 'service-account-not-annotated', 'client-id-mismatch'] },
  facts: ['namespace', 'serviceAccount', 'clientId', 'annotatedClientId'],
} as const satisfies Emits;

export const serviceAccountCheck: Check = {
  id: 'service-account',
  title: 'ServiceAccount',
  emits: EMITS,
  reads: (e) => [e.serviceAccount],
  run(e) {
    if (!e.serviceAccount) return notChecked("the pod's ServiceAccount was not read");
    if (!e.serviceAccount.ok) return couldNotCheck(e.serviceAccount.gap.message);
    const { namespace } = e.target;
    const name = readValue(e.pod)?.spec?.serviceAccountName || 'default';
    const sa = e.serviceAccount.value;
    const facts = { namespace, serviceAccount: name };
    if (!sa) {
      return outcome(
        [
          {
            ...tagged(EMITS, 'AUTH_FAILED', 'service-account-missing'),
            severity: 'error',
            confidence: 'high',
            evidence: [`ServiceAccount ${namespace}/${name} does not exist`],
            facts,
          },
        ],
        `ServiceAccount ${name} does not exist`,
      );
    }
    const annotated = sa.metadata?.annotations?.[CLIENT_ID_ANNOTATION];
    const spc = readValue(e.spc);
    const params = spc ? spcParameters(spc) : undefined;
    const findings: Finding[] = [];
    if (params?.identityMode === 'workloadIdentity') {
      if (!annotated) {
        findings.push({
          ...tagged(EMITS, 'AUTH_FAILED', 'service-account-not-annotated'),
          severity: 'warning',
          confidence: 'medium',
          evidence: [`ServiceAccount ${name} has no ${CLIENT_ID_ANNOTATION} annotation`],
          facts: { ...facts, clientId: params.clientId },
        });
      } else if (annotated !== params.clientId) {
        findings.push({
          ...tagged(EMITS, 'AUTH_FAILED', 'client-id-mismatch'),
          severity: 'warning',
          confidence: 'medium',
          evidence: [
            `ServiceAccount ${name} is annotated ${CLIENT_ID_ANNOTATION}: ${annotated}, the SecretProviderClass says clientID: ${params.clientId}`,
          ],
          facts: { ...facts, clientId: params.clientId, annotatedClientId: annotated },
        });
      }
    }
    return outcome(
      findings,
      `ServiceAccount ${name}${annotated ? ` (client-id ${annotated})` : ' (no client-id annotation)'}`,
    );
  },
};
