/**
 * A generated large class (`kvlab sim --class-size <n>`, `loadScenario('classroom', { classSize })`): n students in
 * namespaces `student-001` …, each a renamed copy of one of the classroom's 22 student namespaces (its template),
 * with a realistic mix — most mounted, a few blocked on each problem, some not started, some with only an SPC.
 * Every copy fails or mounts for its template's reason: the Azure state gets one federated credential per copy on
 * the template's identity (more identities, with the same access, once one holds Azure's 20), and per-student
 * identities (student-09's, which has no credential) are cloned per copy. Deterministic: a seeded PRNG picks the
 * mix order and the names, and every new id is a hash, so the same n (and `now`) gives byte-identical output.
 * See docs/simulator.md "Generated class".
 */
import { fileURLToPath } from 'node:url';
import { readSimRoster } from '../roster.ts';
import { AzurePlan } from './class-azure-plan.ts';
import { deterministicUid, type KubeObject } from './kube-object.ts';
import type { Scenario } from './load.ts';
import { ScenarioError } from './scenario-error.ts';
import { mulberry32, sha256, shuffle } from './seeded.ts';

export const MIN_CLASS_SIZE = 1;
export const MAX_CLASS_SIZE = 2000;

/** How far a generated student got: a full copy of the template, only an SPC (no pod), or nothing of their own. */
export type Stage = 'copy' | 'spc-only' | 'not-started';

export interface GeneratedStudent {
  namespace: string;
  /** Slack user id, `U0S0001` … */
  user: string;
  name: string;
  /** The classroom namespace this one copies (`kvlab.io/generated-from`). */
  template: string;
  stage: Stage;
  /** `kvlab.io/expect` (absent for the namespaces without a pod). */
  expect?: string;
  /** `kvlab.io/expect-progress`. */
  progress?: string;
}

export interface GeneratedClass {
  size: number;
  students: GeneratedStudent[];
  /** The roster (format of sim/scenarios/classroom/roster.yaml) naming every generated student. */
  rosterYaml: string;
}

interface MixEntry {
  template: string;
  stage: Stage;
  /** Percent of the class. */
  weight: number;
  /** Progress of an early-stage copy (a full copy keeps its template's annotation). */
  progress?: string;
  story?: string;
}

const BROKEN = Array.from({ length: 20 }, (_, i) => `student-${String(i + 3).padStart(2, '0')}`);

/** The class mix: weights in percent, apportioned to n by largest remainder (see docs/simulator.md). */
export const CLASS_MIX: readonly MixEntry[] = [
  { template: 'student-01', stage: 'copy', weight: 42 },
  { template: 'student-02', stage: 'copy', weight: 18 },
  ...BROKEN.map((template) => ({ template, stage: 'copy' as const, weight: 1.5 })),
  {
    template: 'student-01',
    stage: 'not-started',
    weight: 5,
    progress: 'not-started',
    story: 'Not started: only the namespace, its service accounts and kvlab-replay exist',
  },
  {
    template: 'student-01',
    stage: 'spc-only',
    weight: 2.5,
    progress: 'spc-valid',
    story: 'SPC azure-kv-secrets applied (valid), no pod yet',
  },
  {
    template: 'student-05',
    stage: 'spc-only',
    weight: 2.5,
    progress: 'spc-created',
    story: 'SPC applied with the challenge error provider azurekeyvault, no pod yet',
  },
];

/** Kinds an early-stage namespace keeps from its template (spc-only also keeps SecretProviderClasses). */
const SETUP_KINDS = new Set(['Namespace', 'ServiceAccount', 'Role', 'RoleBinding']);

