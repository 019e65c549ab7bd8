/**
 * `kvlab diagnose <pod> [-n <namespace>] [--context <ctx>] [--json] [--fix] [--replay replay|off]`: runs the
 * engine against the current kubeconfig; `--fix` prints each problem's ready patch (JSON always carries it). Exit 0
 * healthy, 1 broken (a pod or namespace that does not exist included: that is the report's root cause), 2 usage or
 * configuration error, 3 inconclusive (also "nothing has failed yet" for a pod still starting).
 */
import type { Evidence } from '../../diagnostics/gather/gather-evidence.ts';
import { validateTarget } from '../../diagnostics/target.ts';
import { loadEnv } from '../engine-settings.ts';
import { openLeanCluster } from '../lean-cluster.ts';
import { withEarlyReads } from './early-reads.ts';
import { tokenRequestWritten } from './entra-wait.ts';
import { EXIT, parseCommandArgs, UsageError } from './usage.ts';
import { outputIsTerminal, writeOut } from './write-out.ts';

const EARLY_WRITE_WAIT_MS = 50;
/** The longest a rehearsal waits for the token request before it runs anyway. */
const TOKEN_WAIT_MS = 150;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

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
  const pod = positionals[0] as string;
  // The first reads go out now; the engine loads (dynamic imports, a bundle chunk of their own) while they travel.
  // Loading blocks this thread, so it starts once they are written (TLS handshakes need the event loop), or after
  // EARLY_WRITE_WAIT_MS when a connection is slow to open.
  const opened = openLeanCluster(values.context);
  if (opened) {
    const target = validateTarget(values.namespace ?? (opened.target.namespace || 'default'), pod);
    opened.cluster = withEarlyReads(opened.cluster, target.namespace, target.pod);
    await Promise.race([opened.transport.sent?.(), delay(EARLY_WRITE_WAIT_MS)]);
  }
  const [{ createCliEngine }, { gatherEvidence }] = await Promise.all([
    import('../lean-engine.ts'),
    import('../../diagnostics/gather/gather-evidence.ts'),
  ]);
  const engine = await createCliEngine(config, values.context, process.env, opened);
  const target = validateTarget(values.namespace ?? engine.defaultNamespace, pod);
  // runDiagnosis in two halves: the checks, the knowledge base and the renderer (~35 ms to load) are not needed
  // until the evidence is in, so they load — and the checks are rehearsed — while Entra exchanges the token, the
  // one wait with nothing else to do, instead of while the API server's first answers wait to be read.
  let judging: Promise<[typeof import('../../diagnostics/run-diagnosis.ts'), typeof import('./render-report.ts')]>;
  const judge = () =>
    (judging ??= Promise.all([import('../../diagnostics/run-diagnosis.ts'), import('./render-report.ts')]));
  const whileReplaying = (soFar: Evidence) =>
    void tokenRequestWritten(TOKEN_WAIT_MS)
      .then(judge)
      .then(([{ rehearseChecks }]) => rehearseChecks(soFar, new Date()))
      .catch(() => {}); // a rehearsal has no result to lose; a failed load is reported below
  const evidence = await gatherEvidence(target, engine.ports, { ...engine.gather, whileReplaying });
  const [{ judgeEvidence }, { renderReportText }] = await judge();
  const { report } = judgeEvidence(evidence, new Date());

  if (values.json) writeOut(`${JSON.stringify(report, null, 2)}\n`);
  else writeOut(renderReportText(report, { timings: outputIsTerminal(), fix: values.fix }));
  return report.verdict === 'healthy' ? EXIT.ok : report.verdict === 'broken' ? EXIT.problems : EXIT.inconclusive;
}
