/**
 * deploy/ as an operator applies it: every overlay renders with `kubectl kustomize`, every object validates against
 * the Kubernetes OpenAPI schemas (the `kubernetes-models` package's JSON schemas, generated from Kubernetes'
 * OpenAPI; validated with its own ajv validators), the workloads are locked down (non-root, read-only root
 * filesystem, no capabilities, probes, requests and limits), and the RBAC grants exactly what the code calls:
 * nothing on Secrets unless the opt-in overlay is used, tokens only in lab namespaces, the Lease only in kvlab's own.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const OVERLAYS = ['small', 'large', 'secrets-metadata'];
const hasKubectl = await run('kubectl', ['version', '--client'])
  .then(() => true)
  .catch(() => false);

type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [k: string]: unknown;
};
const rendered = new Map<string, K8sObject[]>();

beforeAll(async () => {
  if (!hasKubectl) return;
  for (const overlay of OVERLAYS) {
    const { stdout } = await run('kubectl', ['kustomize', join(root, 'deploy/overlays', overlay)]);
    rendered.set(
      overlay,
      parseAllDocuments(stdout).map((d) => d.toJS() as K8sObject),
    );
  }
}, 30_000);

/** The kubernetes-models class of an object: `kubernetes-models/<group>/<version>/<Kind>` (core: `v1/<Kind>`). */
async function modelOf(obj: K8sObject): Promise<new (data: unknown) => { validate(): void }> {
  const path = obj.apiVersion.includes('/') ? obj.apiVersion : obj.apiVersion;
  const mod = (await import(`kubernetes-models/${path}/${obj.kind}`)) as Record<
    string,
    new (
      data: unknown,
    ) => { validate(): void }
  >;
  const model = mod[obj.kind];
  if (!model) throw new Error(`no schema for ${obj.apiVersion} ${obj.kind}`);
  return model;
}

describe.runIf(hasKubectl)('deploy/ overlays', () => {
  it.each(OVERLAYS)('%s validates against the Kubernetes OpenAPI schemas', async (overlay) => {
    const objects = rendered.get(overlay) ?? [];
    expect(objects.length).toBeGreaterThan(10);
    for (const obj of objects) {
      const Model = await modelOf(obj);
      expect(() => new Model(obj).validate(), `${overlay}: ${obj.kind}/${obj.metadata.name}`).not.toThrow();
    }
  });

  it.each(OVERLAYS)(
    '%s runs every container non-root, read-only, without capabilities, with probes and limits',
    (overlay) => {
      const workloads = (rendered.get(overlay) ?? []).filter(
        (o) => o.kind === 'Deployment' || o.kind === 'StatefulSet',
      );
      expect(workloads.length).toBeGreaterThan(1);
      for (const w of workloads) {
        const pod = (w.spec as { template: { spec: PodSpec } }).template.spec;
        expect(pod.securityContext?.runAsNonRoot, w.metadata.name).toBe(true);
        expect(pod.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
        for (const c of pod.containers) {
          expect(c.securityContext?.readOnlyRootFilesystem, c.name).toBe(true);
          expect(c.securityContext?.allowPrivilegeEscalation).toBe(false);
          expect(c.securityContext?.capabilities?.drop).toEqual(['ALL']);
          expect(c.resources?.requests?.cpu && c.resources?.requests?.memory).toBeTruthy();
          expect(c.resources?.limits?.memory).toBeTruthy();
          expect(c.readinessProbe && c.livenessProbe).toBeTruthy();
        }
        if (w.kind === 'Deployment') {
          const c = pod.containers[0] as Container;
          expect(c.readinessProbe?.httpGet?.path).toBe('/readyz');
          expect(c.livenessProbe?.httpGet?.path).toBe('/healthz');
          expect(pod.serviceAccountName).toBe('kvlab');
        }
      }
    },
  );

  it('splits the large overlay into receiver, worker and watcher, with a PodDisruptionBudget each', () => {
    const objects = rendered.get('large') ?? [];
    const roles = objects
      .filter((o) => o.kind === 'Deployment')
      .map((o) => (o.spec as { template: { spec: PodSpec } }).template.spec.containers[0]?.args?.join(' '));
    expect(roles.sort()).toEqual(['serve --role receiver', 'serve --role watcher', 'serve --role worker']);
    expect(objects.filter((o) => o.kind === 'PodDisruptionBudget')).toHaveLength(3);
  });
});

interface Container {
  name: string;
  args?: string[];
  securityContext?: {
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { memory?: string } };
  readinessProbe?: { httpGet?: { path?: string } };
  livenessProbe?: { httpGet?: { path?: string } };
}
interface PodSpec {
  serviceAccountName?: string;
  securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type?: string } };
  containers: Container[];
}

// ---- RBAC against the code ----

