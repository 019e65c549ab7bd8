import type { Category } from '../../categories.ts';

/**
 * What the classifier could read out of one message. Every field is optional: a message carries only some of
 * them. Values are copied from the message as written (no secrets: Key Vault never puts a value in an error).
 */
export interface MessageDetails {
  /** Key Vault object from the provider's `failed to get objectType:…, objectName:…, objectVersion:…` wrapper. */
  objectName?: string;
  objectType?: string;
  objectVersion?: string;
  /** Key Vault name (from the vault URL, a DNS lookup, `key vault '<name>;location=…'` or a vault-name error). */
  vault?: string;
  /** HTTP status of the layer that decided (Key Vault, Entra ID, NMI or IMDS). */
  statusCode?: number;
  /** Top-level error code: Key Vault `error.code`, Entra `error`, or a Kubernetes Status reason. */
  errorCode?: string;
  /** Key Vault `innererror.code` (AccessDenied, ForbiddenByRbac, ForbiddenByFirewall, SecretDisabled…). */
  innerErrorCode?: string;
  /** Entra ID error number without the `AADSTS` prefix, e.g. `70021`. */
  aadsts?: string;
  clientId?: string;
  /** The caller's object (principal) ID, as Key Vault's 403 texts name it (`appid=…;oid=<objectId>;iss=…`). */
  objectId?: string;
  tenantId?: string;
  /** Pod volume and pod from the kubelet / driver wrappers. */
  volume?: string;
  pod?: string;
  namespace?: string;
  secretProviderClass?: string;
  /** Provider name from a driver error (`provider "azurekeyvault"`). */
  provider?: string;
  /** Claims of the service-account token as Entra reported them in a federation mismatch. */
  assertionIssuer?: string;
  assertionSubject?: string;
  assertionAudience?: string;
  /** Host named by a network error or the request line of the deciding layer. */
  host?: string;
  /** Innermost gRPC status code of the driver / provider wrappers (`Unknown`, `DeadlineExceeded`…). */
  grpcCode?: string;
  /** Provider error style: `autorest` (≤ v1.4, `StatusCode=403 -- Original Error`) or `azure-sdk` (≥ v1.5). */
  providerGeneration?: 'autorest' | 'azure-sdk';
  /** Event reason when the paste carried it (`FailedMount`, `FailedToCreateSecret`…). */
  eventReason?: string;
  /** Kubernetes Secret named by a sync or container-config error, and the missing key if any. */
  secretName?: string;
  secretKey?: string;
  /** CSI driver name from a registration error. */
  driver?: string;
  /** Kubernetes RBAC denial: who, which verb, which resource. */
  kubernetesUser?: string;
  verb?: string;
  resource?: string;
  /** Which identity mode the message shows (the NMI port, IMDS, a nodePublishSecretRef / client secret, a federated token). */
  identityMode?: 'pod-identity' | 'managed-identity' | 'service-principal' | 'workload-identity';
  /**
   * The message is a log line of aad-pod-identity's MIC, the controller that assigns identities to the nodes' VMs and
   * scale sets with the cluster's own credentials — not the pod's sign-in, so not the pod's fix.
   */
  podIdentityComponent?: 'mic';
  /** A template placeholder that reached the provider or Entra ID unchanged (`<KEY_VAULT_NAME>`). */
  placeholder?: string;
  /**
   * The Key Vault operation that failed, in the words of Key Vault's access-policy texts (`secrets list`): named by
   * the denial itself (`does not have secrets list permission`, RBAC action `secrets/readMetadata/action`), the
   * request line (`GET …/secrets/<name>/versions`) or the SDK method (`BaseClient#GetSecretVersions`). Listing
   * versions is what the provider does for `objectVersionHistory` > 1; it needs the list permission.
   */
  keyVaultOperation?: KeyVaultOperation;
  /** The volume lifecycle modes a CSIDriver object allows, as kubelet quotes them (`["Persistent"]`). */
  lifecycleModes?: string;
  /** A certificate's secret content type the provider cannot convert (`unknown content type '<ct>'`). */
  contentType?: string;
  /** A key's JSON Web Key type the provider does not write (`key type '<kty>' currently not supported`: oct, oct-HSM). */
  keyType?: string;
}

/** Key Vault's permission collections and the two operations the provider uses. */
export type KeyVaultOperation = `${'secrets' | 'keys' | 'certificates'} ${'get' | 'list'}`;

/** The classifier's answer for one message. */
export interface Classification {
  category: Category;
  confidence: 'high' | 'medium' | 'low';
  /** 0–100: how close to a root cause this message is; used to rank several events of one pod. */
  specificity: number;
  details: MessageDetails;
  /** Short notes on the structure that decided, suitable as evidence lines. */
  signals: string[];
}

/** Three views of one normalised message; rules match structure on `lower` so hard line breaks cannot hide it. */
export interface Views {
  /** Normalised text, line structure kept. */
  text: string;
  /** Whitespace runs collapsed to one space. */
  flat: string;
  /** Line breaks removed without a separator (restores words a wrap split), other spaces kept. */
  joined: string;
  /** All whitespace removed: immune to line breaks inside words, JSON and numbers. */
  compact: string;
  /** `compact`, lower-cased. */
  lower: string;
}

/** A Key Vault or Entra ID HTTP answer read out of the message. */
export interface HttpAnswer {
  status?: number;
  code?: string;
  host?: string;
}

/** Everything extracted from a message before any decision is taken. */
export interface Facts {
  details: MessageDetails;
  /** Key Vault's answer: status, top-level code, inner code. */
  keyVault: HttpAnswer & { inner?: string; akv?: string };
  /** Entra ID's (or NMI / IMDS) answer: status and OAuth `error`. */
  identity: HttpAnswer & { credential?: string };
  /** A failed DNS lookup and what kind of failure it was. */
  dns?: { host: string; kind: 'nxdomain' | 'timeout'; vaultContext?: boolean };
  /** Human-readable trail of the wrappers found, outermost first. */
  layers: string[];
  /** True when a kubelet / driver / provider wrapper was recognised. */
  wrapped: boolean;
  /** True when the message shows a timeout, reset or other transient network failure. */
  transient: boolean;
}

/** A decision taken by one rule. */
export interface Verdict {
  category: Category;
  confidence: Classification['confidence'];
  specificity: number;
  signals: string[];
}

/** One decision rule: pure over the facts and views, `null` when it does not apply. */
export type Rule = (facts: Facts, views: Views) => Verdict | null;
