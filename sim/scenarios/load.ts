/**
 * Loads a simulated classroom: a cluster dump (`cluster/*.yaml`, multi-document, in file-name order), the
 * Azure state behind it (`azure.yaml`) and the scenario's metadata (`scenario.yaml`). A variant `extends`
 * another scenario, `remove`s objects from it and adds or replaces its own. Every timestamp is moved by
 * (now − capturedAt) so the dump looks live, and missing uids are filled so events find their objects.
 * See sim/scenarios/README.md for the layout and the classroom's namespaces.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AzureState } from '../azure/state.ts';
import { emptyAzureState, mergeAzureState, parseAzureState } from './azure-file.ts';
import { matchesSelector, overlayObjects, removeObjects } from './compose.ts';
import { checkClassSize, type GeneratedClass, generateClass } from './generate-class.ts';
import { describeObject, type KubeObject, keyOf, toKubeObject } from './kube-object.ts';
import { fillUidsAndReferences } from './object-refs.ts';
import { rebaseAzure, rebaseObject, rebaseSeconds } from './rebase.ts';
import { ScenarioError } from './scenario-error.ts';
import { parseScenarioFile, type ScenarioFile } from './scenario-file.ts';
import { parseYamlStream } from './yaml-source.ts';

/** The directory holding the built-in scenarios (this module's own directory). */
export const SCENARIOS_DIR = fileURLToPath(new URL('.', import.meta.url));

/** A bearer token the simulated API server accepts, and who it authenticates as. */
export interface ScenarioToken {
  token: string;
  user: string;
  groups?: string[];
}

/** A loaded scenario, ready to seed the simulators. */
export interface Scenario {
  name: string;
  description: string;
  /** The cluster's name and its service-account token issuer (what federated credentials must name). */
  cluster: { name: string; issuer: string };
  tokens: ScenarioToken[];
  /** Every Kubernetes object of the dump, with uids filled and timestamps moved to "now". */
  objects: Array<Record<string, unknown>>;
  azure: AzureState;
  /** Set when loaded with `classSize`: the generated students and their roster (sim/scenarios/generate-class.ts). */
  generatedClass?: GeneratedClass;
}

interface Layer {
  file: ScenarioFile;
  cluster: { name: string; issuer: string };
  tokens: ScenarioToken[];
  objects: KubeObject[];
  azure: AzureState;
}

/** Names of the built-in scenarios (directories under sim/scenarios with a scenario.yaml), sorted. */
export function listScenarios(): string[] {
  return readdirSync(SCENARIOS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(SCENARIOS_DIR, entry.name, 'scenario.yaml')))
    .map((entry) => entry.name)
    .sort();
}

/**
 * Loads a built-in scenario by name, or any scenario directory by path (containing `/` or starting with `.`).
 * With `classSize`, the classroom's student namespaces are replaced by a generated class of that many students
 * (sim/scenarios/generate-class.ts). Throws ScenarioError (message only, with file:line where one applies) for
 * anything malformed or unknown.
 */
export async function loadScenario(
  nameOrDir: string,
  opts: { now?: Date; classSize?: number } = {},
): Promise<Scenario> {
  if (opts.classSize !== undefined) checkClassSize(opts.classSize);
  const layer = await loadLayer(resolveScenarioDir(nameOrDir), opts.now ?? new Date(), []);
  fillUidsAndReferences(layer.objects);
  const scenario: Scenario = {
    name: layer.file.name,
    description: layer.file.description,
    cluster: layer.cluster,
    tokens: layer.tokens,
    objects: layer.objects,
    azure: layer.azure,
  };
  return opts.classSize === undefined ? scenario : generateClass(scenario, opts.classSize);
}

async function loadLayer(dir: string, now: Date, chain: string[]): Promise<Layer> {
  if (chain.includes(dir)) {
    throw new ScenarioError(`scenario "extends" forms a cycle: ${[...chain, dir].join(' -> ')}. Break the cycle.`);
  }
  const scenarioPath = join(dir, 'scenario.yaml');
  const file = parseScenarioFile(await readText(scenarioPath), scenarioPath);
  const seconds = rebaseSeconds(file.capturedAt, now);

  const own = await readClusterObjects(join(dir, 'cluster'));
  for (const object of own) rebaseObject(object, seconds);
  const azurePath = join(dir, 'azure.yaml');
  const ownAzure = existsSync(azurePath) ? parseAzureState(await readText(azurePath), azurePath) : undefined;
  if (ownAzure) rebaseAzure(ownAzure, seconds);

  if (file.extends === undefined) {
    // parseScenarioFile guarantees cluster and tokens for a scenario that extends nothing.
    return { file, cluster: file.cluster!, tokens: file.tokens!, objects: own, azure: ownAzure ?? emptyAzureState() };
  }
  const base = await loadLayer(resolveExtends(file.extends, dir, scenarioPath), now, [...chain, dir]);
  (file.remove ?? []).forEach((selector, index) => {
    if (!base.objects.some((object) => matchesSelector(object, selector))) {
      const what = JSON.stringify(selector);
      throw new ScenarioError(
        `${scenarioPath}: remove[${index}] ${what} matches no object of "${file.extends}"; fix or drop it.`,
      );
    }
  });
  return {
    file,
    cluster: file.cluster ?? base.cluster,
    tokens: file.tokens ?? base.tokens,
    objects: overlayObjects(removeObjects(base.objects, file.remove ?? []), own),
    azure: ownAzure ? mergeAzureState(base.azure, ownAzure) : base.azure,
  };
}

/** Reads every `*.yaml` / `*.yml` file of a cluster directory in file-name order; duplicates are an error. */
async function readClusterObjects(clusterDir: string): Promise<KubeObject[]> {
  if (!existsSync(clusterDir)) return [];
  const names = (await readdir(clusterDir)).filter((name) => /\.ya?ml$/.test(name)).sort();
  const objects: KubeObject[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const path = join(clusterDir, name);
    for (const doc of parseYamlStream(await readText(path), path)) {
      const object = toKubeObject(doc);
      const key = keyOf(object);
      const first = seen.get(key);
      if (first) {
        throw new ScenarioError(`${doc.file}:${doc.line}: duplicate ${describeObject(object)} (also at ${first}).`);
      }
      seen.set(key, `${doc.file}:${doc.line}`);
      objects.push(object);
    }
  }
  return objects;
}

function resolveScenarioDir(nameOrDir: string): string {
  const isPath = isAbsolute(nameOrDir) || nameOrDir.startsWith('.') || /[\\/]/.test(nameOrDir);
  const dir = isPath ? resolve(nameOrDir) : join(SCENARIOS_DIR, nameOrDir);
  if (existsSync(join(dir, 'scenario.yaml'))) return dir;
  if (isPath) throw new ScenarioError(`${dir} is not a scenario directory: it has no scenario.yaml.`);
  throw new ScenarioError(`Unknown scenario "${nameOrDir}". Available: ${listScenarios().join(', ')}.`);
}

/** `extends` names a sibling scenario directory first, then a built-in scenario. */
function resolveExtends(name: string, dir: string, scenarioPath: string): string {
  for (const candidate of [join(dirname(dir), name), join(SCENARIOS_DIR, name)]) {
    if (existsSync(join(candidate, 'scenario.yaml'))) return candidate;
  }
  throw new ScenarioError(
    `${scenarioPath}: extends unknown scenario "${name}". Available: ${listScenarios().join(', ')}.`,
  );
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new ScenarioError(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
}