// biome-ignore format: a table
const FIRST_NAMES = [
  'Aisha', 'Akira', 'Alba', 'Anders', 'Ana', 'Bilal', 'Bruno', 'Camila', 'Chen', 'Dalia',
  'Daniel', 'Eero', 'Emma', 'Esra', 'Felix', 'Freya', 'Gabriel', 'Hamid', 'Ines', 'Isak',
  'Jana', 'Joao', 'Kai', 'Karin', 'Leila', 'Lucas', 'Maya', 'Milan', 'Nia', 'Noah',
  'Olga', 'Omar', 'Paula', 'Pedro', 'Rania', 'Ravi', 'Sara', 'Sofia', 'Tariq', 'Theo',
  'Valentina', 'Wei', 'Yara', 'Yusuf', 'Zara', 'Zoltan', 'Mina', 'Luca', 'Hugo', 'Ida',
];
// biome-ignore format: a table
const LAST_NAMES = [
  'Adeyemi', 'Andersson', 'Bauer', 'Bianchi', 'Chowdhury', 'Costa', 'Dimitrov', 'Dubois', 'Eriksen', 'Fernandes',
  'Garcia', 'Gruber', 'Hansen', 'Hoang', 'Ibrahim', 'Jansen', 'Kaya', 'Kowalski', 'Larsen', 'Lopez',
  'Moreau', 'Mueller', 'Nakamura', 'Nguyen', 'Novak', 'Okafor', 'Olsen', 'Papadopoulos', 'Pereira', 'Quinn',
  'Rahman', 'Rossi', 'Santos', 'Schmidt', 'Silva', 'Singh', 'Sorensen', 'Suzuki', 'Tanaka', 'Torres',
  'Varga', 'Virtanen', 'Wagner', 'Walsh', 'Wong', 'Yamamoto', 'Yilmaz', 'Zhang', 'Ziegler', 'Horvat',
];

/** Checks n and says what to do; the loader and `kvlab sim` call this before generating. */
export function checkClassSize(n: number): void {
  if (!Number.isInteger(n) || n < MIN_CLASS_SIZE || n > MAX_CLASS_SIZE) {
    throw new ScenarioError(
      `class size must be a whole number from ${MIN_CLASS_SIZE} to ${MAX_CLASS_SIZE}, not ${String(n)}.`,
    );
  }
}

