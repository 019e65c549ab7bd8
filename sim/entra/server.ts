/**
 * A faithful Entra ID (Azure AD) for the client-credentials flow, over HTTPS, for unmodified @azure/identity and
 * msal-node (docs/wire-notes.md §3.4): OIDC discovery for any tenant, the tenant's signing keys, and the v2.0 token
 * endpoint with workload-identity federation and client secrets. Tenants and identities are read from the
 * shared `AzureState` on every request, so a scenario may change them while the server runs.
 * Point clients at it with `authorityHost: <authorityHost>` and `disableInstanceDiscovery: true`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { AzureState } from '../azure/state.ts';
import { readBody } from '../common/http.ts';
import { createSigningKey } from '../common/jwt.ts';
import type { ServerCertificate } from '../common/tls.ts';
import { ACCESS_TOKEN_LIFETIME_SECONDS, mintAccessToken } from './access-token.ts';
import { entraErrorBody } from './errors.ts';
import { holdIssuerKeys, type IssuerJwksResolver } from './issuer-keys.ts';
import { decideTokenRequest } from './token-request.ts';

export interface EntraServerOptions {
  state: AzureState;
  /** Server certificate covering 127.0.0.1 (clients trust its CA). */
  tls: ServerCertificate;
  /**
   * How Entra obtains a federated issuer's public keys (OIDC discovery on the assertion's `iss`); the server holds
   * what it fetched (issuer-keys.ts) and asks again for a key id it does not hold.
   */
  resolveIssuerJwks: IssuerJwksResolver;
  now?: () => Date;
  /** Delay added before every request is handled (`kvlab sim --latency`). */
  latencyMs?: number;
}

/** What the server has been asked, for tests and the sandbox's status output. */
export interface EntraRequestCounters {
  openidConfiguration: number;
  keys: number;
  token: number;
  /** Tokens issued. */
  issued: number;
  /** Token requests refused, by AADSTS code. */
  rejected: Record<string, number>;
}

export interface EntraServer {
  /** `https://127.0.0.1:<port>`: the `authorityHost` / `AZURE_AUTHORITY_HOST` for clients. */
  authorityHost: string;
  /** Public keys of the access tokens this server signs (give them to the Key Vault simulator). */
  jwks: { keys: Array<Record<string, string>> };
  requests: EntraRequestCounters;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

/** Starts the simulator on 127.0.0.1 with a random port. */
export async function startEntraServer(options: EntraServerOptions): Promise<EntraServer> {
  const now = options.now ?? (() => new Date());
  const issuerKeys = holdIssuerKeys(options.resolveIssuerJwks);
  const key = createSigningKey();
  const jwks = { keys: [{ ...key.jwk, x5t: key.kid }] };
  const requests: EntraRequestCounters = { openidConfiguration: 0, keys: 0, token: 0, issued: 0, rejected: {} };
  let base = '';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', base);
    const segments = url.pathname.split('/').filter(Boolean);
    const tenant = segments[0] ?? '';
    const rest = segments.slice(1).join('/');
    if (
      req.method === 'GET' &&
      (rest === 'v2.0/.well-known/openid-configuration' || rest === '.well-known/openid-configuration')
    ) {
      requests.openidConfiguration++;
      return sendJson(res, 200, openIdConfiguration(base, tenant));
    }
    if (req.method === 'GET' && (rest === 'discovery/v2.0/keys' || rest === 'discovery/keys')) {
      requests.keys++;
      return sendJson(res, 200, jwks);
    }
    if (req.method === 'POST' && rest === 'oauth2/v2.0/token') {
      requests.token++;
      const form = new URLSearchParams((await readBody(req, MAX_BODY_BYTES)).toString('utf8'));
      const at = now();
      const decision = await decideTokenRequest(tenant, form, {
        state: options.state,
        now: at,
        resolveIssuerJwks: issuerKeys,
      });
      if (!decision.ok) {
        const code = String(decision.error.code);
        requests.rejected[code] = (requests.rejected[code] ?? 0) + 1;
        const correlationId = headerValue(req, 'client-request-id') ?? randomUUID();
        return sendJson(
          res,
          decision.error.status,
          entraErrorBody(decision.error, { now: at, traceId: randomUUID(), correlationId }),
        );
      }
      requests.issued++;
      const { tenant: t, identity, resource, appidacr } = decision;
      const accessToken = mintAccessToken(key, { tenantId: t.id, identity, resource, appidacr, now: at });
      return sendJson(res, 200, {
        token_type: 'Bearer',
        expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
        ext_expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
        access_token: accessToken,
      });
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
  };

  const latency = options.latencyMs ?? 0;
  const server: Server = createServer({ cert: options.tls.chainPem, key: options.tls.keyPem }, (req, res) => {
    const delayed =
      latency > 0 ? new Promise((r) => setTimeout(r, latency)).then(() => handle(req, res)) : handle(req, res);
    delayed.catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: String(err) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    authorityHost: base,
    jwks,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The discovery document msal fetches for a non-hard-coded authority. It needs `authorization_endpoint`,
 * `token_endpoint`, `issuer` and `jwks_uri` (msal `isOpenIdConfigResponse`), and msal-common 16 accepts the
 * issuer only on the authority's own origin, so the issuer is `<authorityHost>/<tenant>/v2.0` — the same shape
 * as Entra's `https://login.microsoftonline.com/<tenant>/v2.0`.
 */
function openIdConfiguration(base: string, tenant: string) {
  const t = `${base}/${tenant}`;
  return {
    token_endpoint: `${t}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${t}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${t}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${t}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${t}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${t}/oauth2/v2.0/logout`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
  };
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store, no-cache',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
