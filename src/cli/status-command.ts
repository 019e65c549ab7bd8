/**
 * `kvlab status <class> [--json]`: the class progress view is planned for a later release (DESIGN.md "Who uses
 * it"). Until then the command is parsed and answers plainly that it is not available, with exit code 2.
 */
import { EXIT, parseCommandArgs, UsageError } from './usage.ts';

export async function runStatusCommand(args: string[]): Promise<number> {
  const { positionals } = parseCommandArgs(args, { json: { type: 'boolean', default: false } }, true);
  if (positionals.length !== 1) throw new UsageError('name one class, e.g. `kvlab status class-a`.');
  process.stderr.write(
    'kvlab status: not available yet — class progress comes in a later kvlab release. Meanwhile run `kvlab diagnose <pod> -n <namespace>` per student.\n',
  );
  return EXIT.usage;
}
