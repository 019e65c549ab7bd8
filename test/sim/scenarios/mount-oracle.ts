/**
 * Test-side ground truth: what a secrets mount of a namespace's `pod-keyvault` would hit, worked out only from
 * a scenario's data (cluster objects + Azure state) by walking the chain the driver, the Azure provider, Entra
 * ID and Key Vault apply (references 01-04). The scenario tests compare it with each namespace's
 * `kvlab.io/expect` annotation and with the recorded events, so an inconsistent dump fails a test.
 * It is deliberately independent of the product's diagnostics.
 */
import { parse } from 'yaml';
import type { Identity, Vault } from '../../../sim/azure/state.ts';
import type { Scenario } from '../../../sim/scenarios/load.ts';

// biome-ignore lint/suspicious/noExplicitAny: dumps are untyped JSON; the tests read them field by field.
export type Obj = Record<string, any>;

export interface Prediction {
  /** A category of diagnostics/categories.ts, or `healthy`. */
  category: string;
  why: string;
  /** Entra error code when the category is AUTH_FAILED. */
  aadsts?: number;
  spc?: Obj;
  identity?: Identity;
  vault?: Vault;
  subject?: string;
  /** The object the fetch failed on, and the version asked for. */
  object?: { name: string; version: string };
}

export const objectsOf = (s: Scenario) => s.objects as Obj[];

export function find(s: Scenario, kind: string, namespace: string | undefined, name: string): Obj | undefined {
  return objectsOf(s).find(
    (o) => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? undefined) === namespace,
  );
}

/** The SecretProviderClass name of the pod's Secrets Store CSI volume. */
export function spcNameOf(pod: Obj): string | undefined {
  const volume = (pod.spec.volumes ?? []).find((v: Obj) => v.csi?.driver === 'secrets-store.csi.k8s.io');
  return volume?.csi.volumeAttributes?.secretProviderClass;
}

const truthy = (v: string | undefined) => ['1', 't', 'T', 'TRUE', 'true', 'True'].includes((v ?? '').trim());
const SECRET_ROLES = ['key vault secrets user', 'key vault secrets officer', 'key vault administrator'];

