/**
 * Reads what the roster may need to know about a namespace before refusing someone: its labels (for classes that
 * select namespaces by label) and the Slack users named in the roster's namespace annotation. Results are cached
 * for a minute; a read that fails or takes longer than a second counts as "unknown", so the receiver still
 * answers within Slack's 3 seconds and authorization fails closed. Permission: `get namespaces` (cluster-wide,
 * metadata only; kvlab's ClusterRole already has it).
 */
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { NamespaceFacts } from '../roster/authorize.ts';
import type { Roster } from '../roster/roster.ts';

const TTL_MS = 60_000;
const TIMEOUT_MS = 1_000;

export function createNamespaceFacts(
  kc: KubeConfig,
  roster: Roster,
): (namespace: string) => Promise<NamespaceFacts | undefined> {
  const core = kc.makeApiClient(CoreV1Api);
  const cache = new Map<string, { at: number; facts: NamespaceFacts | undefined }>();
  return async (namespace) => {
    const hit = cache.get(namespace);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.facts;
    const read = core.readNamespace({ name: namespace }).then((ns) => {
      const annotation = roster.namespaceAnnotation
        ? ns.metadata?.annotations?.[roster.namespaceAnnotation]
        : undefined;
      const facts: NamespaceFacts = { namespaceLabels: ns.metadata?.labels ?? {} };
      if (annotation)
        facts.annotatedUsers = annotation
          .split(',')
          .map((u) => u.trim())
          .filter(Boolean);
      return facts;
    });
    const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), TIMEOUT_MS).unref());
    const facts = await Promise.race([read, timeout]).catch(() => undefined);
    if (facts) cache.set(namespace, { at: Date.now(), facts });
    return facts;
  };
}
