/**
 * The generated large class (`loadScenario('classroom', { classSize })`, `startClassroom({ classSize })`,
 * `kvlab sim --class-size`): deterministic, the documented mix, every copy telling its template's story (the mount
 * oracle on every namespace, the product's real engine on a sample covering every template), a roster the product
 * accepts with one Slack user per student, and Azure's limit of 20 federated credentials per identity.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEALTHY } from '../../../diagnostics/categories.ts';
import { runDiagnosis } from '../../../diagnostics/run-diagnosis.ts';
import { type Classroom, startClassroom } from '../../../sim/classroom.ts';
import { apportion, CLASS_MIX, type GeneratedStudent } from '../../../sim/scenarios/generate-class.ts';
import { loadScenario, type Scenario } from '../../../sim/scenarios/load.ts';
import { runSimCommand } from '../../../src/cli/sim-command.ts';
import { UsageError } from '../../../src/cli/usage.ts';
import { loadEnv } from '../../../src/config.ts';
import { createEngine } from '../../../src/engine.ts';
import { loadRoster, parseRoster } from '../../../src/roster/roster.ts';
import { find, type Obj, objectsOf, predictMount } from './mount-oracle.ts';
import { progressOf } from './progress-oracle.ts';
import { NOW } from './scenario-set.ts';

const SIZE = 200;
let base: Scenario;
let generated: Scenario;
let students: GeneratedStudent[];

beforeAll(async () => {
  [base, generated] = await Promise.all([
    loadScenario('classroom', { now: NOW }),
    loadScenario('classroom', { now: NOW, classSize: SIZE }),
  ]);
  students = generated.generatedClass?.students ?? [];
});

const namespaceOf = (s: Scenario, name: string) => find(s, 'Namespace', undefined, name) as Obj;
const annotations = (s: Scenario, name: string): Record<string, string> =>
  namespaceOf(s, name)?.metadata.annotations ?? {};
const countBy = <T>(items: T[], key: (item: T) => string) =>
  items.reduce<Record<string, number>>((acc, item) => {
    acc[key(item)] = (acc[key(item)] ?? 0) + 1;
    return acc;
  }, {});

describe('generated class: shape', () => {
  it('is deterministic: the same size gives byte-identical objects, Azure state and roster', async () => {
    const again = await loadScenario('classroom', { now: NOW, classSize: SIZE });
    expect(JSON.stringify(again.objects)).toBe(JSON.stringify(generated.objects));
    expect(JSON.stringify(again.azure)).toBe(JSON.stringify(generated.azure));
    expect(again.generatedClass?.rosterYaml).toBe(generated.generatedClass?.rosterYaml);
  });

  it('replaces the 22 classroom namespaces by student-001 … student-200, keeping the cluster around them', () => {
    expect(students.map((s) => s.namespace)).toEqual(
      Array.from({ length: SIZE }, (_, i) => `student-${String(i + 1).padStart(3, '0')}`),
    );
    const namespaces = objectsOf(generated).filter((o) => o.kind === 'Namespace');
    expect(namespaces.some((o) => /^student-\d\d$/.test(o.metadata.name))).toBe(false);
    expect(namespaces.filter((o) => o.metadata.name.startsWith('student-'))).toHaveLength(SIZE);
    for (const kept of ['kube-system', 'kvlab-system', 'default']) expect(namespaceOf(generated, kept)).toBeDefined();
    // Nothing generated still names a template namespace.
    const text = JSON.stringify(objectsOf(generated).filter((o) => o.metadata.namespace?.startsWith('student-')));
    expect(text).not.toMatch(/student-\d\d(?!\d)/);
  });

  it('has the mix at n=200: most mounted, a few blocked on every problem, some not started, some with only an SPC', () => {
    expect(countBy(students, (s) => s.expect ?? `(${s.progress})`)).toEqual({
      healthy: 120,
      SPC_NOT_FOUND: 6,
      SPC_INVALID: 18,
      AUTH_FAILED: 12,
      ACCESS_DENIED: 6,
      FIREWALL: 3,
      VAULT_NOT_FOUND: 3,
      SECRET_NOT_FOUND: 3,
      SECRET_DISABLED: 3,
      SYNC_SECRET_MISSING: 6,
      '(not-started)': 10,
      '(spc-valid)': 5,
      '(spc-created)': 5,
    });
    const copies = countBy(
      students.filter((s) => s.stage === 'copy'),
      (s) => s.template,
    );
    expect(Object.keys(copies)).toHaveLength(22);
    expect(copies['student-01']).toBe(84);
    expect(copies['student-02']).toBe(36);
    for (let i = 3; i <= 22; i++) expect(copies[`student-${String(i).padStart(2, '0')}`]).toBe(3);
    expect(apportion(SIZE).reduce((a, b) => a + b, 0)).toBe(SIZE);
    expect(CLASS_MIX.reduce((a, m) => a + m.weight, 0)).toBe(100);
  });

  it('apportions any size exactly, and refuses sizes outside 1–2000 and scenarios without the classroom', async () => {
    for (const n of [1, 2, 7, 22, 23, 99, 1000, 2000]) expect(apportion(n).reduce((a, b) => a + b, 0)).toBe(n);
    for (const bad of [0, 2001, 1.5, Number.NaN]) {
      await expect(loadScenario('classroom', { now: NOW, classSize: bad })).rejects.toThrow(
        /class size must be a whole number from 1 to 2000/,
      );
    }
    await expect(loadScenario('addon-missing', { now: NOW, classSize: 10 })).rejects.toThrow(/no namespace student-0/);
    const one = await loadScenario('classroom', { now: NOW, classSize: 1 });
    expect(one.generatedClass?.students.map((s) => [s.namespace, s.template])).toEqual([['student-001', 'student-01']]);
  });

  it('copies keep their template annotations; early-stage namespaces have only the setup objects and no expect', () => {
    for (const s of students) {
      const own = annotations(generated, s.namespace);
      const template = annotations(base, s.template);
      expect(own['kvlab.io/generated-from']).toBe(s.template);
      const kinds = new Set(
        objectsOf(generated)
          .filter((o) => o.metadata.namespace === s.namespace)
          .map((o) => o.kind),
      );
      if (s.stage === 'copy') {
        expect(own['kvlab.io/expect'], s.namespace).toBe(template['kvlab.io/expect']);
        expect(own['kvlab.io/expect-progress'], s.namespace).toBe(template['kvlab.io/expect-progress']);
        // The story names the template's namespace (and student-09's identity) as the copy's.
        expect(own['kvlab.io/scenario']).toBe(template['kvlab.io/scenario']?.split(s.template).join(s.namespace));
        expect(progressOf(objectsOf(generated), s.namespace)).toBe(progressOf(objectsOf(base), s.template));
        continue;
      }
      expect(own['kvlab.io/expect'], s.namespace).toBeUndefined();
      expect(own['kvlab.io/expect-progress']).toBe(s.progress);
      expect(progressOf(objectsOf(generated), s.namespace)).toBe(s.progress);
      const allowed = [
        'ServiceAccount',
        'Role',
        'RoleBinding',
        ...(s.stage === 'spc-only' ? ['SecretProviderClass'] : []),
      ];
      expect([...kinds].sort()).toEqual(allowed.sort());
    }
  });

  it('renames and re-uids consistently: events, owners, SPCPS names, RBAC and service-account subjects', () => {
    const uids = new Set<string>();
    for (const o of objectsOf(generated)) {
      expect(uids.has(o.metadata.uid), `duplicate uid ${o.metadata.uid}`).toBe(false);
      uids.add(o.metadata.uid);
    }
    const byUid = new Map(objectsOf(generated).map((o) => [o.metadata.uid, o]));
    for (const o of objectsOf(generated).filter((x) => x.metadata.namespace?.startsWith('student-'))) {
      const ns = o.metadata.namespace;
      if (o.kind === 'Event') {
        const target = byUid.get(o.involvedObject.uid);
        expect(target?.metadata.name).toBe(o.involvedObject.name);
        expect(o.involvedObject.namespace).toBe(ns);
      }
      for (const owner of o.metadata.ownerReferences ?? []) expect(byUid.get(owner.uid)?.metadata.namespace).toBe(ns);
      if (o.kind === 'SecretProviderClassPodStatus') {
        expect(o.metadata.name).toBe(`${o.status.podName}-${ns}-${o.status.secretProviderClassName}`);
        expect(o.status.targetPath).toContain(byUid.get(o.metadata.ownerReferences[0].uid)?.metadata.uid);
      }
    }
  });
});

describe('generated class: Azure state', () => {
  it('holds at most 20 federated credentials per identity, also for the largest class', async () => {
    const large = await loadScenario('classroom', { now: NOW, classSize: 2000 });
    for (const s of [generated, large]) {
      for (const identity of s.azure.tenants.flatMap((t) => t.identities)) {
        expect(identity.federatedCredentials?.length ?? 0, identity.name).toBeLessThanOrEqual(20);
      }
    }
    expect(large.generatedClass?.students.at(-1)?.namespace).toBe('student-2000');
  });

  it('names each generated service account in exactly the credentials its template had, on an identity with the same access', () => {
    const identities = generated.azure.tenants.flatMap((t) => t.identities);
    const subjects = identities.flatMap((i) => (i.federatedCredentials ?? []).map((f) => f.subject));
    expect(new Set(subjects).size).toBe(subjects.length);
    for (const s of students) {
      const mine = subjects.filter((x) => x.startsWith(`system:serviceaccount:${s.namespace}:`));
      // student-09 is the late joiner whose identity has no federated credential; every other template has one.
      expect(mine, s.namespace).toEqual(
        s.template === 'student-09' ? [] : [`system:serviceaccount:${s.namespace}:workload-identity-sa`],
      );
    }
    const clientIds = new Set(identities.map((i) => i.clientId));
    for (const s of students.filter((x) => x.stage === 'copy')) {
      const sa = find(generated, 'ServiceAccount', s.namespace, 'workload-identity-sa');
      expect(clientIds.has(sa?.metadata.annotations['azure.workload.identity/client-id']), s.namespace).toBe(true);
      const spcs = objectsOf(generated).filter(
        (o) => o.kind === 'SecretProviderClass' && o.metadata.namespace === s.namespace,
      );
      const typo = spcs.some((spc) => spc.spec.parameters?.clientID && !clientIds.has(spc.spec.parameters.clientID));
      // student-10's clientID typo (and student-08's placeholder) stay unknown to Entra in every copy.
      expect(typo, s.namespace).toBe(['student-08', 'student-10'].includes(s.template));
    }
  });

  it('predicts every generated pod to end as its kvlab.io/expect says (mount oracle over the data)', () => {
    const wrong = students
      .filter((s) => s.stage === 'copy')
      .map((s) => ({
        ns: s.namespace,
        template: s.template,
        expect: s.expect,
        got: predictMount(generated, s.namespace),
      }))
      .filter((o) => o.got.category !== o.expect)
      .map((o) => ({ ...o, got: `${o.got.category}: ${o.got.why}` }));
    expect(wrong).toEqual([]);
  });
});

describe('generated class: roster', () => {
  it('parses, lists every student once with a Slack user id, and keeps the classroom staff and channels', () => {
    const roster = parseRoster(generated.generatedClass?.rosterYaml ?? '', 'generated-roster.yaml');
    const classroom = loadRoster(join(import.meta.dirname, '../../../sim/scenarios/classroom/roster.yaml'));
    expect(roster.admins).toEqual(classroom.admins);
    const [own, theirs] = [roster.classes[0], classroom.classes[0]];
    expect(roster.classes).toHaveLength(1);
    expect({ ...own, namespaces: undefined, students: undefined }).toEqual({
      ...theirs,
      namespaces: undefined,
      students: undefined,
    });
    expect(own?.instructors).toContain('U0INSTRUCT');
    expect(own?.namespaces).toEqual(students.map((s) => s.namespace));
    expect(own?.students).toEqual(students.map((s) => ({ user: s.user, namespace: s.namespace, name: s.name })));
    expect(students[0]?.user).toBe('U0S0001');
    expect(new Set(students.map((s) => s.name)).size).toBe(SIZE);
  });
});

describe('generated class: the product diagnoses it', () => {
  let classroom: Classroom;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kvlab-gen-'));
    classroom = await startClassroom({ classSize: SIZE, rosterPath: join(dir, 'roster.yaml') });
  });
  afterAll(async () => {
    await classroom?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('builds the Slack workspace from the generated roster, which KVLAB_CONFIG names', async () => {
    expect(classroom.slack.settings.KVLAB_CONFIG).toBe(join(dir, 'roster.yaml'));
    expect(await readFile(join(dir, 'roster.yaml'), 'utf8')).toBe(classroom.scenario.generatedClass?.rosterYaml);
    const ids = new Set(classroom.slack.server.workspace.users.map((u) => u.id));
    for (const s of classroom.scenario.generatedClass?.students ?? []) expect(ids.has(s.user), s.user).toBe(true);
    expect(ids.has('U0INSTRUCT')).toBe(true);
  });

  it('puts kvlab.io/expect first for a sample of 40 namespaces covering every template', async () => {
    const kubeconfig = new KubeConfig();
    kubeconfig.loadFromString(classroom.kubeconfigYaml);
    kubeconfig.setCurrentContext('kvlab-bot');
    const config = { ...loadEnv({ ...classroom.settings, KVLAB_REPLAY: 'replay' }), caPem: classroom.caPem };
    const engine = createEngine(config, kubeconfig);
    const withPod = (classroom.scenario.generatedClass?.students ?? []).filter((s) => s.stage === 'copy');
    const sample = new Map<string, GeneratedStudent>();
    for (const s of withPod)
      if (![...sample.values()].some((x) => x.template === s.template)) sample.set(s.namespace, s);
    for (let i = 0; sample.size < 40 && i < withPod.length; i += 7) sample.set(withPod[i]!.namespace, withPod[i]!);
    expect(new Set([...sample.values()].map((s) => s.template)).size).toBe(22);
    // Four at a time: the machine is shared, and a starved check times out as "inconclusive".
    const queue = [...sample.values()];
    const outcomes: Array<{ namespace: string; template: string; expected?: string; got: string }> = [];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let s = queue.shift(); s; s = queue.shift()) {
          const { report } = await runDiagnosis(s.namespace, 'pod-keyvault', engine.ports, engine.gather);
          const got = report.verdict === 'healthy' ? HEALTHY : (report.problems[0]?.category ?? `(${report.verdict})`);
          outcomes.push({ namespace: s.namespace, template: s.template, expected: s.expect, got });
        }
      }),
    );
    expect(outcomes).toHaveLength(40);
    expect(outcomes.filter((o) => o.expected !== o.got)).toEqual([]);
  }, 30_000);
});

describe('kvlab sim --class-size', () => {
  const BIN = join(import.meta.dirname, '../../../bin/kvlab.js');
  let dir: string;
  let sim: ChildProcess | undefined;
  afterAll(async () => {
    if (sim && sim.exitCode === null) sim.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses a size outside 1–2000 with a usage error (exit 2) before starting anything', async () => {
    for (const bad of ['0', '2001', 'ten', '2.5']) {
      await expect(runSimCommand(['--class-size', bad])).rejects.toThrow(
        new UsageError(`--class-size takes a whole number from 1 to 2000, not "${bad}".`),
      );
    }
  });

  it('writes the generated roster into its state dir and names it as KVLAB_CONFIG in the env file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kvlab-sim-class-'));
    sim = spawn(process.execPath, [BIN, 'sim', '--class-size', '30', '--state-dir', dir], {
      env: { ...process.env, HOME: dir },
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`kvlab sim did not get ready:\n${output}`)), 25_000);
      sim?.stderr?.on('data', (d) => (output += d));
      sim?.stdout?.on('data', (d) => {
        output += d;
        if (output.includes('kvlab sim ready\n')) {
          clearTimeout(timer);
          resolve();
        }
      });
      sim?.on('exit', (code) => reject(new Error(`kvlab sim exited ${code}:\n${output}`)));
    });
    const env = await readFile(join(dir, 'env'), 'utf8');
    expect(env).toContain(`KVLAB_CONFIG=${join(dir, 'roster.yaml')}\n`);
    const roster = loadRoster(join(dir, 'roster.yaml'));
    expect(roster.classes[0]?.students).toHaveLength(30);
    expect(output).toMatch(/class\s+30 generated students/);
  }, 30_000);
});
