/**
 * `kvlab diagnose <pod> [-n <namespace>] [--context <ctx>] [--json] [--fix] [--replay replay|off]`: runs the
 * engine against the current kubeconfig; `--fix` prints each problem's ready patch (JSON always carries it). Exit 0
 * healthy, 1 broken (a pod or namespace that does not exist included: that is the report's root cause), 2 usage or
 * configuration error, 3 inconclusive (also "nothing has failed yet" for a pod still starting).
 */
import { runDiagnosis } from '../../diagnostics/run-diagnosis.ts';
import { loadEnv } from '../engine-settings.ts';
import { createCliEngine } from '../lean-engine.ts';
import { renderReportText } from './render-report.ts';
import { EXIT, parseCommandArgs, UsageError } from './usage.ts';

export async function runDiagnoseCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      namespace: { type: 'string', short: 'n' },
      context: { type: 'string' },
      json: { type: 'boolean', default: false },
      fix: { type: 'boolean', default: false },
      replay: { type: 'string' },
    },
    true,
  );
  if (positionals.length !== 1)
    throw new UsageError('name exactly one pod, e.g. `kvlab diagnose pod-keyvault -n student-07`.');
  if (values.replay !== undefined && values.replay !== 'replay' && values.replay !== 'off') {
    throw new UsageError('--replay must be "replay" or "off".');
  }
  const config = loadEnv({ ...process.env, ...(values.replay ? { KVLAB_REPLAY: values.replay } : {}) });
  const engine = await createCliEngine(config, values.context);
  const namespace = values.namespace ?? engine.defaultNamespace;
  const { report } = await runDiagnosis(namespace, positionals[0] as string, engine.ports, engine.gather);

  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(renderReportText(report, { timings: process.stdout.isTTY === true, fix: values.fix }));
  return report.verdict === 'healthy' ? EXIT.ok : report.verdict === 'broken' ? EXIT.problems : EXIT.inconclusive;
}
