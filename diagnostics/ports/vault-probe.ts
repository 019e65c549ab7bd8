/**
 * Replays what the Azure provider does during a mount, with the pod's own identity: exchange the
 * service-account token at Entra ID for the SPC's clientID/tenantId, then `get` each object from the vault the
 * way the provider does for its type: a secret (GetSecret), a key (GetKey: the public part) or a certificate
 * (GetCertificate), after listing its versions when the object asks for objectVersionHistory above 1. Implemented by src/adapters/azure-vault-probe.ts. Only metadata leaves the probe — never a
 * value, never key or certificate material.
 */

/** The SPC's `objectType` values the provider accepts (case-sensitive, as the provider compares them). */
export const VAULT_OBJECT_TYPES = ['secret', 'key', 'cert'] as const;
export type VaultObjectType = (typeof VAULT_OBJECT_TYPES)[number];

export function isVaultObjectType(value: string): value is VaultObjectType {
  return (VAULT_OBJECT_TYPES as readonly string[]).includes(value);
}

export interface ProbeObjectRef {
  objectType: string;
  objectName: string;
  objectVersion?: string;
  /**
   * The SPC's objectVersionHistory. Above 1 the provider lists the object's versions before it gets them (Key
   * Vault's list permission; RBAC: secrets/readMetadata/action, keys/read, certificates/read), so the replay does too.
   */
  objectVersionHistory?: number;
}

export interface ReplayRequest {
  tenantId: string;
  clientId: string;
  vaultName: string;
  /** The SPC's `cloudName`; empty means AzurePublicCloud. */
  cloudName?: string;
  /** The service-account token for audience api://AzureADTokenExchange. */
  assertion: string;
  objects: ProbeObjectRef[];
}

/** A failure as the probe saw it, already stripped of anything secret. */
export interface ProbeError {
  kind: 'auth' | 'http' | 'dns' | 'timeout' | 'network' | 'unsupported' | 'config';
  statusCode?: number;
  /** Key Vault's top-level `error.code`, e.g. Forbidden, SecretNotFound. */
  code?: string;
  /** Key Vault's `innererror.code`, e.g. AccessDenied, ForbiddenByRbac, ForbiddenByFirewall, SecretDisabled. */
  innerCode?: string;
  /** Entra's AADSTS number, e.g. `70021`. */
  aadsts?: string;
  /** The service's message, bounded in length. */
  message: string;
}

export type ObjectOutcome =
  | {
      readable: true;
      version?: string;
      enabled?: boolean;
      expiresOn?: string;
      notBefore?: string;
      /** A secret's content type; a certificate's backing secret has application/x-pkcs12 or application/x-pem-file. */
      contentType?: string;
      /** A secret that backs a certificate (Key Vault set its `kid`): the mount gets the private key and certificate. */
      certificateBacked?: boolean;
      /** A key's JSON Web Key type (RSA, RSA-HSM, EC, EC-HSM, oct-HSM); the provider writes RSA and EC keys only. */
      keyType?: string;
    }
  | {
      readable: false;
      error: ProbeError;
      /**
       * After a 404: the object types under which the vault has this name (from name listings). Another type: the
       * SPC asks for the wrong `objectType`; the asked type (listed only for a pinned objectVersion): that version
       * is missing. Absent when none, or when the identity may not list them.
       */
      existsAs?: VaultObjectType[];
      /** The request that failed, when it was the version listing (objectVersionHistory > 1) rather than the get. */
      during?: 'list-versions';
    };

export interface ReplayOutcome {
  /** The token exchange at Entra ID. */
  token: { ok: true } | { ok: false; error: ProbeError };
  objects: Array<ProbeObjectRef & { outcome: ObjectOutcome }>;
  /**
   * When an object was not found: the secret names the identity may list in the vault (names only, at most
   * 100), so a fix can offer what exists. Absent when nothing was missing or listing is not allowed.
   */
  secretNames?: string[];
}

export interface VaultProbe {
  replay(request: ReplayRequest, signal?: AbortSignal): Promise<ReplayOutcome>;
}
