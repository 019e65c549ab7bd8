/**
 * The Azure provider (v1.5.x, Azure SDK for Go) fetching the SPC's objects: per object in order, the object
 * type is checked, the vault host resolved, Key Vault's 401 challenge met, a token acquired on first need
 * (client assertion with the pod's service-account token, at the SPC's tenant and client id), then the GET.
 * With objectVersionHistory above 1 the versions are listed first and each is fetched to `<file>/<index>`.
 * The content is what the provider writes (object-content.ts). The first failure ends the mount; its text is
 * the provider's error (object prefix + SDK error text, or the bare error where the provider does not wrap).
 */
import { azcoreResponseError, azidentityAuthFailed, goHttpError } from './compose-message.ts';
import { type ObjectBody, objectContent } from './object-content.ts';
import { fileNameOf, type KeyVaultObject, objectPrefix, type ProviderConfig } from './provider-params.ts';
import { exchangeAssertion, getFromVault, lookupVault, type Reply, type WireEndpoints } from './wire.ts';

export interface FetchedObject {
  /** `<objectType>/<objectName>`, as the SPCPS lists it. */
  id: string;
  version: string;
  /** The file the object is written to (objectAlias or objectName). */
  file: string;
  /** The file's content as the provider writes it (object-content.ts); kept in memory only for syncing. */
  content: Buffer;
}

export type FetchResult = { ok: true; objects: FetchedObject[] } | { ok: false; error: string };

const API_VERSION = '7.4';
const COLLECTION: Record<string, string> = { secret: 'secrets', key: 'keys', cert: 'certificates' };
/** Where the cluster's pods resolve names (AKS CoreDNS service address). */
const CLUSTER_DNS = '10.0.0.10:53';
const PUBLIC_AUTHORITY = 'https://login.microsoftonline.com';

/** The URL the SDK's errors name: the vault's public host and the path, without the query. */
const vaultUrl = (config: ProviderConfig, path: string) =>
  `https://${config.vaultName}.vault.azure.net${path.split('?')[0]}`;

export async function fetchObjects(
  ep: WireEndpoints,
  config: ProviderConfig,
  workloadToken: string | undefined,
): Promise<FetchResult> {
  const host = `${config.vaultName.toLowerCase()}.vault.azure.net`;
  let address: string | undefined;
  let accessToken: string | undefined;
  const objects: FetchedObject[] = [];
  /** One authenticated GET: resolves the vault and meets the challenge on first need. */
  const get = async (path: string): Promise<Reply | { error: string }> => {
    const url = `https://${config.vaultName}.vault.azure.net${path}`;
    try {
      if (!address) {
        const found = await lookupVault(ep, host);
        if (!found.ok) {
          const why = found.code === 'ENOTFOUND' ? 'no such host' : 'server misbehaving';
          return { error: goHttpError('GET', url, `dial tcp: lookup ${host} on ${CLUSTER_DNS}: ${why}`) };
        }
        address = found.address;
      }
      if (!accessToken) {
        // The SDK's challenge policy: first request without a token; the 401 names the resource and tenant.
        await getFromVault(ep, address, host, path);
        const token = await acquireToken(ep, config, workloadToken);
        if ('error' in token) return token;
        accessToken = token.accessToken;
      }
      return await getFromVault(ep, address, host, path, accessToken);
    } catch (err) {
      return { error: goHttpError('GET', url, `dial tcp ${address ?? host}:443: ${(err as Error).message}`) };
    }
  };
  for (const o of config.objects) {
    const collection = COLLECTION[o.objectType];
    if (!collection)
      return { ok: false, error: `${objectPrefix(o)}Invalid vaultObjectTypes. Should be secret, key, or cert` };
    const resolved =
      o.objectVersionHistory > 1
        ? await resolveVersions(get, (path) => vaultUrl(config, path), o, collection)
        : [single(o)];
    if ('error' in resolved) return { ok: false, error: resolved.error };
    for (const r of resolved) {
      const fail = (err: string): FetchResult => ({ ok: false, error: objectPrefix(r.object) + err });
      const path = `/${collection}/${o.objectName}/${r.object.objectVersion}?api-version=${API_VERSION}`;
      const reply = await get(path);
      if ('error' in reply) return fail(reply.error);
      if (reply.status !== 200)
        return fail(azcoreResponseError('GET', vaultUrl(config, path), reply.status, reply.text));
      const body = JSON.parse(reply.text) as ObjectBody;
      const content = objectContent(o, body);
      if ('error' in content) return content.wrapped ? fail(content.error) : { ok: false, error: content.error };
      const id = String(body.id ?? body.key?.kid ?? body.kid ?? '');
      objects.push({
        id: r.uid,
        version: id.split('/').filter(Boolean).at(-1) ?? '',
        file: r.file,
        content: content.bytes,
      });
    }
  }
  return { ok: true, objects };
}

interface Resolved {
  object: KeyVaultObject;
  /** The SPCPS id: `<type>/<name>`, or `<type>/<name>/<index>` for one of several versions. */
  uid: string;
  file: string;
}

const single = (o: KeyVaultObject): Resolved => ({
  object: o,
  uid: `${o.objectType}/${o.objectName}`,
  file: fileNameOf(o),
});

/**
 * `objectVersionHistory` > 1: the provider lists the object's versions (Key Vault's list permission), skips the
 * disabled ones, sorts them newest first and takes them from `objectVersion` (or the newest) on, each written to
 * `<file>/<index>`. Its loop stops only after the version that makes the count exceed the history, so it takes
 * one more than `objectVersionHistory` when there are that many. A listing error is returned as the SDK gives it.
 */
async function resolveVersions(
  get: (path: string) => Promise<Reply | { error: string }>,
  urlOf: (path: string) => string,
  o: KeyVaultObject,
  collection: string,
): Promise<Resolved[] | { error: string }> {
  const versions: Array<{ version: string; created: number }> = [];
  let path: string | undefined = `/${collection}/${o.objectName}/versions?api-version=${API_VERSION}`;
  while (path) {
    const reply = await get(path);
    if ('error' in reply) return reply;
    if (reply.status !== 200) {
      return { error: azcoreResponseError('GET', urlOf(path), reply.status, reply.text) };
    }
    const page = JSON.parse(reply.text) as { value?: VersionItem[]; nextLink?: string | null };
    for (const item of page.value ?? []) {
      if (!item.attributes || item.attributes.enabled === false) continue;
      const id = String(item.id ?? item.kid ?? '');
      versions.push({ version: id.split('/').filter(Boolean).at(-1) ?? '', created: item.attributes.created ?? 0 });
    }
    path = page.nextLink ? new URL(page.nextLink).pathname + new URL(page.nextLink).search : undefined;
  }
  versions.sort((a, b) => b.created - a.created);
  const base = fileNameOf(o);
  const out: Resolved[] = [];
  let found = o.objectVersion === '' || o.objectVersion === 'latest';
  for (const v of versions) {
    found ||= v.version === o.objectVersion;
    if (!found) continue;
    const index = out.length;
    out.push({
      object: { ...o, objectAlias: `${base}/${index}`, objectVersion: v.version },
      uid: `${o.objectType}/${o.objectName}/${index}`,
      file: `${base}/${index}`,
    });
    if (index + 1 > o.objectVersionHistory) break;
  }
  return out;
}

interface VersionItem {
  id?: string;
  kid?: string;
  attributes?: { enabled?: boolean; created?: number };
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
