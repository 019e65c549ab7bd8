/**
 * `kvlab serve [--role all|receiver|worker|watcher]`: runs the Slack bot. `all` is one process for a small class;
 * `receiver`, `worker` and `watcher` (mount-failure alerts; one replica leads through a Lease) run as separate
 * replicas over one Redis for a large one (docs/architecture.md "Data flow").
 * Configuration is validated once before anything starts (exit 2 naming the setting). SIGTERM/SIGINT stop it
 * gracefully: stop receiving, finish running jobs, close Redis.
 */
import { SERVE_ROLES, type ServeRole } from '../config.ts';
import { startServe } from '../serve.ts';
import { EXIT, parseCommandArgs, UsageError } from './usage.ts';

export async function runServeCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { role: { type: 'string', default: 'all' } });
  const role = values.role as ServeRole;
  if (!SERVE_ROLES.includes(role)) {
    throw new UsageError(`--role must be one of ${SERVE_ROLES.join(', ')}.`);
  }
  const { bot, log } = await startServe(process.env, role);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  log.info({ signal }, 'shutting down: finishing running jobs');
  await bot.close();
  log.info('stopped');
  log.flush();
  return EXIT.ok;
}
