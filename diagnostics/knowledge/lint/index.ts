/** Public API of the SecretProviderClass / Pod linter (`kvlab lint`). See README.md for the rule list and choices. */
export { lintObjects } from './lint-objects.ts';
export { lintText, MAX_ALIAS_COUNT, MAX_LINT_BYTES } from './lint-text.ts';
export { LINT_RULE_IDS, LINT_RULES, type LintRuleInfo, type RuleId } from './rule-table.ts';
export {
  LINT_PROFILES,
  type LintFileResult,
  type LintFinding,
  type LintObjectRef,
  type LintOptions,
  type LintProfile,
  type Severity,
} from './types.ts';
