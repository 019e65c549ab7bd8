/**
 * `kvlab serve [--role all|receiver|worker|watcher]`: runs the Slack bot. `all` is one process for a small class;
 * `receiver`, `worker` and `watcher` (mount-failure alerts; one replica leads through a Lease) run as separate
 * replicas over one Redis for a large one (docs/architecture.md "Data flow").
 * Configuration is validated once before anything starts (exit 2 naming the setting). SIGTERM/SIGINT stop it
 * gracefully: readiness fails, the watcher releases its Lease, receiving stops, running jobs finish within
 * KVLAB_SHUTDOWN_GRACE_MS or go back to the queue, Redis closes. Unhandled rejections are logged and the process
 * keeps serving; an uncaught exception is logged and ends it with code 1 (src/process-guards.ts).
 */
import { SERVE_ROLES, type ServeRole } from '../config.ts';
import { installProcessGuards } from '../process-guards.ts';
import { startServe } from '../serve.ts';
import { EXIT, parseCommandArgs, UsageError } from './usage.ts';

export async function runServeCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { role: { type: 'string', default: 'all' } });
  const role = values.role as ServeRole;
  if (!SERVE_ROLES.includes(role)) {
    throw new UsageError(`--role must be one of ${SERVE_ROLES.join(', ')}.`);
  }
  const { bot, log } = await startServe(process.env, role);
  installProcessGuards({ log, shutdown: () => bot.close(), graceMs: shutdownGraceMs() + 5_000 });
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  log.info({ signal }, 'shutting down: finishing running jobs');
  await bot.close();
  log.info('stopped');
  log.flush();
  // Work abandoned at the end of the grace period (a hung Kubernetes read, say) must not keep the process alive.
  setTimeout(() => process.exit(EXIT.ok), 1_000).unref();
  return EXIT.ok;
}

/** KVLAB_SHUTDOWN_GRACE_MS as validated by startServe (it refused a bad value already). */
function shutdownGraceMs(): number {
  const ms = Number(process.env.KVLAB_SHUTDOWN_GRACE_MS);
  return Number.isFinite(ms) && ms >= 0 ? ms : 20_000;
}
