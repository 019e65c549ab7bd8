import { beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES, HEALTHY, isCategory } from '../../../diagnostics/categories.ts';
import type { Scenario } from '../../../sim/scenarios/load.ts';
import { find, type Obj, objectsOf } from './mount-oracle.ts';
import { loadAll, NOW, studentNamespaces } from './scenario-set.ts';

let scenarios: Scenario[] = [];
let classroom: Scenario;
beforeAll(async () => {
  scenarios = await loadAll();
  classroom = scenarios.find((s) => s.name === 'classroom')!;
});

/** Every category a namespace can demonstrate: all but the catch-alls (transient failures, OTHER). */
const REQUIRED = [HEALTHY, ...CATEGORIES.filter((c) => c !== 'TIMEOUT_OR_TRANSIENT' && c !== 'OTHER')];
const events = (s: Scenario) => objectsOf(s).filter((o) => o.kind === 'Event');

describe('student namespaces', () => {
  it('carry a valid expect annotation, a one-line story and a pod-keyvault', () => {
    for (const s of scenarios) {
      const students = studentNamespaces(s);
      expect(students.length, s.name).toBeGreaterThan(0);
      for (const st of students) {
        expect(st.expect === HEALTHY || isCategory(st.expect), `${s.name}/${st.name}`).toBe(true);
        const story = find(s, 'Namespace', undefined, st.name)?.metadata.annotations['kvlab.io/scenario'];
        expect(story, st.name).toMatch(/^[^\n]{10,200}$/);
        expect(st.pod, `${s.name}/${st.name} has no pod-keyvault`).toBeDefined();
      }
    }
  });

  it('cover every category of the brief across the classroom and its variants', () => {
    const covered = new Set(scenarios.flatMap((s) => studentNamespaces(s).map((st) => st.expect)));
    expect(REQUIRED.filter((c) => !covered.has(c))).toEqual([]);
  });

  it('run pods the lab way: CSI volume, workload identity label, the federated or default SA on a real node', () => {
    for (const st of scenarios.flatMap(studentNamespaces)) {
      const pod = st.pod!;
      const volume = pod.spec.volumes.find((v: Obj) => v.name === 'secrets-store');
      expect(volume.csi).toMatchObject({ driver: 'secrets-store.csi.k8s.io', readOnly: true });
      expect(volume.csi.volumeAttributes.secretProviderClass).toBeTruthy();
      expect(pod.metadata.labels['azure.workload.identity/use']).toBe('true');
      expect(find(st.scenario, 'ServiceAccount', st.name, pod.spec.serviceAccountName)).toBeDefined();
      expect(find(st.scenario, 'Node', undefined, pod.spec.nodeName)).toBeDefined();
      const sa = find(st.scenario, 'ServiceAccount', st.name, 'workload-identity-sa');
      const clientId = sa?.metadata.annotations['azure.workload.identity/client-id'];
      const identities = st.scenario.azure.tenants.flatMap((t) => t.identities);
      expect(
        identities.some((i) => i.clientId === clientId),
        `${st.name} SA names an unknown identity`,
      ).toBe(true);
    }
  });
});

