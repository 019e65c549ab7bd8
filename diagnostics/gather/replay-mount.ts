/**
 * Replays the mount's Key Vault access with the pod's own identity (docs/architecture.md "The Key Vault access check
 * replays the mount"): a TokenRequest for the pod's ServiceAccount with audience api://AzureADTokenExchange,
 * then the VaultProbe exchanges it at Entra ID for the SPC's clientID/tenantId and gets each object.
 * Needs `create serviceaccounts/token` in the pod's namespace. The token itself never leaves this function.
 */

import type { ServiceAccountToken } from '../ports/cluster-reader.ts';
import type { ReplayOutcome } from '../ports/vault-probe.ts';
import type { SpcParameters } from '../spc/spc-parameters.ts';
import { decodeTokenClaims } from '../spc/token-claims.ts';
import type { Ports } from './gather-evidence.ts';

export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
/** The shortest lifetime the TokenRequest API grants (and what kubelet asks for the driver at minimum). */
const TOKEN_SECONDS = 600;

export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp?: number;
}

export type ReplayEvidence =
  | { performed: false; reason: string }
  | { performed: true; serviceAccount: string; claims: TokenClaims; outcome: ReplayOutcome };

const PLACEHOLDER = /[<>${}]/;

/**
 * The TokenRequest of a replay, started before the SPC is read (it needs only the pod's ServiceAccount). A failure
 * is kept for {@link replayMount} to report, never left unhandled.
 */
export function requestReplayToken(
  cluster: Ports['cluster'],
  namespace: string,
  serviceAccount: string,
): Promise<ServiceAccountToken | null> {
  const token = Promise.resolve().then(() =>
    cluster.requestServiceAccountToken(namespace, serviceAccount, TOKEN_EXCHANGE_AUDIENCE, TOKEN_SECONDS),
  );
  token.catch(() => {});
  return token;
}

export async function replayMount(
  ports: Ports,
  request: {
    namespace: string;
    serviceAccount: string;
    params: SpcParameters;
    /** The TokenRequest already under way ({@link requestReplayToken}); made here when absent. */
    token?: Promise<ServiceAccountToken | null>;
  },
  signal: AbortSignal,
): Promise<ReplayEvidence> {
  const { params, namespace, serviceAccount } = request;
  if (params.identityMode !== 'workloadIdentity') {
    return { performed: false, reason: `the SecretProviderClass uses ${params.identityMode}, not workload identity` };
  }
  const missing = (['keyvaultName', 'tenantId', 'clientId'] as const).filter(
    (k) => !params[k] || PLACEHOLDER.test(params[k]),
  );
  if (missing.length > 0) {
    return { performed: false, reason: `the SecretProviderClass has no usable ${missing.join(', ')}` };
  }
  if (params.objects.length === 0) {
    return { performed: false, reason: params.objectsProblem ?? 'the SecretProviderClass lists no objects' };
  }

  const token = await (request.token ?? requestReplayToken(ports.cluster, namespace, serviceAccount));
  if (!token) return { performed: false, reason: `ServiceAccount ${namespace}/${serviceAccount} does not exist` };
  const claims = decodeTokenClaims(token.token);
  const outcome = await ports.vault.replay(
    {
      tenantId: params.tenantId,
      clientId: params.clientId,
      vaultName: params.keyvaultName,
      cloudName: params.cloudName,
      assertion: token.token,
      objects: params.objects.map(({ objectType, objectName, objectVersion, objectVersionHistory }) => ({
        objectType,
        objectName,
        ...(objectVersion ? { objectVersion } : {}),
        ...(objectVersionHistory !== undefined ? { objectVersionHistory } : {}),
      })),
    },
    signal,
  );
  return { performed: true, serviceAccount, claims, outcome };
}
