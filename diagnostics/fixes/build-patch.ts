/**
 * Builds the ready patch for one diagnosed problem (issue 14): for what the student can fix, their live
 * SecretProviderClass and pod with only the faulty fields changed, as YAML for `kubectl apply -f -`, and the
 * commands in order (a pod is deleted first when its volumes or ServiceAccount change, as pod specs are
 * immutable); for what only the instructor can fix, the exact Azure commands. Undefined when kvlab has no exact
 * patch (the knowledge base's steps still apply), and never a patch that would not lint clean once answered.
 */
import { parseAllDocuments, stringify } from 'yaml';
import type { Evidence } from '../gather/gather-evidence.ts';
import { readValue } from '../gather/read.ts';
import type { MergedProblem } from '../judge.ts';
import { answerUnknowns, STAND_INS } from './answer-unknowns.ts';
import { cleanPod, cleanSpc, type Manifest } from './clean-manifest.ts';
import { Draft } from './draft.ts';
import { instructorCommands } from './instructor-commands.ts';
import type { Patch } from './patch-types.ts';
import { fixPod } from './pod-patch.ts';
import { fixSpc, remainingErrors } from './spc-patch.ts';

export type { Patch, PatchUnknown } from './patch-types.ts';

export function buildPatch(e: Evidence, problem: MergedProblem): Patch | undefined {
  if (problem.severity !== 'error') return undefined;
  const student = studentPatch(e, problem);
  if (student) return student;
  const d = new Draft();
  const commands = instructorCommands(d, e, problem);
  if (!commands) return undefined;
  return { owner: 'instructor', manifests: '', commands, changes: d.changes, unknowns: d.unknowns };
}

function studentPatch(e: Evidence, problem: MergedProblem): Patch | undefined {
  const { namespace, pod: podName } = e.target;
  const livePod = readValue(e.pod);
  const liveSpc = readValue(e.spc);
  const d = new Draft();
  let spc: Manifest | undefined;
  if (problem.category === 'SPC_NOT_FOUND' && problem.variant === 'other-namespace') {
    const source = (readValue(e.spcsElsewhere) ?? []).find(
      (s) => s.metadata.namespace === problem.facts.otherNamespace && s.metadata.name === problem.facts.spc,
    );
    if (!source) return undefined;
    spc = fixSpc(d, source, e, problem, namespace) ?? cleanSpc(source, namespace);
    d.changes.unshift(
      `SecretProviderClass ${source.metadata.name}: copied from namespace ${source.metadata.namespace}`,
    );
  } else if (liveSpc) {
    spc = fixSpc(d, liveSpc, e, problem);
  }
  let pod = livePod ? fixPod(d, livePod, e, problem) : undefined;
  // The synced Secret is written at mount time: a mounted pod must mount again to pick up fixed secretObjects.
  const remount = problem.category === 'SYNC_SECRET_MISSING' && spc !== undefined;
  if (!pod && remount && livePod) pod = cleanPod(livePod);
  const objects = [spc, pod].filter((o): o is Manifest => o !== undefined);
  if (objects.length === 0) return undefined;
  const patch: Patch = {
    owner: 'student',
    manifests: toYaml(objects),
    commands: [...(pod ? [`kubectl delete pod ${podName} -n ${namespace}`] : []), `kubectl apply -n ${namespace} -f -`],
    changes: d.changes,
    unknowns: d.unknowns,
  };
  return lintsClean(patch) ? patch : undefined;
}

/** Stable YAML: one document per object, no line folding. */
export function toYaml(objects: readonly Manifest[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}

/** The manifests of `patch` as objects. */
export function patchObjects(patch: Patch): Manifest[] {
  return parseAllDocuments(patch.manifests).map((doc) => doc.toJS() as Manifest);
}

/** Whether the patch, with stand-ins for its unknowns, has no lint error. */
function lintsClean(patch: Patch): boolean {
  return remainingErrors(patchObjects(answerUnknowns(patch, STAND_INS))).length === 0;
}
