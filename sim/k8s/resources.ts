/**
 * The resource catalog: which group/version/resource the simulated API server serves, with the metadata
 * discovery publishes (kind, scope, verbs, shortNames, categories, subresources). Built-in kinds are fixed;
 * custom resources come from the CustomResourceDefinitions currently in the store, so a CR group is served
 * only while its CRD exists, as on a real cluster.
 */

/** A Kubernetes object (or any JSON object) as parsed from the wire. */
export type Obj = Record<string, unknown>;

/** A subresource as discovery lists it (`pods/log`, `serviceaccounts/token` → TokenRequest). */
export interface SubresourceInfo {
  kind: string;
  verbs: string[];
  group?: string;
  version?: string;
}

/** One served group/version/resource with everything routing, discovery and storage need. */
export interface ResourceInfo {
  group: string;
  version: string;
  /** Plural resource name used in paths, RBAC and error messages. */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: Record<string, SubresourceInfo>;
  /** Storage key shared by every group/version that serves the same objects (core and events.k8s.io Events). */
  storage: string;
  custom: boolean;
  /** CRD `openAPIV3Schema` of this version, for structural validation. */
  schema?: Obj;
  /** CRD `additionalPrinterColumns` of this version. */
  printerColumns?: Obj[];
  /** Sent as a `Warning: 299` header on every request to a deprecated CRD version. */
  deprecationWarning?: string;
  /** The registry strategy's AllowCreateOnUpdate: a PUT of a missing object creates it (Leases, Events). */
  createOnUpdate?: boolean;
  /** false = the strategy's AllowUnconditionalUpdate is false: a PUT must carry metadata.resourceVersion (422). */
  unconditionalUpdate?: boolean;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS: SubresourceInfo = { kind: '', verbs: ['get', 'patch', 'update'] };

interface BuiltinSpec {
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
  subresources?: Record<string, SubresourceInfo>;
  storage?: string;
  createOnUpdate?: boolean;
  unconditionalUpdate?: boolean;
}

function builtin(
  gv: string,
  resource: string,
  kind: string,
  namespaced: boolean,
  spec: BuiltinSpec = {},
): ResourceInfo {
  const [group, version] = gv.includes('/') ? (gv.split('/') as [string, string]) : ['', gv];
  const subresources: Record<string, SubresourceInfo> = {};
  for (const [name, sub] of Object.entries(spec.subresources ?? {}))
    subresources[name] = { ...sub, kind: sub.kind || kind };
  const strategy: Partial<ResourceInfo> = {};
  if (spec.createOnUpdate !== undefined) strategy.createOnUpdate = spec.createOnUpdate;
  if (spec.unconditionalUpdate !== undefined) strategy.unconditionalUpdate = spec.unconditionalUpdate;
  return {
    ...strategy,
    group,
    version,
    resource,
    singular: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced,
    shortNames: spec.shortNames ?? [],
    categories: spec.categories ?? [],
    verbs: spec.verbs ?? ALL_VERBS,
    subresources,
    storage: spec.storage ?? `${group}/${kind}`,
    custom: false,
  };
}

/** Built-in resources this simulator serves. Events exist once in storage and are served by two APIs. */
export const BUILTIN_RESOURCES: readonly ResourceInfo[] = [
  builtin('v1', 'namespaces', 'Namespace', false, { shortNames: ['ns'], subresources: { status: STATUS } }),
  builtin('v1', 'nodes', 'Node', false, { shortNames: ['no'], subresources: { status: STATUS } }),
  builtin('v1', 'pods', 'Pod', true, {
    shortNames: ['po'],
    categories: ['all'],
    subresources: { log: { kind: 'Pod', verbs: ['get'] }, status: STATUS },
  }),
  builtin('v1', 'events', 'Event', true, { shortNames: ['ev'] }),
  builtin('v1', 'serviceaccounts', 'ServiceAccount', true, {
    shortNames: ['sa'],
    subresources: { token: { kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] } },
  }),
  builtin('v1', 'secrets', 'Secret', true),
  builtin('v1', 'configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
  builtin('apps/v1', 'daemonsets', 'DaemonSet', true, {
    shortNames: ['ds'],
    categories: ['all'],
    subresources: { status: STATUS },
  }),
  builtin('events.k8s.io/v1', 'events', 'Event', true, { shortNames: ['ev'], storage: '/Event' }),
  builtin('storage.k8s.io/v1', 'csidrivers', 'CSIDriver', false),
  builtin('apiextensions.k8s.io/v1', 'customresourcedefinitions', 'CustomResourceDefinition', false, {
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    subresources: { status: STATUS },
  }),
  builtin('rbac.authorization.k8s.io/v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
  builtin('rbac.authorization.k8s.io/v1', 'clusterroles', 'ClusterRole', false),
  builtin('rbac.authorization.k8s.io/v1', 'rolebindings', 'RoleBinding', true),
  builtin('rbac.authorization.k8s.io/v1', 'roles', 'Role', true),
  // k/k pkg/registry/coordination/lease/strategy.go: PUT may create, and an update must name its resourceVersion.
  builtin('coordination.k8s.io/v1', 'leases', 'Lease', true, { createOnUpdate: true, unconditionalUpdate: false }),
  builtin('authorization.k8s.io/v1', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', false, {
    verbs: ['create'],
  }),
];

const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const asStrings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** One ResourceInfo per served version of a CRD object. */
function resourcesOfCrd(crd: Obj): ResourceInfo[] {
  const spec = asObj(crd.spec);
  const names = asObj(spec.names);
  const group = String(spec.group ?? '');
  const kind = String(names.kind ?? '');
  const resource = String(names.plural ?? '');
  if (!group || !kind || !resource) return [];
  const versions = Array.isArray(spec.versions) ? spec.versions.map(asObj) : [];
  return versions
    .filter((v) => v.served !== false && typeof v.name === 'string')
    .map((v) => {
      const subresources: Record<string, SubresourceInfo> = {};
      if (asObj(v.subresources).status) subresources.status = { ...STATUS, kind };
      const schema = asObj(asObj(v.schema).openAPIV3Schema);
      const info: ResourceInfo = {
        group,
        version: String(v.name),
        resource,
        singular: String(names.singular ?? kind.toLowerCase()),
        kind,
        listKind: String(names.listKind ?? `${kind}List`),
        namespaced: spec.scope !== 'Cluster',
        shortNames: asStrings(names.shortNames),
        categories: asStrings(names.categories),
        verbs: ALL_VERBS,
        subresources,
        storage: `${group}/${kind}`,
        custom: true,
      };
      if (Object.keys(schema).length > 0) info.schema = schema;
      if (Array.isArray(v.additionalPrinterColumns)) info.printerColumns = v.additionalPrinterColumns.map(asObj);
      if (v.deprecated === true) {
        info.deprecationWarning =
          typeof v.deprecationWarning === 'string'
            ? v.deprecationWarning
            : `${group}/${String(v.name)} ${kind} is deprecated`;
      }
      return info;
    });
}

/** Everything served right now: built-ins plus every version of every CRD in `crds`. */
export function servedResources(crds: readonly Obj[]): ResourceInfo[] {
  return [...BUILTIN_RESOURCES, ...crds.flatMap(resourcesOfCrd)];
}

/** Splits `apps/v1` into group and version (`v1` → core group ''). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** `group/version`, or just the version for the core group. */
export const apiVersionOf = (info: { group: string; version: string }): string =>
  info.group ? `${info.group}/${info.version}` : info.version;

/**
 * Kubernetes version priority (GA > beta > alpha, higher numbers first), used for preferred versions.
 * Non-Kubernetes-looking versions sort last, alphabetically.
 */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0] as const;
    const stage = m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3;
    return [stage, Number(m[1]), Number(m[3] ?? 0)] as const;
  };
  const [sa, ma, na] = parse(a);
  const [sb, mb, nb] = parse(b);
  return sb - sa || mb - ma || nb - na || a.localeCompare(b);
}
