/**
 * Real users' messages (test/fixtures/messages/real-world): each file names its public source and why it gets
 * its label. They are kept apart from the lab's own wording so the classifier is measured on text it was not
 * written for; bench/classify/accuracy.ts reports the same set as a confusion table.
 */
import { describe, expect, it } from 'vitest';
import { explainMessage } from '../../../diagnostics/explain.ts';
import { classifyMessage } from '../../../diagnostics/knowledge/classify/index.ts';
import { loadMessageFixtures, REAL_WORLD_DIR } from './message-fixtures.ts';

const fixtures = loadMessageFixtures(REAL_WORLD_DIR);

describe('real-world message set', () => {
  it('has at least 60 messages, each with a public source and a reason', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(60);
    for (const f of fixtures) {
      expect(f.source, f.name).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/(?:issues|pull)\/\d+$/);
      expect(f.why?.length ?? 0, f.name).toBeGreaterThan(10);
    }
  });

  it('covers every provider era and every layer', () => {
    const eras = new Set(fixtures.map((f) => f.era));
    for (const era of ['workload-identity', 'pod-identity', 'vm-managed-identity', 'service-principal']) {
      expect(eras, era).toContain(era);
    }
    const layers = new Set(fixtures.map((f) => f.layer));
    for (const layer of [
      'keyvault',
      'entra',
      'imds',
      'nmi',
      'mic',
      'kubernetes-rbac',
      'webhook',
      'dns',
      'csi',
      'kubelet',
    ]) {
      expect(layers, layer).toContain(layer);
    }
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    expect(classifyMessage(fixture.text).category, fixture.why).toBe(fixture.category);
  });

  it('never leaves a template placeholder in a fix when the message named the value', () => {
    const named = fixtures.filter((f) => /AADSTS700016/.test(f.text));
    for (const f of named) {
      const { fix, details } = explainMessage(f.text);
      expect(details.aadsts, f.name).toBe('700016');
      expect(fix.join(' '), f.name).not.toMatch(/\{(?:aadsts|clientId|tenantId)\}/);
    }
  });

  it("gives MIC's log lines MIC's fix (the cluster's own credentials and roles), never a pod's sign-in steps", () => {
    const mic = fixtures.filter((f) => f.layer === 'mic');
    expect(mic.length).toBeGreaterThanOrEqual(2);
    for (const f of mic) {
      const { category, details, fix } = explainMessage(f.text);
      expect(category, f.name).toBe('AUTH_FAILED');
      expect(details.podIdentityComponent, f.name).toBe('mic');
      expect(fix[0], f.name).toBe('kubectl logs -n kube-system -l app.kubernetes.io/component=mic --tail 50');
      expect(fix.join(' '), f.name).not.toMatch(/nodePublishSecretRef|kubectl create secret generic/);
    }
  });
});
