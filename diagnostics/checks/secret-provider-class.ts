/**
 * SecretProviderClass: exists in the pod's namespace (else the nearest name there, and whether one with that
 * name exists in another namespace), and its parameters pass the linter (the Azure provider's own validation,
 * plus the lab's conventions under the lab profile, the default for roster namespaces). Needs: get/list
 * secretproviderclasses.
 */

import { readValue } from '../gather/read.ts';
import type { SecretProviderClass } from '../ports/cluster-reader.ts';
import { spcParameters } from '../spc/spc-parameters.ts';
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
    const answered = vaultAnswered(e);
    const findings: Finding[] = lintFindings(
      { spc },
      origin,
      e.profile ?? 'lab',
      (rule, path) => !(rule === 'lab/object-name' && answered.has(objectNameAt(spc, path))),
      { spc: spc.metadata.name, namespace },
    );
    const errors = findings.filter((f) => f.severity === 'error').length;
    return outcome(
      findings,
      `${namespace}/${spc.metadata.name}: ${errors} error(s), ${findings.length - errors} warning(s) in its parameters`,
    );
  },
};

/**
 * Names (lower case, as Key Vault compares them) of the objects the replay got the vault's own answer for — read, or
 * refused with a status. The lab's list of object names is a guess made without asking; the vault's answer replaces
 * it (a key the instructor added is not "not one of the lab's secrets", and a missing one is told by the replay).
 */
function vaultAnswered(e: Parameters<Check['run']>[0]): Set<string> {
  const replay = readValue(e.replay);
  if (!replay?.performed) return new Set();
  return new Set(
    replay.outcome.objects
      .filter((o) => o.outcome.readable || o.outcome.error.kind === 'http')
      .map((o) => o.objectName.toLowerCase()),
  );
}

/** The objectName of the SPC object a lint path such as `spec.parameters.objects.array[2].objectName` points at. */
function objectNameAt(spc: SecretProviderClass, path: string): string {
  const index = /objects\.array\[(\d+)\]/.exec(path)?.[1];
  return index === undefined ? '' : (spcParameters(spc).objects[Number(index)]?.objectName ?? '').toLowerCase();
}

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
