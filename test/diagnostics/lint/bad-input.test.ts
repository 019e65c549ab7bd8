import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  LINT_RULES,
  lintObjects,
  lintText,
  MAX_ALIAS_COUNT,
  MAX_LINT_BYTES,
} from '../../../diagnostics/knowledge/lint/index.ts';

const rulesOf = (text: string) => lintText(text, 'input.yaml').findings.map((f) => f.rule);

const SPC = readFileSync(new URL('../../fixtures/manifests/lab/filled-spc-and-pod.yaml', import.meta.url), 'utf8');

describe('lintText on bad input', () => {
  it('reports an empty, blank or comment-only input as empty', () => {
    expect(rulesOf('')).toEqual(['file/empty']);
    expect(rulesOf(' \n\t\n')).toEqual(['file/empty']);
    expect(rulesOf('# only a comment\n---\n---\n')).toEqual(['file/empty']);
  });

  it('refuses input over 1 MiB without parsing it', () => {
    const big = `# ${'x'.repeat(MAX_LINT_BYTES)}\n`;
    const findings = lintText(big, 'big.yaml').findings;
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['file/too-large', 'error']]);
    expect(findings[0]?.message).toContain(`${Buffer.byteLength(big)} bytes`);
  });

  it('reports the real size the caller measured when it read only the head of a larger input', () => {
    const head = `# ${'x'.repeat(MAX_LINT_BYTES)}\n`;
    const [finding] = lintText(head, 'dump.yaml', { inputSize: { bytes: 52_428_800 } }).findings;
    expect(finding?.message).toBe(
      'dump.yaml is 52428800 bytes (50.0 MiB); kvlab lint reads at most 1048576 bytes (1 MiB). It was not linted.',
    );
    const [piped] = lintText(head, '<stdin>', { inputSize: { bytes: 268_435_456, atLeast: true } }).findings;
    expect(piped?.message).toMatch(/^<stdin> is more than 268435456 bytes \(256\.0 MiB\);/);
  });

  it('counts bytes, not characters, against the size limit', () => {
    const justUnder = `# ${'é'.repeat(Math.floor((MAX_LINT_BYTES - 10) / 2))}\n`;
    expect(justUnder.length).toBeLessThan(MAX_LINT_BYTES);
    expect(rulesOf(justUnder)).toEqual(['file/empty']);
    const over = `# ${'é'.repeat(MAX_LINT_BYTES / 2 + 1)}\n`;
    expect(over.length).toBeLessThan(MAX_LINT_BYTES);
    expect(rulesOf(over)).toEqual(['file/too-large']);
  });

  it('reports binary content instead of parsing it', () => {
    expect(rulesOf('PK\u0003\u0004\u0000\u0000binary')).toEqual(['file/binary']);
    const garbled = Array.from({ length: 400 }, (_, i) => String.fromCharCode(i % 8 === 0 ? 0xfffd : 1 + (i % 7))).join(
      '',
    );
    expect(rulesOf(garbled)).toEqual(['file/binary']);
  });

  it('reports YAML syntax errors with their line and lints the other documents', () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n---\n${SPC}`;
    const findings = lintText(text, 'mixed.yaml').findings;
    const syntax = findings.filter((f) => f.rule === 'file/yaml-syntax');
    expect(syntax.length).toBeGreaterThan(0);
    expect(syntax.every((f) => f.document === 1 && typeof f.line === 'number')).toBe(true);
    expect(findings.filter((f) => f.document !== 1)).toEqual([]);
  });

  it('treats prose, lists and scalars as documents that are not Kubernetes objects', () => {
    expect(rulesOf('this is not yaml, just a sentence')).toEqual(['file/not-a-resource']);
    expect(rulesOf('- a\n- b\n')).toEqual(['file/not-a-resource']);
    expect(rulesOf('42\n')).toEqual(['file/not-a-resource']);
    expect(rulesOf('name: x\nvalue: y\n')).toEqual(['file/not-a-resource']);
  });

  it(`stops alias bombs at ${MAX_ALIAS_COUNT} alias expansions`, () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    expect(rulesOf(`${levels.join('\n')}\n`)).toEqual(['file/alias-limit']);
    // Stopped early, not noticed after expanding all 9⁹ (387 M) nodes, which takes minutes or runs out of memory:
    // a bound no slow machine reaches for the few milliseconds this takes.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('reports an alias without an anchor', () => {
    const findings = lintText('apiVersion: v1\nkind: Pod\nmetadata:\n  name: *nothing\n', 'alias.yaml').findings;
    expect(findings.map((f) => [f.rule, f.line])).toEqual([['file/alias-limit', 1]]);
    expect(findings[0]?.message).toContain('anchor');
  });

  it('survives pathological nesting', () => {
    expect(rulesOf('['.repeat(100_000))).toEqual(['file/yaml-syntax']);
    expect(rulesOf('{a: '.repeat(65))).toEqual(['file/yaml-syntax']);
    expect(rulesOf(`${'- '.repeat(3000)}x\n`).length).toBeGreaterThan(0);
  });

  it('accepts a UTF-8 byte order mark and CRLF line ends', () => {
    const crlf = `\ufeff${SPC.replace(/\n/g, '\r\n')}`;
    expect(lintText(crlf, 'windows.yaml').findings).toEqual([]);
  });

  it('never throws on mangled versions of the lab manifests, and only uses known rules', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const source = readFileSync(new URL('../../fixtures/manifests/lab/broken-spc.yaml', import.meta.url), 'utf8') + SPC;
    for (let round = 0; round < 150; round++) {
      const chars = [...source];
      for (let edits = 0; edits < 1 + Math.floor(random() * 6); edits++) {
        const at = Math.floor(random() * chars.length);
        const choice = random();
        if (choice < 0.4) chars.splice(at, 1);
        else if (choice < 0.7) chars.splice(at, 0, ' -:|"\'\n\t&*[{'[Math.floor(random() * 13)] ?? ' ');
        else chars[at] = chars[Math.floor(random() * chars.length)] ?? '';
      }
      const findings = lintText(chars.join(''), `round-${round}.yaml`).findings;
      for (const finding of findings) expect(LINT_RULES[finding.rule]).toBeDefined();
    }
  });
});

describe('lintObjects on bad input', () => {
  it('skips nulls, reports non-objects, and never throws on odd shapes', () => {
    const cyclic: Record<string, unknown> = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } };
    cyclic.spec = {
      volumes: [{ name: 'v', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true } }],
      self: cyclic,
    };
    const findings = lintObjects(
      [
        null,
        undefined,
        42,
        'text',
        [],
        { kind: '' },
        { kind: 'SecretProviderClass' },
        { kind: 'Pod', spec: 7 },
        cyclic,
      ],
      'test objects',
    );
    expect(findings.filter((f) => f.rule === 'file/not-a-resource')).toHaveLength(4);
    expect(findings.some((f) => f.rule === 'spc/provider-name')).toBe(true);
    expect(findings.every((f) => f.line === undefined && f.document === undefined)).toBe(true);
  });

  it('returns nothing for an empty list', () => {
    expect(lintObjects([], 'nothing')).toEqual([]);
  });
});