describe('events', () => {
  it('point at an existing object by uid, kind, namespace and name', () => {
    for (const s of scenarios) {
      const byUid = new Map(objectsOf(s).map((o) => [o.metadata.uid, o]));
      for (const e of events(s)) {
        const target = byUid.get(e.involvedObject.uid);
        expect(target, `${s.name} ${e.metadata.namespace}/${e.metadata.name}`).toBeDefined();
        expect([target?.kind, target?.metadata.namespace, target?.metadata.name]).toEqual([
          e.involvedObject.kind,
          e.involvedObject.namespace,
          e.involvedObject.name,
        ]);
      }
    }
  });

  it('are named and counted as client-go records them', () => {
    for (const s of scenarios) {
      for (const e of events(s)) {
        expect(e.metadata.name).toMatch(new RegExp(`^${e.involvedObject.name}\\.[0-9a-f]{16}$`));
        if (e.eventTime) {
          expect([e.count, e.firstTimestamp, e.lastTimestamp]).toEqual([undefined, null, null]);
          expect(Date.parse(e.eventTime)).toBeLessThanOrEqual(NOW.getTime());
          continue;
        }
        expect(Number.isInteger(e.count) && e.count >= 1).toBe(true);
        expect(Date.parse(e.firstTimestamp)).toBeLessThanOrEqual(Date.parse(e.lastTimestamp));
        expect(Date.parse(e.lastTimestamp)).toBeLessThanOrEqual(NOW.getTime());
        expect(e.count === 1 || e.firstTimestamp !== e.lastTimestamp, e.metadata.name).toBe(true);
        expect(Date.parse(e.firstTimestamp)).toBeGreaterThan(NOW.getTime() - 3_600_000);
      }
    }
  });

  it('come from kubelet on the pod node for FailedMount, with a Scheduled event per student pod', () => {
    for (const st of scenarios.flatMap(studentNamespaces)) {
      const node = st.pod?.spec.nodeName;
      for (const e of st.events.filter((x) => x.reason === 'FailedMount')) {
        expect([e.type, e.source, e.reportingComponent, e.reportingInstance]).toEqual([
          'Warning',
          { component: 'kubelet', host: node },
          'kubelet',
          node,
        ]);
      }
      const scheduled = st.events.filter((x) => x.reason === 'Scheduled');
      expect(scheduled.map((x) => x.message)).toEqual([`Successfully assigned ${st.name}/pod-keyvault to ${node}`]);
    }
  });

  it('span the provider generations and kubelet forms the product must recognise', () => {
    const text = scenarios.flatMap((s) => events(s).map((e) => e.message as string)).join('\n\u0000');
    const dashes = '-'.repeat(80);
    for (const form of [
      'keyvault.BaseClient#GetSecret: Failure responding to request: StatusCode=403 -- Original Error: autorest/azure: Service returned an error. Status=403 Code="Forbidden"',
      `/\n${dashes}\nRESPONSE 403: 403 Forbidden\nERROR CODE: Forbidden\n${dashes}\n{\n  "error": {`,
      'FromAssertion(): http call(https://login.microsoftonline.com/',
      ')(POST) error: reply status code was 400:\n{"error":"invalid_request","error_description":"AADSTS70021',
      `ClientAssertionCredential authentication failed. \nPOST https://login.microsoftonline.com/`,
      'keyvaultName is not provided',
      'tenantId is not set',
      '(combined from similar events): MountVolume.SetUp failed for volume "secrets-store" : ',
      'Unable to attach or mount volumes: unmounted volumes=[secrets-store], unattached volumes=[], failed to process volumes=[]: timed out waiting for the condition',
      'driver name secrets-store.csi.k8s.io not found in the list of registered CSI drivers',
    ]) {
      expect(text.includes(form), form).toBe(true);
    }
  });
});

