import { clusterRules } from './rules-cluster.ts';
import { configRules, placeholder } from './rules-config.ts';
import { identityRules } from './rules-identity.ts';
import { keyVaultRules } from './rules-keyvault.ts';
import { transientRules } from './rules-transient.ts';
import type { Facts, Rule, Verdict, Views } from './types.ts';

/**
 * The explicit precedence between evidence layers. A tier is consulted only when every earlier tier found
 * nothing; inside a tier the first rule that answers wins.
 *
 * 1. placeholders: a template value reached a component, so everything after it is noise;
 * 2. configuration: driver install, CRD, SPC object and provider validation fail before any network call;
 * 3. token acquisition: an AADSTS code, NMI or IMDS failure beats the per-object Key Vault wrapper around it;
 * 4. Key Vault's answer: inner code, then code / status number, then DNS, then prose;
 * 5. cluster: sync controller, container references, failures outside the mount;
 * 6. transient: timeouts and resets only when nothing above matched, then an honest fallback.
 */
export const TIERS: readonly { name: string; rules: readonly Rule[] }[] = [
  { name: 'template placeholders', rules: [placeholder] },
  { name: 'driver and SecretProviderClass configuration', rules: configRules },
  { name: 'token acquisition', rules: identityRules },
  { name: 'Key Vault answer', rules: keyVaultRules },
  { name: 'cluster', rules: clusterRules },
  { name: 'timeouts and fallback', rules: transientRules },
];

/** Runs the tiers in order; the last tier always answers. */
export function decide(facts: Facts, views: Views): Verdict {
  for (const tier of TIERS) {
    for (const rule of tier.rules) {
      const found = rule(facts, views);
      if (found) return found;
    }
  }
  return { category: 'OTHER', confidence: 'low', specificity: 0, signals: ['no rule applied'] };
}