/** client-node methods kvlab calls → the RBAC (group, resource, verb) each needs. */
const METHOD_GRANTS: Record<string, [string, string, string]> = {
  readNamespacedPod: ['', 'pods', 'get'],
  listNamespacedPod: ['', 'pods', 'list'],
  listPodForAllNamespaces: ['', 'pods', 'list'],
  listNamespacedEvent: ['', 'events', 'list'],
  listEventForAllNamespaces: ['', 'events', 'list'],
  readNamespace: ['', 'namespaces', 'get'],
  listNamespace: ['', 'namespaces', 'list'],
  readNamespacedServiceAccount: ['', 'serviceaccounts', 'get'],
  listNamespacedServiceAccount: ['', 'serviceaccounts', 'list'],
  listServiceAccountForAllNamespaces: ['', 'serviceaccounts', 'list'],
  createNamespacedServiceAccountToken: ['', 'serviceaccounts/token', 'create'],
  listNamespacedSecret: ['', 'secrets', 'list'],
  readCSIDriver: ['storage.k8s.io', 'csidrivers', 'get'],
  readCustomResourceDefinition: ['apiextensions.k8s.io', 'customresourcedefinitions', 'get'],
  readNamespacedLease: ['coordination.k8s.io', 'leases', 'get'],
  createNamespacedLease: ['coordination.k8s.io', 'leases', 'create'],
  replaceNamespacedLease: ['coordination.k8s.io', 'leases', 'update'],
};
const CUSTOM_VERBS: Record<string, string> = {
  getNamespacedCustomObject: 'get',
  listNamespacedCustomObject: 'list',
  listClusterCustomObject: 'list',
};
const SPC_GROUP = 'secrets-store.csi.x-k8s.io';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every (group/resource/verb) the product's source calls through client-node, and what its informers watch. */
function grantsTheCodeNeeds(): Set<string> {
  const needed = new Set<string>();
  for (const file of sourceFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const [method, [group, resource, verb]] of Object.entries(METHOD_GRANTS)) {
      if (new RegExp(`\\.${method}\\(`).test(text)) needed.add(`${group}/${resource}/${verb}`);
    }
    for (const [method, verb] of Object.entries(CUSTOM_VERBS)) {
      if (!new RegExp(`\\.${method}\\(`).test(text)) continue;
      for (const plural of text.matchAll(/'(secretproviderclass(?:es|podstatuses))'/g)) {
        needed.add(`${SPC_GROUP}/${plural[1]}/${verb}`);
      }
    }
    if (/new ListWatch</.test(text)) {
      for (const path of text.matchAll(/[`']\/api\/v1\/(?:namespaces\/\$\{\w+\}\/)?([a-z]+)[`']/g)) {
        needed.add(`/${path[1]}/watch`);
        needed.add(`/${path[1]}/list`);
      }
    }
  }
  return needed;
}

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
}
interface Grant {
  key: string;
  scope: 'cluster' | string;
  role: string;
}

/** What the rendered RBAC grants kvlab's ServiceAccount, and where. */
function grantsOf(objects: K8sObject[]): Grant[] {
  const roles = new Map(
    objects
      .filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')
      .map((o) => [`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, (o.rules as Rule[]) ?? []]),
  );
  const grants: Grant[] = [];
  for (const b of objects.filter((o) => o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding')) {
    const subjects = (b.subjects as Array<{ kind: string; name: string; namespace?: string }>) ?? [];
    expect(subjects).toEqual([{ kind: 'ServiceAccount', name: 'kvlab', namespace: 'kvlab-system' }]);
    const ref = b.roleRef as { kind: string; name: string };
    const ns = ref.kind === 'Role' ? (b.metadata.namespace ?? '') : '';
    const rules = roles.get(`${ref.kind}/${ns}/${ref.name}`);
    expect(rules, `${b.kind} ${b.metadata.name} refers to a role that exists`).toBeDefined();
    const scope = b.kind === 'ClusterRoleBinding' ? 'cluster' : (b.metadata.namespace as string);
    for (const rule of rules ?? []) {
      for (const group of rule.apiGroups ?? []) {
        for (const resource of rule.resources ?? []) {
          for (const verb of rule.verbs) grants.push({ key: `${group}/${resource}/${verb}`, scope, role: ref.name });
        }
      }
    }
  }
  return grants;
}

describe.runIf(hasKubectl)('deploy/ RBAC against what the code calls', () => {
  const needed = grantsTheCodeNeeds();

  it('finds the calls it knows in the source (the inventory is not empty)', () => {
    expect(needed).toContain('/serviceaccounts/token/create');
    expect(needed).toContain('coordination.k8s.io/leases/update');
    expect(needed).toContain('/pods/watch');
  });

  it.each(OVERLAYS)('%s grants nothing the code does not call, and no wildcards', (overlay) => {
    const grants = grantsOf(rendered.get(overlay) ?? []);
    for (const g of grants) {
      expect(g.key).not.toContain('*');
      expect(needed, `${g.role} grants ${g.key}`).toContain(g.key);
    }
  });

  it.each(OVERLAYS)('%s grants every call the code makes (the opt-in Secret listing aside)', (overlay) => {
    const granted = new Set(grantsOf(rendered.get(overlay) ?? []).map((g) => g.key));
    const optional = overlay === 'secrets-metadata' ? [] : ['/secrets/list'];
    expect([...needed].filter((k) => !granted.has(k) && !optional.includes(k))).toEqual([]);
  });

  it.each(OVERLAYS)('%s mints tokens only in lab namespaces and holds the Lease only in kvlab-system', (overlay) => {
    const grants = grantsOf(rendered.get(overlay) ?? []);
    const tokens = grants.filter((g) => g.key === '/serviceaccounts/token/create');
    expect(tokens.length).toBeGreaterThan(0);
    for (const g of tokens) expect(g.scope).toMatch(/^student-/);
    for (const g of grants.filter((x) => x.key.startsWith('coordination.k8s.io/')))
      expect(g.scope).toBe('kvlab-system');
  });

  it('grants no verb on Secrets by default; the opt-in overlay lists them in lab namespaces only', () => {
    for (const overlay of ['small', 'large']) {
      expect(grantsOf(rendered.get(overlay) ?? []).filter((g) => g.key.startsWith('/secrets/'))).toEqual([]);
    }
    const secrets = grantsOf(rendered.get('secrets-metadata') ?? []).filter((g) => g.key.startsWith('/secrets/'));
    expect(secrets.map((g) => g.key)).toEqual(secrets.map(() => '/secrets/list'));
    for (const g of secrets) expect(g.scope).toMatch(/^student-/);
  });
});
