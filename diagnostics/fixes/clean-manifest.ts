/**
 * Turns a live object into a manifest a student could have written: no status, uid, resourceVersion,
 * managedFields, creationTimestamp or last-applied annotation, and for pods none of what admission and the
 * scheduler added (the node, the ServiceAccount token volume, the workload identity webhook's env and token
 * volume, API defaults). Applying the result creates the same pod again. Pure.
 */

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes objects are untyped JSON here.
export type Manifest = Record<string, any>;

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** What the azure-workload-identity webhook injects into a pod labelled azure.workload.identity/use. */
const WEBHOOK_ENV = new Set([
  'AZURE_CLIENT_ID',
  'AZURE_TENANT_ID',
  'AZURE_FEDERATED_TOKEN_FILE',
  'AZURE_AUTHORITY_HOST',
]);
const WEBHOOK_VOLUME = 'azure-identity-token';
const TOKEN_VOLUME = /^kube-api-access-[a-z0-9]+$/;

/** Pod spec fields equal to the API server's defaults, dropped when they still hold the default. */
const POD_DEFAULTS: Record<string, unknown> = {
  dnsPolicy: 'ClusterFirst',
  enableServiceLinks: true,
  preemptionPolicy: 'PreemptLowerPriority',
  priority: 0,
  schedulerName: 'default-scheduler',
  terminationGracePeriodSeconds: 30,
};
const CONTAINER_DEFAULTS: Record<string, unknown> = {
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
};

/** A plain JSON copy (client-node class instances, Dates and undefined fields become plain data). */
export function plain<T>(value: T): Manifest {
  return JSON.parse(JSON.stringify(value)) as Manifest;
}

function isEmpty(value: unknown): boolean {
  return value !== null && typeof value === 'object' && Object.keys(value).length === 0;
}

/** apiVersion, kind and the metadata a student writes: name, namespace, labels, annotations (without last-applied). */
export function cleanMetadata(object: Manifest, apiVersion: string, kind: string, namespace?: string): Manifest {
  const meta = object.metadata ?? {};
  const annotations = { ...(meta.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  const metadata: Manifest = { name: meta.name, namespace: namespace ?? meta.namespace };
  if (meta.labels && !isEmpty(meta.labels)) metadata.labels = { ...meta.labels };
  if (!isEmpty(annotations)) metadata.annotations = annotations;
  return { apiVersion, kind, metadata };
}

export function cleanSpc(spc: Manifest, namespace?: string): Manifest {
  const copy = plain(spc);
  return { ...cleanMetadata(copy, 'secrets-store.csi.x-k8s.io/v1', 'SecretProviderClass', namespace), spec: copy.spec };
}

export function cleanPod(pod: Manifest): Manifest {
  const copy = plain(pod);
  const spec: Manifest = { ...(copy.spec ?? {}) };
  const webhook = (spec.volumes ?? []).some((v: Manifest) => v.name === WEBHOOK_VOLUME);
  const dropVolume = (name: string) => TOKEN_VOLUME.test(name) || (webhook && name === WEBHOOK_VOLUME);
  delete spec.nodeName;
  delete spec.serviceAccount; // deprecated alias the API server fills from serviceAccountName
  for (const [k, v] of Object.entries(POD_DEFAULTS)) if (spec[k] === v) delete spec[k];
  if (isEmpty(spec.securityContext)) delete spec.securityContext;
  spec.tolerations = (spec.tolerations ?? []).filter((t: Manifest) => !isDefaultToleration(t));
  if (spec.tolerations.length === 0) delete spec.tolerations;
  if (spec.volumes) spec.volumes = spec.volumes.filter((v: Manifest) => !dropVolume(v.name));
  for (const key of ['containers', 'initContainers'] as const) {
    if (spec[key]) spec[key] = spec[key].map((c: Manifest) => cleanContainer(c, webhook, dropVolume));
  }
  return { ...cleanMetadata(copy, 'v1', 'Pod'), spec };
}

function cleanContainer(container: Manifest, webhook: boolean, dropVolume: (name: string) => boolean): Manifest {
  const c: Manifest = { ...container };
  for (const [k, v] of Object.entries(CONTAINER_DEFAULTS)) if (c[k] === v) delete c[k];
  if (isEmpty(c.resources)) delete c.resources;
  if (c.imagePullPolicy === defaultPullPolicy(String(c.image ?? ''))) delete c.imagePullPolicy;
  if (webhook && c.env) c.env = c.env.filter((e: Manifest) => !WEBHOOK_ENV.has(e.name));
  if (c.env?.length === 0) delete c.env;
  if (c.volumeMounts) c.volumeMounts = c.volumeMounts.filter((m: Manifest) => !dropVolume(m.name));
  if (c.volumeMounts?.length === 0) delete c.volumeMounts;
  return c;
}

/** The API server's default: Always for `:latest` or no tag, IfNotPresent otherwise. */
function defaultPullPolicy(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** The not-ready / unreachable tolerations the DefaultTolerationSeconds admission plugin adds. */
function isDefaultToleration(t: Manifest): boolean {
  return (
    ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].includes(t.key) &&
    t.operator === 'Exists' &&
    t.effect === 'NoExecute' &&
    t.tolerationSeconds === 300
  );
}
