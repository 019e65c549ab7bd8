/**
 * A compact description of the built-in kinds' schemas, from which the OpenAPI v3 documents (openapi.ts) and
 * server-side field validation (field-validation.ts) are both generated. Each definition lists its fields
 * with a type: `string`, `integer`, `number`, `boolean`, `map` (string → string), `object` (free-form: not
 * described here, so never reported as unknown), `@Name` (another definition), `[T]` (a list of T).
 * Field names follow k8s.io/api 1.32 for the types a Key Vault lab touches (Pod, ServiceAccount, Secret,
 * ConfigMap, Namespace, Lease); every other served kind is described as ObjectMeta plus free-form fields.
 */

export type FieldType = string;
export type Definition = Record<string, FieldType>;

const names = (type: FieldType, list: string) =>
  Object.fromEntries(
    list
      .split(/\s+/)
      .filter(Boolean)
      .map((n) => [n, type]),
  ) as Definition;

/** Definitions by short name; `ObjectMeta` is shared by every kind. */
export const DEFINITIONS: Record<string, Definition> = {
  ObjectMeta: {
    ...names('string', 'name generateName namespace uid resourceVersion creationTimestamp deletionTimestamp selfLink'),
    ...names('map', 'labels annotations'),
    ...names('integer', 'generation deletionGracePeriodSeconds'),
    finalizers: '[string]',
    ownerReferences: '[@OwnerReference]',
    managedFields: '[object]',
  },
  OwnerReference: {
    ...names('string', 'apiVersion kind name uid'),
    ...names('boolean', 'controller blockOwnerDeletion'),
  },
  PodSpec: {
    ...names('integer', 'activeDeadlineSeconds priority terminationGracePeriodSeconds'),
    ...names(
      'boolean',
      'automountServiceAccountToken enableServiceLinks hostIPC hostNetwork hostPID hostUsers setHostnameAsFQDN shareProcessNamespace',
    ),
    ...names(
      'string',
      'dnsPolicy hostname nodeName preemptionPolicy priorityClassName restartPolicy runtimeClassName schedulerName serviceAccount serviceAccountName subdomain',
    ),
    ...names('object', 'affinity dnsConfig os overhead resources securityContext'),
    ...names(
      '[object]',
      'ephemeralContainers hostAliases imagePullSecrets readinessGates resourceClaims schedulingGates tolerations topologySpreadConstraints',
    ),
    nodeSelector: 'map',
    containers: '[@Container]',
    initContainers: '[@Container]',
    volumes: '[@Volume]',
  },
  Container: {
    ...names(
      'string',
      'name image imagePullPolicy restartPolicy terminationMessagePath terminationMessagePolicy workingDir',
    ),
    ...names('boolean', 'stdin stdinOnce tty'),
    ...names('[string]', 'args command'),
    ...names('object', 'lifecycle livenessProbe readinessProbe resources securityContext startupProbe'),
    ...names('[object]', 'envFrom ports resizePolicy volumeDevices'),
    env: '[@EnvVar]',
    volumeMounts: '[@VolumeMount]',
  },
  EnvVar: { name: 'string', value: 'string', valueFrom: 'object' },
  VolumeMount: {
    ...names('string', 'mountPath mountPropagation name recursiveReadOnly subPath subPathExpr'),
    readOnly: 'boolean',
  },
  Volume: {
    name: 'string',
    ...names(
      'object',
      'awsElasticBlockStore azureDisk azureFile cephfs cinder configMap downwardAPI emptyDir ephemeral fc flexVolume flocker gcePersistentDisk gitRepo glusterfs hostPath image iscsi nfs persistentVolumeClaim photonPersistentDisk portworxVolume projected quobyte rbd scaleIO secret storageos vsphereVolume',
    ),
    csi: '@CSIVolumeSource',
  },
  CSIVolumeSource: {
    ...names('string', 'driver fsType'),
    readOnly: 'boolean',
    nodePublishSecretRef: 'object',
    volumeAttributes: 'map',
  },
  Pod: { spec: '@PodSpec', status: 'object' },
  ServiceAccount: { secrets: '[object]', imagePullSecrets: '[object]', automountServiceAccountToken: 'boolean' },
  Secret: { data: 'map', stringData: 'map', type: 'string', immutable: 'boolean' },
  ConfigMap: { data: 'map', binaryData: 'map', immutable: 'boolean' },
  Namespace: { spec: 'object', status: 'object' },
  Lease: { spec: '@LeaseSpec' },
  LeaseSpec: {
    ...names('string', 'acquireTime holderIdentity preferredHolder renewTime strategy'),
    ...names('integer', 'leaseDurationSeconds leaseTransitions'),
  },
};

/** Kinds described field by field (by storage key); other kinds only get ObjectMeta checked. */
export const DESCRIBED_KINDS: Record<string, string> = {
  '/Pod': 'Pod',
  '/ServiceAccount': 'ServiceAccount',
  '/Secret': 'Secret',
  '/ConfigMap': 'ConfigMap',
  '/Namespace': 'Namespace',
  'coordination.k8s.io/Lease': 'Lease',
};

/** Parses a field type: `[T]` → list of T, `@Name` → reference, otherwise a scalar / map / object. */
export function parseFieldType(t: FieldType): { list: boolean; ref?: string; scalar?: string } {
  const list = t.startsWith('[') && t.endsWith(']');
  const inner = list ? t.slice(1, -1) : t;
  return inner.startsWith('@') ? { list, ref: inner.slice(1) } : { list, scalar: inner };
}
