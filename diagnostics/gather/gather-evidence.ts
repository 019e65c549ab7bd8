/**
 * Gathers everything the checks judge, in as few dependent rounds as the data allows:
 *   round 1 (parallel): cluster prerequisites (cached, single flight), the pod, its events
 *   round 2 (parallel, needs the pod): SecretProviderClass, ServiceAccount, mount status, Secret names, and the
 *     replay's TokenRequest for the pod's ServiceAccount
 *   round 3 (needs the SPC): Key Vault replay (Entra ID → Key Vault); SPCs elsewhere when missing
 * A missing pod instead costs the namespace's pod names (and, when there are none, whether the namespace exists).
 * Only this module calls ports. Every read becomes a Read (value or Gap); nothing here throws.
 */
import type {
  CoreV1Event,
  V1CSIDriver,
  V1CustomResourceDefinition,
  V1Pod,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import type { LintProfile } from '../knowledge/lint/types.ts';
import type { ClusterReader, SecretProviderClass, SecretProviderClassPodStatus } from '../ports/cluster-reader.ts';
import type { VaultProbe } from '../ports/vault-probe.ts';
import { spcParameters } from '../spc/spc-parameters.ts';
import type { Read } from '../types.ts';
import { csiVolumeOf, secretsReadBy } from './pod-volume.ts';
import { read, readValue } from './read.ts';
import { type ReplayEvidence, replayMount, requestReplayToken } from './replay-mount.ts';
import { CSI_DRIVER_NAME, roundOneReads } from './round-one.ts';
import type { SingleFlightCache } from './single-flight-cache.ts';
import { eventsOfThisPod, podStatusOfThisPod } from './this-pod.ts';

export { CSI_DRIVER_NAME };
export const SPC_CRD_NAME = 'secretproviderclasses.secrets-store.csi.x-k8s.io';

export interface GatherOptions {
  /** Deadline of each single read. */
  readTimeoutMs: number;
  /** Deadline of the whole Key Vault replay. */
  replayTimeoutMs: number;
  /** `replay` (default): re-run the mount's token exchange and gets; `off`: skip it. */
  replay: 'replay' | 'off';
  /** Shared by concurrent diagnoses for cluster-wide reads. */
  cache: SingleFlightCache;
  /**
   * Lint profile for the namespace's SecretProviderClass: `lab` (default — diagnose, the bot, the watcher and class
   * status act on the lab's roster namespaces) adds the lab's conventions; `provider` judges by the provider's rules only.
   */
  profile?: LintProfile;
  /**
   * Called once the Key Vault replay is under way, with (a copy of) the evidence gathered so far: the one moment of
   * a diagnosis with nothing to do but wait (src/cli/diagnose-command.ts rehearses the checks then). Must not throw.
   */
  whileReplaying?: (soFar: Evidence) => void;
}

export interface Evidence {
  target: { namespace: string; pod: string };
  /** The lint profile the SecretProviderClass is judged by (GatherOptions.profile); absent ⇒ `lab`. */
  profile?: LintProfile;
  csiDriver: Read<V1CSIDriver | null>;
  driverPods: Read<V1Pod[]>;
  /** Read only when the SecretProviderClass read cannot tell whether the API is served. */
  spcCrd?: Read<V1CustomResourceDefinition | null>;
  pod: Read<V1Pod | null>;
  /** Names of the pods that do exist, when the asked-for one does not. */
  otherPods?: Read<string[]>;
  /** Whether the target namespace exists, read only when the pod is missing and no pod is listed there. */
  namespaceExists?: Read<boolean>;
  events: Read<CoreV1Event[]>;
  spc?: Read<SecretProviderClass | null>;
  /** When the SPC is missing: the SPCs of the pod's namespace, and same-named ones elsewhere. */
  spcsInNamespace?: Read<SecretProviderClass[]>;
  spcsElsewhere?: Read<SecretProviderClass[]>;
  serviceAccount?: Read<V1ServiceAccount | null>;
  /** The namespace's ServiceAccounts, read only when the pod's identity failed (for the fix's candidates). */
  serviceAccounts?: Read<V1ServiceAccount[]>;
  podStatus?: Read<SecretProviderClassPodStatus | null>;
  secretNames?: Read<string[]>;
  replay?: Read<ReplayEvidence>;
}

export interface Ports {
  cluster: ClusterReader;
  vault: VaultProbe;
}

/** Called after each round of reads with what is done, for progress displays. Must not throw. */
export type ProgressListener = (done: string) => void;

export async function gatherEvidence(
  target: { namespace: string; pod: string },
  ports: Ports,
  options: GatherOptions,
  onProgress: ProgressListener = () => {},
): Promise<Evidence> {
  const { cluster } = ports;
  const { namespace, pod: podName } = target;
  const t = options.readTimeoutMs;
  const shared = <T>(key: string, load: () => Promise<T>) => options.cache.get(key, load);

  const readCrd = () =>
    read(
      'the SecretProviderClass CRD',
      () => shared('spc-crd', () => cluster.getCustomResourceDefinition(SPC_CRD_NAME)),
      t,
    );
  const first = roundOneReads(cluster, namespace, podName);
  const [csiDriver, driverPods, pod, events] = await Promise.all([
    read('the CSIDriver object', () => shared('csidriver', first.csiDriver), t),
    read('the CSI driver pods in kube-system', () => shared('driver-pods', first.driverPods), t),
    read(`pod ${namespace}/${podName}`, first.pod, t),
    read(`the events of pod ${namespace}/${podName}`, first.events, t),
  ]);
  const evidence: Evidence = { target, csiDriver, driverPods, pod, events };
  if (options.profile !== undefined) evidence.profile = options.profile;
  onProgress('CSI driver, pod and events');

  const podValue = readValue(pod);
  if (pod.ok && podValue === null) {
    [evidence.otherPods, evidence.spcCrd] = await Promise.all([
      read(`pods in namespace ${namespace}`, () => cluster.listPodNames(namespace), t),
      readCrd(),
    ]);
    // No pod listed: an empty namespace, or none of that name (a typo in -n, or the roster's namespace not created).
    if (evidence.otherPods.ok && evidence.otherPods.value.length === 0) {
      evidence.namespaceExists = await read(`namespace ${namespace}`, () => cluster.namespaceExists(namespace), t);
    }
    return evidence;
  }
  if (!podValue) {
    evidence.spcCrd = await readCrd();
    return evidence;
  }

  const volume = csiVolumeOf(podValue);
  const spcName = volume?.secretProviderClass;
  const saName = podValue.spec?.serviceAccountName || 'default';
  const referencesSecrets = secretsReadBy(podValue).length > 0;
  // The replay's TokenRequest needs only the pod's ServiceAccount: asked for with round 2, it is off the chain
  // of dependent requests (at most one token minted for nothing, when the SPC turns out not to allow a replay).
  const token = options.replay === 'replay' && spcName ? requestReplayToken(cluster, namespace, saName) : undefined;
  const [spc, serviceAccount, podStatus, secretNamesEarly] = await Promise.all([
    spcName
      ? read(`SecretProviderClass ${namespace}/${spcName}`, () => cluster.getSecretProviderClass(namespace, spcName), t)
      : undefined,
    read(`ServiceAccount ${namespace}/${saName}`, () => cluster.getServiceAccount(namespace, saName), t),
    spcName
      ? read(
          'the SecretProviderClassPodStatus',
          () => cluster.getSecretProviderClassPodStatus(namespace, `${podName}-${namespace}-${spcName}`),
          t,
        )
      : undefined,
    referencesSecrets ? read(`Secret names in ${namespace}`, () => cluster.listSecretNames(namespace), t) : undefined,
  ]);
  const uid = podValue.metadata?.uid;
  if (events.ok) evidence.events = { ...events, value: eventsOfThisPod(events.value, uid) };
  const ownStatus = podStatus?.ok ? { ...podStatus, value: podStatusOfThisPod(podStatus.value, uid) } : podStatus;
  Object.assign(evidence, { spc, serviceAccount, podStatus: ownStatus, secretNames: secretNamesEarly });
  onProgress('SecretProviderClass, ServiceAccount and mount status');

  // A SecretProviderClass read (object or NotFound) proves the API is served; otherwise ask for the CRD.
  if (!spc || (!spc.ok && spc.gap.reason !== 'forbidden')) evidence.spcCrd = await readCrd();
  const spcValue = readValue(spc);
  if (spc?.ok && spcValue === null && spcName) {
    const [inNamespace, elsewhere] = await Promise.all([
      read(`SecretProviderClasses in ${namespace}`, () => cluster.listSecretProviderClasses(namespace), t),
      read('SecretProviderClasses in other namespaces', () => cluster.listSecretProviderClasses(undefined), t),
    ]);
    evidence.spcsInNamespace = inNamespace;
    evidence.spcsElsewhere = elsewhere;
    return evidence;
  }
  if (!spcValue) return evidence;

  const needsSecretNames = !evidence.secretNames && (spcValue.spec?.secretObjects?.length ?? 0) > 0;
  // A Secret the pod reads that does not exist may be synced by another SPC that no pod mounts.
  const existing = new Set(readValue(evidence.secretNames) ?? []);
  const ownSynced = new Set((spcValue.spec?.secretObjects ?? []).map((s) => s.secretName));
  const missingElsewhere = secretsReadBy(podValue).some((n) => !existing.has(n) && !ownSynced.has(n));
  const roundThree = Promise.all([
    needsSecretNames ? read(`Secret names in ${namespace}`, () => cluster.listSecretNames(namespace), t) : undefined,
    evidence.secretNames?.ok && missingElsewhere
      ? read(`SecretProviderClasses in ${namespace}`, () => cluster.listSecretProviderClasses(namespace), t)
      : undefined,
    options.replay === 'replay'
      ? read(
          'Key Vault access (replay of the mount)',
          (signal) =>
            replayMount(
              ports,
              { namespace, serviceAccount: saName, params: spcParameters(spcValue), ...(token ? { token } : {}) },
              signal,
            ),
          options.replayTimeoutMs,
        )
      : undefined,
  ]);
  if (options.replay === 'replay') options.whileReplaying?.({ ...evidence });
  const [secretNames, spcsInNamespace, replay] = await roundThree;
  if (secretNames) evidence.secretNames = secretNames;
  if (spcsInNamespace) evidence.spcsInNamespace = spcsInNamespace;
  if (replay) evidence.replay = replay;
  const replayed = readValue(replay);
  const identityFailed =
    readValue(serviceAccount) === null || (replayed?.performed === true && !replayed.outcome.token.ok);
  if (identityFailed && cluster.listServiceAccounts) {
    const list = cluster.listServiceAccounts.bind(cluster);
    evidence.serviceAccounts = await read(`ServiceAccounts in ${namespace}`, () => list(namespace), t);
  }
  return evidence;
}