describe('the classroom cluster', () => {
  const kubeSystemPods = (app: string) =>
    objectsOf(classroom).filter(
      (o) => o.kind === 'Pod' && o.metadata.namespace === 'kube-system' && o.metadata.labels.app === app,
    );

  it('runs one ready add-on driver (3/3) and provider pod per node', () => {
    const nodes = objectsOf(classroom).filter((o) => o.kind === 'Node');
    expect(nodes.length).toBeGreaterThanOrEqual(2);
    for (const node of nodes) {
      expect(node.status.conditions.find((c: Obj) => c.type === 'Ready').status).toBe('True');
    }
    for (const [app, containers] of [
      ['secrets-store-csi-driver', 3],
      ['secrets-store-provider-azure', 1],
    ] as const) {
      const pods = kubeSystemPods(app);
      expect(pods.map((p) => p.spec.nodeName).sort()).toEqual(nodes.map((n) => n.metadata.name).sort());
      for (const pod of pods) {
        expect(pod.status.containerStatuses.filter((c: Obj) => c.ready).length).toBe(containers);
        expect(pod.metadata.ownerReferences[0].uid).toBe(
          find(classroom, 'DaemonSet', 'kube-system', pod.metadata.ownerReferences[0].name)?.metadata.uid,
        );
      }
    }
  });

  it('registers the CSIDriver for workload identity tokens and serves the SPC and SPCPS CRDs', () => {
    const driver = find(classroom, 'CSIDriver', undefined, 'secrets-store.csi.k8s.io');
    expect(driver?.spec).toMatchObject({
      podInfoOnMount: true,
      attachRequired: false,
      volumeLifecycleModes: ['Ephemeral'],
    });
    expect(driver?.spec.tokenRequests).toContainEqual({ audience: 'api://AzureADTokenExchange' });
    for (const [plural, kind] of [
      ['secretproviderclasses', 'SecretProviderClass'],
      ['secretproviderclasspodstatuses', 'SecretProviderClassPodStatus'],
    ]) {
      const crd = find(classroom, 'CustomResourceDefinition', undefined, `${plural}.secrets-store.csi.x-k8s.io`);
      expect(crd?.spec).toMatchObject({
        group: 'secrets-store.csi.x-k8s.io',
        scope: 'Namespaced',
        names: { kind, plural },
      });
      expect(crd?.spec.versions.map((v: Obj) => [v.name, v.served, v.storage, v.deprecated ?? false])).toEqual([
        ['v1', true, true, false],
        ['v1alpha1', true, false, true],
      ]);
    }
  });

  it('gives kvlab read-only cluster access without secrets, and per namespace only token create and secret list', () => {
    const role = find(classroom, 'ClusterRole', undefined, 'kvlab-diagnostics');
    const rules: Obj[] = role?.rules ?? [];
    expect(rules.flatMap((r) => r.verbs).every((v: string) => ['get', 'list', 'watch'].includes(v))).toBe(true);
    expect(rules.flatMap((r) => r.resources)).not.toContain('secrets');
    for (const st of studentNamespaces(classroom)) {
      expect(find(classroom, 'Role', st.name, 'kvlab-replay')?.rules).toEqual([
        { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
        { apiGroups: [''], resources: ['secrets'], verbs: ['list'] },
      ]);
      expect(find(classroom, 'RoleBinding', st.name, 'kvlab-replay')?.subjects).toEqual([
        { kind: 'ServiceAccount', name: 'kvlab', namespace: 'kvlab-system' },
      ]);
    }
    const bot = classroom.tokens.find((t) => t.user === 'system:serviceaccount:kvlab-system:kvlab');
    expect(bot?.groups).toEqual(
      expect.arrayContaining(['system:serviceaccounts', 'system:serviceaccounts:kvlab-system']),
    );
    expect(find(classroom, 'ServiceAccount', 'kvlab-system', 'kvlab')).toBeDefined();
    expect(classroom.tokens.some((t) => t.user === 'kubernetes-admin' && t.groups?.includes('system:masters'))).toBe(
      true,
    );
  });

  it('federates identities only with this cluster issuer and existing service accounts', () => {
    expect(classroom.cluster.issuer).toMatch(
      /^https:\/\/[a-z0-9]+\.oic\.prod-aks\.azure\.com\/[0-9a-f-]{36}\/[0-9a-f-]{36}\/$/,
    );
    for (const fic of classroom.azure.tenants.flatMap((t) =>
      t.identities.flatMap((i) => i.federatedCredentials ?? []),
    )) {
      expect(fic.issuer).toBe(classroom.cluster.issuer);
      const [, , ns, sa] = fic.subject.split(':');
      expect(find(classroom, 'ServiceAccount', ns, sa ?? ''), fic.subject).toBeDefined();
    }
  });

  it('keeps the canary in the vault and never in plain text in the cluster dump', () => {
    const canary = 'KVLAB-CANARY-7f3e9c1d';
    const lab = classroom.azure.vaults.find((v) => v.name === 'kv-kvlab-lab');
    expect(lab?.secrets?.find((s) => s.name === 'db-password')?.versions.at(-1)?.value).toContain(canary);
    expect(JSON.stringify(classroom.objects)).not.toContain(canary);
  });
});
