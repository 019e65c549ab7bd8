/**
 * Process-level safety nets for `kvlab serve`: nothing ends the process silently. A promise rejection nobody
 * handled is logged (once per occurrence) and the process keeps serving — one bad request must not take the
 * service down. An uncaught exception leaves the process in an unknown state: it is logged, a clean shutdown is
 * attempted within `graceMs`, and the process exits with code 1 so the orchestrator restarts it.
 */
import type { Logger } from './logger.ts';

export function installProcessGuards(options: {
  log: Logger;
  shutdown: () => Promise<void>;
  graceMs: number;
}): () => void {
  const { log } = options;
  const onRejection = (reason: unknown) => {
    log.error({ err: reason }, 'unhandled promise rejection; still serving');
  };
  let exiting = false;
  const onException = (err: Error) => {
    log.fatal({ err }, 'uncaught exception; shutting down');
    if (exiting) return;
    exiting = true;
    const timer = setTimeout(() => process.exit(1), options.graceMs);
    timer.unref();
    options
      .shutdown()
      .catch((e: unknown) => log.error({ err: e }, 'shutdown after an uncaught exception failed'))
      .finally(() => {
        log.flush();
        process.exit(1);
      });
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
