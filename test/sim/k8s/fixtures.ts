/**
 * A small cluster for the Kubernetes API simulator tests: one lab namespace whose pod is stuck on a failing
 * Key Vault CSI mount (FailedMount events), the SecretProviderClass CRDs and an SPC, the AKS add-on
 * DaemonSets and CSIDriver, and RBAC for a namespace-limited user. Plus a throw-away TLS setup.
 */
import { createCertificateAuthority } from '../../../sim/common/tls.ts';

export const NOW = new Date('2026-03-02T10:00:00Z');
export const ISSUER =
  'https://eastus.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000001/11111111-2222-3333-4444-555555555555/';
export const ADMIN_TOKEN = 'admin-token';
export const STUDENT_TOKEN = 'student-token';
export const LAB_NS = 'lab-student01';

export const FAILED_MOUNT_MESSAGE =
  'MountVolume.SetUp failed for volume "secrets-store-inline" : rpc error: code = Unknown desc = failed to mount secrets store objects for pod lab-student01/pod-keyvault, err: rpc error: code = Unknown desc = failed to mount objects, error: failed to get objectType:secret, objectName:db-password, objectVersion:: SecretNotFound';

export async function tlsMaterial() {
  const ca = await createCertificateAuthority('kvlab k8s sim test CA');
  const tls = await ca.issue({ ips: ['127.0.0.1'], dns: ['localhost'] });
  return { caPem: ca.certPem, tls };
}

export const staticTokens = [
  { token: ADMIN_TOKEN, user: 'kubernetes-admin', groups: ['system:masters'] },
  { token: STUDENT_TOKEN, user: 'student01@school.example' },
];