/** Predicts the outcome of mounting `pod-keyvault` in `namespace`. */
export function predictMount(s: Scenario, namespace: string): Prediction {
  const pod = find(s, 'Pod', namespace, 'pod-keyvault');
  if (!pod) return { category: 'OTHER', why: 'no pod-keyvault' };
  const nodeName = pod.spec.nodeName as string;
  const kubeSystem = objectsOf(s).filter((o) => o.metadata.namespace === 'kube-system');

  const csiDriver = find(s, 'CSIDriver', undefined, 'secrets-store.csi.k8s.io');
  // kubelet records registered CSI drivers in this node annotation (what CSINode mirrors).
  const nodeIds = find(s, 'Node', undefined, nodeName)?.metadata.annotations?.['csi.volume.kubernetes.io/nodeid'];
  const registered = 'secrets-store.csi.k8s.io' in JSON.parse(nodeIds ?? '{}');
  const daemonSet = kubeSystem.find(
    (o) => o.kind === 'DaemonSet' && o.metadata.labels?.app === 'secrets-store-csi-driver',
  );
  if (!csiDriver || !registered || !daemonSet)
    return { category: 'CSI_DRIVER_NOT_INSTALLED', why: 'driver not registered' };
  for (const app of ['secrets-store-csi-driver', 'secrets-store-provider-azure']) {
    const onNode = kubeSystem.find(
      (o) => o.kind === 'Pod' && o.metadata.labels?.app === app && o.spec.nodeName === nodeName,
    );
    const ready = onNode?.status?.containerStatuses?.every((c: Obj) => c.ready === true);
    if (!ready) return { category: 'CSI_DRIVER_UNHEALTHY', why: `${app} not ready on ${nodeName}` };
  }
  if (!find(s, 'CustomResourceDefinition', undefined, 'secretproviderclasses.secrets-store.csi.x-k8s.io')) {
    return { category: 'CRD_MISSING', why: 'SecretProviderClass CRD absent' };
  }

  const spcName = spcNameOf(pod);
  const spc = spcName ? find(s, 'SecretProviderClass', namespace, spcName) : undefined;
  if (!spc) return { category: 'SPC_NOT_FOUND', why: `no SecretProviderClass ${spcName} in ${namespace}` };
  const invalid = (why: string): Prediction => ({ category: 'SPC_INVALID', why, spc });
  const p: Record<string, string> = spc.spec.parameters ?? {};
  if (spc.spec.provider !== 'azure') return invalid(`provider ${spc.spec.provider}`);
  if (truthy(p.usePodIdentity)) return invalid('usePodIdentity (deprecated pod identity)');
  const vaultName = (p.keyvaultName ?? '').trim();
  const tenantId = (p.tenantID ?? p.tenantId ?? '').trim();
  if (!vaultName) return invalid('keyvaultName empty');
  if (!tenantId) return invalid('tenantId empty');
  const objects: Obj[] = (parse(p.objects ?? '')?.array ?? []).map((item: string) => parse(item));
  if (objects.length === 0) return invalid('no objects');
  if (!/^[-A-Za-z0-9]{3,24}$/.test(vaultName)) return invalid(`vault name ${vaultName}`);
  if (Object.values(p).some((v) => /<[A-Z_]+>/.test(v))) return invalid('placeholder left');
  const badType = objects.find((o) => !['secret', 'key', 'cert'].includes(o.objectType));
  if (badType) return invalid(`objectType ${badType.objectType}`);

  const auth = (aadsts: number, why: string, extra: Partial<Prediction> = {}): Prediction => ({
    category: 'AUTH_FAILED',
    why,
    aadsts,
    spc,
    ...extra,
  });
  const tenant = s.azure.tenants.find((t) => t.id.toLowerCase() === tenantId.toLowerCase());
  if (!tenant) return auth(90002, `tenant ${tenantId} unknown`);
  const identity = tenant.identities.find((i) => i.clientId.toLowerCase() === (p.clientID ?? '').toLowerCase());
  if (!identity) return auth(700016, `client ${p.clientID} unknown`);
  const subject = `system:serviceaccount:${namespace}:${pod.spec.serviceAccountName ?? 'default'}`;
  const fics = identity.federatedCredentials ?? [];
  const byIssuer = fics.filter((f) => f.issuer === s.cluster.issuer);
  const bySubject = byIssuer.filter((f) => f.subject === subject);
  if (fics.length === 0) return auth(70021, 'identity has no federated credential', { identity, subject });
  if (byIssuer.length === 0) return auth(700211, 'no federated credential for the issuer', { identity, subject });
  if (bySubject.length === 0) return auth(700213, 'no federated credential for the subject', { identity, subject });
  if (!bySubject.some((f) => f.audiences.includes('api://AzureADTokenExchange'))) {
    return auth(700212, 'audience', { identity, subject });
  }

  const vault = s.azure.vaults.find((v) => v.name.toLowerCase() === vaultName.toLowerCase());
  if (!vault) return { category: 'VAULT_NOT_FOUND', why: `no vault ${vaultName}`, spc, identity };
  const found = { spc, identity, vault, subject };
  const address = s.azure.clientAddress ?? '20.10.0.4';
  const net = vault.network ?? {};
  if (
    net.publicNetworkAccess === 'Disabled' ||
    (net.defaultAction === 'Deny' && !(net.ipRules ?? []).some((r) => inCidr(address, r)))
  ) {
    return { category: 'FIREWALL', why: `${address} blocked`, ...found };
  }
  for (const object of objects) {
    const ref = { name: String(object.objectName), version: String(object.objectVersion ?? '') };
    if (!canGetSecret(vault, identity, ref.name))
      return { category: 'ACCESS_DENIED', why: 'no get', ...found, object: ref };
    const stored = (vault.secrets ?? []).find((o) => o.name.toLowerCase() === ref.name.toLowerCase());
    const version = ref.version ? stored?.versions.find((v) => v.version === ref.version) : stored?.versions.at(-1);
    if (!version) return { category: 'SECRET_NOT_FOUND', why: `no ${ref.name}`, ...found, object: ref };
    if (version.enabled === false)
      return { category: 'SECRET_DISABLED', why: `${ref.name} disabled`, ...found, object: ref };
  }

  const files = new Set(objects.map((o) => String(o.objectAlias ?? o.objectName)));
  for (const so of spc.spec.secretObjects ?? []) {
    const missing = (so.data ?? []).find((d: Obj) => !files.has(d.objectName));
    if (missing) return { category: 'SYNC_SECRET_MISSING', why: `secretObjects names ${missing.objectName}`, ...found };
  }
  for (const container of pod.spec.containers) {
    for (const env of container.env ?? []) {
      const name = env.valueFrom?.secretKeyRef?.name;
      if (name && !find(s, 'Secret', namespace, name)) {
        return { category: 'SYNC_SECRET_MISSING', why: `Secret ${name} absent`, ...found };
      }
    }
  }
  return { category: 'healthy', why: 'mounts', ...found };
}

function canGetSecret(vault: Vault, identity: Identity, name: string): boolean {
  const oid = identity.objectId.toLowerCase();
  if (vault.accessModel === 'accessPolicies') {
    return (vault.accessPolicies ?? []).some(
      (p) => p.objectId.toLowerCase() === oid && (p.permissions.secrets ?? []).includes('get'),
    );
  }
  return (vault.roleAssignments ?? []).some(
    (a) =>
      a.principalId.toLowerCase() === oid &&
      SECRET_ROLES.includes(a.role.toLowerCase()) &&
      (a.scope === undefined || a.scope === 'vault' || a.scope.toLowerCase() === `secrets/${name}`.toLowerCase()),
  );
}

function inCidr(address: string, rule: string): boolean {
  const toInt = (ip: string) => ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
  const [net = '', bits = '32'] = rule.split('/');
  const shift = 32 - Number(bits);
  return Math.floor(toInt(address) / 2 ** shift) === Math.floor(toInt(net) / 2 ** shift);
}
