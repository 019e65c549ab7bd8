/**
 * SecretProviderClass: exists in the pod's namespace (else the nearest name there, and whether one with that
 * name exists in another namespace), and its parameters pass the linter (the Azure provider's own validation,
 * plus the lab's conventions under the lab profile, the default for roster namespaces). Needs: get/list
 * secretproviderclasses.
 */

import { readValue } from '../gather/read.ts';
import type { Finding } from '../types.ts';
import { type Check, couldNotCheck, type Emits, notChecked, outcome, tagged } from './check.ts';
import { lintFindings } from './lint-findings.ts';
import { nearest } from './nearest-name.ts';

/** Besides these, every lint rule id as a variant of the rule's category. */
const EMITS = {
  variants: { SPC_NOT_FOUND: ['other-namespace', 'typo'] },
  facts: ['spc', 'namespace', 'nearestSpc', 'otherNamespace'],
} as const satisfies Emits;

export const secretProviderClassCheck: Check = {
  id: 'secret-provider-class',
  title: 'SecretProviderClass',
  emits: EMITS,
  reads: (e) => [e.spc, e.spcsInNamespace, e.spcsElsewhere],
  run(e) {
    const { namespace } = e.target;
    if (!e.spc) return notChecked('no SecretProviderClass was read');
    if (!e.spc.ok)
      return e.spc.gap.reason === 'not_served' ? notChecked(e.spc.gap.message) : couldNotCheck(e.spc.gap.message);
    const spc = e.spc.value;
    if (!spc) return notFound(e);
    const origin = `SecretProviderClass ${namespace}/${spc.metadata.name}`;
    const findings: Finding[] = lintFindings({ spc }, origin, e.profile ?? 'lab', () => true, {
      spc: spc.metadata.name,
      namespace,
    });
    const errors = findings.filter((f) => f.severity === 'error').length;
    return outcome(
      findings,
      `${namespace}/${spc.metadata.name}: ${errors} error(s), ${findings.length - errors} warning(s) in its parameters`,
    );
  },
};

function notFound(e: Parameters<Check['run']>[0]): ReturnType<Check['run']> {
  const { namespace } = e.target;
  const spcName = (readValue(e.pod)?.spec?.volumes ?? [])
    .map((v) => v.csi?.volumeAttributes?.secretProviderClass)
    .find(Boolean);
  const here = (readValue(e.spcsInNamespace) ?? []).map((s) => s.metadata.name);
  const elsewhere = (readValue(e.spcsElsewhere) ?? [])
    .filter((s) => s.metadata.name === spcName && s.metadata.namespace !== namespace)
    .map((s) => s.metadata.namespace ?? '');
  const closest = spcName ? nearest(spcName, here) : undefined;
  const evidence = [
    `SecretProviderClass "${spcName}" not found in namespace ${namespace}`,
    here.length
      ? `SecretProviderClasses in ${namespace}: ${here.join(', ')}`
      : `namespace ${namespace} has no SecretProviderClass`,
    ...(elsewhere.length ? [`one named "${spcName}" exists in namespace(s): ${elsewhere.join(', ')}`] : []),
  ];
  const variant = elsewhere.length ? 'other-namespace' : closest ? 'typo' : undefined;
  return outcome(
    [
      {
        ...(variant ? tagged(EMITS, 'SPC_NOT_FOUND', variant) : { category: 'SPC_NOT_FOUND' as const }),
        severity: 'error',
        confidence: 'high',
        evidence,
        facts: { spc: spcName, namespace, nearestSpc: closest, otherNamespace: elsewhere[0] },
      },
    ],
    `SecretProviderClass ${spcName} is not in namespace ${namespace}`,
  );
}
