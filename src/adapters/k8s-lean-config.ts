/**
 * The kubeconfig as the lean Kubernetes transport needs it, read the way @kubernetes/client-node's
 * `KubeConfig.loadFromDefault()` finds it: the files in `KUBECONFIG` (merged, first name wins, the first file's
 * current-context), else `~/.kube/config`, else the in-cluster ServiceAccount. Only what a plain HTTPS client can
 * do is handled here — bearer tokens (inline or `tokenFile`), client certificates, CA data or files,
 * `insecure-skip-tls-verify`, `tls-server-name`. Anything else (exec plugins such as kubelogin, auth providers,
 * basic auth, proxies, an unreadable or unusual file) answers `undefined`, and the caller uses client-node,
 * which then reports its own errors: the lean path never changes what a kubeconfig means.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
// The parser client-node's KubeConfig.loadFromString uses, so a file parses (or fails) on the lean path exactly as on
// the fallback: `yaml` accepted an unknown tag that js-yaml refuses. It also leaves `yaml` (~15 ms to evaluate) out
// of a new process's way to its first request.
import { load as parse } from 'js-yaml';

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface LeanKubeTarget {
  /** `https://host:port` (no trailing slash). */
  server: string;
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  /** A bearer token, or a file it is read from (re-read as bound tokens rotate). */
  token?: string;
  tokenFile?: string;
  rejectUnauthorized: boolean;
  servername?: string;
  /** The context's namespace, for `-n` defaults. */
  namespace?: string;
  contextName: string;
}

interface NamedEntry<T> {
  name?: string;
  cluster?: T;
  user?: T;
  context?: T;
}
type Doc = {
  'current-context'?: string;
  clusters?: Array<NamedEntry<Record<string, unknown>>>;
  users?: Array<NamedEntry<Record<string, unknown>>>;
  contexts?: Array<NamedEntry<Record<string, unknown>>>;
};

/** Thrown for a context the kubeconfig does not have (the same message client-node's path gives). */
export class UnknownContextError extends Error {}

/** The kubeconfig files client-node would read, or `'in-cluster'`, or undefined when it would fall back further. */
function sources(env: NodeJS.ProcessEnv): string[] | 'in-cluster' | undefined {
  if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).filter(Boolean);
  const home = env.HOME || homedir();
  const config = home ? join(home, '.kube', 'config') : '';
  if (config && existsSync(config)) return [config];
  if (process.platform !== 'win32' && existsSync(join(SA_DIR, 'token'))) return 'in-cluster';
  return undefined;
}

/**
 * Reads the target for `context` (or the current context). `undefined` = not for the lean transport (use client-node);
 * throws {@link UnknownContextError} when the context is not in a kubeconfig that otherwise parsed.
 */
export function loadLeanKubeTarget(context?: string, env: NodeJS.ProcessEnv = process.env): LeanKubeTarget | undefined {
  const from = sources(env);
  if (from === undefined) return undefined;
  if (from === 'in-cluster') return context === undefined ? inCluster(env) : undefined;
  const docs: Array<{ doc: Doc; dir: string }> = [];
  for (const file of from) {
    try {
      docs.push({ doc: (parse(readFileSync(file, 'utf8')) ?? {}) as Doc, dir: dirname(file) });
    } catch {
      return undefined; // client-node reports the unreadable file
    }
  }
  return targetOf(docs, context);
}

/** The same, from one kubeconfig document in memory (tests, the simulator's kubeconfig). */
export function leanKubeTargetFromString(yaml: string, context?: string, dir = '.'): LeanKubeTarget | undefined {
  return targetOf([{ doc: (parse(yaml) ?? {}) as Doc, dir }], context);
}

function targetOf(docs: Array<{ doc: Doc; dir: string }>, context?: string): LeanKubeTarget | undefined {
  const first = <K extends 'clusters' | 'users' | 'contexts'>(kind: K, name: string | undefined) => {
    for (const { doc, dir } of docs) {
      const found = (Array.isArray(doc[kind]) ? doc[kind] : []).find((e) => e?.name === name);
      if (found) return { entry: found, dir };
    }
    return undefined;
  };
  const contextNames = docs.flatMap(({ doc }) => (Array.isArray(doc.contexts) ? doc.contexts : []).map((c) => c?.name));
  const current = context ?? docs.find(({ doc }) => doc['current-context'])?.doc['current-context'];
  if (context !== undefined && !contextNames.includes(context)) {
    throw new UnknownContextError(
      `kubeconfig has no context "${context}"; contexts: ${contextNames.filter(Boolean).join(', ') || '(none)'}.`,
    );
  }
  const ctx = first('contexts', current)?.entry.context;
  if (!ctx || typeof ctx.cluster !== 'string') return undefined;
  const cluster = first('clusters', ctx.cluster);
  const user = typeof ctx.user === 'string' ? first('users', ctx.user) : undefined;
  const c = cluster?.entry.cluster;
  if (!c || typeof c.server !== 'string' || !c.server.startsWith('https://') || c['proxy-url']) return undefined;
  const u = user?.entry.user ?? {};
  const supported = new Set([
    'token',
    'tokenFile',
    'client-certificate',
    'client-certificate-data',
    'client-key',
    'client-key-data',
  ]);
  if (Object.keys(u).some((k) => !supported.has(k))) return undefined; // exec, auth-provider, username/password…
  const file = (value: unknown, dir: string) =>
    typeof value === 'string' ? readFileSync(isAbsolute(value) ? value : join(dir, value)) : undefined;
  const data = (value: unknown) => (typeof value === 'string' ? Buffer.from(value, 'base64') : undefined);
  try {
    const ca = data(c['certificate-authority-data']) ?? file(c['certificate-authority'], cluster?.dir ?? '.');
    const cert = data(u['client-certificate-data']) ?? file(u['client-certificate'], user?.dir ?? '.');
    const key = data(u['client-key-data']) ?? file(u['client-key'], user?.dir ?? '.');
    const tokenFile = typeof u.tokenFile === 'string' ? u.tokenFile : undefined;
    return {
      server: c.server.replace(/\/+$/, ''),
      ...(ca ? { ca } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
      ...(typeof u.token === 'string' ? { token: u.token } : {}),
      ...(tokenFile ? { tokenFile } : {}),
      rejectUnauthorized: c['insecure-skip-tls-verify'] !== true,
      ...(typeof c['tls-server-name'] === 'string' ? { servername: c['tls-server-name'] } : {}),
      ...(typeof ctx.namespace === 'string' && ctx.namespace ? { namespace: ctx.namespace } : {}),
      contextName: current as string,
    };
  } catch {
    return undefined; // a missing certificate file: client-node says which
  }
}

function inCluster(env: NodeJS.ProcessEnv): LeanKubeTarget | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port || ['80', '8080', '8001'].includes(port)) return undefined;
  const namespaceFile = join(SA_DIR, 'namespace');
  return {
    server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`,
    ca: readFileSync(join(SA_DIR, 'ca.crt')),
    tokenFile: join(SA_DIR, 'token'),
    rejectUnauthorized: true,
    ...(existsSync(namespaceFile) ? { namespace: readFileSync(namespaceFile, 'utf8').trim() } : {}),
    contextName: 'inClusterContext',
  };
}
