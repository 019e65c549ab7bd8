/**
 * A faithful Azure Key Vault data plane (read operations) over HTTPS for the unmodified @azure/keyvault-secrets,
 * -keys and -certificates clients (docs/wire-notes.md §4). Many vaults share one port and are told apart by
 * `Host`, as the real service does; a DNS responder on UDP at the same port number resolves `<vault>.vault.azure.net` to 127.0.0.1 (NXDOMAIN for
 * unknown vaults). Each request is decided in the service's order: api-version → authentication (401 +
 * challenge) → throttling → object name → network rules → access policy / RBAC → object lookup → enabled.
 * Vaults are read from the shared `AzureState` on every request. Secret values (and a certificate secret's private
 * key) leave only in a 200 GET secret body.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { AzureState, Vault } from '../azure/state.ts';
import type { ServerCertificate } from '../common/tls.ts';
import { checkAccess, checkNetwork, DEFAULT_CLIENT_ADDRESS, type Operation, subjectOf } from './authorize.ts';
import { type DnsResponder, startDnsResponder } from './dns-responder.ts';
import { challengeHeader, keyVaultErrorBody, kvErrors, type ObjectKind } from './errors.ts';
import { createFaults, type KeyVaultFaults } from './faults.ts';
import {
  certificateBundle,
  certificateItem,
  type Found,
  findObject,
  keyBundle,
  keyItem,
  listObjects,
  listVersions,
  OBJECT_NAME,
  page,
  secretBundle,
  secretItem,
} from './objects.ts';
import { authenticate } from './token-check.ts';

/** DNS suffix of simulated vaults (public cloud); the TLS certificate must cover `*.vault.azure.net`. */
export const VAULT_DNS_SUFFIX = 'vault.azure.net';
const LATEST_API_VERSION = '2025-07-01';
const API_VERSION = /^(7\.\d+|\d{4}-\d{2}-\d{2})(-preview(\.\d+)?)?$/;

export interface KeyVaultServerOptions {
  state: AzureState;
  /** Certificate covering `*.vault.azure.net` (and 127.0.0.1). */
  tls: ServerCertificate;
  /** Keys of the Entra (simulator) that signs access tokens. */
  entraJwks: { keys: object[] };
  now?: () => Date;
  /** Delay added before every HTTP request is handled (`kvlab sim --latency`). */
  latencyMs?: number;
}

export interface KeyVaultRequestCounters {
  total: number;
  /** DNS questions answered (found or not). */
  dns: number;
  /**
   * HTTP requests per route: getSecret, listSecrets, listSecretVersions, getKey, listKeys, listKeyVersions,
   * getCertificate, listCertificates, listCertificateVersions, other.
   */
  routes: Record<string, number>;
  /** HTTP responses per status code. */
  statuses: Record<string, number>;
}

export interface KeyVaultServer {
  /** `https://127.0.0.1:<port>`: the value of `KVLAB_KEYVAULT_ENDPOINT`. */
  endpoint: string;
  /** TCP port of the HTTPS server and UDP port of the DNS responder. */
  port: number;
  faults: KeyVaultFaults;
  requests: KeyVaultRequestCounters;
  close(): Promise<void>;
}

interface Route {
  name: string;
  op?: Operation & { version?: string; versions?: boolean };
}

