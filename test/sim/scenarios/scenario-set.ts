/**
 * Loads every built-in scenario once per test file, at a fixed "now", and indexes what the scenario tests ask
 * for: student namespaces (those annotated `kvlab.io/expect`), their pod and its events.
 */
import { listScenarios, loadScenario, type Scenario } from '../../../sim/scenarios/load.ts';
import { find, type Obj, objectsOf } from './mount-oracle.ts';

export const NOW = new Date('2026-05-04T09:30:00Z');

export async function loadAll(): Promise<Scenario[]> {
  return Promise.all(listScenarios().map((name) => loadScenario(name, { now: NOW })));
}

export interface StudentNamespace {
  scenario: Scenario;
  name: string;
  expect: string;
  pod: Obj | undefined;
  /** Events whose involvedObject is the pod (by uid, as kubectl describe selects them). */
  events: Obj[];
}

export function studentNamespaces(s: Scenario): StudentNamespace[] {
  return objectsOf(s)
    .filter((o) => o.kind === 'Namespace' && o.metadata.annotations?.['kvlab.io/expect'] !== undefined)
    .map((ns) => {
      const pod = find(s, 'Pod', ns.metadata.name, 'pod-keyvault');
      return {
        scenario: s,
        name: ns.metadata.name,
        expect: ns.metadata.annotations['kvlab.io/expect'],
        pod,
        events: objectsOf(s).filter((o) => o.kind === 'Event' && pod && o.involvedObject?.uid === pod.metadata.uid),
      };
    });
}
