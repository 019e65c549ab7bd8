/**
 * RBAC authorization over the Role/ClusterRole/RoleBinding/ClusterRoleBinding objects in the store, following
 * k/k `plugin/pkg/auth/authorizer/rbac` (rule matching incl. subresources and star-slash-subresource wildcards, resourceNames,
 * nonResourceURLs; subject matching incl. ServiceAccount namespace defaulting; allow/deny reasons). The
 * bootstrap discovery and self-review grants every cluster has (`system:discovery`, `system:basic-user`,
 * `system:public-info-viewer`) are built in, and the `system:masters` group bypasses RBAC as on a real cluster.
 */
import { asObj, nameOf, namespaceOf } from './defaults.ts';
import type { ObjectStore } from './store.ts';

/** An authenticated identity: user name and groups (including `system:authenticated`). */
export interface UserInfo {
  name: string;
  groups: string[];
}

/** What is being asked, in authorizer terms (`verb` is an RBAC verb, or a lower-case HTTP method for paths). */
export type Attributes =
  | {
      resourceRequest: true;
      verb: string;
      group: string;
      resource: string;
      subresource: string;
      namespace: string;
      name: string;
    }
  | { resourceRequest: false; verb: string; path: string };

/** The authorizer's answer. */
export interface Decision {
  allowed: boolean;
  /** `RBAC: allowed by …` when allowed; problems found while evaluating (missing roles) when denied. */
  reason: string;
}

type Rule = Record<string, unknown>;
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

const DISCOVERY_URLS = [
  '/api',
  '/api/*',
  '/apis',
  '/apis/*',
  '/healthz',
  '/livez',
  '/readyz',
  '/version',
  '/version/',
  '/openapi',
  '/openapi/*',
];
const BOOTSTRAP: Array<{ binding: string; rules: Rule[] }> = [
  { binding: 'system:discovery', rules: [{ verbs: ['get'], nonResourceURLs: DISCOVERY_URLS }] },
  {
    binding: 'system:basic-user',
    rules: [
      {
        verbs: ['create'],
        apiGroups: ['authorization.k8s.io'],
        resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
      },
      { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
    ],
  },
  {
    binding: 'system:public-info-viewer',
    rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] }],
  },
];

function ruleAllows(attrs: Attributes, rule: Rule): boolean {
  const verbs = strings(rule.verbs);
  if (!verbs.includes('*') && !verbs.includes(attrs.verb)) return false;
  if (!attrs.resourceRequest) {
    return strings(rule.nonResourceURLs).some(
      (u) => u === '*' || u === attrs.path || (u.endsWith('*') && attrs.path.startsWith(u.slice(0, -1))),
    );
  }
  const groups = strings(rule.apiGroups);
  if (!groups.includes('*') && !groups.includes(attrs.group)) return false;
  const combined = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const resourceOk = strings(rule.resources).some(
    (r) => r === '*' || r === combined || (attrs.subresource !== '' && r === `*/${attrs.subresource}`),
  );
  if (!resourceOk) return false;
  const names = strings(rule.resourceNames);
  return names.length === 0 || names.includes(attrs.name);
}

function describeSubject(subject: Rule, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount') {
    return `ServiceAccount "${String(subject.name)}/${String(subject.namespace || bindingNamespace)}"`;
  }
  return `${String(subject.kind)} "${String(subject.name)}"`;
}

function appliesTo(user: UserInfo, subject: Rule, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(String(subject.name));
    case 'ServiceAccount': {
      const ns = String(subject.namespace || bindingNamespace);
      return ns !== '' && user.name === `system:serviceaccount:${ns}:${String(subject.name)}`;
    }
    default:
      return false;
  }
}

/** Decides a request the way kube-apiserver's RBAC authorizer does. */
export function authorize(store: ObjectStore, user: UserInfo, attrs: Attributes): Decision {
  if (user.groups.includes('system:masters')) return { allowed: true, reason: '' };
  if (user.groups.includes('system:authenticated')) {
    for (const b of BOOTSTRAP) {
      if (b.rules.some((r) => ruleAllows(attrs, r))) {
        return {
          allowed: true,
          reason: `RBAC: allowed by ClusterRoleBinding "${b.binding}" of ClusterRole "${b.binding}" to Group "system:authenticated"`,
        };
      }
    }
  }
  const errors: string[] = [];
  const rulesOf = (kind: unknown, name: string, namespace: string): Rule[] | undefined => {
    const role =
      kind === 'ClusterRole'
        ? store.getIn('rbac.authorization.k8s.io/ClusterRole', '', name)
        : store.getIn('rbac.authorization.k8s.io/Role', namespace, name);
    if (!role) {
      errors.push(`${kind === 'ClusterRole' ? 'clusterrole' : 'role'}.rbac.authorization.k8s.io "${name}" not found`);
      return undefined;
    }
    return Array.isArray(role.rules) ? role.rules.map(asObj) : [];
  };
  const visit = (
    binding: Record<string, unknown>,
    bindingKind: string,
    bindingNamespace: string,
  ): string | undefined => {
    const subjects = Array.isArray(binding.subjects) ? binding.subjects.map(asObj) : [];
    const subject = subjects.find((s) => appliesTo(user, s, bindingNamespace));
    if (!subject) return undefined;
    const ref = asObj(binding.roleRef);
    const rules = rulesOf(ref.kind, String(ref.name ?? ''), bindingNamespace);
    if (!rules?.some((r) => ruleAllows(attrs, r))) return undefined;
    const bindingName = bindingNamespace ? `${nameOf(binding)}/${bindingNamespace}` : nameOf(binding);
    return `RBAC: allowed by ${bindingKind} "${bindingName}" of ${String(ref.kind)} "${String(ref.name)}" to ${describeSubject(subject, bindingNamespace)}`;
  };
  for (const crb of store.listIn('rbac.authorization.k8s.io/ClusterRoleBinding')) {
    const reason = visit(crb, 'ClusterRoleBinding', '');
    if (reason) return { allowed: true, reason };
  }
  if (attrs.resourceRequest && attrs.namespace) {
    for (const rb of store.listIn('rbac.authorization.k8s.io/RoleBinding', attrs.namespace)) {
      const reason = visit(rb, 'RoleBinding', namespaceOf(rb));
      if (reason) return { allowed: true, reason };
    }
  }
  const reason = errors.length === 0 ? '' : `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}`;
  return { allowed: false, reason };
}

/** The part of a Forbidden message after `is forbidden: ` (apiserver `responsewriters.forbiddenMessage`). */
export function forbiddenReason(user: UserInfo, attrs: Attributes, decision: Decision): string {
  let msg: string;
  if (!attrs.resourceRequest) {
    msg = `User "${user.name}" cannot ${attrs.verb} path "${attrs.path}"`;
  } else {
    const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
    const scope = attrs.namespace ? `in the namespace "${attrs.namespace}"` : 'at the cluster scope';
    msg = `User "${user.name}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.group}" ${scope}`;
  }
  return decision.reason ? `${msg}: ${decision.reason}` : msg;
}