/** Starts HTTPS on 127.0.0.1 (random port) and DNS on UDP 127.0.0.1 at the same port number. */
export async function startKeyVaultServer(options: KeyVaultServerOptions): Promise<KeyVaultServer> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const { faults, take } = createFaults();
  const requests: KeyVaultRequestCounters = { total: 0, dns: 0, routes: {}, statuses: {} };
  const vaultByHost = (host: string): Vault | undefined =>
    options.state.vaults.find((v) => `${v.name.toLowerCase()}.${VAULT_DNS_SUFFIX}` === host);

  const decide = async (req: IncomingMessage, vault: Vault, base: string, url: URL, route: Route) => {
    const apiVersion = url.searchParams.get('api-version');
    if (!apiVersion) return kvErrors.missingApiVersion();
    if (!API_VERSION.test(apiVersion)) return kvErrors.unknownApiVersion(apiVersion, LATEST_API_VERSION);
    const auth = authenticate(req.headers.authorization, vault.tenantId, options.entraJwks, now());
    if (!auth.ok) return auth.error;
    const op = route.op;
    if (!op || req.method !== 'GET') return kvErrors.unsupported(req.method ?? '', url.pathname);
    const retryAfter = take(route.name, vault.name);
    if (retryAfter !== undefined) return kvErrors.throttled(retryAfter);
    if (op.name !== undefined && !OBJECT_NAME.test(op.name)) return kvErrors.invalidName(op.name);
    const subject = subjectOf(vault, auth.principal);
    const denied =
      checkNetwork(vault, options.state.clientAddress ?? DEFAULT_CLIENT_ADDRESS, subject) ??
      checkAccess(vault, auth.principal, op, subject);
    if (denied) return denied;
    return respondWithObjects(vault, base, url, op);
  };

  const respondWithObjects = async (vault: Vault, base: string, url: URL, op: NonNullable<Route['op']>) => {
    const collectionPath = `${base}/${COLLECTIONS[op.kind]}`;
    const item = (f: Found, withVersion: boolean) =>
      op.kind === 'secret'
        ? secretItem(base, f, withVersion, startedAt)
        : op.kind === 'key'
          ? keyItem(base, f, withVersion, startedAt)
          : certificateItem(base, vault, f, withVersion, startedAt);
    if (op.verb === 'list' && !op.versions) {
      const items = await Promise.all(listObjects(vault, op.kind).map((f) => item(f, false)));
      return { body: page(items, url.searchParams, collectionPath) };
    }
    const name = op.name ?? '';
    if (op.verb === 'list') {
      const versions = listVersions(vault, op.kind, name);
      if (!versions) return kvErrors.notFound(op.kind, name);
      const items = await Promise.all(versions.map((f) => item(f, true)));
      return { body: page(items, url.searchParams, `${collectionPath}/${versions[0]?.object.name ?? name}/versions`) };
    }
    const found = findObject(vault, op.kind, name, op.version);
    if (!found) return kvErrors.notFound(op.kind, op.version ? `${name}/${op.version}` : name);
    const enabled = found.version.enabled ?? true;
    if (op.kind === 'secret')
      return enabled ? { body: await secretBundle(base, vault, found, startedAt) } : kvErrors.disabled('secret');
    if (op.kind === 'key')
      return enabled ? { body: await keyBundle(base, vault, found, startedAt) } : kvErrors.disabled('key');
    // A disabled certificate is still returned (its attributes say so); its key and secret refuse to be used.
    return { body: await certificateBundle(base, vault, found, startedAt) };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, port: number) => {
    requests.total++;
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    const host = hostHeader.replace(/:\d+$/, '');
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const route = parseRoute(url.pathname);
    requests.routes[route.name] = (requests.routes[route.name] ?? 0) + 1;
    const vault = vaultByHost(host);
    const result = vault ? await decide(req, vault, `https://${host}:${port}`, url, route) : kvErrors.unknownHost(host);
    if ('body' in result) return send(res, 200, result.body, vault);
    const headers: Record<string, string> = {};
    if (result.status === 401 && vault) headers['www-authenticate'] = challengeHeader(vault.tenantId);
    if (result.retryAfterSeconds !== undefined) headers['retry-after'] = String(result.retryAfterSeconds);
    return send(res, result.status, keyVaultErrorBody(result), vault, headers);
  };

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    vault?: Vault,
    extra: Record<string, string> = {},
  ) => {
    requests.statuses[status] = (requests.statuses[status] ?? 0) + 1;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-cache',
      'x-ms-request-id': randomUUID(),
      'x-ms-keyvault-service-version': '1.9.2.0',
      ...(vault ? { 'x-ms-keyvault-region': vault.location } : {}),
      'x-ms-keyvault-network-info': `conn_type=Ipv4;addr=${options.state.clientAddress ?? DEFAULT_CLIENT_ADDRESS};act_addr_fam=InterNetwork;`,
      'content-length': String(Buffer.byteLength(text)),
      ...extra,
    });
    res.end(text);
  };

  const { server, dns, port } = await listenWithDns(
    (req, res, p) => {
      const latency = options.latencyMs ?? 0;
      const delayed =
        latency > 0 ? new Promise((r) => setTimeout(r, latency)).then(() => handle(req, res, p)) : handle(req, res, p);
      delayed.catch(() => {
        if (!res.headersSent)
          send(res, 500, { error: { code: 'InternalError', message: 'kvlab simulator internal error.' } });
        else res.destroy();
      });
    },
    options.tls,
    (name) => vaultByHost(name) !== undefined,
    () => requests.dns++,
  );

  return {
    endpoint: `https://127.0.0.1:${port}`,
    port,
    faults,
    requests,
    async close() {
      await Promise.all([
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
        dns.close(),
      ]);
    },
  };
}

const COLLECTIONS: Record<ObjectKind, string> = { secret: 'secrets', key: 'keys', certificate: 'certificates' };
const ROUTE_NOUN: Record<ObjectKind, string> = { secret: 'Secret', key: 'Key', certificate: 'Certificate' };

/** Maps a path to a route; trailing slashes are ignored (`/secrets/x/` = `/secrets/x`, docs/wire-notes.md §4.1). */
export function parseRoute(pathname: string): Route {
  const segments = pathname.split('/').filter(Boolean).map(safeDecode);
  const [collection, name, third, ...extra] = segments;
  const kind = (Object.keys(COLLECTIONS) as ObjectKind[]).find((k) => COLLECTIONS[k] === collection);
  if (!kind || extra.length > 0) return { name: 'other' };
  const noun = ROUTE_NOUN[kind];
  if (name === undefined) return { name: `list${noun}s`, op: { kind, verb: 'list' } };
  if (third === 'versions') return { name: `list${noun}Versions`, op: { kind, verb: 'list', name, versions: true } };
  return { name: `get${noun}`, op: { kind, verb: 'get', name, version: third } };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

type Handler = (req: IncomingMessage, res: ServerResponse, port: number) => void;

/** Binds HTTPS on a random port, then DNS on the same UDP port; retries when that UDP port is taken. */
async function listenWithDns(
  handler: Handler,
  tls: ServerCertificate,
  knows: (name: string) => boolean,
  onQuery: () => void,
): Promise<{ server: Server; dns: DnsResponder; port: number }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 10; attempt++) {
    let port = 0;
    const server = createServer({ cert: tls.chainPem, key: tls.keyPem }, (req, res) => handler(req, res, port));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    port = (server.address() as AddressInfo).port;
    try {
      const dns = await startDnsResponder({
        port,
        knows: (name) => name.endsWith(`.${VAULT_DNS_SUFFIX}`) && knows(name),
        onQuery,
      });
      return { server, dns, port };
    } catch (err) {
      lastError = err;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
  throw new Error(`could not bind the Key Vault simulator's DNS responder on a free UDP port: ${String(lastError)}`);
}
