/**
 * The simulated classroom: one scenario served by all simulators at once, wired together the way the real
 * services are — the Kubernetes API issues service-account tokens, Entra ID trusts that cluster's issuer by
 * fetching its OIDC discovery document and JWKS over HTTPS, and Key Vault trusts Entra's access tokens.
 * Tests, benchmarks, `kvlab sim` and the demo all start the classroom through this one function.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type ClassroomSlack, scenarioRosterPath, startClassroomSlack } from './classroom-slack.ts';
import { createCertificateAuthority } from './common/tls.ts';
import { type ConsoleServer, startConsoleServer } from './console/server.ts';
import { startEntraServer } from './entra/server.ts';
import { type KubeApiServer, startKubeApiServer } from './k8s/server.ts';
import { startKeyVaultServer } from './keyvault/server.ts';
import { type KubeletOptions, SimulatedKubelet } from './kubelet/kubelet.ts';
import { loadScenario, type Scenario } from './scenarios/load.ts';
import type { RateLimitOptions } from './slack/rate-limits.ts';

export interface ClassroomOptions {
  /** Scenario name under sim/scenarios (default `classroom`) or a directory. */
  scenario?: string;
  now?: () => Date;
  /** Slack simulator rate limits (default: Slack's, see sim/slack/rate-limits.ts); `false` turns them off. */
  slackRateLimits?: RateLimitOptions | false;
  /**
   * Run the simulated kubelet + CSI driver (sim/kubelet, docs/simulated-kubelet.md): pods really attempt their
   * mounts against the simulators and retry with backoff. Default off: the cluster stays as the scenario recorded it.
   */
  kubelet?: boolean | KubeletOptions;
  /** Write the Kubernetes API's audit log (audit.k8s.io/v1 JSON lines, level Metadata) to this file. */
  auditLog?: string;
  /** Milliseconds added to every Kubernetes API, Entra ID and Key Vault request (a remote cluster's round trip). */
  latencyMs?: number;
  /**
   * A generated class of this many students (1–2000) instead of the classroom's 24 (sim/scenarios/generate-class.ts,
   * docs/simulator.md "Generated class"); its roster is written to `rosterPath` (default: a temporary file).
   */
  classSize?: number;
  /** The roster the Slack simulator is built from and `KVLAB_CONFIG` names (default: the scenario's roster.yaml). */
  rosterPath?: string;
  /**
   * Serve the classroom console (docs/console.md): a web page on 127.0.0.1 that is the simulated Slack workspace and
   * classroom. `botUrl` is where it delivers commands (default `http://127.0.0.1:$PORT/slack/events`). Default off.
   */
  console?: boolean | { botUrl?: string; port?: number };
}

export type Classroom = Awaited<ReturnType<typeof startClassroom>>;

