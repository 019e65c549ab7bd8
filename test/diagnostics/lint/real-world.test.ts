/**
 * The real-manifest corpus (test/fixtures/manifests/real-world): published SecretProviderClasses of several providers,
 * identity modes and API versions, each labelled valid or broken. Under the default (provider) profile no valid one
 * gets an error and each broken one gets exactly its labelled errors.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintText } from '../../../diagnostics/knowledge/lint/index.ts';

const DIR = new URL('../../fixtures/manifests/real-world/', import.meta.url);

interface Labelled {
  file: string;
  text: string;
  sources: string[];
  valid: boolean;
  errors: string[];
  warnings: string[];
  why: string;
}

function header(text: string, key: string): string[] {
  return [...text.matchAll(new RegExp(`^# ${key}: (.*)$`, 'gm'))].map((m) => (m[1] ?? '').trim());
}

const corpus: Labelled[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((file) => {
    const text = readFileSync(new URL(file, DIR), 'utf8');
    const label = header(text, 'label')[0] ?? '';
    const list = (s: string | undefined) => (s ? s.split(',').map((r) => r.trim()) : []);
    return {
      file,
      text,
      sources: header(text, 'source'),
      valid: label === 'valid',
      errors: label.startsWith('broken ') ? list(label.slice('broken '.length)).sort() : [],
      warnings: list(header(text, 'warnings')[0]),
      why: header(text, 'why')[0] ?? '',
    };
  });

const kindsOf = (text: string) => [...text.matchAll(/^ {2}provider: *(\S+)/gm)].map((m) => m[1]);

describe('real published manifests', () => {
  it('has at least 40, each with a source, a label and a reason', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    for (const item of corpus) {
      expect(item.sources.length, item.file).toBeGreaterThan(0);
      for (const source of item.sources)
        expect(source, item.file).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/[0-9a-f]{12}\//);
      expect(item.valid || item.errors.length > 0, `${item.file} is labelled valid or broken <rules>`).toBe(true);
      expect(item.why.length, item.file).toBeGreaterThan(20);
    }
  });

  it('covers several providers, identity modes and both API versions', () => {
    const all = corpus.map((c) => c.text).join('\n');
    const providers = new Set(corpus.flatMap((c) => kindsOf(c.text)));
    for (const p of ['azure', 'aws', 'gcp', 'vault', 'openbao', 'akeyless', 'conjur', 'e2e-provider']) {
      expect(providers, p).toContain(p);
    }
    expect(all).toContain('secrets-store.csi.x-k8s.io/v1alpha1');
    expect(all).toMatch(/apiVersion: secrets-store\.csi\.x-k8s\.io\/v1\n/);
    expect(all).toMatch(/usePodIdentity: "true"/);
    expect(all).toMatch(/useVMManagedIdentity: "true"/);
    expect(all).toMatch(/clientID: "\$IDENTITY_CLIENT_ID"/);
    expect(all).toContain('nodePublishSecretRef');
    expect(corpus.filter((c) => c.valid).length).toBeGreaterThanOrEqual(20);
  });

  for (const item of corpus) {
    it(`${item.file}: ${item.valid ? 'valid, no error' : `broken, exactly ${item.errors.join(', ')}`}`, () => {
      const result = lintText(item.text, item.file);
      const errors = [...new Set(result.findings.filter((f) => f.severity === 'error').map((f) => f.rule))].sort();
      expect(errors).toEqual(item.errors);
      const warnings = new Set(result.findings.filter((f) => f.severity === 'warning').map((f) => f.rule));
      for (const w of item.warnings) expect(warnings, w).toContain(w);
    });
  }

  it('names the provider of every non-Azure class instead of judging it by Azure rules', () => {
    const vault = corpus.find((c) => c.file === 'vault-csi-vault-kv-secretproviderclass.yaml');
    expect(lintText(vault?.text ?? '', 'x').notes).toEqual([
      expect.stringContaining('is for the vault provider, not Azure Key Vault'),
    ]);
  });
});
