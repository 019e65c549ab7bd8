/**
 * CSI driver: the CSIDriver `secrets-store.csi.k8s.io` exists and asks kubelet for workload-identity tokens
 * (tokenRequests audience api://AzureADTokenExchange); driver and Azure provider pods exist and are Ready on
 * the pod's node, and across nodes; restarts are noted. Needs: get csidrivers, list pods in kube-system.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { readValue } from '../gather/read.ts';
import { TOKEN_EXCHANGE_AUDIENCE } from '../gather/replay-mount.ts';
import type { Finding } from '../types.ts';
import { type Check, couldNotCheck, type Emits, outcome, tagged } from './check.ts';

/** Pod labels of the add-on (AKS) and of the upstream charts/static manifests (docs/wire-notes.md §1.4). */
const DRIVER_APPS = new Set(['secrets-store-csi-driver', 'csi-secrets-store']);
const PROVIDER_APPS = new Set(['secrets-store-provider-azure', 'csi-secrets-store-provider-azure']);

const EMITS = {
  variants: { AUTH_FAILED: ['token-requests'], CSI_DRIVER_UNHEALTHY: ['not-on-node', 'crashing'] },
  facts: ['node'],
} as const satisfies Emits;

export const csiDriverCheck: Check = {
  id: 'csi-driver',
  title: 'Secrets Store CSI driver and Azure provider',
  emits: EMITS,
  reads: (e) => [e.csiDriver, e.driverPods],
  run(e) {
    if (!e.csiDriver.ok) return couldNotCheck(e.csiDriver.gap.message);
    if (!e.driverPods.ok) return couldNotCheck(e.driverPods.gap.message);
    const csiDriver = e.csiDriver.value;
    const pods = e.driverPods.value;
    const drivers = pods.filter((p) => DRIVER_APPS.has(p.metadata?.labels?.app ?? ''));
    const providers = pods.filter((p) => PROVIDER_APPS.has(p.metadata?.labels?.app ?? ''));
    const node = readValue(e.pod)?.spec?.nodeName;

    if (!csiDriver || drivers.length === 0 || providers.length === 0) {
      const evidence = [
        csiDriver ? 'CSIDriver secrets-store.csi.k8s.io exists' : 'CSIDriver secrets-store.csi.k8s.io does not exist',
        `${drivers.length} driver pod(s) and ${providers.length} Azure provider pod(s) in kube-system`,
      ];
      return outcome(
        [{ category: 'CSI_DRIVER_NOT_INSTALLED', severity: 'error', confidence: 'high', evidence, facts: { node } }],
        'the Secrets Store CSI driver add-on is not installed',
      );
    }

    const findings: Finding[] = [];
    const audiences = (csiDriver.spec?.tokenRequests ?? []).map((t) => t.audience);
    if (!audiences.includes(TOKEN_EXCHANGE_AUDIENCE)) {
      findings.push({
        ...tagged(EMITS, 'AUTH_FAILED', 'token-requests'),
        severity: 'warning',
        confidence: 'medium',
        evidence: [`CSIDriver tokenRequests audiences: ${audiences.length ? audiences.join(', ') : '(none)'}`],
        facts: { node },
      });
    }
    for (const [role, group] of [
      ['driver', drivers],
      ['provider', providers],
    ] as const) {
      const onNode = node ? group.filter((p) => p.spec?.nodeName === node) : [];
      if (node && onNode.length === 0) {
        findings.push(unhealthy('not-on-node', `no ${role} pod runs on node ${node}`, node, undefined, 'error'));
      }
      for (const p of group) {
        if (isReady(p)) continue;
        const here = p.spec?.nodeName === node;
        findings.push(
          unhealthy('crashing', describePod(p), p.spec?.nodeName, p.metadata?.name, here ? 'error' : 'warning'),
        );
      }
    }
    const restarts = pods.reduce((n, p) => n + restartCount(p), 0);
    const where = node ? ` (pod's node ${node})` : '';
    return outcome(
      findings,
      `${drivers.length} driver and ${providers.length} provider pods${where}, ${restarts} restarts in total`,
    );
  },
};

function unhealthy(
  variant: 'not-on-node' | 'crashing',
  line: string,
  node: string | undefined,
  pod: string | undefined,
  severity: Finding['severity'],
): Finding {
  return {
    ...tagged(EMITS, 'CSI_DRIVER_UNHEALTHY', variant),
    severity,
    confidence: 'high',
    evidence: [line],
    facts: { node, driverPod: pod },
  };
}

function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function restartCount(pod: V1Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
}

function describePod(pod: V1Pod): string {
  const statuses = pod.status?.containerStatuses ?? [];
  const ready = statuses.filter((c) => c.ready).length;
  const waiting = statuses
    .map((c) => c.state?.waiting?.reason && `${c.name}: ${c.state.waiting.reason}`)
    .filter(Boolean);
  return (
    `${pod.metadata?.name} on ${pod.spec?.nodeName ?? 'no node'} is not Ready (${ready}/${statuses.length} containers ready` +
    `${waiting.length ? `; ${waiting.join(', ')}` : ''}; ${restartCount(pod)} restarts)`
  );
}
