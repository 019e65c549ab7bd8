/**
 * The Azure provider (v1.5.x, Azure SDK for Go) fetching the SPC's objects: per object in order, the object
 * type is checked, the vault host resolved, Key Vault's 401 challenge met, a token acquired on first need
 * (client assertion with the pod's service-account token, at the SPC's tenant and client id), then the GET.
 * The first failure ends the mount; its text is the provider's error (object prefix + SDK error text).
 */
import { azcoreResponseError, azidentityAuthFailed, goHttpError } from './compose-message.ts';
import { fileNameOf, objectPrefix, type ProviderConfig } from './provider-params.ts';
import { exchangeAssertion, getFromVault, lookupVault, type WireEndpoints } from './wire.ts';

export interface FetchedObject {
  /** `<objectType>/<objectName>`, as the SPCPS lists it. */
  id: string;
  version: string;
  /** The file the object is written to (objectAlias or objectName). */
  file: string;
  /** The secret value (secrets), or the returned key/certificate JSON; kept in memory only for syncing. */
  value: string;
}

export type FetchResult = { ok: true; objects: FetchedObject[] } | { ok: false; error: string };

const API_VERSION = '7.4';
const COLLECTION: Record<string, string> = { secret: 'secrets', key: 'keys', cert: 'certificates' };
/** Where the cluster's pods resolve names (AKS CoreDNS service address). */
const CLUSTER_DNS = '10.0.0.10:53';
const PUBLIC_AUTHORITY = 'https://login.microsoftonline.com';

export async function fetchObjects(
  ep: WireEndpoints,
  config: ProviderConfig,
  workloadToken: string | undefined,
): Promise<FetchResult> {
  const host = `${config.vaultName.toLowerCase()}.vault.azure.net`;
  let address: string | undefined;
  let accessToken: string | undefined;
  const objects: FetchedObject[] = [];
  for (const o of config.objects) {
    const fail = (err: string): FetchResult => ({ ok: false, error: objectPrefix(o) + err });
    const collection = COLLECTION[o.objectType];
    if (!collection) return fail('Invalid vaultObjectTypes. Should be secret, key, or cert');
    const path = `/${collection}/${o.objectName}/${o.objectVersion}`;
    const url = `https://${config.vaultName}.vault.azure.net${path}`;
    const query = `?api-version=${API_VERSION}`;
    try {
      if (!address) {
        const found = await lookupVault(ep, host);
        if (!found.ok) {
          const why = found.code === 'ENOTFOUND' ? 'no such host' : 'server misbehaving';
          return fail(goHttpError('GET', url + query, `dial tcp: lookup ${host} on ${CLUSTER_DNS}: ${why}`));
        }
        address = found.address;
      }
      if (!accessToken) {
        // The SDK's challenge policy: first request without a token; the 401 names the resource and tenant.
        await getFromVault(ep, address, host, path + query);
        const token = await acquireToken(ep, config, workloadToken);
        if ('error' in token) return fail(token.error);
        accessToken = token.accessToken;
      }
      const reply = await getFromVault(ep, address, host, path + query, accessToken);
      if (reply.status !== 200) return fail(azcoreResponseError('GET', url, reply.status, reply.text));
      const body = JSON.parse(reply.text) as { id?: string; kid?: string; value?: string; cer?: string; key?: unknown };
      const id = String(body.id ?? body.kid ?? '');
      objects.push({
        id: `${o.objectType}/${o.objectName}`,
        version: id.split('/').filter(Boolean).at(-1) ?? '',
        file: fileNameOf(o),
        value: o.objectType === 'secret' ? String(body.value ?? '') : JSON.stringify(body.key ?? body.cer ?? ''),
      });
    } catch (err) {
      return fail(goHttpError('GET', url + query, `dial tcp ${address ?? host}:443: ${(err as Error).message}`));
    }
  }
  return { ok: true, objects };
}

async function acquireToken(
  ep: WireEndpoints,
  config: ProviderConfig,
  workloadToken: string | undefined,
): Promise<{ accessToken: string } | { error: string }> {
  if (config.mode === 'podIdentity') {
    // No NMI runs on AKS nodes any more (aad-pod-identity is deprecated): the provider's NMI call is refused.
    return {
      error:
        'Get "http://localhost:2579/host/token/?resource=https://vault.azure.net": dial tcp 127.0.0.1:2579: connect: connection refused',
    };
  }
  if (config.mode === 'vmManagedIdentity') {
    const body = '{"error":"invalid_request","error_description":"Identity not found"}';
    const imds = 'http://169.254.169.254/metadata/identity/oauth2/token';
    return { error: azidentityAuthFailed('ManagedIdentityCredential', imds, 400, body) };
  }
  if (config.mode === 'servicePrincipal') {
    // Not simulated: client secrets from nodePublishSecretRef would need the Secret's values here.
    const body = '{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}';
    return { error: azidentityAuthFailed('ClientSecretCredential', tokenUrl(config.tenantId), 401, body) };
  }
  const reply = await exchangeAssertion(ep, config.tenantId, config.clientId, workloadToken ?? '');
  try {
    const json = JSON.parse(reply.text) as { access_token?: string };
    if (reply.status === 200 && json.access_token) return { accessToken: json.access_token };
  } catch {
    // not JSON: reported below with the raw body
  }
  return {
    error: azidentityAuthFailed('ClientAssertionCredential', tokenUrl(config.tenantId), reply.status, reply.text),
  };
}

const tokenUrl = (tenantId: string) => `${PUBLIC_AUTHORITY}/${tenantId}/oauth2/v2.0/token`;