function spcCrd(plural: string, kind: string, schema: Record<string, unknown>) {
  const version = (name: string, storage: boolean) => ({
    name,
    served: true,
    storage,
    ...(storage
      ? {}
      : {
          deprecated: true,
          deprecationWarning: `secrets-store.csi.x-k8s.io/v1alpha1 is deprecated. Use secrets-store.csi.x-k8s.io/v1 instead.`,
        }),
    schema: { openAPIV3Schema: schema },
  });
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.secrets-store.csi.x-k8s.io`, creationTimestamp: '2026-03-01T08:00:00Z' },
    spec: {
      group: 'secrets-store.csi.x-k8s.io',
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      scope: 'Namespaced',
      versions: [version('v1', true), version('v1alpha1', false)],
    },
  };
}

const spcSchema = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      properties: {
        provider: { type: 'string' },
        parameters: { type: 'object', additionalProperties: { type: 'string' } },
        secretObjects: { type: 'array', items: { type: 'object' } },
      },
    },
    status: { type: 'object' },
  },
};

const podStatusSchema = {
  type: 'object',
  properties: { status: { type: 'object', properties: { mounted: { type: 'boolean' } } } },
};

export function clusterObjects(): Array<Record<string, unknown>> {
  return [
    spcCrd('secretproviderclasses', 'SecretProviderClass', spcSchema),
    spcCrd('secretproviderclasspodstatuses', 'SecretProviderClassPodStatus', podStatusSchema),
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'kube-system', creationTimestamp: '2026-03-01T08:00:00Z' },
    },
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: LAB_NS, creationTimestamp: '2026-03-02T09:00:00Z', labels: { 'kvlab.io/class': 'class-a' } },
    },
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: 'aks-nodepool1-12345678-vmss000000',
        creationTimestamp: '2026-03-01T08:00:00Z',
        labels: { 'kubernetes.azure.com/role': 'agent' },
      },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '10.224.0.4' }],
        nodeInfo: {
          kubeletVersion: 'v1.32.6',
          osImage: 'Ubuntu 22.04.5 LTS',
          kernelVersion: '5.15.0-1089-azure',
          containerRuntimeVersion: 'containerd://1.7.27-1',
        },
      },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: LAB_NS } },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: 'workload-sa',
        namespace: LAB_NS,
        annotations: { 'azure.workload.identity/client-id': '99999999-0000-0000-0000-000000000001' },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'pod-keyvault',
        namespace: LAB_NS,
        labels: { app: 'keyvault-demo' },
        creationTimestamp: '2026-03-02T09:55:00Z',
      },
      spec: {
        serviceAccountName: 'workload-sa',
        nodeName: 'aks-nodepool1-12345678-vmss000000',
        containers: [
          {
            name: 'app',
            image: 'busybox:1.36',
            volumeMounts: [{ name: 'secrets-store-inline', mountPath: '/mnt/secrets', readOnly: true }],
          },
        ],
        volumes: [
          {
            name: 'secrets-store-inline',
            csi: {
              driver: 'secrets-store.csi.k8s.io',
              readOnly: true,
              volumeAttributes: { secretProviderClass: 'azure-kv' },
            },
          },
        ],
      },
      status: {
        phase: 'Pending',
        conditions: [
          { type: 'PodScheduled', status: 'True' },
          { type: 'Initialized', status: 'True' },
          { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
        ],
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 0,
            image: 'busybox:1.36',
            state: { waiting: { reason: 'ContainerCreating' } },
          },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'web',
        namespace: LAB_NS,
        labels: { app: 'web', tier: 'frontend' },
        creationTimestamp: '2026-03-02T09:00:00Z',
      },
      spec: {
        serviceAccountName: 'default',
        nodeName: 'aks-nodepool1-12345678-vmss000000',
        containers: [{ name: 'nginx', image: 'nginx:1.27' }],
      },
      status: {
        phase: 'Running',
        podIP: '10.244.0.12',
        podIPs: [{ ip: '10.244.0.12' }],
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          { name: 'nginx', ready: true, restartCount: 0, state: { running: { startedAt: '2026-03-02T09:00:10Z' } } },
        ],
      },
    },
    ...[1, 2].map((n) => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `pod-keyvault.18a0000000000${n}`, namespace: LAB_NS },
      involvedObject: { kind: 'Pod', apiVersion: 'v1', namespace: LAB_NS, name: 'pod-keyvault' },
      reason: 'FailedMount',
      message: FAILED_MOUNT_MESSAGE,
      type: 'Warning',
      source: { component: 'kubelet', host: 'aks-nodepool1-12345678-vmss000000' },
      reportingComponent: 'kubelet',
      reportingInstance: 'aks-nodepool1-12345678-vmss000000',
      firstTimestamp: '2026-03-02T09:55:10Z',
      lastTimestamp: `2026-03-02T09:5${7 + n}:10Z`,
      count: n === 1 ? 1 : 4,
    })),
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'pod-keyvault.18a00000000000', namespace: LAB_NS },
      involvedObject: { kind: 'Pod', apiVersion: 'v1', namespace: LAB_NS, name: 'pod-keyvault' },
      reason: 'Scheduled',
      message: `Successfully assigned ${LAB_NS}/pod-keyvault to aks-nodepool1-12345678-vmss000000`,
      type: 'Normal',
      source: { component: 'default-scheduler' },
      firstTimestamp: '2026-03-02T09:55:00Z',
      lastTimestamp: '2026-03-02T09:55:00Z',
      count: 1,
    },
    {
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: 'azure-kv', namespace: LAB_NS, creationTimestamp: '2026-03-02T09:50:00Z' },
      spec: {
        provider: 'azure',
        parameters: {
          usePodIdentity: 'false',
          clientID: '99999999-0000-0000-0000-000000000001',
          keyvaultName: 'kv-student01',
          tenantId: '00000000-0000-0000-0000-000000000001',
          objects: 'array:\n  - |\n    objectName: db-password\n    objectType: secret\n',
        },
      },
    },
    ...[
      ['aks-secrets-store-csi-driver', 'secrets-store-csi-driver'],
      ['aks-secrets-store-provider-azure', 'secrets-store-provider-azure'],
    ].map(([name, app]) => ({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name, namespace: 'kube-system', labels: { app } },
      spec: {
        selector: { matchLabels: { app } },
        template: {
          metadata: { labels: { app } },
          spec: { containers: [{ name: 'main', image: `mcr.microsoft.com/oss/${app}:v1` }] },
        },
      },
      status: {
        desiredNumberScheduled: 1,
        currentNumberScheduled: 1,
        numberReady: 1,
        updatedNumberScheduled: 1,
        numberAvailable: 1,
      },
    })),
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'CSIDriver',
      metadata: { name: 'secrets-store.csi.k8s.io' },
      spec: {
        podInfoOnMount: true,
        attachRequired: false,
        volumeLifecycleModes: ['Ephemeral'],
        requiresRepublish: true,
        tokenRequests: [{ audience: 'api://AzureADTokenExchange' }],
      },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'spc-reader', namespace: LAB_NS },
      rules: [
        {
          apiGroups: ['secrets-store.csi.x-k8s.io'],
          resources: ['secretproviderclasses'],
          verbs: ['get', 'list', 'watch'],
        },
        { apiGroups: [''], resources: ['events'], verbs: ['list'] },
        { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'], resourceNames: ['workload-sa'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'student01-spc-reader', namespace: LAB_NS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'spc-reader' },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'student01@school.example' }],
    },
  ];
}
