/**
 * Knowledge for the cluster side of the mount: the driver add-on, the CRD, timeouts, and failures unrelated to the
 * mount. Part of the one table in knowledge-base.ts.
 */
import type { Category } from '../categories.ts';
import type { KbEntry } from './kb-types.ts';

export const TROUBLESHOOT_AKS =
  'https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/extensions/troubleshoot-key-vault-csi-secrets-store-csi-driver';
const DRIVER_PODS =
  "kubectl get pods -n kube-system -l 'app in (secrets-store-csi-driver,secrets-store-provider-azure)' -o wide";
const ENABLE_ADDON =
  'az aks enable-addons --addons azure-keyvault-secrets-provider --name {cluster} --resource-group {resourceGroup}';

export const CLUSTER_ENTRIES = {
  CSI_DRIVER_NOT_INSTALLED: {
    commonProblem: 1,
    owner: 'instructor',
    title: 'The Secrets Store CSI driver is not installed',
    cause:
      'Pod {pod} asks for a secrets-store.csi.k8s.io volume, but no such CSI driver is registered on the cluster, so kubelet cannot mount it ("driver name secrets-store.csi.k8s.io not found in the list of registered CSI drivers"). On AKS the driver and the Azure provider come with the azure-keyvault-secrets-provider add-on, which is not enabled.',
    fix: [
      'Tell your instructor: enabling the add-on needs Azure rights on the cluster, students cannot do it.',
      ENABLE_ADDON,
      'Nothing to change in your manifests: kubelet keeps retrying the mount and pod {pod} starts once the driver is there.',
    ],
    verify: [DRIVER_PODS, 'kubectl get csidriver secrets-store.csi.k8s.io', 'kubectl get pod {pod} -n {namespace} -w'],
    docs: 'https://learn.microsoft.com/azure/aks/csi-secrets-store-driver',
  },
  CSI_DRIVER_UNHEALTHY: {
    commonProblem: 1,
    owner: 'instructor',
    title: 'The Secrets Store CSI driver is not healthy on node {node}',
    cause:
      'The driver and provider are installed, but their pods are not ready, keep crashing, or none runs on node {node} where pod {pod} was scheduled. The mount is done on that node, so it cannot succeed there.',
    fix: [
      DRIVER_PODS,
      'kubectl get pods -n kube-system -o wide --field-selector spec.nodeName={node}',
      'kubectl logs -n kube-system -l app=secrets-store-provider-azure --since=1h --prefix',
      'Tell your instructor which node is affected: the add-on DaemonSets are managed by AKS.',
    ],
    verify: [DRIVER_PODS, 'kubectl get pod {pod} -n {namespace} -w'],
    docs: TROUBLESHOOT_AKS,
    variants: {
      'not-on-node': {
        cause:
          'No Secrets Store driver or Azure provider pod runs on node {node}, where pod {pod} was scheduled, so nothing on that node can mount the volume.',
        fix: [
          'kubectl get daemonset -n kube-system aks-secrets-store-csi-driver aks-secrets-store-provider-azure',
          'kubectl describe node {node}',
          'Tell your instructor: the node may have a taint or no room left for the add-on DaemonSets.',
        ],
      },
      'no-ephemeral-mode': {
        title: 'The CSIDriver object secrets-store.csi.k8s.io does not allow inline volumes',
        cause:
          'Pod {pod} mounts Key Vault with an inline CSI volume (csi: in the pod spec, as in the lab). kubelet allows that only when the CSIDriver object secrets-store.csi.k8s.io lists Ephemeral in spec.volumeLifecycleModes; here it lists only Persistent (the default when the field is left out), so kubelet refuses the volume before the driver is called ("volume mode "Ephemeral" not supported by driver secrets-store.csi.k8s.io (only supports ["Persistent"])"). The driver was installed without inline-volume support, e.g. from an old or edited manifest.',
        fix: [
          'kubectl get csidriver secrets-store.csi.k8s.io -o yaml',
          'Tell your instructor: the CSIDriver object is cluster-wide, and volumeLifecycleModes cannot be changed in place (the field is immutable), so the object must be recreated with Ephemeral.',
          `Instructor, on AKS: disable the add-on (az aks disable-addons --addons azure-keyvault-secrets-provider --name {cluster} --resource-group {resourceGroup}) and enable it again: ${ENABLE_ADDON}. For a Helm install: kubectl delete csidriver secrets-store.csi.k8s.io, then helm upgrade the driver's chart (its CSIDriver sets volumeLifecycleModes: [Ephemeral]).`,
          'Nothing to change in your manifests: kubelet keeps retrying the mount and pod {pod} starts once the driver allows inline volumes.',
        ],
        verify: ['kubectl get csidriver secrets-store.csi.k8s.io -o yaml', 'kubectl get pod {pod} -n {namespace} -w'],
        docs: 'https://kubernetes.io/docs/concepts/storage/ephemeral-volumes/#csi-ephemeral-volumes',
      },
      crashing: {
        cause:
          'The Secrets Store driver or Azure provider pod on node {node} is crash-looping or not ready, so mounts on that node fail.',
        fix: [
          'kubectl get pods -n kube-system -o wide --field-selector spec.nodeName={node}',
          'kubectl logs -n kube-system -l app=secrets-store-provider-azure --previous --prefix',
          'Tell your instructor, with the log lines: the add-on is managed by AKS.',
        ],
      },
    },
  },
  CRD_MISSING: {
    commonProblem: 3,
    owner: 'instructor',
    title: 'The SecretProviderClass resource type does not exist',
    cause:
      'The API server does not know the SecretProviderClass kind (secrets-store.csi.x-k8s.io), so applying your SecretProviderClass fails ("no matches for kind SecretProviderClass") and the driver cannot look one up. The CRDs are installed with the Key Vault add-on.',
    fix: [
      'kubectl api-resources | grep SecretProviderClass',
      `Tell your instructor: enable the add-on, which installs the CRDs: ${ENABLE_ADDON}`,
      'Then apply your class again: kubectl apply -f secret-provider-class.yaml -n {namespace}',
    ],
    verify: [
      'kubectl get crd secretproviderclasses.secrets-store.csi.x-k8s.io',
      'kubectl get secretproviderclass -n {namespace}',
    ],
    docs: 'https://learn.microsoft.com/azure/aks/csi-secrets-store-driver',
  },
  TIMEOUT_OR_TRANSIENT: {
    commonProblem: null,
    owner: 'instructor',
    title: 'The mount timed out',
    cause:
      'The mount for pod {pod} timed out or lost its connection (deadline exceeded, connection reset, throttling) without a more specific error. This is often temporary: Entra ID or Key Vault was slow, throttled, or briefly unreachable from node {node}.',
    fix: [
      'Wait a minute: kubelet retries the mount by itself.',
      'kubectl describe pod {pod} -n {namespace}',
      'kubectl logs -n kube-system -l app=secrets-store-provider-azure --since=15m --prefix',
      'If it keeps failing, ask your instructor to check outbound access from the nodes to login.microsoftonline.com and {vault}.vault.azure.net.',
    ],
    verify: ['kubectl get pod {pod} -n {namespace} -w'],
    docs: TROUBLESHOOT_AKS,
  },
  OTHER: {
    commonProblem: null,
    owner: 'student',
    title: 'Pod {pod} has a problem outside the Key Vault mount',
    cause:
      'The failure is not about the secrets mount, for example an image that cannot be pulled, a pod that cannot be scheduled, or a container that crashes after start.',
    fix: [
      'kubectl describe pod {pod} -n {namespace}',
      'kubectl get events -n {namespace} --field-selector involvedObject.name={pod}',
      'kubectl logs {pod} -n {namespace} --previous',
    ],
    verify: ['kubectl get pod {pod} -n {namespace}'],
    docs: 'https://kubernetes.io/docs/tasks/debug/debug-application/debug-pods/',
    variants: {
      'no-csi-volume': {
        title: 'Pod {pod} mounts nothing from Key Vault',
        cause:
          'Pod {pod} has no volume with the secrets-store.csi.k8s.io driver, so no Key Vault secret is mounted into it at all.',
        fix: [
          'Add the secrets-store volume and volumeMount from the lab (Task 3) to pod-keyvault.yaml.',
          'Pod volumes cannot be changed in place: kubectl delete pod {pod} -n {namespace}',
          'kubectl apply -f pod-keyvault.yaml -n {namespace}',
        ],
        verify: ['kubectl exec {pod} -n {namespace} -- ls /mnt/secrets/'],
        docs: 'https://learn.microsoft.com/azure/aks/csi-secrets-store-driver',
      },
      container: {
        cause:
          'The secrets mount is not what stops pod {pod}: its container cannot start or keeps crashing (image pull, command, resources).',
      },
      'secret-missing': {
        title: 'Pod {pod} reads Secret {secretName}, which does not exist',
        cause:
          'Pod {pod} reads the Kubernetes Secret {secretName} (in env or a volume), but it does not exist and no SecretProviderClass in namespace {namespace} syncs it.',
        fix: [
          'kubectl get secret -n {namespace}',
          'To get it from Key Vault, add secretObjects with secretName: {secretName} to your SecretProviderClass (lab, "Sync as Kubernetes Secret").',
        ],
        verify: ['kubectl get secret {secretName} -n {namespace}'],
        docs: 'https://learn.microsoft.com/azure/aks/csi-secrets-store-configuration-options',
      },
      // The asked-for pod is not there (diagnostics/checks/pod.ts): a finding, not a failed check.
      'pod-not-found': {
        title: 'Pod {pod} does not exist in namespace {namespace}',
        cause:
          'There is no pod named {pod} in namespace {namespace}, so there is no mount to diagnose. The pods there: {podNames}.',
        fix: [
          'kubectl get pods -n {namespace}',
          'If you have not created it yet: kubectl apply -f pod-keyvault.yaml -n {namespace}',
          'Then diagnose the pod by the name kubectl shows: kvlab diagnose <pod name> -n {namespace} (in Slack: /kvlab diagnose <pod name>).',
        ],
        verify: ['kubectl get pod {pod} -n {namespace}'],
        docs: 'https://kubernetes.io/docs/reference/kubectl/generated/kubectl_get/',
      },
      'pod-typo': {
        title: 'Pod {pod} does not exist in namespace {namespace} — did you mean {nearestPod}?',
        cause:
          'There is no pod named {pod} in namespace {namespace}; the closest name there is {nearestPod}, so the name was probably mistyped. The pods there: {podNames}.',
        fix: [
          'Diagnose the pod that exists: kvlab diagnose {nearestPod} -n {namespace} (in Slack: /kvlab diagnose {nearestPod}).',
          'kubectl get pods -n {namespace}',
        ],
        verify: ['kubectl get pod {nearestPod} -n {namespace}'],
        docs: 'https://kubernetes.io/docs/reference/kubectl/generated/kubectl_get/',
      },
      'namespace-not-found': {
        title: 'Namespace {namespace} does not exist',
        cause:
          'There is no namespace {namespace} in this cluster, so pod {pod} cannot be in it: the namespace is mistyped, or your lab namespace has not been created yet.',
        fix: [
          'kubectl get namespaces',
          'Diagnose in your own namespace: kvlab diagnose {pod} -n <namespace> (in Slack, /kvlab diagnose {pod} uses the namespace of your roster entry).',
          'If your lab namespace is not in the list, tell your instructor: it is created for each student.',
        ],
        verify: ['kubectl get namespace {namespace}'],
        docs: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/',
      },
    },
  },
} as const satisfies Partial<Record<Category, KbEntry>>;
