/** Reads the parts of a pod spec the engine cares about: its Secrets Store CSI volume and the Secrets it reads. */
import type { V1Pod } from '@kubernetes/client-node';

export interface CsiVolume {
  volumeName: string;
  driver: string;
  readOnly: boolean | undefined;
  secretProviderClass: string | undefined;
  /** readOnly of the container mounts of this volume, by container name. */
  mounts: Array<{ container: string; mountPath: string; readOnly: boolean | undefined }>;
}

/** The first CSI volume whose driver is the Secrets Store driver, else the first CSI volume naming an SPC. */
export function csiVolumeOf(pod: V1Pod): CsiVolume | undefined {
  const volumes = (pod.spec?.volumes ?? []).filter((v) => v.csi);
  const volume =
    volumes.find((v) => v.csi?.driver === 'secrets-store.csi.k8s.io') ??
    volumes.find((v) => v.csi?.volumeAttributes?.secretProviderClass !== undefined);
  if (!volume?.csi) return undefined;
  const mounts = (pod.spec?.containers ?? []).flatMap((c) =>
    (c.volumeMounts ?? [])
      .filter((m) => m.name === volume.name)
      .map((m) => ({ container: c.name, mountPath: m.mountPath, readOnly: m.readOnly })),
  );
  return {
    volumeName: volume.name,
    driver: volume.csi.driver,
    readOnly: volume.csi.readOnly,
    secretProviderClass: volume.csi.volumeAttributes?.secretProviderClass,
    mounts,
  };
}

/** Secrets the pod's containers read through env/envFrom, and secret volumes. */
export function secretsReadBy(pod: V1Pod | null | undefined): string[] {
  if (!pod) return [];
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  return [
    ...containers.flatMap((c) => [
      ...(c.env ?? []).map((v) => v.valueFrom?.secretKeyRef?.name ?? ''),
      ...(c.envFrom ?? []).map((v) => v.secretRef?.name ?? ''),
    ]),
    ...(pod.spec?.volumes ?? []).map((v) => v.secret?.secretName ?? ''),
  ].filter(Boolean);
}
