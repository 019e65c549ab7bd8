/**
 * The simulated kubelet's and provider's network calls, over the simulators' real wire protocols: the
 * TokenRequest the kubelet makes for the CSIDriver's token audience (Kubernetes API over HTTPS), the client-
 * assertion exchange the provider makes at Entra ID, and Key Vault GETs — the vault host name resolved
 * through the Key Vault simulator's DNS responder (on the HTTPS port number, UDP), then HTTPS to that address
 * with `Host: <vault>.vault.azure.net:<port>` and SNI, as a client on the cluster would reach the vault.
 */
import { Resolver } from 'node:dns/promises';
import { request } from 'node:https';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface WireEndpoints {
  /** `https://127.0.0.1:<port>` of the Kubernetes API simulator. */
  apiServer: string;
  /** Bearer token the kubelet uses for its own API calls (the node's credentials; here the admin token). */
  apiToken: string;
  /** `https://127.0.0.1:<port>` of the Entra ID simulator. */
  authorityHost: string;
  /** Port of the Key Vault simulator (HTTPS on TCP, DNS on UDP). */
  keyVaultPort: number;
  caPem: string;
}

const TIMEOUT_MS = 10_000;

function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; servername?: string; caPem: string },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: init.method ?? 'GET',
        headers: init.headers,
        ca: init.caPem,
        timeout: TIMEOUT_MS,
        ...(init.servername ? { servername: init.servername } : {}),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('i/o timeout')));
    req.on('error', reject);
    req.end(init.body);
  });
}

/** POST …/serviceaccounts/<sa>/token bound to the pod, as kubelet's token manager asks for a CSI driver. */
export function requestServiceAccountToken(
  ep: WireEndpoints,
  pod: { namespace: string; name: string; uid: string; serviceAccount: string },
  audience: string,
  expirationSeconds: number,
): Promise<Reply> {
  const path = `/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/serviceaccounts/${encodeURIComponent(pod.serviceAccount)}/token`;
  return call(`${ep.apiServer}${path}`, {
    method: 'POST',
    caPem: ep.caPem,
    headers: { authorization: `Bearer ${ep.apiToken}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {
        audiences: [audience],
        expirationSeconds,
        boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.name, uid: pod.uid },
      },
    }),
  });
}

/** The client-credentials grant with a federated client assertion (the provider's workload identity). */
export function exchangeAssertion(
  ep: WireEndpoints,
  tenantId: string,
  clientId: string,
  assertion: string,
): Promise<Reply> {
  const form = new URLSearchParams({
    client_id: clientId,
    scope: 'https://vault.azure.net/.default',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
    grant_type: 'client_credentials',
  });
  return call(`${ep.authorityHost}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`, {
    method: 'POST',
    caPem: ep.caPem,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
}

export type Lookup = { ok: true; address: string } | { ok: false; code: string };

/** Resolves `<vault>.vault.azure.net` at the Key Vault simulator's DNS responder. */
export async function lookupVault(ep: WireEndpoints, host: string): Promise<Lookup> {
  const resolver = new Resolver({ timeout: 2_000, tries: 2 });
  resolver.setServers([`127.0.0.1:${ep.keyVaultPort}`]);
  try {
    const [address] = await resolver.resolve4(host);
    return address ? { ok: true, address } : { ok: false, code: 'ENOTFOUND' };
  } catch (err) {
    return { ok: false, code: (err as NodeJS.ErrnoException).code ?? 'ESERVFAIL' };
  }
}

/** GET `path` (e.g. `/secrets/db-password/?api-version=7.4`) from a resolved vault, with or without a token. */
export function getFromVault(
  ep: WireEndpoints,
  address: string,
  host: string,
  path: string,
  accessToken?: string,
): Promise<Reply> {
  return call(`https://${address}:${ep.keyVaultPort}${path}`, {
    caPem: ep.caPem,
    servername: host,
    headers: {
      host: `${host}:${ep.keyVaultPort}`,
      accept: 'application/json',
      ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
    },
  });
}
