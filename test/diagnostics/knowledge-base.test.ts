import { describe, expect, it } from 'vitest';
import { CATEGORIES, COMMON_PROBLEM_ROW } from '../../diagnostics/categories.ts';
import {
  FACT_HINTS,
  isKbVariant,
  KB_FACTS,
  type KbEntry,
  type KbText,
  KNOWLEDGE_BASE,
  KNOWLEDGE_BASE_PARTS,
  PLACEHOLDER,
  renderKnowledge,
  UNLESS_KNOWN,
} from '../../diagnostics/knowledge/knowledge-base.ts';
import { LINT_RULE_IDS, LINT_RULES } from '../../diagnostics/knowledge/lint/index.ts';

/** Every text of every entry and variant, with where it comes from. */
function allTexts(): Array<{ where: string; text: string }> {
  const out: Array<{ where: string; text: string }> = [];
  const add = (where: string, part: Partial<KbText>) => {
    for (const key of ['title', 'cause', 'docs'] as const) {
      const value = part[key];
      if (value !== undefined) out.push({ where: `${where}.${key}`, text: value });
    }
    for (const [i, text] of (part.fix ?? []).entries()) out.push({ where: `${where}.fix[${i}]`, text });
    for (const [i, text] of (part.verify ?? []).entries()) out.push({ where: `${where}.verify[${i}]`, text });
  };
  for (const category of CATEGORIES) {
    const entry: KbEntry = KNOWLEDGE_BASE[category];
    add(category, entry);
    for (const [name, variant] of Object.entries(entry.variants ?? {})) add(`${category}.variants.${name}`, variant);
  }
  return out;
}

