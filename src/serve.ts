/**
 * Composition root of `kvlab serve`: validates the settings once, loads the roster and the kubeconfig the
 * role needs, builds the diagnostic engine and starts the bot's roles. A worker builds its engine on the lean
 * Kubernetes client when the kubeconfig allows it (src/lean-engine.ts) and then never loads @kubernetes/client-node. Shared by `kvlab serve` and by
 * `kvlab sim --bot`, which runs the same bot against the simulated classroom.
 */
import { setFlagsFromString } from 'node:v8';
import { loadBotEnv, loadEnv, type ServeRole } from './config.ts';
import { createLeanEngine } from './lean-engine.ts';
import { createLogger, type Logger } from './logger.ts';
import { originOf } from './metrics.ts';
import { loadRoster } from './roster/roster.ts';
import { type RunningBot, startBot } from './slack-app/start-bot.ts';

export async function startServe(
  env: NodeJS.ProcessEnv,
  role: ServeRole,
  options: { host?: string } = {},
): Promise<{ bot: RunningBot; log: Logger }> {
  const config = loadBotEnv(env, role);
  if (role === 'worker') keepYoungGenerationSize();
  const log = createLogger({ level: config.LOG_LEVEL, name: 'kvlab' });
  const roster = role === 'worker' ? undefined : loadRoster(config.KVLAB_CONFIG as string);
  const engineEnv = loadEnv(env);
  const lean = role === 'worker' ? createLeanEngine(engineEnv) : undefined;
  const needsCluster =
    (role !== 'receiver' && !lean) ||
    roster?.namespaceAnnotation !== undefined ||
    (roster?.classes.some((c) => c.namespaceSelector) ?? false);
  // client-node (~95 MB resident) is loaded only when a role needs it.
  const clientNode = needsCluster ? await import('./engine.ts') : undefined;
  const kubeconfig = clientNode?.loadKubeConfig();
  const runsEngine = role === 'all' || role === 'worker';
  const engine = lean ?? (!runsEngine || !kubeconfig ? undefined : clientNode?.createEngine(engineEnv, kubeconfig));
  // Entra ID and Key Vault endpoints other than Azure's public hosts (the simulators), for request metrics.
  const azureOrigins = [engineEnv.AZURE_AUTHORITY_HOST, engineEnv.KVLAB_KEYVAULT_ENDPOINT].flatMap(originOf);
  const watches = (role === 'all' || role === 'watcher') && kubeconfig;
  const bot = await startBot({
    config,
    log,
    ...(roster ? { roster } : {}),
    ...(engine ? { engine: { ports: engine.ports, gather: engine.gather, classes: engine.classes } } : {}),
    ...(roster && kubeconfig
      ? { namespaceFacts: (await import('./slack-app/namespace-facts.ts')).createNamespaceFacts(kubeconfig, roster) }
      : {}),
    ...(watches ? { watcher: { kubeconfig, env } } : {}),
    ...(options.host ? { host: options.host } : {}),
    ...(kubeconfig ? { kubeconfig } : {}),
    ...(lean ? { cluster: lean.cluster } : {}),
    azureOrigins,
  });
  log.info({ role, port: bot.port }, 'kvlab serve ready');
  return { bot, log };
}

/**
 * Stops V8 from growing this worker's young generation (new space) beyond the size it has. Under a class burst the
 * diagnoses in flight survive its collections and V8 doubles it again and again (to 2 × 64 MB on Node 24), memory
 * the process then holds. Without growth the survivors move to the old generation sooner: bench/bot/class-burst.ts
 * measured a lower peak RSS per worker at no more GC time. V8 may still shrink it when idle.
 * `--max-semi-space-size` would cap it too, but only as a start-up flag; V8 reads this one at each resize.
 */
function keepYoungGenerationSize(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
