/**
 * ServiceAccount: the pod's ServiceAccount exists, and its `azure.workload.identity/client-id` annotation
 * agrees with the SecretProviderClass's clientID (the CSI mount itself uses the SPC's clientID; a
 * disagreement usually means the student copied the wrong id into one of them). Needs: get serviceaccounts.
 */
import { readValue } from '../gather/read.ts';
import { spcParameters } from '../spc/spc-parameters.ts';
import type { Finding } from '../types.ts';
import { type Check, couldNotCheck, type Emits, notChecked, outcome, tagged } from './check.ts';
import { lintFindings } from './lint-findings.ts';

export const CLIENT_ID_ANNOTATION = 'azure.workload.identity/client-id';

const EMITS = {
  variants: { AUTH_FAILED: ['service-account-missing'] },
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
    // The annotation against the SPC's clientID, as `kvlab lint` judges it (sa/* rules on the live objects).
    const findings: Finding[] = lintFindings(
      { pod: readValue(e.pod), spc, serviceAccount: sa },
      `ServiceAccount ${namespace}/${name}`,
      e.profile ?? 'lab',
      (rule) => rule.startsWith('sa/'),
      { ...facts, clientId: params?.clientId || undefined, annotatedClientId: annotated },
    );
    return outcome(
      findings,
      `ServiceAccount ${name}${annotated ? ` (client-id ${annotated})` : ' (no client-id annotation)'}`,
    );
  },
};