/** How many students of each mix entry a class of n gets (largest remainder; ties go to the earlier entry). */
export function apportion(n: number): number[] {
  const quotas = CLASS_MIX.map((m) => (n * m.weight) / 100);
  const counts = quotas.map(Math.floor);
  let left = n - counts.reduce((a, b) => a + b, 0);
  const order = quotas.map((q, i) => ({ i, r: q - Math.floor(q) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left === 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    left--;
  }
  return counts;
}

/** Replaces the classroom's student namespaces of `base` by a generated class of n students. */
export function generateClass(base: Scenario, n: number): Scenario & { generatedClass: GeneratedClass } {
  checkClassSize(n);
  const templateNames = [...new Set(CLASS_MIX.map((m) => m.template))];
  const templates = new Map<string, KubeObject[]>();
  const all = base.objects as KubeObject[];
  for (const name of [...templateNames].sort()) {
    const objects = all.filter((o) => inNamespace(o, name));
    if (!objects.some((o) => o.kind === 'Namespace')) {
      throw new ScenarioError(
        `scenario "${base.name}" has no namespace ${name}; a generated class copies the classroom's student namespaces, so use --scenario classroom.`,
      );
    }
    templates.set(name, objects);
  }
  // Every annotated student namespace of the base goes; the generated ones take their place.
  const studentNamespaces = new Set(
    all
      .filter((o) => o.kind === 'Namespace' && annotationsOf(o)['kvlab.io/expect-progress'] !== undefined)
      .map((o) => o.metadata.name),
  );
  const kept = all.filter(
    (o) => !studentNamespaces.has(o.kind === 'Namespace' ? o.metadata.name : (o.metadata.namespace ?? '')),
  );

  const random = mulberry32(0x6b766c61 ^ Math.imul(n, 0x9e3779b1));
  const slots: MixEntry[] = apportion(n).flatMap((count, i) => Array.from({ length: count }, () => CLASS_MIX[i]!));
  shuffle(slots, random);
  const names = pickNames(n, random);
  const width = Math.max(3, String(n).length);

  const azure = new AzurePlan(structuredClone(base.azure), studentNamespaces);
  const objects: KubeObject[] = [...kept];
  const students: GeneratedStudent[] = [];
  slots.forEach((slot, index) => {
    const namespace = `student-${String(index + 1).padStart(width, '0')}`;
    const template = templates.get(slot.template)!;
    const replacements = new Map<string, string>([[slot.template, namespace]]);
    for (const [from, to] of azure.provision(slot.template, namespace, JSON.stringify(template))) {
      replacements.set(from, to);
    }
    const source = template.filter(
      (o) =>
        slot.stage === 'copy' ||
        SETUP_KINDS.has(o.kind) ||
        (slot.stage === 'spc-only' && o.kind === 'SecretProviderClass'),
    );
    for (const o of source) {
      if (typeof o.metadata.uid === 'string') {
        const name = o.metadata.name.split(slot.template).join(namespace);
        replacements.set(o.metadata.uid, deterministicUid(o.kind, o.metadata.namespace && namespace, name));
      }
    }
    const copies = source.map((o) => copyObject(o, replacements, namespace));
    const ns = copies.find((o) => o.kind === 'Namespace')!;
    const annotations = annotationsOf(ns);
    if (slot.stage !== 'copy') {
      delete annotations['kvlab.io/expect'];
      annotations['kvlab.io/expect-progress'] = slot.progress ?? 'not-started';
      annotations['kvlab.io/scenario'] = slot.story ?? '';
    }
    annotations['kvlab.io/generated-from'] = slot.template;
    ns.metadata.annotations = sortKeys(annotations);
    objects.push(...copies);
    const user = `U0S${String(index + 1).padStart(4, '0')}`;
    const expect = annotations['kvlab.io/expect'];
    const progress = annotations['kvlab.io/expect-progress'];
    students.push({
      namespace,
      user,
      name: names[index]!,
      template: slot.template,
      stage: slot.stage,
      ...(expect !== undefined ? { expect } : {}),
      ...(progress !== undefined ? { progress } : {}),
    });
  });
  azure.check();

  return {
    ...base,
    description: `${base.description} Generated class: ${n} students (student-${'1'.padStart(width, '0')} … student-${String(n).padStart(width, '0')}) copying those namespaces.`,
    objects,
    azure: azure.state,
    generatedClass: { size: n, students, rosterYaml: rosterYaml(students) },
  };
}

/** A deep copy with every replacement applied to every string (names, uids, client ids, messages). */
function copyObject(object: KubeObject, replacements: Map<string, string>, namespace: string): KubeObject {
  const keys = [...replacements.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b));
  const pattern = new RegExp(keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  const text = JSON.stringify(object)
    .replace(pattern, (match) => replacements.get(match) ?? match)
    // Container ids are unique per container on a real node.
    .replace(/containerd:\/\/([0-9a-f]{64})/g, (_, id: string) => `containerd://${sha256(namespace, id)}`);
  return JSON.parse(text) as KubeObject;
}

/** The generated roster: the classroom's admins, instructors and channels, one Slack user per student. */
function rosterYaml(students: GeneratedStudent[]): string {
  const path = fileURLToPath(new URL('./classroom/roster.yaml', import.meta.url));
  const base = readSimRoster(path);
  const first = base.classes[0];
  if (!first) throw new ScenarioError(`${path} has no class to generate a class from.`);
  const optional = (key: string, value: string | undefined) => (value === undefined ? [] : [`${key}: ${value}`]);
  return [
    `# Generated roster of a class of ${students.length} students (kvlab sim --class-size ${students.length};`,
    '# sim/scenarios/generate-class.ts): the classroom roster (sim/scenarios/classroom/roster.yaml) with one Slack',
    '# user per generated namespace. Same admins, instructors, class channel and alert channel.',
    'admins:',
    ...base.admins.map((a) => `  - ${a}`),
    ...optional('namespaceAnnotation', base.namespaceAnnotation),
    'classes:',
    `  - name: ${first.name}`,
    ...optional('    channel', first.channel),
    ...optional('    alertChannel', first.alertChannel),
    '    instructors:',
    ...first.instructors.map((i) => `      - ${i}`),
    '    namespaces:',
    ...students.map((s) => `      - ${s.namespace}`),
    '    students:',
    ...students.map((s) => `      - { user: ${s.user}, namespace: ${s.namespace}, name: ${s.name} }`),
    '',
  ].join('\n');
}

function pickNames(n: number, random: () => number): string[] {
  const pairs = FIRST_NAMES.flatMap((first) => LAST_NAMES.map((last) => `${first} ${last}`));
  shuffle(pairs, random);
  return pairs.slice(0, n);
}

function inNamespace(object: KubeObject, namespace: string): boolean {
  return object.kind === 'Namespace' ? object.metadata.name === namespace : object.metadata.namespace === namespace;
}

function annotationsOf(object: KubeObject): Record<string, string> {
  return (object.metadata.annotations ?? {}) as Record<string, string>;
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
