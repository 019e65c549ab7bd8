/**
 * A faithful Kubernetes API server simulator for kvlab: the real, unmodified clients (@kubernetes/client-node,
 * kubectl) talk to it over HTTP and HTTPS on loopback exactly as they would to AKS. It serves the objects a
 * Key Vault CSI mount diagnosis reads (pods, events, service accounts, DaemonSets, CSIDriver, CRDs, RBAC,
 * SecretProviderClass[PodStatus] …), discovery for kubectl, Tables, watches, TokenRequest and the
 * service-account issuer's OIDC documents, with bearer-token authentication and RBAC authorization.
 * Tests steer it through `store`, `faults` and `requests`.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';
import { AuditLog } from './audit.ts';
import { Authenticator, type StaticToken } from './authn.ts';
import { asObj } from './defaults.ts';
import { type Fault, FaultInjector, type FaultSpec, RequestCounter } from './faults.ts';
import { handleRequest } from './pipeline.ts';
import { seedStore } from './seed.ts';
import { ObjectStore } from './store.ts';
import { ServiceAccountTokenIssuer } from './tokens.ts';
import type { ActiveWatch } from './watch.ts';

export type { Fault, FaultSpec } from './faults.ts';
export type { Change, ObjectRef } from './store.ts';
export { ObjectStore } from './store.ts';

/** What the simulated cluster contains and how it authenticates. */
export interface KubeApiServerOptions {
  /** Seed: parsed cluster-dump objects of any served kind, including CRDs (their CRs need them) and RBAC. */
  objects: Array<Record<string, unknown>>;
  /** Service-account token issuer URL (`iss` of TokenRequest tokens), e.g. the AKS OIDC issuer. */
  issuer: string;
  /** Server certificate for the HTTPS endpoint (from `sim/common/tls.ts` `ca.issue({ips:['127.0.0.1'], dns:['localhost']})`). */
  tls: { certPem: string; keyPem: string; chainPem: string };
  /** The CA certificate, written into kubeconfigs as `certificate-authority-data`. */
  caPem: string;
  /** Static bearer tokens, like kube-apiserver `--token-auth-file`. */
  tokens: StaticToken[];
  /** Audiences the API accepts on service-account tokens (default: the issuer, as kube-apiserver defaults). */
  apiAudiences?: string[];
  now?: () => Date;
  /** Write kube-apiserver-style audit events (audit.k8s.io/v1, level Metadata) to this file, one JSON line per request. */
  auditLog?: string;
}

/** A running simulator; call `close()` when done (ends watches and connections). */
export interface KubeApiServer {
  httpUrl: string;
  httpsUrl: string;
  /** The live object store: arrange scenarios, mutate objects (watches see it), `compact()` to expire old rvs. */
  store: ObjectStore;
  /** Fault injection per route: `add({path, method?, latencyMs?, status?, drop?, closeWatchAfterMs?, times?})`, `clear()`. */
  faults: { add(spec: FaultSpec): Fault; remove(fault: Fault): void; clear(): void };
  /** Request counts per route key (`GET /api/v1/namespaces/{namespace}/pods/{name}`, `WATCH …`). */
  requests: RequestCounter;
  /** The service-account issuer and its public keys (what `/openid/v1/jwks` serves). */
  serviceAccountIssuer: { issuer: string; jwks: { keys: object[] } };
  /** A kubeconfig (YAML) for this server with a bearer token; HTTPS with the CA unless `https: false`. */
  kubeconfig(opts: { token: string; https?: boolean; context?: string; namespace?: string }): string;
  close(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** Starts the simulator on two random loopback ports (HTTP and HTTPS, one handler). */
export async function startKubeApiServer(options: KubeApiServerOptions): Promise<KubeApiServer> {
  const now = options.now ?? (() => new Date());
  const store = new ObjectStore({ now });
  seedStore(store, options.objects);
  const issuer = new ServiceAccountTokenIssuer(options.issuer, options.apiAudiences ?? [options.issuer], now);
  const faults = new FaultInjector();
  const requests = new RequestCounter();
  const watches = new Set<ActiveWatch>();
  let httpsUrl = '';

  // Deleting a CRD ends the watches on its resources, as the real server tears down the CR handler.
  store.subscribe((change) => {
    if (change.type !== 'DELETED' || change.storage !== 'apiextensions.k8s.io/CustomResourceDefinition') return;
    const spec = asObj(change.object.spec);
    const storage = `${String(spec.group)}/${String(asObj(spec.names).kind)}`;
    for (const w of [...watches]) if (w.storage === storage) w.stop();
  });

  const deps = {
    store,
    tokens: issuer,
    authenticator: new Authenticator(options.tokens, issuer, store),
    faults,
    requests,
    watches,
    now,
    httpsUrl: () => httpsUrl,
    ...(options.auditLog ? { audit: new AuditLog(options.auditLog) } : {}),
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void handleRequest(deps, req, res);
  };
  const http = createHttpServer(handler);
  const https = createHttpsServer({ cert: options.tls.chainPem, key: options.tls.keyPem }, handler);
  const [httpPort, httpsPort] = await Promise.all([listen(http), listen(https)]);
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  httpsUrl = `https://127.0.0.1:${httpsPort}`;

  return {
    httpUrl,
    httpsUrl,
    store,
    faults,
    requests,
    serviceAccountIssuer: {
      issuer: options.issuer,
      get jwks() {
        return issuer.jwks;
      },
    },
    kubeconfig({ token, https: secure = true, context = 'kvlab-sim', namespace }) {
      const cluster: Record<string, unknown> = { server: secure ? httpsUrl : httpUrl };
      if (secure) cluster['certificate-authority-data'] = Buffer.from(options.caPem).toString('base64');
      else cluster['insecure-skip-tls-verify'] = true;
      return stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: context, cluster }],
        users: [{ name: `${context}-user`, user: { token } }],
        contexts: [
          {
            name: context,
            context: { cluster: context, user: `${context}-user`, ...(namespace ? { namespace } : {}) },
          },
        ],
        'current-context': context,
        preferences: {},
      });
    },
    async close() {
      for (const w of [...watches]) w.stop();
      await Promise.all(
        [http, https].map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}
