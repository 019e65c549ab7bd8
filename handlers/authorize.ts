/**
 * Authorization of a diagnosis request, the same for slash commands and button clicks: the roster decides
 * (src/roster/authorize.ts); only when it refuses and the roster selects namespaces by label or grants access by
 * annotation are the namespace's facts read, then it decides again. A lookup that fails counts as "no facts", so
 * the answer stays a refusal (fail closed).
 */
import { authorizeNamespace, type Decision } from '../src/roster/authorize.ts';
import type { HandlerDeps } from './deps.ts';

export async function authorizeRequest(
  deps: Pick<HandlerDeps, 'roster' | 'namespaceFacts' | 'log'>,
  user: string,
  namespace: string,
): Promise<Decision> {
  const first = authorizeNamespace(deps.roster, user, namespace);
  const needsFacts =
    deps.roster.namespaceAnnotation !== undefined || deps.roster.classes.some((c) => c.namespaceSelector);
  if (first.ok || !needsFacts || !deps.namespaceFacts) return first;
  const facts = await deps.namespaceFacts(namespace).catch((err: unknown) => {
    deps.log.warn({ err, namespace }, 'could not read the namespace for authorization; refusing');
    return undefined;
  });
  return facts ? authorizeNamespace(deps.roster, user, namespace, facts) : first;
}
