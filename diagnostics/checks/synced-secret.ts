/**
 * Synced Secret: for each `secretObjects` entry of the pod's SecretProviderClass — and for each Secret the pod
 * reads through env or volumes — does the Kubernetes Secret exist (names only, never data), and if not, why:
 * no pod has mounted the SPC that syncs it yet, its objectName is not a mounted object, or sync is not enabled.
 * Needs: list secrets (metadata only) — or, without it, judges what the pod's own status and the SPC show.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { secretsReadBy } from '../gather/pod-volume.ts';
import { readValue } from '../gather/read.ts';
import type { SecretProviderClass } from '../ports/cluster-reader.ts';
import { spcParameters } from '../spc/spc-parameters.ts';
import type { Finding } from '../types.ts';
import { type Check, couldNotCheck, type Emits, notChecked, outcome, skip, tagged } from './check.ts';
import { firstMissingLink } from './not-checked.ts';

const EMITS = {
  variants: {
    SYNC_SECRET_MISSING: ['spc/secret-object-ref', 'not-mounted', 'sync-disabled'],
    OTHER: ['secret-missing'],
  },
  facts: ['namespace', 'secretName', 'spc', 'pod', 'objectName'],
} as const satisfies Emits;

export const syncedSecretCheck: Check = {
  id: 'synced-secret',
  title: 'Synced Kubernetes Secret',
  emits: EMITS,
  reads: (e) => [e.secretNames, e.spcsInNamespace],
  run(e) {
    const pod = readValue(e.pod);
    const spc = readValue(e.spc) ?? undefined;
    const wanted = new Set([...secretsReadBy(pod), ...(spc?.spec?.secretObjects ?? []).map((s) => s.secretName ?? '')]);
    wanted.delete('');
    if (wanted.size === 0) {
      // Without the pod or its SecretProviderClass, "none configured" would be a guess.
      const why = firstMissingLink(e);
      return why ? notChecked(why) : skip('no synced Secret is configured or read by the pod');
    }
    if (e.secretNames && !e.secretNames.ok) return couldNotCheck(e.secretNames.gap.message);
    // Without Secret names (class status reads no Secrets), the pod itself tells which ones it could not find.
    const listed = e.secretNames?.value;
    const notFound = missingForPod(pod);
    const judged = listed ? wanted : new Set([...wanted].filter((n) => notFound.has(n) || hasBadReference(spc, n)));
    if (judged.size === 0) return notChecked('the Secrets were not listed, and the pod reports none missing');
    const existing = new Set(listed ?? [...wanted].filter((n) => !judged.has(n)));
    const { namespace } = e.target;
    const mounted = readValue(e.podStatus)?.status?.mounted === true;
    const findings: Finding[] = [];
    for (const secretName of judged) {
      if (existing.has(secretName)) continue;
      const facts = { namespace, secretName, spc: spc?.metadata.name, pod: e.target.pod };
      const own = spc?.spec?.secretObjects?.find((s) => s.secretName === secretName);
      if (own) {
        const files = mountedFileNames(spc as SecretProviderClass);
        const unknown = (own.data ?? []).map((d) => d.objectName ?? '').filter((n) => !files.has(n));
        if (unknown.length > 0) {
          findings.push(
            missing(
              // The same mistake the linter reports as spc/secret-object-ref, hence its text.
              'spc/secret-object-ref',
              `secretObjects ${secretName} uses objectName ${unknown.join(', ')}, which is not in objects (mounted files: ${[...files].join(', ') || 'none'})`,
              { ...facts, objectName: unknown[0] },
            ),
          );
        } else if (!mounted) {
          findings.push(
            missing(
              'not-mounted',
              `Secret ${secretName} does not exist: it is created only after ${e.target.pod} mounts ${spc?.metadata.name}, which has not succeeded yet`,
              facts,
            ),
          );
        } else {
          findings.push(
            missing(
              'sync-disabled',
              `the mount succeeded but Secret ${secretName} does not exist (is secret sync enabled on the driver?)`,
              facts,
            ),
          );
        }
        continue;
      }
      const syncer = (readValue(e.spcsInNamespace) ?? []).find((s) =>
        s.spec?.secretObjects?.some((o) => o.secretName === secretName),
      );
      if (syncer) {
        findings.push(
          missing(
            'not-mounted',
            `pod ${e.target.pod} reads Secret ${secretName}, which only SecretProviderClass ${syncer.metadata.name} syncs — but the pod mounts ${spc?.metadata.name ?? 'no SecretProviderClass'}; no pod mounts ${syncer.metadata.name}`,
            { ...facts, spc: syncer.metadata.name },
          ),
        );
      } else {
        findings.push({
          ...tagged(EMITS, 'OTHER', 'secret-missing'),
          severity: 'error',
          confidence: 'medium',
          evidence: [`pod reads Secret ${secretName}, which does not exist and no SecretProviderClass syncs`],
          facts,
        });
      }
    }
    if (!listed) {
      return outcome(
        findings,
        `Secrets not listed; missing according to the pod and the SPC: ${[...judged].join(', ')}`,
      );
    }
    const present = [...wanted].filter((n) => existing.has(n));
    return outcome(
      findings,
      `${present.length}/${wanted.size} expected Secret(s) present${present.length ? `: ${present.join(', ')}` : ''}`,
    );
  },
};

/** Secrets the pod's containers wait for: kubelet's `secret "<name>" not found` (CreateContainerConfigError). */
function missingForPod(pod: V1Pod | null | undefined): Set<string> {
  const waiting = (pod?.status?.containerStatuses ?? []).map((c) => c.state?.waiting?.message ?? '');
  return new Set(waiting.flatMap((m) => [...m.matchAll(/secret "([^"]+)" not found/g)].map((x) => x[1] as string)));
}

/** A `secretObjects` entry of the SPC that names a file the mount does not write: that Secret cannot be synced. */
function hasBadReference(spc: SecretProviderClass | undefined, secretName: string): boolean {
  const own = spc?.spec?.secretObjects?.find((s) => s.secretName === secretName);
  if (!own || !spc) return false;
  const files = mountedFileNames(spc);
  return (own.data ?? []).some((d) => !files.has(d.objectName ?? ''));
}

function missing(
  variant: NonNullable<(typeof EMITS)['variants']['SYNC_SECRET_MISSING']>[number],
  line: string,
  facts: Finding['facts'],
): Finding {
  return {
    ...tagged(EMITS, 'SYNC_SECRET_MISSING', variant),
    severity: 'error',
    confidence: 'high',
    evidence: [line],
    facts,
  };
}

/** File names the mount writes: objectAlias, else objectName (what secretObjects.data.objectName must name). */
function mountedFileNames(spc: SecretProviderClass): Set<string> {
  return new Set(spcParameters(spc).objects.map((o) => o.objectAlias || o.objectName));
}