describe('knowledge base well-formedness', () => {
  it('has exactly one entry per category, from disjoint parts', () => {
    expect(Object.keys(KNOWLEDGE_BASE).sort()).toEqual([...CATEGORIES].sort());
    const keys = KNOWLEDGE_BASE_PARTS.flatMap((part) => Object.keys(part));
    expect(keys.sort()).toEqual([...CATEGORIES].sort());
  });

  it("gives each entry the lab's Common Problems row from COMMON_PROBLEM_ROW", () => {
    for (const category of CATEGORIES) {
      expect(KNOWLEDGE_BASE[category].commonProblem, category).toBe(COMMON_PROBLEM_ROW[category]);
    }
  });

  it('has non-empty titles, causes, fix and verify steps, in entries and variants', () => {
    for (const category of CATEGORIES) {
      const entry: KbEntry = KNOWLEDGE_BASE[category];
      expect(entry.fix.length, category).toBeGreaterThan(0);
      expect(entry.verify.length, category).toBeGreaterThan(0);
      for (const variant of Object.values(entry.variants ?? {})) {
        expect(Object.keys(variant).length, category).toBeGreaterThan(0);
        if (variant.fix) expect(variant.fix.length, category).toBeGreaterThan(0);
        if (variant.verify) expect(variant.verify.length, category).toBeGreaterThan(0);
      }
    }
    for (const { where, text } of allTexts()) {
      expect(text.trim(), where).not.toBe('');
      expect(text, where).toBe(text.trim());
    }
  });

  it('links only https documentation', () => {
    for (const { where, text } of allTexts().filter((t) => t.where.endsWith('.docs'))) {
      expect(new URL(text).protocol, where).toBe('https:');
    }
  });

  it('uses only placeholders from KB_FACTS, and uses every fact somewhere', () => {
    const used = new Set<string>();
    for (const { where, text: raw } of allTexts()) {
      // A lookup step's `{unless:<fact>}` names a fact too (knowledge-base.ts UNLESS_KNOWN).
      const lookup = UNLESS_KNOWN.exec(raw);
      if (lookup) expect(KB_FACTS as readonly string[], `${where}: {unless:${lookup[1]}}`).toContain(lookup[1]);
      const text = lookup ? raw.slice(lookup[0].length) : raw;
      for (const match of text.matchAll(PLACEHOLDER)) {
        expect(KB_FACTS as readonly string[], `${where}: {${match[1]}}`).toContain(match[1]);
        used.add(match[1] ?? '');
      }
      expect(text.replace(PLACEHOLDER, ''), `${where}: stray brace`).not.toMatch(/[{}]/);
    }
    expect([...used].sort()).toEqual([...KB_FACTS].sort());
  });

  it('keeps texts plain (no Slack or Markdown markup)', () => {
    for (const { where, text } of allTexts()) expect(text, where).not.toMatch(/`|\*\*|<https?:/);
  });

  it('keys lint-rule variants by real rule ids of the same category', () => {
    for (const category of CATEGORIES) {
      const entry: KbEntry = KNOWLEDGE_BASE[category];
      for (const name of Object.keys(entry.variants ?? {}).filter((n) => n.includes('/'))) {
        expect(LINT_RULE_IDS as readonly string[], name).toContain(name);
        expect(LINT_RULES[name as keyof typeof LINT_RULES].category, name).toBe(category);
      }
    }
  });

  it('maps every lint rule to a category that has an entry', () => {
    for (const id of LINT_RULE_IDS) expect(KNOWLEDGE_BASE[LINT_RULES[id].category], id).toBeDefined();
  });
});

describe('renderKnowledge', () => {
  it("fills in the student's names", () => {
    const rendered = renderKnowledge(
      'ACCESS_DENIED',
      { vault: 'kv-class-a-lab', objectId: 'aaaa-oid', clientId: 'cccc-cid', objectName: 'db-password' },
      'access-policy',
    );
    expect(rendered.fix[0]).toBe(
      'Instructor: az keyvault set-policy --name kv-class-a-lab --object-id aaaa-oid --secret-permissions get',
    );
    expect(rendered.title).toBe('Identity cccc-cid may not read db-password in vault kv-class-a-lab');
    expect(rendered.variant).toBe('access-policy');
    expect(rendered.commonProblem).toBe(5);
    expect(rendered.docs).toBe('https://learn.microsoft.com/azure/key-vault/general/assign-access-policy');
  });

  it('shows a visible hint for a missing fact, never "undefined"', () => {
    const rendered = renderKnowledge('ACCESS_DENIED', { clientId: 'cccc-cid' }, 'rbac');
    expect(rendered.fix[0]).toContain(`--scope $(az keyvault show --name ${FACT_HINTS.vault} --query id -o tsv)`);
    const everything = JSON.stringify(renderKnowledge('AUTH_FAILED', {}));
    expect(everything).not.toMatch(/undefined|\{[A-Za-z]+\}/);
    expect(everything).toContain('<service account>');
  });

  it('treats blank facts as missing', () => {
    expect(renderKnowledge('SPC_NOT_FOUND', { spc: '  ', namespace: 'student-1' }).title).toBe(
      'SecretProviderClass <SecretProviderClass name> was not found in namespace student-1',
    );
  });

  it('renders the federation fix with the exact subject for the ServiceAccount', () => {
    const rendered = renderKnowledge(
      'AUTH_FAILED',
      {
        namespace: 'student-1',
        serviceAccount: 'workload-identity-sa',
        identityName: 'id-lab',
        resourceGroup: 'rg-lab',
        issuer: 'https://westeurope.oic.prod-aks.azure.com/t/c/',
      },
      'federation',
    );
    expect(rendered.fix).toContain(
      'Instructor: az identity federated-credential create --name student-1-workload-identity-sa --identity-name id-lab --resource-group rg-lab --issuer https://westeurope.oic.prod-aks.azure.com/t/c/ --subject system:serviceaccount:student-1:workload-identity-sa --audience api://AzureADTokenExchange',
    );
    expect(rendered.verify).toContain('kubectl describe pod <pod name> -n student-1');
  });

  it("gives the lab's own fixes for driver, SPC and sync problems", () => {
    expect(renderKnowledge('CSI_DRIVER_NOT_INSTALLED', { cluster: 'aks-lab', resourceGroup: 'rg' }).fix).toContain(
      'az aks enable-addons --addons azure-keyvault-secrets-provider --name aks-lab --resource-group rg',
    );
    expect(renderKnowledge('SPC_NOT_FOUND', { namespace: 'student-1' }).fix[0]).toBe(
      'kubectl get secretproviderclass -n student-1',
    );
    expect(renderKnowledge('SYNC_SECRET_MISSING', { spc: 'azure-kv-secrets-sync' }, 'not-mounted').cause).toContain(
      'created only when a pod mounts the volume',
    );
  });

  it('falls back to the entry text for fields a variant does not override', () => {
    const base = renderKnowledge('FIREWALL', { vault: 'kv' });
    const variant = renderKnowledge('FIREWALL', { vault: 'kv' }, 'firewall');
    expect(variant.fix).toEqual(base.fix);
    expect(variant.cause).not.toBe(base.cause);
  });

  it('ignores a variant the category does not have', () => {
    const unknown: string = 'rbac';
    expect(renderKnowledge('OTHER', { pod: 'p' }, unknown)).toEqual(renderKnowledge('OTHER', { pod: 'p' }));
    expect(renderKnowledge('OTHER', { pod: 'p' }, unknown)).not.toHaveProperty('variant');
  });

  it('recognises variant names that arrive as strings', () => {
    expect(isKbVariant('ACCESS_DENIED', 'rbac')).toBe(true);
    expect(isKbVariant('ACCESS_DENIED', 'toString')).toBe(false);
    expect(isKbVariant('OTHER', 'rbac')).toBe(false);
  });

  it('shows a lookup step only while its fact is unknown', () => {
    const facts = { vault: 'kv-lab', objectName: 'db-password', clientId: '9a4c1e7f-3d2b-4a86-b5c0-e1f2d3c4b5a6' };
    const unknown = renderKnowledge('ACCESS_DENIED', facts, 'access-policy');
    expect(unknown.fix).toEqual([
      `Instructor: az keyvault set-policy --name kv-lab --object-id ${FACT_HINTS.objectId} --secret-permissions get`,
      `The object ID is: az identity show --name ${FACT_HINTS.identityName} --resource-group ${FACT_HINTS.resourceGroup} --query principalId -o tsv`,
    ]);
    const known = renderKnowledge(
      'ACCESS_DENIED',
      { ...facts, objectId: '7e6d5c4b-3a29-4187-9f6e-5d4c3b2a1908' },
      'access-policy',
    );
    expect(known.fix).toEqual([
      'Instructor: az keyvault set-policy --name kv-lab --object-id 7e6d5c4b-3a29-4187-9f6e-5d4c3b2a1908 --secret-permissions get',
    ]);
  });
});
