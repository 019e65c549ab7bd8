/**
 * The service's structured logger (pino, docs/architecture.md "Conventions"): JSON lines, the object first and a fixed message
 * after it, one `log.child({ jobId })` per job. Anything that looks like a credential is redacted by path, so a
 * token that slips into a logged object prints as `[Redacted]`; callers still never log whole Slack payloads,
 * Kubernetes objects or job data, only the fields they name.
 */
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/** Paths pino replaces with `[Redacted]` wherever they appear (one level deep, plus common top-level names). */
export const REDACT_PATHS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'secret',
  'password',
  'authorization',
  'responseUrl',
  'response_url',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.secret',
  '*.password',
  '*.authorization',
  '*.responseUrl',
  '*.response_url',
  'headers.authorization',
  '*.headers.authorization',
  'headers.cookie',
];

export interface LoggerOptions {
  level?: string;
  /** Component name in every line (`receiver`, `worker`, …). */
  name?: string;
  /** Where lines go (default stdout); tests pass a stream that collects them. */
  destination?: DestinationStream;
}

/** Creates the root logger. Level `silent` turns logging off. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      ...(options.name ? { name: options.name } : {}),
      redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
      base: { pid: process.pid },
      serializers: { err: pino.stdSerializers.err },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
