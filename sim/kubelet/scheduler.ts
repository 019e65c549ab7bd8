/**
 * The simulated scheduler's choice for a pod without `spec.nodeName`: among Ready, schedulable nodes the one
 * running the fewest pods, ties broken by node name — deterministic, spreading pods like the default scorer.
 */
import { nodeSchedulable, type Obj } from './cluster-objects.ts';

export function pickNode(nodes: Obj[], pods: Obj[]): string | undefined {
  const load = new Map<string, number>();
  for (const p of pods) {
    const node = p.spec?.nodeName;
    if (node && !['Succeeded', 'Failed'].includes(p.status?.phase)) load.set(node, (load.get(node) ?? 0) + 1);
  }
  const candidates = nodes
    .filter(nodeSchedulable)
    .map((n) => String(n.metadata.name))
    .sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || a.localeCompare(b));
  return candidates[0];
}
