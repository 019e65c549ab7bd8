/**
 * Knowledge about signing in to Entra ID with workload identity (docs/wire-notes.md §3), with one variant per known cause
 * (AADSTS code, pod identity, missing token, ServiceAccount). Part of the one table in knowledge-base.ts. Steps that
 * need Azure rights say "Instructor": in the lab, students only have their namespace.
 */
import type { Category } from '../categories.ts';
import type { KbEntry } from './kb-types.ts';

const FEDERATION_DOCS = 'https://learn.microsoft.com/entra/workload-id/workload-identity-federation';
const ERROR_CODES_DOCS = 'https://learn.microsoft.com/entra/identity-platform/reference-error-codes';
/** kvlab knows the identity by its client ID (from the SPC); its name and resource group come from Azure. */
const FIND_IDENTITY = 'az identity list --query "[?clientId==\'{clientId}\'].[name, resourceGroup]" -o tsv';
const LIST_FEDERATED =
  'az identity federated-credential list --identity-name {identityName} --resource-group {resourceGroup} -o table';
const FEDERATE =
  'Instructor: az identity federated-credential create --name {namespace}-{serviceAccount} --identity-name {identityName} --resource-group {resourceGroup} --issuer {issuer} --subject system:serviceaccount:{namespace}:{serviceAccount} --audience api://AzureADTokenExchange';
const APPLY_SPC = 'kubectl apply -f secret-provider-class.yaml -n {namespace}';

