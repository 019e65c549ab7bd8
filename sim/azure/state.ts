/**
 * The Azure side of a simulated classroom: Entra ID tenants with their identities and federated credentials,
 * and Key Vault vaults with their access model, network rules and objects. Loaded from a scenario's
 * `azure.yaml`; shared by sim/entra (who may get a token) and sim/keyvault (what a token may read).
 * Field names follow Azure's own resource properties where one exists.
 */

export interface AzureState {
  tenants: Tenant[];
  vaults: Vault[];
  /**
   * The public address the cluster's egress traffic appears to come from, as Key Vault's firewall sees it
   * (every simulated request arrives over loopback). Default `20.10.0.4`.
   */
  clientAddress?: string;
}

export interface Tenant {
  /** Tenant id (GUID). */
  id: string;
  displayName: string;
  /** App registrations and user-assigned managed identities; both authenticate the same way at the token endpoint. */
  identities: Identity[];
}

export interface Identity {
  /** Display name, e.g. `id-kvlab-students` (a UAMI name) or an app registration's name. */
  name: string;
  kind?: 'managedIdentity' | 'application';
  /** appId / client id (GUID): what an SPC's `clientID` names. */
  clientId: string;
  /** Object id of the service principal (GUID): what access policies and role assignments name. */
  objectId: string;
  /** Client secrets (for the `client_secret` grant), with optional expiry (RFC 3339). */
  secrets?: Array<{ value: string; expiresOn?: string }>;
  federatedCredentials?: FederatedCredential[];
}

export interface FederatedCredential {
  name: string;
  /** Must equal the assertion's `iss` exactly (case-sensitive). */
  issuer: string;
  /** Must equal the assertion's `sub` exactly, e.g. `system:serviceaccount:student-01:workload-identity-sa`. */
  subject: string;
  /** Usually `['api://AzureADTokenExchange']`. */
  audiences: string[];
}

export type SecretPermission = 'get' | 'list' | 'set' | 'delete' | 'recover' | 'backup' | 'restore' | 'purge';

export interface Vault {
  /** Vault name, the first DNS label of `https://<name>.vault.azure.net`. */
  name: string;
  tenantId: string;
  location: string;
  /** Resource id parts, used in RBAC error texts. */
  subscriptionId?: string;
  resourceGroup?: string;
  /** `accessPolicies` (legacy, `enableRbacAuthorization: false`) or `rbac`. */
  accessModel: 'accessPolicies' | 'rbac';
  accessPolicies?: Array<{
    objectId: string;
    tenantId?: string;
    permissions: { secrets?: SecretPermission[]; keys?: string[]; certificates?: string[] };
  }>;
  /**
   * Azure RBAC role assignments. `scope` is `vault` or `secrets/<name>` (also `keys/<name>`, `certificates/<name>`).
   * Roles that grant secret reads: `Key Vault Secrets User`, `Key Vault Secrets Officer`, `Key Vault Administrator`.
   */
  roleAssignments?: Array<{ principalId: string; role: string; scope?: string }>;
  network?: {
    publicNetworkAccess?: 'Enabled' | 'Disabled';
    /** With `Deny`, only `ipRules` (CIDR or address) may reach the vault. */
    defaultAction?: 'Allow' | 'Deny';
    ipRules?: string[];
  };
  secrets?: VaultObject[];
  keys?: VaultObject[];
  certificates?: VaultObject[];
}

export interface VaultObject {
  name: string;
  /** Newest last. */
  versions: ObjectVersion[];
}

export interface ObjectVersion {
  /** 32 lowercase hex characters. */
  version: string;
  /** Secret value (secrets only). Never leaves the simulator except in a GET secret response body. */
  value?: string;
  contentType?: string;
  enabled?: boolean;
  /** RFC 3339 times; the wire format turns them into Unix seconds. */
  created?: string;
  notBefore?: string;
  expires?: string;
  tags?: Record<string, string>;
}

/**
 * Change notification for a running classroom: the simulators read the state on every request, so a test or
 * a timeline may edit it in place; components that react to Azure changes (the simulated kubelet retries its
 * failing mounts at once) subscribe here. Listeners are kept beside the state, which stays plain data.
 */
export type AzureChangeListener = (what: string) => void;

const azureListeners = new WeakMap<AzureState, Set<AzureChangeListener>>();

/** Calls `listener` after every `notifyAzureChange` / `mutateAzure` on `state`. Returns the unsubscribe. */
export function onAzureChange(state: AzureState, listener: AzureChangeListener): () => void {
  let set = azureListeners.get(state);
  if (!set) {
    set = new Set();
    azureListeners.set(state, set);
  }
  set.add(listener);
  return () => set.delete(listener);
}

/** Tells the subscribers that `state` was edited in place (`what` names the change, for logs). */
export function notifyAzureChange(state: AzureState, what = 'azure state'): void {
  for (const listener of [...(azureListeners.get(state) ?? [])]) listener(what);
}

/** Edits `state` in place with `mutate`, then notifies the subscribers. */
export function mutateAzure(state: AzureState, mutate: (state: AzureState) => void, what = 'azure state'): void {
  mutate(state);
  notifyAzureChange(state, what);
}
