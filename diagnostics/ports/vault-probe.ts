/**
 * Replays what the Azure provider does during a mount, with the pod's own identity: exchange the
 * service-account token at Entra ID for the SPC's clientID/tenantId, then `get` each object from the vault.
 * Implemented by src/adapters/azure-vault-probe.ts. Only metadata leaves the probe — never a value.
 */

export interface ProbeObjectRef {
  objectType: string;
  objectName: string;
  objectVersion?: string;
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
      contentType?: string;
    }
  | { readable: false; error: ProbeError };

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
