/**
 * One mount attempt of one Secrets Store CSI volume, end to end: driver prerequisites and the SPC
 * (driver-checks.ts), the kubelet's TokenRequest for each CSIDriver `tokenRequests` audience, the Azure
 * provider's parameter validation (provider-params.ts) and its fetch from Key Vault (provider-fetch.ts).
 * Returns the fetched objects, or the FailedMount message the kubelet would record (provider v1.5 wording).
 */
import type { ObjectStore } from '../k8s/store.ts';
import { getObject, type Obj } from './cluster-objects.ts';
import { driverMountFailed, providerFailure, setUpFailed } from './compose-message.ts';
import { checkDriver } from './driver-checks.ts';
import { type FetchedObject, fetchObjects } from './provider-fetch.ts';
import { validateParameters } from './provider-params.ts';
import { requestServiceAccountToken, type WireEndpoints } from './wire.ts';

export const WORKLOAD_IDENTITY_AUDIENCE = 'api://AzureADTokenExchange';

/** `spc` is absent when the volume is another CSI driver's (registered, not simulated: nothing is fetched). */
export type MountResult = { ok: true; spc?: Obj; objects: FetchedObject[] } | { ok: false; message: string };

export async function attemptMount(store: ObjectStore, ep: WireEndpoints, pod: Obj, volume: Obj): Promise<MountResult> {
  const driver = checkDriver(store, pod, volume);
  if (!driver.ok) return driver;
  if (!driver.spc) return { ok: true, objects: [] };
  const vol = String(volume.name);
  const ns = String(pod.metadata.namespace);
  const podName = String(pod.metadata.name);

  const tokens: Record<string, string> = {};
  for (const tr of (driver.csiDriver.spec?.tokenRequests ?? []) as Obj[]) {
    const audience = String(tr.audience ?? '');
    const reply = await requestServiceAccountToken(
      ep,
      {
        namespace: ns,
        name: podName,
        uid: String(pod.metadata.uid),
        serviceAccount: pod.spec.serviceAccountName ?? 'default',
      },
      audience,
      Number(tr.expirationSeconds ?? 3600),
    );
    let body: Obj = {};
    try {
      body = JSON.parse(reply.text);
    } catch {
      body = { message: reply.text };
    }
    if (reply.status !== 201 && reply.status !== 200) {
      // kubelet's csi_mounter.go wording, upstream spelling included.
      return {
        ok: false,
        message: setUpFailed(
          vol,
          `kubernetes.io/csi: mounter.SetUpAt failed to get service accoount token attributes: failed to fetch token: ${body.message ?? reply.status}`,
        ),
      };
    }
    tokens[audience] = String(body.status?.token ?? '');
  }

  const secretRef = volume.csi.nodePublishSecretRef?.name;
  const validation = validateParameters(driver.spc.spec.parameters ?? {}, {
    hasWorkloadIdentityToken: WORKLOAD_IDENTITY_AUDIENCE in tokens,
    hasNodePublishSecret: !!secretRef && !!getObject(store, 'v1', 'Secret', secretRef, ns),
  });
  if (!validation.ok) return { ok: false, message: providerFailure(vol, ns, podName, validation.error) };
  if (validation.config.objects.length === 0) {
    return { ok: false, message: setUpFailed(vol, driverMountFailed(ns, podName, 'missing object versions')) };
  }
  const fetched = await fetchObjects(ep, validation.config, tokens[WORKLOAD_IDENTITY_AUDIENCE]);
  if (!fetched.ok) return { ok: false, message: providerFailure(vol, ns, podName, fetched.error) };
  return { ok: true, spc: driver.spc, objects: fetched.objects };
}
