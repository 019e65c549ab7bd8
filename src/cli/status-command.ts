/**
 * `kvlab status <class> [--json] [--context <ctx>]`: every student's progress and blocker for one class of the
 * roster (KVLAB_CONFIG), from a constant number of cluster-wide reads. Exit 0 when every student is mounted, 1
 * when someone is not (blocked, in progress or not started), 2 for a usage error or an unknown class (the
 * message lists the known ones), 3 when the cluster could not be read.
 */
import { runClassStatus } from '../../diagnostics/status/class-status.ts';
import { loadEnv } from '../engine-settings.ts';
import { createCliEngine } from '../lean-engine.ts';
import { findClass } from '../roster/find-class.ts';
import { loadRoster } from '../roster/roster.ts';
import { renderStatusText } from './render-status.ts';
import { EXIT, parseCommandArgs, UsageError } from './usage.ts';
import { writeOut } from './write-out.ts';

export async function runStatusCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { json: { type: 'boolean', default: false }, context: { type: 'string' } },
    true,
  );
  if (positionals.length !== 1) throw new UsageError('name one class, e.g. `kvlab status class-a`.');
  const config = loadEnv(process.env);
  if (!config.KVLAB_CONFIG) {
    throw new UsageError(
      'KVLAB_CONFIG is not set: point it at the classroom roster YAML, which says which namespaces belong to the class.',
    );
  }
  const spec = findClass(loadRoster(config.KVLAB_CONFIG), positionals[0] as string);
  const engine = await createCliEngine(config, values.context);
  const report = await runClassStatus(spec, { cluster: engine.ports.cluster, classes: engine.classes }, engine.gather);
  if (values.json) writeOut(`${JSON.stringify(report, null, 2)}\n`);
  else writeOut(renderStatusText(report, new Date()));
  if (report.students.length === 0 && report.gaps.length > 0) {
    if (!values.json) process.stderr.write('kvlab status: the cluster could not be read; see above.\n');
    return EXIT.inconclusive;
  }
  return report.students.every((s) => s.state === 'mounted') ? EXIT.ok : EXIT.problems;
}
