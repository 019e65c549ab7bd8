/**
 * The audit trail: who asked what about which namespace (or class), the verdict, and when — one structured log line
 * (`audit: true`) and one entry in the Redis stream `<prefix>:audit`, trimmed to about `maxLen` entries
 * (`XADD … MAXLEN ~`, so Redis trims whole nodes cheaply). Entries hold Slack ids, names and verdicts only: never a
 * token, a signing secret, a response_url or text a user pasted. Writing is best effort: a failed XADD is logged and
 * never fails the request it describes.
 */
import type { Redis } from 'ioredis';
import type { Logger } from './logger.ts';

export interface AuditEvent {
  /** Slack user id of the asker (or `watcher` for alerts). */
  user: string;
  /** `diagnose`, `status`, `explain`, `lint`, a button kind … */
  action: string;
  /** `received` (the receiver took it), `answered`, `failed`. */
  stage: 'received' | 'answered' | 'failed';
  channel?: string;
  namespace?: string;
  pod?: string;
  class?: string;
  verdict?: string;
  jobId?: string;
}

export interface AuditLog {
  record(event: AuditEvent): Promise<void>;
}

export function auditStreamKey(prefix: string): string {
  return `${prefix}:audit`;
}

export function createAuditLog(deps: {
  redis: Redis;
  prefix: string;
  maxLen: number;
  log: Logger;
  onRecorded?: () => void;
  now?: () => Date;
}): AuditLog {
  const log = deps.log.child({ component: 'audit' });
  return {
    async record(event) {
      const at = (deps.now?.() ?? new Date()).toISOString();
      const fields = Object.entries({ ...event, at }).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '',
      );
      log.info({ audit: true, ...Object.fromEntries(fields) }, 'audit');
      deps.onRecorded?.();
      if (deps.maxLen <= 0) return;
      await deps.redis
        .xadd(auditStreamKey(deps.prefix), 'MAXLEN', '~', String(deps.maxLen), '*', ...fields.flat())
        .catch((err: Error) => log.warn({ err: { message: err.message } }, 'could not write the audit stream'));
    },
  };
}
