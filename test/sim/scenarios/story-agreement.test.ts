import { beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../../diagnostics/categories.ts';
import type { Scenario } from '../../../sim/scenarios/load.ts';
import { find, type Prediction, predictMount, spcNameOf } from './mount-oracle.ts';
import { loadAll, type StudentNamespace, studentNamespaces } from './scenario-set.ts';

let scenarios: Scenario[] = [];
let students: StudentNamespace[] = [];
beforeAll(async () => {
  scenarios = await loadAll();
  students = scenarios.flatMap(studentNamespaces);
});

const WRAP = (ns: string) =>
  `rpc error: code = Unknown desc = failed to mount secrets store objects for pod ${ns}/pod-keyvault, err: rpc error: code = Unknown desc = failed to mount objects, error: `;
/** Categories whose failure happens inside the mount itself (and so shows in a FailedMount event). */
const MOUNT_FAILURES = new Set<string>(
  CATEGORIES.filter((c) => !['SYNC_SECRET_MISSING', 'TIMEOUT_OR_TRANSIENT', 'OTHER'].includes(c)),
);

/** What the recorded FailedMount message must show for the predicted failure (values come from the data). */
function evidenceFor(p: Prediction, st: StudentNamespace): Array<string | RegExp> {
  const ns = st.name;
  const params = p.spc?.spec.parameters ?? {};
  switch (p.category) {
    case 'CSI_DRIVER_NOT_INSTALLED':
      return [/not found in the list of registered CSI drivers|\(no CSIDriver object\)/];
    case 'CSI_DRIVER_UNHEALTHY':
      return [/code = Unavailable .*\/csi-secrets-store\/csi\.sock: connect/];
    case 'CRD_MISSING':
    case 'SPC_NOT_FOUND': {
      const name = spcNameOf(st.pod!);
      return [
        `failed to get secretproviderclass ${ns}/${name}, error: SecretProviderClass.secrets-store.csi.x-k8s.io "${name}" not found`,
      ];
    }
    case 'SPC_INVALID':
      return p.spc?.spec.provider !== 'azure'
        ? [`provider not found: provider "${p.spc?.spec.provider}"`]
        : [WRAP(ns), /localhost:2579|Invalid vaultObjectTypes|Invalid vault name|is not set$|is not provided$/];
    case 'AUTH_FAILED': {
      const specific: Record<number, string> = {
        70021: `Assertion Subject: '${p.subject}'`,
        700213: `subject '${p.subject}'`,
        700016: `Application with identifier '${params.clientID}' was not found`,
        90002: `Tenant '${params.tenantId}' not found`,
      };
      return [WRAP(ns), `AADSTS${p.aadsts}`, specific[p.aadsts ?? 0] ?? 'missing expectation'];
    }
    case 'ACCESS_DENIED':
      return [
        WRAP(ns),
        /InnerError=\{"code":"AccessDenied"\}|"code": "ForbiddenByRbac"/,
        `oid=${p.identity?.objectId}`,
        p.vault!.name,
      ];
    case 'FIREWALL':
      return [WRAP(ns), '"code": "ForbiddenByFirewall"', `Client address: ${st.scenario.azure.clientAddress}`];
    case 'VAULT_NOT_FOUND':
      return [WRAP(ns), `lookup ${params.keyvaultName}.vault.azure.net`, 'no such host'];
    case 'SECRET_NOT_FOUND':
      return [WRAP(ns), 'SecretNotFound', `(name/id) ${p.object?.name} was not found`];
    case 'SECRET_DISABLED':
      return [WRAP(ns), '"code": "SecretDisabled"', `objectVersion:${p.object?.version}`];
    default:
      return ['no evidence rule'];
  }
}

const matches = (text: string, item: string | RegExp) =>
  typeof item === 'string' ? text.includes(item) : item.test(text);

describe('each student namespace tells one consistent story', () => {
  it('predicts, from cluster objects and Azure state alone, the category the namespace expects', () => {
    expect(students.length).toBeGreaterThan(20);
    const wrong = students
      .map((st) => ({
        where: `${st.scenario.name}/${st.name}`,
        expect: st.expect,
        got: predictMount(st.scenario, st.name),
      }))
      .filter((r) => r.got.category !== r.expect)
      .map((r) => `${r.where}: expects ${r.expect}, data says ${r.got.category} (${r.got.why})`);
    expect(wrong).toEqual([]);
  });

  it('records the failure in the pod events the way kubelet and the provider word it', () => {
    for (const st of students.filter((s) => MOUNT_FAILURES.has(s.expect))) {
      const prediction = predictMount(st.scenario, st.name);
      const messages = st.events.filter((e) => e.reason === 'FailedMount').map((e) => e.message as string);
      const evidence = evidenceFor(prediction, st);
      const shown = messages.some((m) => evidence.every((item) => matches(m, item)));
      expect(shown, `${st.scenario.name}/${st.name} lacks ${evidence.join(' + ')}`).toBe(true);
    }
  });

  it('leaves a failed mount pending in ContainerCreating with no SecretProviderClassPodStatus', () => {
    for (const st of students.filter((s) => MOUNT_FAILURES.has(s.expect))) {
      expect(st.pod?.status.phase, st.name).toBe('Pending');
      expect(st.pod?.status.containerStatuses[0].state.waiting.reason, st.name).toBe('ContainerCreating');
      const spcps = `pod-keyvault-${st.name}-${spcNameOf(st.pod!)}`;
      expect(find(st.scenario, 'SecretProviderClassPodStatus', st.name, spcps), st.name).toBeUndefined();
    }
  });

  it('shows a missing synced Secret as CreateContainerConfigError after a successful mount', () => {
    const sync = students.filter((s) => s.expect === 'SYNC_SECRET_MISSING');
    expect(sync.length).toBeGreaterThanOrEqual(2);
    for (const st of sync) {
      const secret = st.pod?.spec.containers[0].env.find((e: { valueFrom?: unknown }) => e.valueFrom).valueFrom
        .secretKeyRef.name;
      const waiting = st.pod?.status.containerStatuses[0].state.waiting;
      expect(waiting).toEqual({ reason: 'CreateContainerConfigError', message: `secret "${secret}" not found` });
      expect(find(st.scenario, 'Secret', st.name, secret)).toBeUndefined();
      expect(
        find(st.scenario, 'SecretProviderClassPodStatus', st.name, `pod-keyvault-${st.name}-${spcNameOf(st.pod!)}`),
      ).toBeDefined();
      expect(st.events.some((e) => e.type === 'Warning' && e.message === `Error: secret "${secret}" not found`)).toBe(
        true,
      );
    }
  });

  it('gives a healthy pod a status object whose versions are the vault objects it mounted, and its synced Secret', () => {
    const healthy = students.filter((s) => s.expect === 'healthy');
    expect(healthy.length).toBeGreaterThanOrEqual(2);
    for (const st of healthy) {
      const prediction = predictMount(st.scenario, st.name);
      const spc = prediction.spc!;
      expect(st.pod?.status.phase).toBe('Running');
      expect(st.events.filter((e) => e.type === 'Warning')).toEqual([]);
      const status = find(
        st.scenario,
        'SecretProviderClassPodStatus',
        st.name,
        `pod-keyvault-${st.name}-${spc.metadata.name}`,
      );
      const expected = predictedVersions(prediction);
      expect(status?.status.objects).toEqual(expected);
      expect(status?.status.targetPath).toContain(st.pod?.metadata.uid);
      expect(status?.metadata.ownerReferences[0].uid).toBe(st.pod?.metadata.uid);
      for (const so of spc.spec.secretObjects ?? []) {
        const secret = find(st.scenario, 'Secret', st.name, so.secretName);
        expect(secret?.metadata.labels['secrets-store.csi.k8s.io/managed']).toBe('true');
        expect(Object.keys(secret?.data ?? {})).toEqual(so.data.map((d: { key: string }) => d.key));
      }
    }
  });
});

function predictedVersions(p: Prediction): Array<{ id: string; version: string }> {
  const objects = (p.spc!.spec.parameters.objects as string).split('- |').slice(1);
  return objects
    .map((block) => {
      const name = /objectName: (\S+)/.exec(block)?.[1] ?? '';
      const pinned = /objectVersion: (\S+)/.exec(block)?.[1];
      const stored = p.vault?.secrets?.find((o) => o.name === name);
      return { id: `secret/${name}`, version: pinned ?? stored?.versions.at(-1)?.version ?? '' };
    })
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}
