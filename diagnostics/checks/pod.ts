/**
 * Pod: exists (else a finding: the pods that do, the closest name, whether the namespace exists), its phase and
 * waiting reasons, and its Secrets Store CSI volume judged by the linter's pod rules (driver name,
 * `secretProviderClass` reference, readOnly, mounts; the rule id is the finding's variant), plus ServiceAccount and
 * node. Needs: get pods.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { CSI_DRIVER_NAME, type Evidence } from '../gather/gather-evidence.ts';
import { csiVolumeOf } from '../gather/pod-volume.ts';
import { readValue } from '../gather/read.ts';
import type { Finding } from '../types.ts';
import { type Check, type CheckOutcome, couldNotCheck, type Emits, outcome, tagged } from './check.ts';
import { lintFindings } from './lint-findings.ts';
import { nearest } from './nearest-name.ts';

const EMITS = {
  variants: {
    OTHER: ['no-csi-volume', 'container', 'pod-not-found', 'pod-typo', 'namespace-not-found'],
  },
  facts: ['pod', 'namespace', 'node', 'serviceAccount', 'volume', 'spc', 'nearestPod', 'podNames'],
} as const satisfies Emits;

/** The variants that say the asked-for pod is not there (run-diagnosis.ts `isPodNotFound`). */
export const POD_NOT_FOUND_VARIANTS: readonly string[] = ['pod-not-found', 'pod-typo', 'namespace-not-found'];

export const podCheck: Check = {
  id: 'pod',
  title: 'Pod and its CSI volume',
  emits: EMITS,
  reads: (e) => [e.pod, e.otherPods],
  run(e) {
    const { namespace, pod: name } = e.target;
    if (!e.pod.ok) return couldNotCheck(e.pod.gap.message);
    const pod = e.pod.value;
    if (!pod) return podNotFound(e);
    const state = podState(pod);
    const volume = csiVolumeOf(pod);
    const facts = {
      pod: name,
      namespace,
      node: pod.spec?.nodeName,
      serviceAccount: pod.spec?.serviceAccountName || 'default',
    };
    if (!volume) {
      return outcome(
        [
          {
            ...tagged(EMITS, 'OTHER', 'no-csi-volume'),
            severity: 'error',
            confidence: 'high',
            evidence: [`pod ${name} has no CSI volume of driver ${CSI_DRIVER_NAME}`],
            facts,
          },
        ],
        `${state}; no Secrets Store CSI volume`,
      );
    }
    // The volume as kubelet and the driver check it (driver name, readOnly, the SPC reference, mounts, the identity
    // the SPC needs from it): the linter's pod rules on the live pod, the SPC and the ServiceAccount, so diagnose and
    // lint agree. An SPC that does not exist is the SecretProviderClass check's finding, not pod/spc-not-found.
    const findings: Finding[] = lintFindings(
      { pod, spc: readValue(e.spc), serviceAccount: readValue(e.serviceAccount) },
      `pod ${namespace}/${name}`,
      e.profile ?? 'lab',
      (rule) => rule.startsWith('pod/') && rule !== 'pod/spc-not-found',
      { ...facts, volume: volume.volumeName, spc: volume.secretProviderClass },
    );
    if (state.startsWith('Running') === false && isOtherBlocker(pod)) {
      findings.push({
        ...tagged(EMITS, 'OTHER', 'container'),
        severity: 'error',
        confidence: 'medium',
        evidence: [state],
        facts,
      });
    }
    return outcome(
      findings,
      `${state}; volume ${volume.volumeName} → SecretProviderClass ${volume.secretProviderClass ?? '(none)'}; ` +
        `ServiceAccount ${facts.serviceAccount}; node ${facts.node ?? '(not scheduled)'}`,
    );
  },
};

/**
 * The asked-for pod does not exist: a finding (the student's answer is "that name is not there"), naming the pods
 * that are, the closest of them, and whether the namespace itself exists.
 */
function podNotFound(e: Evidence): CheckOutcome {
  const { namespace, pod: name } = e.target;
  const others = readValue(e.otherPods);
  const closest = others ? nearest(name, others) : undefined;
  const noNamespace = e.namespaceExists?.ok === true && !e.namespaceExists.value;
  const podNames =
    others === undefined ? undefined : others.length ? others.join(', ') : 'none, the namespace has no pods';
  const evidence = [
    noNamespace ? `namespace ${namespace} does not exist` : `pod ${name} does not exist in namespace ${namespace}`,
    ...(noNamespace || others === undefined
      ? []
      : [others.length ? `pods in ${namespace}: ${others.join(', ')}` : `namespace ${namespace} has no pods`]),
    ...(e.otherPods && !e.otherPods.ok ? [e.otherPods.gap.message] : []),
    ...(e.namespaceExists && !e.namespaceExists.ok ? [e.namespaceExists.gap.message] : []),
  ];
  const variant = noNamespace ? 'namespace-not-found' : closest ? 'pod-typo' : 'pod-not-found';
  const finding: Finding = {
    ...tagged(EMITS, 'OTHER', variant),
    severity: 'error',
    confidence: 'high',
    evidence,
    facts: { pod: name, namespace, nearestPod: closest, podNames },
  };
  const summary = noNamespace
    ? `namespace ${namespace} does not exist`
    : `pod ${name} does not exist in namespace ${namespace}${closest ? ` — did you mean ${closest}?` : ''}` +
      (others === undefined ? '' : others.length ? `; pods there: ${others.join(', ')}` : '; it has no pods');
  return { status: 'fail', summary, findings: [finding] };
}

/** `Running`, or `Pending (app: ContainerCreating)`, with waiting messages. */
export function podState(pod: V1Pod): string {
  const phase = pod.status?.phase ?? 'Unknown';
  const waiting = (pod.status?.containerStatuses ?? [])
    .filter((c) => c.state?.waiting?.reason)
    .map(
      (c) =>
        `${c.name}: ${c.state?.waiting?.reason}${c.state?.waiting?.message ? ` — ${c.state.waiting.message}` : ''}`,
    );
  return waiting.length ? `${phase} (${waiting.join('; ')})` : phase;
}

/** Waiting reasons that are not about the secrets mount (image pulls, crashes). */
function isOtherBlocker(pod: V1Pod): boolean {
  const reasons = (pod.status?.containerStatuses ?? []).map((c) => c.state?.waiting?.reason ?? '');
  return reasons.some((r) => /ImagePull|ErrImage|CrashLoopBackOff|InvalidImageName/.test(r));
}
