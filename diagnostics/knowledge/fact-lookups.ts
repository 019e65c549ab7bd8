/**
 * How a student finds a value kvlab could not read out of their message. `explain` lists one line per hint
 * (`<namespace>`, `<identity client ID>`…) left in its fix, so no step is left with a blank the student cannot fill.
 */
import { FACT_HINTS, type KbFact } from './kb-types.ts';

export const FACT_LOOKUPS: Readonly<Record<KbFact, string>> = {
  namespace: 'your namespace: kubectl config view --minify -o jsonpath="{..namespace}" (or the -n you deploy with)',
  pod: 'the pod: kubectl get pods -n <namespace> (the one in ContainerCreating)',
  spc: 'the SecretProviderClass: kubectl get pod <pod name> -n <namespace> -o jsonpath="{..volumeAttributes.secretProviderClass}"',
  serviceAccount:
    'the ServiceAccount: kubectl get pod <pod name> -n <namespace> -o jsonpath="{.spec.serviceAccountName}"',
  vault: 'the vault: keyvaultName in your SecretProviderClass (kubectl get secretproviderclass -n <namespace> -o yaml)',
  clientId: 'the client ID: clientID (or userAssignedIdentityID) in your SecretProviderClass',
  objectId:
    'the object ID: az identity show --name <managed identity name> --resource-group <resource group> --query principalId -o tsv',
  tenantId: 'the tenant ID: tenantId in your SecretProviderClass, or az account show --query tenantId -o tsv',
  objectName: 'the object name: objectName in the objects parameter of your SecretProviderClass',
  objectType: 'the object type: objectType in the objects parameter of your SecretProviderClass',
  objectVersion: 'the version: objectVersion in your SecretProviderClass (empty means latest)',
  node: 'the node: kubectl get pod <pod name> -n <namespace> -o wide',
  issuer:
    'the OIDC issuer: az aks show --name <AKS cluster name> --resource-group <resource group> --query oidcIssuerProfile.issuerUrl -o tsv',
  subject: 'the token subject: system:serviceaccount:<namespace>:<service account>',
  audience: 'the audience: api://AzureADTokenExchange for workload identity',
  identityName: 'the identity name: az identity list --query "[?clientId==\'<identity client ID>\'].name" -o tsv',
  resourceGroup:
    'the resource group: az identity list --query "[?clientId==\'<identity client ID>\'].resourceGroup" -o tsv',
  cluster: 'the cluster: kubectl config current-context, or ask your instructor',
  secretName:
    'the Secret: the name in the message, or nodePublishSecretRef.name / secretObjects[].secretName in your manifests',
  volume: 'the volume: kubectl get pod <pod name> -n <namespace> -o jsonpath="{.spec.volumes[*].name}"',
  nearestSpc: 'the SecretProviderClasses that exist: kubectl get secretproviderclass -n <namespace>',
  otherNamespace: 'where it exists: kubectl get secretproviderclass -A',
  annotatedClientId:
    'the annotation: kubectl get sa <service account> -n <namespace> -o jsonpath="{.metadata.annotations}"',
  nearestPod: 'the pods that exist: kubectl get pods -n <namespace>',
  podNames: 'the pods that exist: kubectl get pods -n <namespace>',
};

/** One "look up" line per fact hint that is still in `texts`, in table order. */
export function lookupsFor(texts: readonly string[]): string[] {
  const all = texts.join('\n');
  return (Object.keys(FACT_HINTS) as KbFact[])
    .filter((fact) => all.includes(FACT_HINTS[fact]))
    .map((fact) => `${FACT_HINTS[fact]} — ${FACT_LOOKUPS[fact]}`);
}
