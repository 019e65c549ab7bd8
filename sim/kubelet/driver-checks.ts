/**
 * What the kubelet and the Secrets Store CSI driver check before the provider is called, in their order:
 * CSIDriver object (kubelet NewMounter), driver registered on the node (kubelet CSI client), driver socket
 * answering (driver pod ready), NodePublishVolume request checks, the SecretProviderClass from the driver's
 * cache, its provider and parameters, and the provider's socket. Each failure is the full kubelet message.
 */
import type { ObjectStore } from '../k8s/store.ts';
import {
  addonPodOn,
  CSI_DRIVER_NAME,
  DRIVER_APP,
  getObject,
  nodeListsDriver,
  type Obj,
  PROVIDER_APP,
  podReady,
  SPC_API_VERSION,
} from './cluster-objects.ts';
import { driverMountFailed, newMounterFailed, rpcError, setUpFailed } from './compose-message.ts';

/** `spc` is absent for a volume of another, registered CSI driver: that driver is not simulated. */
export type DriverCheck = { ok: true; csiDriver: Obj; spc?: Obj } | { ok: false; message: string };

const DRIVER_SOCKET = '/var/lib/kubelet/plugins/csi-secrets-store/csi.sock';
const providerSocket = (provider: string) => `/etc/kubernetes/secrets-store-csi-providers/${provider}.sock`;
const dialError = (socket: string, ready: boolean) =>
  `connection error: desc = "transport: Error while dialing: dial unix ${socket}: connect: ${ready ? 'connection refused' : 'no such file or directory'}"`;

export function checkDriver(store: ObjectStore, pod: Obj, volume: Obj): DriverCheck {
  const vol = String(volume.name);
  const ns = String(pod.metadata.namespace);
  const podName = String(pod.metadata.name);
  const nodeName = String(pod.spec.nodeName);
  const fail = (message: string): DriverCheck => ({ ok: false, message });

  // kubelet's csi plugin: an inline volume needs a CSIDriver object whose volumeLifecycleModes (default
  // Persistent) include Ephemeral (NewMounter), then the driver registered on the node (SetUpAt). A misspelt
  // driver name fails at the first.
  const driverName = String(volume.csi.driver ?? '');
  const csiDriver = getObject(store, 'storage.k8s.io/v1', 'CSIDriver', driverName);
  if (!csiDriver) {
    return fail(
      newMounterFailed(vol, `volume mode "Ephemeral" not supported by driver ${driverName} (no CSIDriver object)`),
    );
  }
  const modes = ((csiDriver.spec?.volumeLifecycleModes as string[] | undefined) ?? ['Persistent']).map(String);
  if (!modes.includes('Ephemeral')) {
    const quoted = `[${modes.map((m) => JSON.stringify(m)).join(' ')}]`;
    return fail(
      newMounterFailed(vol, `volume mode "Ephemeral" not supported by driver ${driverName} (only supports ${quoted})`),
    );
  }
  if (!nodeListsDriver(getObject(store, 'v1', 'Node', nodeName), driverName)) {
    return fail(
      setUpFailed(
        vol,
        `kubernetes.io/csi: mounter.SetUpAt failed to get CSI client: driver name ${driverName} not found in the list of registered CSI drivers`,
      ),
    );
  }
  if (driverName !== CSI_DRIVER_NAME) return { ok: true, csiDriver };
  const driverPod = addonPodOn(store, DRIVER_APP, nodeName);
  if (!podReady(driverPod))
    return fail(setUpFailed(vol, rpcError('Unavailable', dialError(DRIVER_SOCKET, !!driverPod))));
  if (volume.csi.readOnly !== true)
    return fail(setUpFailed(vol, rpcError('InvalidArgument', 'Readonly is not true in request')));
  const spcName = volume.csi.volumeAttributes?.secretProviderClass;
  if (!spcName) return fail(setUpFailed(vol, rpcError('Unknown', 'secretProviderClass is not set')));

  const spc = getObject(store, SPC_API_VERSION, 'SecretProviderClass', spcName, ns);
  if (!spc) {
    return fail(
      setUpFailed(
        vol,
        rpcError(
          'Unknown',
          `failed to get secretproviderclass ${ns}/${spcName}, error: SecretProviderClass.secrets-store.csi.x-k8s.io "${spcName}" not found`,
        ),
      ),
    );
  }
  const provider = String(spc.spec?.provider ?? '');
  if (!provider) return fail(setUpFailed(vol, rpcError('Unknown', `provider not set in ${ns}/${spcName}`)));
  if (!spc.spec?.parameters || Object.keys(spc.spec.parameters).length === 0) {
    return fail(setUpFailed(vol, rpcError('Unknown', `parameters not set in ${ns}/${spcName}`)));
  }
  // Only the Azure provider is installed: its DaemonSet pod creates `azure.sock` on the node.
  const providerPod = provider === 'azure' ? addonPodOn(store, PROVIDER_APP, nodeName) : undefined;
  if (!providerPod) {
    return fail(
      setUpFailed(
        vol,
        driverMountFailed(
          ns,
          podName,
          `error connecting to provider "${provider}": provider not found: provider "${provider}"`,
        ),
      ),
    );
  }
  if (!podReady(providerPod)) {
    return fail(
      setUpFailed(
        vol,
        driverMountFailed(ns, podName, rpcError('Unavailable', dialError(providerSocket(provider), true))),
      ),
    );
  }
  return { ok: true, csiDriver, spc };
}
