/**
 * The one-shot commands' output, written to file descriptor 1 directly: creating `process.stdout` costs a new
 * process 4 ms for a file and 7–8 ms for a pipe (a tenth of `kvlab explain`), for one write. After a closed reader
 * (`kvlab … | head`) the rest of the output is dropped and the command ends as it would have, with its own exit
 * code, as Unix tools do; a stdout that would block (a non-blocking pipe) gets the rest through `process.stdout`,
 * which waits.
 */
import { writeSync } from 'node:fs';
import { EXIT } from './usage.ts';

let readerGone = false;

export function writeOut(text: string): void {
  if (readerGone) return;
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  try {
    while (offset < bytes.length) offset += writeSync(1, bytes, offset);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EPIPE') {
      readerGone = true;
      return;
    }
    if (code !== 'EAGAIN') {
      process.stderr.write(`kvlab: cannot write the output: ${(err as Error).message}\n`);
      process.exit(EXIT.inconclusive);
    }
    endQuietlyOnClosedStdout();
    process.stdout.write(bytes.subarray(offset));
  }
}

let guarded = false;

/**
 * For output through `process.stdout`: `kvlab … | head` closes it early; end the command quietly with its exit code
 * so far, as Unix tools do, rather than with an EPIPE stack trace.
 */
export function endQuietlyOnClosedStdout(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok);
    process.stderr.write(`kvlab: cannot write the output: ${err.message}\n`);
    process.exit(EXIT.inconclusive);
  });
}

/** Whether the output goes to a terminal (without creating `process.stdout`). */
export function outputIsTerminal(): boolean {
  return process.getBuiltinModule('node:tty').isatty(1);
}
