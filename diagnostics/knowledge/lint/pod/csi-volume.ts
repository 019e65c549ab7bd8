/**
 * The pod's secrets-store CSI volume (docs/wire-notes.md §1.1): driver name, readOnly, the SPC reference, and whether any
 * container mounts it (kubelet sets up only volumes some container mounts).
 */
import type { Issue } from '../types.ts';
import { listAt, recordAt, stringAt } from '../values.ts';
import { CSI_DRIVER, containersOf, type PodRule, type PodTarget } from './pod-target.ts';

export const csiDriverRule: PodRule = (pod) =>
  pod.volumes
    .filter((volume) => volume.driver !== CSI_DRIVER)
    .map((volume): Issue => {
      const group =
        volume.driver === 'secrets-store.csi.x-k8s.io'
          ? ' (that is the API group of SecretProviderClass, not the driver name)'
          : '';
      return {
        rule: 'pod/csi-driver',
        at: [...volume.at, 'csi', 'driver'],
        message: `Volume "${volume.name}" uses CSI driver "${volume.driver}"${group}; kubelet fails with "driver name ${volume.driver} not found in the list of registered CSI drivers".`,
        fix: `Set csi.driver: ${CSI_DRIVER}.`,
      };
    });

export const csiReadOnlyRule: PodRule = (pod) =>
  pod.volumes
    .filter((volume) => volume.csi.readOnly !== true)
    .map((volume) => ({
      rule: 'pod/csi-read-only' as const,
      at: [...volume.at, 'csi', 'readOnly'],
      message: `Volume "${volume.name}" has ${volume.csi.readOnly === undefined ? 'no readOnly' : `readOnly: ${JSON.stringify(volume.csi.readOnly)}`}; the driver refuses the mount with "Readonly is not true in request".`,
    }));

function mountsOf(pod: PodTarget, volumeName: string) {
  return containersOf(pod).flatMap(({ container, at }) =>
    listAt(container.volumeMounts).flatMap((mount, i) =>
      stringAt(recordAt(mount).name) === volumeName
        ? [{ mount: recordAt(mount), at: [...at, 'volumeMounts', i], container }]
        : [],
    ),
  );
}

export const mountReadOnlyRule: PodRule = (pod) =>
  pod.volumes.flatMap((volume) =>
    mountsOf(pod, volume.name)
      .filter(({ mount }) => mount.readOnly !== true)
      .map(({ at, container }) => ({
        rule: 'pod/mount-read-only' as const,
        at: [...at, 'readOnly'],
        message: `Container "${stringAt(container.name) ?? '?'}" mounts "${volume.name}" without readOnly: true; the lab's best practice is a read-only secrets mount.`,
      })),
  );

export const spcReferenceRule: PodRule = (pod) =>
  pod.volumes
    .filter((volume) => volume.spcName === '')
    .map((volume) => ({
      rule: 'pod/spc-reference' as const,
      at: [...volume.at, 'csi', 'volumeAttributes', 'secretProviderClass'],
      message: `Volume "${volume.name}" does not name a SecretProviderClass; the driver fails with "secretProviderClass is not set".`,
    }));

export const volumeUnusedRule: PodRule = (pod) =>
  pod.volumes
    .filter((volume) => volume.name !== '' && mountsOf(pod, volume.name).length === 0)
    .map((volume) => ({
      rule: 'pod/volume-unused' as const,
      at: [...volume.at, 'name'],
      message: `No container mounts volume "${volume.name}", so kubelet never mounts it: no secret files, and no synced Kubernetes Secret either.`,
      fix: `Add a volumeMount with name: ${volume.name}, a mountPath such as /mnt/secrets and readOnly: true to the container.`,
    }));
