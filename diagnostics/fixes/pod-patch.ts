/**
 * The corrected pod for a problem: the live pod, cleaned (clean-manifest.ts), with the secrets volume pointing at
 * the right SecretProviderClass, read-only and on the right driver, and the ServiceAccount the identity trusts.
 * Pod volumes and the ServiceAccount are immutable, so applying it means deleting the pod first.
 */
import type { Evidence } from '../gather/gather-evidence.ts';
import { CSI_DRIVER_NAME } from '../gather/gather-evidence.ts';
import { readValue } from '../gather/read.ts';
import type { MergedProblem } from '../judge.ts';
import { lintObjects } from '../knowledge/lint/index.ts';
import { cleanPod, type Manifest } from './clean-manifest.ts';
import type { Draft } from './draft.ts';
import { federatedServiceAccounts } from './known-values.ts';

/** The pod's secrets-store volume: the one on the driver, else the one a lint finding points at. */
function secretsVolume(pod: Manifest): { index: number; volume: Manifest } | undefined {
  const volumes: Manifest[] = pod.spec.volumes ?? [];
  const index = volumes.findIndex((v) => v.csi && /secrets-store/i.test(String(v.csi.driver ?? '')));
  return index < 0 ? undefined : { index, volume: volumes[index] as Manifest };
}

/** Fixes `live` for `problem`; undefined when the pod needs no change. */
export function fixPod(
  d: Draft,
  live: Manifest,
  e: Evidence,
  problem: Pick<MergedProblem, 'category' | 'variant' | 'facts'>,
): Manifest | undefined {
  const pod = cleanPod(live);
  const before = d.changes.length + d.unknowns.length;
  const found = secretsVolume(pod);
  const rules = new Set(lintObjects([pod], 'the pod', { profile: 'lab' }).map((f) => f.rule));
  const { category, variant, facts } = problem;
  if (found) {
    const { volume, index } = found;
    const at = `spec.volumes[${index}].csi`;
    if (rules.has('pod/csi-driver') && d.change(pod, `${at}.driver`, volume.csi.driver, CSI_DRIVER_NAME)) {
      volume.csi.driver = CSI_DRIVER_NAME;
    }
    if (rules.has('pod/csi-read-only') && d.change(pod, `${at}.readOnly`, volume.csi.readOnly, true)) {
      volume.csi.readOnly = true;
    }
    pod.spec.containers.forEach((c: Manifest, ci: number) => {
      (c.volumeMounts ?? []).forEach((m: Manifest, mi: number) => {
        if (m.name !== volume.name || m.readOnly === true) return;
        d.change(pod, `spec.containers[${ci}].volumeMounts[${mi}].readOnly`, m.readOnly, true);
        m.readOnly = true;
      });
    });
    const spc = wantedSpc(d, e, category, variant, facts, volume);
    volume.csi.volumeAttributes ??= {};
    const current = volume.csi.volumeAttributes.secretProviderClass;
    if (spc && d.change(pod, `${at}.volumeAttributes.secretProviderClass`, current, spc.value, spc.from)) {
      volume.csi.volumeAttributes.secretProviderClass = spc.value;
    }
  }
  const wrongAccount =
    rules.has('pod/service-account') ||
    (category === 'AUTH_FAILED' && (variant === 'subject-mismatch' || variant === 'service-account-missing'));
  if (wrongAccount) fixServiceAccount(d, pod, e, facts.clientId);
  return d.changes.length + d.unknowns.length > before ? pod : undefined;
}

function wantedSpc(
  d: Draft,
  e: Evidence,
  category: string,
  variant: string | undefined,
  facts: Record<string, string>,
  volume: Manifest,
): { value: string; from?: string } | undefined {
  const here = (readValue(e.spcsInNamespace) ?? []).map((s) => s.metadata.name).sort();
  if (category === 'SPC_NOT_FOUND' && variant === 'typo' && facts.nearestSpc) {
    return { value: facts.nearestSpc, from: `the SecretProviderClasses in ${e.target.namespace}` };
  }
  if (category === 'SYNC_SECRET_MISSING' && variant === 'not-mounted' && facts.secretName) {
    const syncing = (readValue(e.spcsInNamespace) ?? [])
      .filter((s) => (s.spec?.secretObjects ?? []).some((o) => o.secretName === facts.secretName))
      .map((s) => s.metadata.name);
    if (syncing.length === 1 && syncing[0] !== volume.csi.volumeAttributes?.secretProviderClass) {
      return { value: syncing[0] as string, from: `the SecretProviderClass that syncs Secret ${facts.secretName}` };
    }
    if (syncing.length > 1) {
      return {
        value: d.ask('<SECRET_PROVIDER_CLASS>', `Which SecretProviderClass should sync ${facts.secretName}.`, syncing),
      };
    }
    return undefined;
  }
  const missingRef = !volume.csi.volumeAttributes?.secretProviderClass;
  if (
    (category === 'SPC_NOT_FOUND' && variant !== 'other-namespace' && here.length > 0) ||
    (missingRef && here.length > 0)
  ) {
    return {
      value: d.ask(
        '<SECRET_PROVIDER_CLASS>',
        `Which SecretProviderClass in ${e.target.namespace} the pod should mount.`,
        here,
      ),
    };
  }
  return undefined;
}

/** The one ServiceAccount linked to the SPC's clientID; asked when there are several or none. */
function fixServiceAccount(d: Draft, pod: Manifest, e: Evidence, clientId: string | undefined): void {
  const current = pod.spec.serviceAccountName || 'default';
  const linked = (federatedServiceAccounts(e, clientId) ?? []).filter((n) => n !== current);
  const value =
    linked.length === 1
      ? linked[0]
      : d.ask(
          '<SERVICE_ACCOUNT_NAME>',
          `The ServiceAccount your instructor federated with identity ${clientId ?? '(the SPC clientID)'}.`,
          linked,
        );
  const from = linked.length === 1 ? `the ServiceAccount annotated with client ID ${clientId}` : undefined;
  if (d.change(pod, 'spec.serviceAccountName', pod.spec.serviceAccountName, value, from)) {
    pod.spec.serviceAccountName = value;
  }
}
