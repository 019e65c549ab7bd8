/**
 * Placeholder detection. Any template marker left in (`${VAR}`, `$VAR`, `$(VAR)`, `{{ .Values.x }}`, `<your-vault>`,
 * `REPLACE_ME`, an all-x or all-zero GUID, and the lab's own `<KEY_VAULT_NAME>`…) reaches the provider or API server
 * literally, so under the provider profile every one is the same error (`spc/placeholder`, `pod/placeholder`, `sa/placeholder`).
 * Under the lab profile the lab's own documented placeholders (`<KEY_VAULT_NAME>`, `<IDENTITY_CLIENT_ID>`,
 * `<TENANT_ID>`, `<SERVICE_ACCOUNT_NAME>`) are warnings (the `…/lab-placeholder` rules): the lab prints its manifests with them,
 * and its Task 5 challenge asks for exactly three errors in an SPC that still carries them. The warning still says
 * the manifest cannot work until they are replaced. Value-format rules skip placeholder values, so one mistake
 * gives one finding.
 */

import type { RuleId } from './rule-table.ts';
import type { Issue, LintProfile, PathSegment } from './types.ts';
import { isRecord } from './values.ts';

/** The placeholders the lab tells students to replace, and what each stands for. */
export const LAB_PLACEHOLDERS: Readonly<Record<string, string>> = {
  '<KEY_VAULT_NAME>': 'the Key Vault name',
  '<IDENTITY_CLIENT_ID>': "the managed identity's client ID",
  '<TENANT_ID>': 'the tenant ID',
  '<SERVICE_ACCOUNT_NAME>': 'the ServiceAccount name',
};

const TEMPLATE_MARKERS: readonly RegExp[] = [
  /\$\{[^}\n]{0,80}\}/, // ${VAR} (envsubst, shell)
  /\$\([^)\n]{0,80}\)/, // $(VAR) / $(command)
  /\$[A-Z_][A-Z0-9_]{2,}/, // $VAR, as in the provider's own examples ($KEYVAULT_NAME)
  /\{\{[^}\n]{0,120}\}\}/, // Helm / Go templates
  /<[A-Za-z][A-Za-z0-9 _.-]{0,63}>/, // <your-vault-name>
  /^(REPLACE|CHANGE|FILL)[-_ ]?(ME|THIS|IT)?$|^TODO$|^TBD$/i,
  /^x{8}-x{4}-x{4}-x{4}-x{12}$/i,
  /^0{8}-0{4}-0{4}-0{4}-0{12}$/,
];

export type PlaceholderKind = { kind: 'lab'; token: string } | { kind: 'template'; token: string };

/** Whether `text` still holds a placeholder, and which. */
export function findPlaceholder(text: string): PlaceholderKind | undefined {
  for (const token of Object.keys(LAB_PLACEHOLDERS)) {
    if (text.includes(token)) return { kind: 'lab', token };
  }
  for (const marker of TEMPLATE_MARKERS) {
    const match = marker.exec(text.trim());
    if (match) return { kind: 'template', token: match[0] };
  }
  return undefined;
}

export function isPlaceholder(text: string | undefined): boolean {
  return text !== undefined && findPlaceholder(text) !== undefined;
}

const MAX_DEPTH = 32;

/** Calls `visit` for every string leaf under `value` (depth-limited), with its path. */
export function forEachString(
  value: unknown,
  at: PathSegment[],
  visit: (text: string, at: PathSegment[]) => void,
  depth = 0,
): void {
  if (depth > MAX_DEPTH) return;
  if (typeof value === 'string') visit(value, at);
  else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) forEachString(value[i], [...at, i], visit, depth + 1);
  } else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) forEachString(item, [...at, key], visit, depth + 1);
  }
}

/** Placeholder issues for the string leaves under the given roots, using the kind's two rule ids. */
export function placeholderIssues(
  roots: ReadonlyArray<{ value: unknown; at: PathSegment[] }>,
  rules: { lab: RuleId; template: RuleId },
  profile: LintProfile,
): Issue[] {
  const issues: Issue[] = [];
  for (const root of roots) {
    forEachString(root.value, root.at, (text, at) => {
      const found = findPlaceholder(text);
      if (found === undefined) return;
      const field = String(at[at.length - 1] ?? 'value');
      if (found.kind === 'lab' && profile === 'lab') {
        issues.push({
          rule: rules.lab,
          at,
          message: `${field} still holds the lab placeholder ${found.token}; the manifest cannot work until it is replaced with ${LAB_PLACEHOLDERS[found.token]} your instructor gave you.`,
          fix: `Replace ${found.token} with ${LAB_PLACEHOLDERS[found.token]} from your instructor, then lint again.`,
        });
      } else {
        issues.push({
          rule: rules.template,
          at,
          message: `${field} is "${text}", which contains the unfilled placeholder ${found.token}; nothing substitutes it, so the provider or API server receives it literally.`,
          fix: `Replace ${found.token} with the real value (or run your templating step, e.g. envsubst or helm template, before applying).`,
        });
      }
    });
  }
  return issues;
}
