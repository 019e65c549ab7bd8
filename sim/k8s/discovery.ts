/**
 * Legacy discovery documents (`/version`, `/api`, `/apis`, `/apis/{g}`, `/api/v1`, `/apis/{g}/{v}`), always
 * served as plain `application/json` so client-go falls back from aggregated discovery (docs/wire-notes.md §6.5).
 * Built from the live resource catalog, so a CRD's group disappears the moment the CRD is deleted.
 */
import { compareVersions, type Obj, type ResourceInfo } from './resources.ts';

/** The Kubernetes version this simulator claims (AKS 1.32). kubectl's dispatcher picks its client by it. */
export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.6',
  gitCommit: 'b8f8b4bd1a1b8c4c5a9d0e6c2b8e0f5b1a1d9c6e',
  gitTreeState: 'clean',
  buildDate: '2025-06-17T18:38:47Z',
  goVersion: 'go1.23.10',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const BUILTIN_GROUP_ORDER = [
  'apps',
  'events.k8s.io',
  'authorization.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'apiextensions.k8s.io',
  'coordination.k8s.io',
];

interface GroupEntry {
  name: string;
  versions: Array<{ groupVersion: string; version: string }>;
  preferredVersion: { groupVersion: string; version: string };
}

function groups(resources: readonly ResourceInfo[]): GroupEntry[] {
  const byGroup = new Map<string, Set<string>>();
  for (const r of resources) {
    if (r.group === '') continue;
    if (!byGroup.has(r.group)) byGroup.set(r.group, new Set());
    byGroup.get(r.group)?.add(r.version);
  }
  const rank = (g: string) => {
    const i = BUILTIN_GROUP_ORDER.indexOf(g);
    return i < 0 ? BUILTIN_GROUP_ORDER.length : i;
  };
  return [...byGroup.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([name, set]) => {
      const versions = [...set]
        .sort(compareVersions)
        .map((version) => ({ groupVersion: `${name}/${version}`, version }));
      return { name, versions, preferredVersion: versions[0] ?? { groupVersion: `${name}/v1`, version: 'v1' } };
    });
}

/** `GET /api`: the core group's versions. */
export function coreVersions(serverAddress: string): Obj {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** `GET /apis`. */
export function groupList(resources: readonly ResourceInfo[]): Obj {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups(resources) };
}

/** `GET /apis/{group}`, or undefined when the group is not served. */
export function groupDocument(resources: readonly ResourceInfo[], group: string): Obj | undefined {
  const g = groups(resources).find((x) => x.name === group);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...g } : undefined;
}

/** `GET /api/v1` or `GET /apis/{group}/{version}`, or undefined when that group/version is not served. */
export function resourceList(resources: readonly ResourceInfo[], group: string, version: string): Obj | undefined {
  const served = resources.filter((r) => r.group === group && r.version === version);
  if (served.length === 0) return undefined;
  const entries: Obj[] = [];
  for (const r of [...served].sort((a, b) => a.resource.localeCompare(b.resource))) {
    const entry: Obj = {
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
    };
    if (r.shortNames.length > 0) entry.shortNames = r.shortNames;
    if (r.categories.length > 0) entry.categories = r.categories;
    entries.push(entry);
    for (const [name, sub] of Object.entries(r.subresources).sort(([a], [b]) => a.localeCompare(b))) {
      const subEntry: Obj = { name: `${r.resource}/${name}`, singularName: '', namespaced: r.namespaced };
      if (sub.group) subEntry.group = sub.group;
      if (sub.version) subEntry.version = sub.version;
      subEntry.kind = sub.kind;
      subEntry.verbs = sub.verbs;
      entries.push(subEntry);
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: entries,
  };
}

/** The service-account issuer's OIDC discovery document (`/.well-known/openid-configuration`). */
export function openIdConfiguration(issuer: string, jwksUri: string): Obj {
  return {
    issuer,
    jwks_uri: jwksUri,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  };
}
