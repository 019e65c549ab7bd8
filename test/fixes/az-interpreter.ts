/**
 * A small, honest interpreter for the handful of `az` commands kvlab suggests to instructors, applying each
 * command's effect to the simulated Azure state (sim/azure/state.ts) through `mutateAzure`, so the simulated
 * kubelet retries. Any command, flag or query it does not understand throws: a suggestion it cannot run fails
 * the test. Also a minimal shell word splitter (quotes, $VAR, $(…)) for the lines as a person would paste them.
 */
import {
  type AzureState,
  type Identity,
  mutateAzure,
  type SecretPermission,
  type Vault,
} from '../../sim/azure/state.ts';

/** Splits `line` into words as sh would: '…' literal, "…" with $VAR and $(…) expanded, bare words likewise. */
export function splitWords(line: string, vars: Map<string, string>, substitute: (command: string) => string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
      continue;
    }
    if (c === '$' && line[i + 1] === '(') {
      const end = closingParen(line, i + 1);
      word += substitute(line.slice(i + 2, end)).trim();
      inWord = true;
      i = end;
      continue;
    }
    if (c === '$' && /[A-Za-z_]/.test(line[i + 1] ?? '')) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(i + 1))?.[0] as string;
      const value = vars.get(name);
      if (value === undefined) throw new Error(`unset shell variable $${name} in: ${line}`);
      word += value;
      inWord = true;
      i += name.length;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated quote in: ${line}`);
  if (inWord) words.push(word);
  return words;
}

function closingParen(line: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  throw new Error(`unclosed $( in: ${line}`);
}

/** `--flag value…` pairs; a flag takes every word up to the next flag. */
function flags(words: string[], known: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string | undefined;
  for (const w of words) {
    if (w.startsWith('-')) {
      const name = w === '-o' ? '--output' : w;
      if (!known.includes(name)) throw new Error(`az: flag ${w} not understood (knows ${known.join(' ')})`);
      current = name;
      out.set(name, []);
    } else if (current) out.get(current)?.push(w);
    else throw new Error(`az: unexpected word ${w}`);
  }
  return out;
}

const one = (f: Map<string, string[]>, name: string): string => {
  const v = f.get(name);
  if (v?.length !== 1) throw new Error(`az: ${name} needs exactly one value`);
  return v[0] as string;
};

const identities = (s: AzureState): Identity[] => s.tenants.flatMap((t) => t.identities);
const vaultNamed = (s: AzureState, name: string): Vault => {
  const v = s.vaults.find((x) => x.name === name);
  if (!v) throw new Error(`az: (ResourceNotFound) vault ${name} not found`);
  return v;
};
const vaultId = (v: Vault) =>
  `/subscriptions/${v.subscriptionId}/resourceGroups/${v.resourceGroup}/providers/Microsoft.KeyVault/vaults/${v.name}`;
const identityBy = (s: AzureState, id: string): Identity => {
  const found = identities(s).find((i) => i.clientId === id || i.objectId === id);
  if (!found) throw new Error(`az: no service principal ${id}`);
  return found;
};

/** Runs one `az …` command against `state`; returns what `-o tsv` would print. */
export function runAz(state: AzureState, words: string[]): string {
  if (words[0] !== 'az') throw new Error(`not an az command: ${words.join(' ')}`);
  const verb = words.slice(1, 4).join(' ');
  if (verb.startsWith('identity list')) {
    const f = flags(words.slice(3), ['--query', '--output']);
    const q = /^\[\?clientId=='([0-9a-f-]+)'\]\.(name|resourceGroup|principalId)$/.exec(one(f, '--query'));
    if (!q || one(f, '--output') !== 'tsv')
      throw new Error(`az identity list: query not understood: ${one(f, '--query')}`);
    const found = identities(state).filter((i) => i.clientId === q[1]);
    // The simulated tenant has no resource groups for identities; any non-empty value stands in for it.
    return found
      .map((i) => (q[2] === 'name' ? i.name : q[2] === 'principalId' ? i.objectId : 'rg-identities'))
      .join('\n');
  }
  if (verb === 'identity federated-credential create') {
    const f = flags(words.slice(4), [
      '--name',
      '--identity-name',
      '--resource-group',
      '--issuer',
      '--subject',
      '--audience',
      '--audiences',
    ]);
    const identity = identities(state).find((i) => i.name === one(f, '--identity-name'));
    if (!identity) throw new Error(`az: identity ${one(f, '--identity-name')} not found`);
    if (!one(f, '--resource-group')) throw new Error('az: --resource-group is empty');
    const name = one(f, '--name');
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/.test(name))
      throw new Error(`az: invalid federated credential name ${name}`);
    if (identity.federatedCredentials?.some((c) => c.name === name)) throw new Error(`az: ${name} exists`);
    const audiences = f.get('--audience') ?? f.get('--audiences') ?? ['api://AzureADTokenExchange'];
    mutateAzure(
      state,
      () => {
        identity.federatedCredentials = [
          ...(identity.federatedCredentials ?? []),
          { name, issuer: one(f, '--issuer'), subject: one(f, '--subject'), audiences },
        ];
      },
      `federated credential ${name}`,
    );
    return '';
  }
  if (verb === 'keyvault show --name') {
    const f = flags(words.slice(3), ['--name', '--query', '--output']);
    if (one(f, '--query') !== 'id') throw new Error(`az keyvault show: query ${one(f, '--query')} not understood`);
    return vaultId(vaultNamed(state, one(f, '--name')));
  }
  if (verb.startsWith('keyvault set-policy')) {
    const f = flags(words.slice(3), ['--name', '--object-id', '--spn', '--secret-permissions']);
    const vault = vaultNamed(state, one(f, '--name'));
    if (vault.accessModel !== 'accessPolicies')
      throw new Error('az: the vault uses Azure RBAC; set-policy has no effect');
    const objectId = f.has('--object-id') ? one(f, '--object-id') : identityBy(state, one(f, '--spn')).objectId;
    const secrets = (f.get('--secret-permissions') ?? []) as SecretPermission[];
    mutateAzure(
      state,
      () => {
        vault.accessPolicies ??= [];
        const policies = vault.accessPolicies;
        const existing = policies.find((p) => p.objectId === objectId);
        // set-policy replaces the permissions of the given kind for that principal.
        if (existing) existing.permissions.secrets = secrets;
        else policies.push({ objectId, permissions: { secrets } });
      },
      `access policy on ${vault.name}`,
    );
    return '';
  }
  if (verb === 'role assignment create') {
    const f = flags(words.slice(4), ['--role', '--assignee', '--scope']);
    const prefix = state.vaults.find((v) => one(f, '--scope').startsWith(vaultId(v)));
    if (!prefix) throw new Error(`az: scope ${one(f, '--scope')} is no vault`);
    const rest = one(f, '--scope').slice(vaultId(prefix).length);
    const principalId = identityBy(state, one(f, '--assignee')).objectId;
    mutateAzure(
      state,
      () => {
        prefix.roleAssignments ??= [];
        prefix.roleAssignments.push({
          principalId,
          role: one(f, '--role'),
          scope: rest ? rest.slice(1) : 'vault',
        });
      },
      `role assignment on ${prefix.name}`,
    );
    return '';
  }
  if (verb === 'keyvault network-rule add') {
    const f = flags(words.slice(4), ['--name', '--ip-address', '--resource-group']);
    const vault = vaultNamed(state, one(f, '--name'));
    mutateAzure(
      state,
      () => {
        vault.network ??= {};
        vault.network.ipRules = [...(vault.network.ipRules ?? []), one(f, '--ip-address')];
      },
      `network rule on ${vault.name}`,
    );
    return '';
  }
  if (verb.startsWith('keyvault update')) {
    const f = flags(words.slice(3), ['--name', '--public-network-access', '--resource-group']);
    const value = one(f, '--public-network-access');
    if (value !== 'Enabled' && value !== 'Disabled') throw new Error(`az: --public-network-access ${value}`);
    const vault = vaultNamed(state, one(f, '--name'));
    mutateAzure(
      state,
      () => {
        vault.network = { ...(vault.network ?? {}), publicNetworkAccess: value };
      },
      `public access on ${vault.name}`,
    );
    return '';
  }
  throw new Error(`az command not understood: ${words.join(' ')}`);
}