/** Starts the Kubernetes API, Entra ID, Key Vault and Slack simulators for one scenario, all on 127.0.0.1. */
export async function startClassroom(options: ClassroomOptions = {}) {
  const now = options.now ?? (() => new Date());
  const scenario: Scenario = await loadScenario(options.scenario ?? 'classroom', {
    now: now(),
    ...(options.classSize !== undefined ? { classSize: options.classSize } : {}),
  });
  const ca = await createCertificateAuthority();
  const loopbackCert = await ca.issue({ dns: ['localhost'], ips: ['127.0.0.1', '::1'] });
  const entraCert = await ca.issue({ dns: ['login.microsoftonline.com', 'localhost'], ips: ['127.0.0.1', '::1'] });
  const vaultCert = await ca.issue({ dns: ['*.vault.azure.net', 'localhost'], ips: ['127.0.0.1'] });

  const k8s = await startKubeApiServer({
    objects: scenario.objects,
    issuer: scenario.cluster.issuer,
    tls: loopbackCert,
    caPem: ca.certPem,
    tokens: scenario.tokens,
    now,
    ...(options.auditLog ? { auditLog: options.auditLog } : {}),
  });
  // The same fault-injection latency the benchmarks use (sim/k8s/faults.ts), on every route.
  if (options.latencyMs) k8s.faults.add({ path: /.*/, latencyMs: options.latencyMs });
  const latency = options.latencyMs ? { latencyMs: options.latencyMs } : {};
  const started: Array<{ close(): Promise<void> }> = [k8s];
  try {
    const entra = await startEntraServer({
      state: scenario.azure,
      tls: entraCert,
      // Entra resolves a federated credential's issuer by fetching `<issuer>/.well-known/openid-configuration`
      // (and holds the keys it finds, sim/entra/issuer-keys.ts). The AKS issuer host does not exist here, so that
      // one name is routed to the simulated API server.
      resolveIssuerJwks: (issuer) =>
        issuer === scenario.cluster.issuer ? fetchIssuerJwks(k8s, ca.certPem) : Promise.resolve(undefined),
      now,
      ...latency,
    });
    started.push(entra);
    const keyvault = await startKeyVaultServer({
      state: scenario.azure,
      tls: vaultCert,
      entraJwks: entra.jwks,
      now,
      ...latency,
    });
    started.push(keyvault);
    const rosterPath = await writeGeneratedRoster(scenario, options.rosterPath, started);
    const roster = rosterPath ?? options.rosterPath ?? scenarioRosterPath(options.scenario ?? 'classroom');
    const slack: ClassroomSlack = await startClassroomSlack(roster, {
      now,
      ...(options.slackRateLimits !== undefined ? { rateLimits: options.slackRateLimits } : {}),
    });
    started.push(slack.server);
    const tokens = {
      bot: findToken(scenario, (t) => t.user.startsWith('system:serviceaccount:')),
      admin: findToken(scenario, (t) => t.groups?.includes('system:masters') ?? false),
    };
    const kubelet = options.kubelet
      ? new SimulatedKubelet(
          {
            store: k8s.store,
            azure: scenario.azure,
            now,
            wire: {
              apiServer: k8s.httpsUrl,
              apiToken: tokens.admin,
              authorityHost: entra.authorityHost,
              keyVaultPort: keyvault.port,
              caPem: ca.certPem,
            },
          },
          options.kubelet === true ? {} : options.kubelet,
        )
      : undefined;
    // Closed first, so no attempt runs against a simulator that is shutting down.
    if (kubelet) started.unshift(kubelet);
    const consoleServer: ConsoleServer | undefined = options.console
      ? await startConsoleServer({
          slack: slack.server,
          roster: slack.roster,
          store: k8s.store,
          azure: scenario.azure,
          ...(options.console === true ? {} : options.console),
        })
      : undefined;
    // Closed before the simulators it reads.
    if (consoleServer) started.unshift(consoleServer);

    return {
      scenario,
      caPem: ca.certPem,
      k8s,
      entra,
      keyvault,
      /** The Slack simulator with the roster's people and channels, and the roster itself. */
      slack,
      /** The simulated kubelet when `kubelet` was set: `settle()`, `kick()`, `onAttempt()`, `close()`. */
      kubelet,
      /** The classroom console when `console` was set: `url`, `setBotUrl()`, `close()`. */
      console: consoleServer,
      /** Token of the product's own least-privilege identity, and of the cluster admin. */
      tokens,
      /** A kubeconfig with two contexts over HTTPS: `kvlab-bot` (current; least privilege) and `admin`. */
      kubeconfigYaml: buildKubeconfig(k8s.httpsUrl, ca.certPem, { 'kvlab-bot': tokens.bot, admin: tokens.admin }),
      /** Settings the product reads to use the simulators instead of Azure (see README "Configuration"). */
      settings: {
        KVLAB_KEYVAULT_ENDPOINT: keyvault.endpoint,
        KVLAB_ENTRA_ENDPOINT: entra.authorityHost,
        ...slack.settings,
      },
      async close() {
        await kubelet?.close();
        await Promise.allSettled(started.map((s) => s.close()));
      },
    };
  } catch (err) {
    await Promise.allSettled(started.map((s) => s.close()));
    throw err;
  }
}

/** A generated class's roster, written to `path` or to a temporary directory removed on close. */
async function writeGeneratedRoster(
  scenario: Scenario,
  path: string | undefined,
  started: Array<{ close(): Promise<void> }>,
): Promise<string | undefined> {
  if (!scenario.generatedClass) return undefined;
  let target = path;
  if (!target) {
    const dir = await mkdtemp(join(tmpdir(), 'kvlab-class-'));
    started.push({ close: () => rm(dir, { recursive: true, force: true }) });
    target = join(dir, 'roster.yaml');
  }
  await writeFile(target, scenario.generatedClass.rosterYaml);
  return target;
}

function buildKubeconfig(server: string, caPem: string, tokens: Record<string, string>): string {
  const cluster = 'kvlab-sim';
  const names = Object.keys(tokens);
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: cluster, cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } },
    ],
    users: names.map((name) => ({ name, user: { token: tokens[name] } })),
    contexts: names.map((name) => ({ name, context: { cluster, user: name, namespace: 'default' } })),
    'current-context': names[0],
  });
}

function findToken(scenario: Scenario, match: (t: Scenario['tokens'][number]) => boolean): string {
  const found = scenario.tokens.find(match);
  if (!found) throw new Error(`scenario ${scenario.name} declares no matching token in scenario.yaml "tokens"`);
  return found.token;
}

/** What Entra does with an issuer URL: OIDC discovery, then the JWKS it names. */
async function fetchIssuerJwks(k8s: KubeApiServer, caPem: string): Promise<{ keys: object[] } | undefined> {
  const discovery = (await getJson(`${k8s.httpsUrl}/.well-known/openid-configuration`, caPem)) as { jwks_uri?: string };
  if (!discovery?.jwks_uri) return undefined;
  return (await getJson(discovery.jwks_uri, caPem)) as { keys: object[] };
}

function getJson(url: string, caPem: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    get(url, { ca: caPem, timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) return resolve(undefined);
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (err) {
          reject(err);
        }
      });
    }).on('error', reject);
  });
}