export const AUTH_ENTRIES = {
  AUTH_FAILED: {
    commonProblem: 2,
    owner: 'student',
    title: 'The CSI driver could not sign in to Entra ID for pod {pod}',
    cause:
      'To read Key Vault, the Azure provider trades a token of ServiceAccount {serviceAccount} (namespace {namespace}) for an Entra ID token of the managed identity with client ID {clientId} in tenant {tenantId}. That exchange failed, so the volume is not mounted and the pod stays in ContainerCreating.',
    fix: [
      'kubectl get sa {serviceAccount} -n {namespace} -o yaml',
      'Check that pod {pod} runs as {serviceAccount} and that clientID and tenantId in SecretProviderClass {spc} are the values from your instructor.',
      LIST_FEDERATED,
    ],
    verify: ['kubectl describe pod {pod} -n {namespace}', 'kubectl get pod {pod} -n {namespace} -w'],
    docs: 'https://learn.microsoft.com/azure/aks/csi-secrets-store-identity-access',
    variants: {
      federation: {
        owner: 'instructor',
        title: 'Identity {clientId} does not trust ServiceAccount {serviceAccount}',
        cause:
          'Entra ID found no federated identity credential on the identity with client ID {clientId} that matches the token of ServiceAccount {serviceAccount}: issuer {issuer}, subject system:serviceaccount:{namespace}:{serviceAccount}, audience api://AzureADTokenExchange (AADSTS70021 and its variants 700211–700213).',
        fix: [FIND_IDENTITY, LIST_FEDERATED, FEDERATE],
        docs: FEDERATION_DOCS,
      },
      'issuer-mismatch': {
        owner: 'instructor',
        cause:
          "The federated credential on the identity with client ID {clientId} names another OIDC issuer than this cluster's ({issuer}) (AADSTS700211), for example one copied from another cluster.",
        fix: [
          'az aks show --name {cluster} --resource-group {resourceGroup} --query oidcIssuerProfile.issuerUrl -o tsv',
          LIST_FEDERATED,
          FEDERATE,
        ],
        docs: FEDERATION_DOCS,
      },
      'subject-mismatch': {
        cause:
          'The token subject {subject} matches no federated credential on the identity with client ID {clientId} (AADSTS700213). The subject is system:serviceaccount:{namespace}:{serviceAccount}: the pod runs as another ServiceAccount or in another namespace than the one that was federated (matching is case-sensitive).',
        fix: [
          'kubectl get pod {pod} -n {namespace} -o yaml | grep serviceAccountName',
          'Set spec.serviceAccountName in pod-keyvault.yaml to the ServiceAccount your instructor gave you, then recreate the pod: kubectl delete pod {pod} -n {namespace}',
          LIST_FEDERATED,
        ],
        docs: FEDERATION_DOCS,
      },
      'audience-mismatch': {
        owner: 'instructor',
        cause:
          'The token audience {audience} matches no federated credential on the identity with client ID {clientId} (AADSTS700212); workload identity uses the audience api://AzureADTokenExchange.',
        fix: [LIST_FEDERATED, FEDERATE],
        docs: FEDERATION_DOCS,
      },
      'client-id': {
        cause:
          'No application or managed identity with client ID {clientId} exists in tenant {tenantId} (AADSTS700016): clientID in {spc} is mistyped, is the object (principal) ID instead, or belongs to another tenant.',
        fix: [
          'az identity show --name {identityName} --resource-group {resourceGroup} --query clientId -o tsv',
          `Put that value in clientID of {spc}: ${APPLY_SPC}`,
        ],
        docs: ERROR_CODES_DOCS,
      },
      tenant: {
        cause: 'Entra ID does not know tenant {tenantId} (AADSTS90002): tenantId in {spc} is mistyped.',
        fix: ['az account show --query tenantId -o tsv', `Put that value in tenantId of {spc}: ${APPLY_SPC}`],
        docs: ERROR_CODES_DOCS,
      },
      'assertion-expired': {
        owner: 'instructor',
        cause:
          'Entra ID found the ServiceAccount token of pod {pod} outside its valid time range (AADSTS700024): the token expired, or the clock of node {node} is off.',
        fix: [
          'Recreate the pod so it gets a fresh token: kubectl delete pod {pod} -n {namespace}',
          'If it happens again, tell your instructor the node name ({node}): its clock may be wrong.',
        ],
        docs: ERROR_CODES_DOCS,
      },
      'pod-identity-binding': {
        cause:
          'The SecretProviderClass uses AAD pod identity (usePodIdentity: "true"), and the node\'s NMI gave no token for pod {pod} in namespace {namespace}: NMI is not running on the node (connection refused on port 2579), or it found no AzureAssignedIdentity for the pod (404/403: the AzureIdentityBinding selector does not match the pod\'s aadpodidbinding label, or MIC rejected the AzureIdentity).',
        fix: [
          'kubectl get pods -A -l app.kubernetes.io/component=nmi -o wide',
          'kubectl get azureidentity,azureidentitybinding,azureassignedidentity -n {namespace}',
          'kubectl get pod {pod} -n {namespace} --show-labels',
          'Pod identity is deprecated: migrate to workload identity (clientID in the SecretProviderClass, a federated ServiceAccount).',
        ],
        docs: 'https://azure.github.io/aad-pod-identity/docs/troubleshooting/',
      },
      'pod-identity-mic': {
        owner: 'instructor',
        cause:
          "aad-pod-identity's MIC, the controller that assigns identities to the nodes' VMs and scale sets, failed with the cluster's own credentials (its service principal or kubelet identity, not the pod's): it lacks a role on the identity or on the node resource group, or its client secret expired (AADSTS7000222). Until MIC assigns the identity, NMI has no token for pod {pod}.",
        fix: [
          'kubectl logs -n kube-system -l app.kubernetes.io/component=mic --tail 50',
          'Give the cluster identity Managed Identity Operator on the pod\'s identity and Virtual Machine Contributor on the node resource group: az role assignment create --role "Managed Identity Operator" --assignee <cluster identity client ID> --scope <identity resource ID>',
          "If MIC quotes AADSTS7000222, the cluster service principal's secret expired: az aks update-credentials --resource-group {resourceGroup} --name {cluster} --reset-service-principal --service-principal <app ID> --client-secret <new secret>",
          'Pod identity is deprecated: migrate to workload identity (clientID in the SecretProviderClass, a federated ServiceAccount).',
        ],
        docs: 'https://azure.github.io/aad-pod-identity/docs/troubleshooting/',
      },
      'managed-identity': {
        cause:
          'The SecretProviderClass uses the node\'s managed identity (useVMManagedIdentity: "true"), and IMDS gave no token: the user-assigned identity {clientId} in userAssignedIdentityID is not assigned to the node pool\'s VM scale set ("Identity not found"), or IMDS did not answer.',
        fix: [
          'az aks show --name {cluster} --resource-group {resourceGroup} --query addonProfiles.azureKeyvaultSecretsProvider.identity.clientId -o tsv',
          'az vmss identity show --name <node pool scale set> --resource-group <node resource group>',
          'Put that client ID in userAssignedIdentityID of {spc} (or leave it empty to use the system-assigned identity).',
        ],
        docs: 'https://learn.microsoft.com/azure/aks/csi-secrets-store-identity-access',
      },
      'service-principal': {
        cause:
          'No usePodIdentity / useVMManagedIdentity and no workload identity token, so the provider signs in as a service principal with clientid / clientsecret from the Secret named by nodePublishSecretRef, and that failed: the Secret is missing in namespace {namespace}, lacks a key, or Entra rejected the secret (AADSTS7000215: use the secret value, not its ID).',
        fix: [
          'kubectl describe secret {secretName} -n {namespace}',
          'kubectl create secret generic {secretName} -n {namespace} --from-literal clientid=<app client ID> --from-literal clientsecret=<secret value>',
          'kubectl label secret {secretName} -n {namespace} secrets-store.csi.k8s.io/used=true',
        ],
        docs: 'https://azure.github.io/secrets-store-csi-driver-provider-azure/docs/configurations/identity-access-modes/service-principal-mode/',
      },
      'token-requests': {
        owner: 'instructor',
        cause:
          'The Secrets Store driver is not configured to hand the provider a ServiceAccount token for audience api://AzureADTokenExchange ("token for audience api://AzureADTokenExchange not found"): workload identity is not set up on cluster {cluster}.',
        fix: [
          'kubectl get csidriver secrets-store.csi.k8s.io -o yaml',
          'Instructor: az aks update --name {cluster} --resource-group {resourceGroup} --enable-oidc-issuer --enable-workload-identity',
        ],
        docs: 'https://learn.microsoft.com/azure/aks/workload-identity-deploy-cluster',
      },
      'service-account-missing': {
        cause:
          'ServiceAccount {serviceAccount} does not exist in namespace {namespace}, so there is no token to exchange for the managed identity.',
        fix: [
          'kubectl get serviceaccounts -n {namespace}',
          'Set spec.serviceAccountName in pod-keyvault.yaml to the ServiceAccount your instructor created, then recreate the pod: kubectl delete pod {pod} -n {namespace}',
        ],
      },
    },
  },
} as const satisfies Partial<Record<Category, KbEntry>>;
