/**
 * The classroom with the simulated kubelet on and the product's real engine, plus what a student and an
 * instructor have: the real kubectl binary on the classroom's kubeconfig (context admin), and the az interpreter
 * over the simulated Azure state. `applyPatch` runs a patch's commands in order exactly as written.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import type { Patch } from '../../diagnostics/fixes/patch-types.ts';
import { runDiagnosis } from '../../diagnostics/run-diagnosis.ts';
import type { DiagnosisReport } from '../../diagnostics/types.ts';
import { startClassroom } from '../../sim/classroom.ts';
import { loadEnv } from '../../src/config.ts';
import { createEngine } from '../../src/engine.ts';
import { runAz, splitWords } from './az-interpreter.ts';

const run = promisify(execFile);
export const hasKubectl = await run('kubectl', ['version', '--client'])
  .then(() => true)
  .catch(() => false);

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes objects are untyped JSON here.
type Obj = Record<string, any>;

export async function startFixFixture(scenario = 'classroom') {
  const classroom = await startClassroom({ scenario, kubelet: { backoff: { initialMs: 60_000 } } });
  const kubelet = classroom.kubelet;
  if (!kubelet) throw new Error('kubelet not started');
  await kubelet.settle();
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromString(classroom.kubeconfigYaml);
  kubeconfig.setCurrentContext('kvlab-bot');
  const engine = createEngine(
    { ...loadEnv({ ...classroom.settings, KVLAB_REPLAY: 'replay' }), caPem: classroom.caPem },
    kubeconfig,
  );
  const dir = await mkdtemp(join(tmpdir(), 'kvlab-fixes-'));
  const kubeconfigFile = join(dir, 'kubeconfig');
  await writeFile(kubeconfigFile, classroom.kubeconfigYaml);
  const azure = classroom.scenario.azure;

  /** The real kubectl as the classroom's admin; `stdin` feeds `-f -`. */
  const kubectl = (args: string[], stdin?: string) =>
    new Promise<string>((resolve, reject) => {
      const child = execFile(
        'kubectl',
        ['--kubeconfig', kubeconfigFile, '--context', 'admin', '--cache-dir', join(dir, 'cache'), ...args],
        { env: { PATH: process.env.PATH ?? '', HOME: dir }, timeout: 20_000 },
        (err, stdout, stderr) =>
          err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
      );
      child.stdin?.end(stdin ?? '');
    });

  const diagnose = async (namespace: string): Promise<DiagnosisReport> =>
    (await runDiagnosis(namespace, 'pod-keyvault', engine.ports, engine.gather)).report;

  /** Runs every command of `patch` in order: kubectl lines with the real binary, az lines in the interpreter. */
  async function applyPatch(patch: Patch): Promise<void> {
    const vars = new Map<string, string>();
    for (const line of patch.commands) {
      const words = splitWords(line, vars, (sub) =>
        runAz(
          azure,
          splitWords(sub, vars, () => ''),
        ),
      );
      if (words[0] === 'kubectl') await kubectl(words.slice(1), words.includes('-') ? patch.manifests : undefined);
      else if (words[0] === 'az') runAz(azure, words);
      else if (words.length === 1 && words[0]?.includes('=')) {
        const [name, value] = [words[0].slice(0, words[0].indexOf('=')), words[0].slice(words[0].indexOf('=') + 1)];
        vars.set(name, value);
      } else throw new Error(`not a command kvlab may suggest: ${line}`);
    }
    await kubelet?.settle();
  }

  const pod = (ns: string): Obj | undefined =>
    (classroom.k8s.store.list('v1', 'Pod', ns) as Obj[]).find((p) => p.metadata.name === 'pod-keyvault');
  const mounted = (ns: string): boolean => {
    const p = pod(ns);
    const statuses = classroom.k8s.store.list(
      'secrets-store.csi.x-k8s.io/v1',
      'SecretProviderClassPodStatus',
      ns,
    ) as Obj[];
    return (
      p?.status?.phase === 'Running' &&
      statuses.some(
        (s) =>
          s.status?.mounted === true &&
          s.status?.podName === 'pod-keyvault' &&
          s.metadata.ownerReferences?.[0]?.uid === p.metadata.uid,
      )
    );
  };

  return {
    classroom,
    kubelet,
    azure,
    kubectl,
    diagnose,
    applyPatch,
    pod,
    mounted,
    close: async () => {
      await classroom.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type FixFixture = Awaited<ReturnType<typeof startFixFixture>>;

/** Namespaces annotated `kvlab.io/expect`, with the expected category. */
export function expectations(fx: FixFixture): Array<{ namespace: string; expect: string }> {
  return (fx.classroom.scenario.objects as Obj[])
    .filter((o) => o.kind === 'Namespace' && o.metadata.annotations?.['kvlab.io/expect'])
    .map((o) => ({ namespace: o.metadata.name, expect: o.metadata.annotations['kvlab.io/expect'] }));
}
