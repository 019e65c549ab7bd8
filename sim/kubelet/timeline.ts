/**
 * A scripted timeline for a running classroom: steps `{at, do}` run at `at` ms after the start, in order
 * (a student breaks the SPC at t0, fixes it at t1, an instructor changes Azure at t2 …). Tests and storm
 * benchmarks drive the simulated kubelet with it. Ready-made steps edit an SPC, re-create a pod (delete +
 * apply, new uid) and mutate the Azure state (notifying its subscribers), the way the real actors would.
 */
import { type AzureState, mutateAzure } from '../azure/state.ts';
import type { ObjectStore } from '../k8s/store.ts';
import type { Obj } from './cluster-objects.ts';

export interface TimelineContext {
  store: ObjectStore;
  azure: AzureState;
}

export interface TimelineStep {
  /** Milliseconds after the timeline starts. */
  at: number;
  /** For reports and logs. */
  name?: string;
  do: (ctx: TimelineContext) => void | Promise<void>;
}

export interface StepReport {
  name: string;
  /** When the step ran, in ms after the start (≥ `at`). */
  ranAt: number;
  error?: string;
}

/** Runs the steps (sorted by `at`, stable) and resolves with what ran when; a failing step is reported, not thrown. */
export async function runTimeline(
  ctx: TimelineContext,
  steps: TimelineStep[],
  signal?: AbortSignal,
): Promise<StepReport[]> {
  const start = Date.now();
  const reports: StepReport[] = [];
  const ordered = steps.map((s, i) => ({ s, i })).sort((a, b) => a.s.at - b.s.at || a.i - b.i);
  for (const { s, i } of ordered) {
    const wait = start + s.at - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (signal?.aborted) break;
    const report: StepReport = { name: s.name ?? `step ${i + 1}`, ranAt: Date.now() - start };
    try {
      await s.do(ctx);
    } catch (err) {
      report.error = (err as Error).message;
    }
    reports.push(report);
  }
  return reports;
}

const SPC = { apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass' };

/** `kubectl edit secretproviderclass <name> -n <ns>`. */
export const editSpc =
  (namespace: string, name: string, edit: (spc: Obj) => void) =>
  ({ store }: TimelineContext): void => {
    const spc = store.get({ ...SPC, namespace, name });
    if (!spc) throw new Error(`no SecretProviderClass ${namespace}/${name}`);
    edit(spc);
    store.update(spc);
  };

/** Replaces `from` by `to` in the SPC's `objects` parameter (e.g. an objectName typo and its fix). */
export const replaceInObjects = (namespace: string, name: string, from: string, to: string) =>
  editSpc(namespace, name, (spc) => {
    spc.spec.parameters.objects = String(spc.spec.parameters.objects ?? '').replace(from, to);
  });

/** `kubectl delete pod <name>` then `kubectl apply` of the same manifest: a fresh pod, not yet scheduled. */
export const recreatePod =
  (namespace: string, name: string, edit: (pod: Obj) => void = () => undefined) =>
  ({ store }: TimelineContext): void => {
    const old = store.get({ apiVersion: 'v1', kind: 'Pod', namespace, name });
    if (!old) throw new Error(`no pod ${namespace}/${name}`);
    store.delete({ apiVersion: 'v1', kind: 'Pod', namespace, name });
    const { nodeName: _node, ...spec } = old.spec as Obj;
    const next: Obj = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace, labels: (old.metadata as Obj).labels },
      spec,
    };
    edit(next);
    store.create(next);
  };

/** An Azure change (portal / az CLI), announced to the subscribers of the state. */
export const changeAzure =
  (mutate: (state: AzureState) => void, what = 'timeline') =>
  ({ azure }: TimelineContext): void =>
    mutateAzure(azure, mutate, what);
