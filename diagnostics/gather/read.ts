/**
 * Turns a port call into a Read: the value, or a Gap saying what could not be checked and why. Every read has
 * a deadline, so one slow dependency never stalls a diagnosis; nothing here throws.
 */
import { DeadlineError, DependencyError, ForbiddenError, NotServedError, UserInputError } from '../errors.ts';
import type { Gap, Read } from '../types.ts';

export async function read<T>(
  what: string,
  call: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
): Promise<Read<T>> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new DeadlineError(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const value = await Promise.race([call(controller.signal), deadline]);
    return { ok: true, value, durationMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, gap: toGap(what, err), durationMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

/** Maps an error raised by a port to the Gap the user sees: "could not check <what>: <why>". */
export function toGap(what: string, err: unknown): Gap {
  const detail = err instanceof Error ? err.message : String(err);
  if (err instanceof ForbiddenError) {
    return { what, reason: 'forbidden', message: `kvlab is not allowed to read ${what}: ${detail}` };
  }
  if (err instanceof NotServedError) {
    return { what, reason: 'not_served', message: `the cluster does not serve ${what}: ${detail}` };
  }
  if (err instanceof DeadlineError) return { what, reason: 'timeout', message: `reading ${what} timed out: ${detail}` };
  if (err instanceof UserInputError) return { what, reason: 'invalid', message: detail };
  const why = err instanceof DependencyError ? detail : `unexpected error: ${detail}`;
  return { what, reason: 'unavailable', message: `could not read ${what}: ${why}` };
}

/** The value of a successful read, or `undefined`. */
export function readValue<T>(r: Read<T> | undefined): T | undefined {
  return r?.ok ? r.value : undefined;
}
