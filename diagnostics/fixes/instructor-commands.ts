/**
 * The Azure commands for problems only the instructor can fix, with the real names filled in: a federated
 * credential for the pod's exact issuer and subject, the vault's access policy or role assignment for the identity,
 * the vault firewall rule for the address Key Vault saw, the add-on. Values kvlab cannot know are looked up by the
 * command itself (`$(az …)` on the identity's client ID) or asked. Pure: nothing is run.
 */
import type { Evidence } from '../gather/gather-evidence.ts';
import { readValue } from '../gather/read.ts';
import { TOKEN_EXCHANGE_AUDIENCE } from '../gather/replay-mount.ts';
import type { MergedProblem } from '../judge.ts';
import type { Draft } from './draft.ts';

/** The ARM id of the vault, as the KB's role assignment command computes it. */
const vaultId = (vault: string) => `$(az keyvault show --name ${vault} --query id -o tsv)`;
const IPV4 = /Client address: (\d{1,3}(?:\.\d{1,3}){3})/;

/** Commands for `problem`, or undefined when kvlab has no exact command for it. */
export function instructorCommands(d: Draft, e: Evidence, problem: MergedProblem): string[] | undefined {
  const f = problem.facts;
  switch (problem.category) {
    case 'AUTH_FAILED':
      if (!['federation', 'issuer-mismatch', 'audience-mismatch'].includes(problem.variant ?? '')) return undefined;
      return federate(d, f);
    case 'ACCESS_DENIED': {
      const vault = f.vault ?? d.ask('<KEY_VAULT_NAME>', 'The vault the SPC reads.');
      const clientId = f.clientId ?? d.ask('<IDENTITY_CLIENT_ID>', 'The client ID in the SPC.');
      if (problem.variant === 'access-policy') {
        const who = f.objectId ? `--object-id ${f.objectId}` : `--spn ${clientId}`;
        d.changes.push(`Key Vault ${vault}: access policy for identity ${clientId}: secrets get`);
        return [`az keyvault set-policy --name ${vault} ${who} --secret-permissions get`];
      }
      if (problem.variant === 'rbac') {
        d.changes.push(`Key Vault ${vault}: role Key Vault Secrets User for identity ${clientId}`);
        return [
          `az role assignment create --role "Key Vault Secrets User" --assignee ${clientId} --scope ${vaultId(vault)}`,
        ];
      }
      return undefined;
    }
    case 'FIREWALL':
      return firewall(d, e, f, problem.variant);
    case 'CSI_DRIVER_NOT_INSTALLED':
    case 'CRD_MISSING': {
      const cluster = f.cluster ?? d.ask('<AKS_CLUSTER>', 'The AKS cluster name (az aks list --query "[].name").');
      const group = f.resourceGroup ?? d.ask('<RESOURCE_GROUP>', "The cluster's resource group.");
      d.changes.push(`AKS cluster ${cluster}: add-on azure-keyvault-secrets-provider enabled`);
      return [
        `az aks enable-addons --addons azure-keyvault-secrets-provider --name ${cluster} --resource-group ${group}`,
      ];
    }
    case 'SECRET_DISABLED': {
      if (problem.variant !== 'disabled' || !f.vault || !f.objectName) return undefined;
      d.changes.push(`Key Vault ${f.vault}: secret ${f.objectName} enabled`);
      return [`az keyvault secret set-attributes --vault-name ${f.vault} --name ${f.objectName} --enabled true`];
    }
    default:
      return undefined;
  }
}

/** A federated credential that matches the pod's token exactly: issuer, subject, audience. */
function federate(d: Draft, f: Record<string, string>): string[] {
  const namespace = f.namespace as string;
  const account = f.serviceAccount ?? 'default';
  const subject = f.subject ?? `system:serviceaccount:${namespace}:${account}`;
  const issuer =
    f.issuer ?? d.ask('<OIDC_ISSUER>', 'The cluster OIDC issuer (az aks show --query oidcIssuerProfile.issuerUrl).');
  const commands: string[] = [];
  let identity = f.identityName;
  let group = f.resourceGroup;
  if ((!identity || !group) && f.clientId) {
    const query = (field: string) => `$(az identity list --query "[?clientId=='${f.clientId}'].${field}" -o tsv)`;
    commands.push(`IDENTITY_NAME=${query('name')}`, `IDENTITY_GROUP=${query('resourceGroup')}`);
    identity = '"$IDENTITY_NAME"';
    group = '"$IDENTITY_GROUP"';
  }
  identity ??= d.ask('<IDENTITY_NAME>', 'The managed identity the SPC clientID belongs to.');
  group ??= d.ask('<RESOURCE_GROUP>', "The managed identity's resource group.");
  const name = `kvlab-${namespace}-${account}`.slice(0, 120);
  d.changes.push(`Identity ${f.clientId ?? identity}: federated credential ${name} for ${subject} (issuer ${issuer})`);
  commands.push(
    `az identity federated-credential create --name ${name} --identity-name ${identity} --resource-group ${group} --issuer ${issuer} --subject ${subject} --audience ${TOKEN_EXCHANGE_AUDIENCE}`,
  );
  return commands;
}

/** Allows the address Key Vault saw (from its 403), or public access when it is off. */
function firewall(d: Draft, e: Evidence, f: Record<string, string>, variant: string | undefined): string[] {
  const vault = f.vault ?? d.ask('<KEY_VAULT_NAME>', 'The vault the SPC reads.');
  const replay = readValue(e.replay);
  const messages = replay?.performed
    ? replay.outcome.objects.map((o) => (o.outcome.readable ? '' : o.outcome.error.message))
    : [];
  const seen = messages.map((m) => IPV4.exec(m)?.[1]).find(Boolean);
  const commands: string[] = [];
  if (variant === 'public-access-disabled') {
    d.changes.push(`Key Vault ${vault}: public network access enabled (or reach it through its private endpoint)`);
    commands.push(`az keyvault update --name ${vault} --public-network-access Enabled`);
  }
  const address =
    seen ??
    d.ask('<CLUSTER_EGRESS_IP>', "The cluster's outbound public IP (the AKS load balancer's or NAT gateway's).");
  d.changes.push(`Key Vault ${vault}: firewall allows ${address}${seen ? ' (the client address in its 403)' : ''}`);
  commands.push(`az keyvault network-rule add --name ${vault} --ip-address ${address}`);
  return commands;
}
