/** Exit codes and the usage error shared by every subcommand (DESIGN.md "CLI contract"). */
import { type ParseArgsConfig, parseArgs } from 'node:util';

export const EXIT = { ok: 0, problems: 1, usage: 2, inconclusive: 3 } as const;

/** Bad arguments or configuration: the message says what is wrong and what to do; exit code 2. */
export class UsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** `node:util` parseArgs, with its errors turned into UsageError. */
export function parseCommandArgs<T extends ParseArgsConfig['options']>(
  args: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message, { cause: err });
  }
}
