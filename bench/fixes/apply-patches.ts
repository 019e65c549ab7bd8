/**
 * Issue 14's table: for every broken namespace of the simulated classroom (kubelet on), does kvlab give a patch,
 * does applying it exactly as written (real kubectl for the student, the az interpreter for the instructor, the
 * instructor's answer for each question kvlab asks) mount the pod, how many commands it takes, and how long from
 * the diagnosis to a mounted pod. `npx node bench/fixes/apply-patches.ts` prints a Markdown table and a summary.
 */
import { answerUnknowns } from '../../diagnostics/fixes/answer-unknowns.ts';
import { expectations, hasKubectl, startFixFixture } from '../../test/fixes/fix-fixture.ts';

/** What the instructor answers when a student asks (the classroom's handout values). */
const ANSWERS = { '<KEY_VAULT_NAME>': 'kv-kvlab-lab' };

if (!hasKubectl) {
  console.error('kubectl is not on PATH: the benchmark applies patches with the real kubectl.');
  process.exit(2);
}
const fx = await startFixFixture();
const rows: string[] = [];
let fixable = 0;
let patched = 0;
let mounted = 0;
let commands = 0;
for (const { namespace, expect } of expectations(fx)) {
  if (expect === 'healthy') continue;
  fixable++;
  const start = performance.now();
  const top = (await fx.diagnose(namespace)).problems[0];
  const patch = top?.patch;
  let result = 'no patch';
  let ms = 0;
  if (patch) {
    patched++;
    await fx.applyPatch(answerUnknowns(patch, ANSWERS));
    const healthy = fx.mounted(namespace) && (await fx.diagnose(namespace)).verdict === 'healthy';
    ms = performance.now() - start;
    if (healthy) mounted++;
    commands += patch.commands.length;
    result = healthy ? 'mounted, healthy' : 'NOT mounted';
  }
  const asked = patch?.unknowns.map((u) => u.placeholder).join(', ') || '—';
  rows.push(
    `| ${namespace} | ${top?.category ?? '?'} | ${top?.owner ?? '?'} | ${patch ? 'yes' : 'no'} | ${asked} | ${patch?.commands.length ?? 0} | ${result} | ${Math.round(ms)} |`,
  );
}
await fx.close();
console.log(
  '| namespace | top problem | owner | patch | kvlab asks | commands | after applying | diagnose → mounted (ms) |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
console.log(
  `\nscenarios with a patch: ${patched}/${fixable}; patches that mount the pod: ${mounted}/${patched} (${Math.round((100 * mounted) / Math.max(patched, 1))}%); commands per fix: ${(commands / Math.max(patched, 1)).toFixed(2)} on average`,
);
process.exit(mounted === patched && patched === fixable ? 0 : 1);
