/**
 * Endpoints that are not plain object storage: `pods/log` (there is no kubelet, so logs are empty, but the
 * real "waiting to start" and container-choice errors are reproduced) and SelfSubjectAccessReview (201).
 */
import { asObj } from './defaults.ts';
import { type Attributes, authorize, type UserInfo } from './rbac.ts';
import type { Obj } from './resources.ts';
import { badRequest, invalid, notFound } from './status.ts';
import type { ObjectStore } from './store.ts';

/** `GET …/pods/{name}/log`: validates the container choice and state like the kubelet; the log itself is empty. */
export function podLog(store: ObjectStore, namespace: string, name: string, query: URLSearchParams): string {
  const pod = store.getIn('/Pod', namespace, name);
  if (!pod) throw notFound({ group: '', resource: 'pods' }, name);
  const spec = asObj(pod.spec);
  const names = (v: unknown) => (Array.isArray(v) ? v.map((c) => String(asObj(c).name)) : []);
  const containers = names(spec.containers);
  const inits = names(spec.initContainers);
  let container = query.get('container') ?? '';
  if (!container) {
    if (containers.length !== 1) {
      const initPart = inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : '';
      throw badRequest(
        `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]${initPart}`,
      );
    }
    container = containers[0] ?? '';
  }
  if (!containers.includes(container) && !inits.includes(container)) {
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  }
  const status = asObj(pod.status);
  const statuses = [
    ...(Array.isArray(status.containerStatuses) ? status.containerStatuses : []),
    ...(Array.isArray(status.initContainerStatuses) ? status.initContainerStatuses : []),
  ].map(asObj);
  const cs = statuses.find((s) => s.name === container);
  const waiting = cs
    ? asObj(asObj(cs.state).waiting)
    : { reason: status.phase === 'Pending' ? 'ContainerCreating' : undefined };
  if (waiting.reason) {
    throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${String(waiting.reason)}`);
  }
  return '';
}

/** `POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews`: the caller's own RBAC answer. */
export function selfSubjectAccessReview(store: ObjectStore, user: UserInfo, body: Obj): Obj {
  const spec = asObj(body.spec);
  const resource = spec.resourceAttributes ? asObj(spec.resourceAttributes) : undefined;
  const nonResource = spec.nonResourceAttributes ? asObj(spec.nonResourceAttributes) : undefined;
  if (!resource === !nonResource) {
    throw invalid('authorization.k8s.io', 'SelfSubjectAccessReview', '', [
      {
        field: 'spec.resourceAttributes',
        type: 'FieldValueInvalid',
        value: 'null',
        detail: 'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      },
    ]);
  }
  const attrs: Attributes = resource
    ? {
        resourceRequest: true,
        verb: String(resource.verb ?? ''),
        group: String(resource.group ?? ''),
        resource: String(resource.resource ?? ''),
        subresource: String(resource.subresource ?? ''),
        namespace: String(resource.namespace ?? ''),
        name: String(resource.name ?? ''),
      }
    : { resourceRequest: false, verb: String(nonResource?.verb ?? ''), path: String(nonResource?.path ?? '') };
  const decision = authorize(store, user, attrs);
  const status: Obj = { allowed: decision.allowed };
  if (decision.reason) status.reason = decision.reason;
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec,
    status,
  };
}
