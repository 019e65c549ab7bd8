import type { MessageDetails, Views } from './types.ts';

/**
 * Reads the wrappers kubelet, the Secrets Store CSI driver and the Azure provider put around an error
 * (docs/wire-notes.md §1.6, §2.3): which layers are present, and the pod, volume, SPC and object they name.
 * Matching is on the compact view (no whitespace), so hard line breaks inside the wrappers do not matter.
 */

export interface LayerInfo {
  layers: string[];
  wrapped: boolean;
  details: MessageDetails;
}

const SETUP = /mountvolume\.setupfailedforvolume["']([^"']{1,253})["']:/i;
const NEW_MOUNTER = /mountvolume\.newmounterinitializationfailedforvolume["']([^"']{1,253})["']/i;
const CSI_MOUNTER = /kubernetes\.io\/csi:mounter\.setupat(?:failed|failedtogetcsiclient)/i;
const VOLUME_WAIT = /unabletoattachormountvolumes:unmountedvolumes=\[/i;
const UNMOUNTED = /unmounted ?volumes=\[([^\]\s]{1,253})/;
const DRIVER_MOUNT = /failedtomountsecretsstoreobjectsforpod([^/,"]{1,63})\/([^,"]{1,253}),err:/i;
const SPC_GET = /failedtogetsecrets?providerclass([^/,"]{1,63})\/([^,"]{1,253}),error:/i;
const PROVIDER_CONNECT = /errorconnectingtoprovider"([^"]{1,100})"/i;
// Drivers before v0.0.14 exec `<providers dir>/<name>/provider-<name>`; `stat …: no such file` is the same miss.
const PROVIDER_NOT_FOUND =
  /providernotfound:provider"([^"]{1,100})"|failedtofindproviderbinary(\w{1,100}?),err:|providernotfound:provider([a-z0-9-]{1,100})$|stat\/[^:"]{0,200}?secrets-store-csi-providers\/([a-z0-9-]{1,100})\/provider-[a-z0-9-]{1,100}:nosuchfileordirectory/i;
const PROVIDER_MOUNT = /failedtomountobjects,error:/i;
const KV_CLIENT = /failedtogetkeyvaultclient:/i;
const OBJECT_GET = /failedtogetobjecttype:([^,]{0,64}),objectname:([^,]{0,253}),objectversion:([^:,]{0,64}):/i;
const GRPC = /rpcerror:code=(\w{1,32})desc=/gi;
const SYNC_SPC = /failedtogetdatainspc([^/,"]{1,63})\/([^,"]{1,253}?)forsecret([^,"]{1,253}),err:/i;
const KLOG_POD = /(?<![A-Za-z])pod="([^"/\s]{1,63})\/([^"\s]{1,253})"/;
const KLOG_SPC = /(?<![A-Za-z])spc="(?:[^"/\s]{1,63}\/)?([^"\s]{1,253})"/;
const AUTOREST = /autorest\/azure|baseclient#|originalerror:|adal:|fromassertion\(\)/i;
// Case-sensitive: azcore / azidentity print these exactly; .NET's `ErrorCode:` is not the Go provider.
const AZURE_SDK = /RESPONSE\d{3}:\d{3}|ERRORCODE(?::|UNAVAILABLE)|Credentialauthenticationfailed\./;

// A poster's redaction in place of a name (`<namespace/pod-name>`, `<Pod_Name>`): not a name to put in a command.
const REDACTED = /[<>]/;

function named(value: string | undefined): string | undefined {
  return value && !REDACTED.test(value) ? value : undefined;
}

/** Finds the wrappers and the names they carry. */
export function readLayers(views: Views): LayerInfo {
  const c = views.compact;
  const details: MessageDetails = {};
  const layers: string[] = [];

  const setup = SETUP.exec(c) ?? NEW_MOUNTER.exec(c);
  if (setup?.[1]) {
    details.volume = setup[1];
    layers.push(`kubelet: MountVolume failed for volume "${setup[1]}"`);
  } else if (CSI_MOUNTER.test(c)) {
    layers.push('kubelet: kubernetes.io/csi mounter.SetUpAt failed');
  }
  if (VOLUME_WAIT.test(c)) {
    const volume = UNMOUNTED.exec(views.joined)?.[1];
    if (volume && !details.volume) details.volume = volume;
    layers.push('kubelet: gave up waiting for volumes (Unable to attach or mount volumes)');
  }

  const mount = DRIVER_MOUNT.exec(c);
  if (mount?.[1] && mount[2]) {
    const [namespace, pod] = [named(mount[1]), named(mount[2])];
    if (namespace) details.namespace = namespace;
    if (pod) details.pod = pod;
    layers.push(`driver: NodePublishVolume for pod ${mount[1]}/${mount[2]}`);
  }
  const spc = SPC_GET.exec(c);
  if (spc?.[1] && spc[2]) {
    const [namespace, name] = [named(spc[1]), named(spc[2])];
    if (namespace) details.namespace ??= namespace;
    if (name) details.secretProviderClass = name;
    layers.push(`driver: get SecretProviderClass ${spc[1]}/${spc[2]}`);
  }
  const missing = PROVIDER_NOT_FOUND.exec(c);
  const provider = missing?.[1] ?? missing?.[2] ?? missing?.[3] ?? missing?.[4] ?? PROVIDER_CONNECT.exec(c)?.[1];
  if (provider) {
    details.provider = provider;
    layers.push(`driver: connect to provider "${provider}"`);
  }
  if (PROVIDER_MOUNT.test(c)) layers.push('provider: mount objects');
  if (KV_CLIENT.test(c)) layers.push('provider: build Key Vault client (credential)');

  const object = OBJECT_GET.exec(c);
  if (object) {
    if (object[1]) details.objectType = object[1];
    if (object[2]) details.objectName = object[2];
    if (object[3]) details.objectVersion = object[3];
    layers.push(`provider: get ${object[1] || '?'}/${object[2] || '?'}${object[3] ? `@${object[3]}` : ''}`);
  }

  const sync = SYNC_SPC.exec(c);
  if (sync?.[1] && sync[2] && sync[3]) {
    details.namespace ??= sync[1];
    details.secretProviderClass ??= sync[2];
    details.secretName = sync[3];
    layers.push(`sync controller: Secret ${sync[3]} from SPC ${sync[1]}/${sync[2]}`);
  }

  const codes = [...c.matchAll(GRPC)].map((m) => m[1] ?? '');
  const innermost = codes[codes.length - 1];
  if (innermost) details.grpcCode = innermost;

  const klogPod = KLOG_POD.exec(views.joined);
  if (klogPod?.[1] && klogPod[2] && !details.pod) {
    details.namespace ??= klogPod[1];
    details.pod = klogPod[2];
  }
  const klogSpc = KLOG_SPC.exec(views.joined)?.[1];
  if (klogSpc) details.secretProviderClass ??= klogSpc;

  if (AUTOREST.test(c)) details.providerGeneration = 'autorest';
  else if (AZURE_SDK.test(c)) details.providerGeneration = 'azure-sdk';

  return { layers, wrapped: layers.length > 0 || codes.length > 0, details };
}
