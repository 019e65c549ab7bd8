/**
 * With the simulated kubelet running, the product's real engine still diagnoses every annotated namespace of
 * every scenario as `kvlab.io/expect` says: the kubelet's first attempts reproduce what the dumps recorded.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEALTHY } from '../../../diagnostics/categories.ts';
import { runDiagnosis } from '../../../diagnostics/run-diagnosis.ts';
import { loadEnv } from '../../../src/config.ts';
import { createEngine } from '../../../src/engine.ts';
import type { Obj } from './kubelet-fixture.ts';
import { startKubeletClassroom } from './kubelet-fixture.ts';

describe.each(['classroom', 'addon-missing', 'driver-not-ready', 'crd-missing'])(
  'scenario %s with the kubelet on',
  (scenario) => {
    let c: Awaited<ReturnType<typeof startKubeletClassroom>>;
    beforeAll(async () => {
      c = await startKubeletClassroom({ scenario });
      await c.kubelet.settle();
    });
    afterAll(() => c?.close());

    it('keeps every kvlab.io/expect true', async () => {
      const kubeconfig = new KubeConfig();
      kubeconfig.loadFromString(c.kubeconfigYaml);
      const engine = createEngine(
        { ...loadEnv({ ...c.settings, KVLAB_REPLAY: 'replay' }), caPem: c.caPem },
        kubeconfig,
      );
      const wrong = [];
      for (const ns of (c.scenario.objects as Obj[]).filter(
        (o) => o.kind === 'Namespace' && o.metadata.annotations?.['kvlab.io/expect'],
      )) {
        const expected = ns.metadata.annotations['kvlab.io/expect'];
        const { report } = await runDiagnosis(ns.metadata.name, 'pod-keyvault', engine.ports, engine.gather);
        const got = report.verdict === 'healthy' ? HEALTHY : report.problems[0]?.category;
        if (got !== expected) wrong.push({ namespace: ns.metadata.name, expected, got });
      }
      expect(wrong).toEqual([]);
    });
  },
);
