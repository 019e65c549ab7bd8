/**
 * The Azure side of a generated class (generate-class.ts): one federated credential per copy on its template's
 * identity — more identities with the same access once one holds Azure's 20 — and per-student identities cloned
 * per copy.
 */
import type { AzureState, Identity } from '../azure/state.ts';
import { ScenarioError } from './scenario-error.ts';
import { guid } from './seeded.ts';

/** Azure's limit of federated identity credentials on one user-assigned managed identity. */
export const MAX_FICS_PER_IDENTITY = 20;

/**
 * The Azure side of the generated class: removes the templates' own federated credentials and per-student
 * identities, then gives each copy what its template had, on identities that respect Azure's FIC limit.
 */
export class AzurePlan {
  /** A shared identity → the identities its copies' credentials go to (itself first). */
  private readonly pools = new Map<Identity, Identity[]>();
  /** Identities added after a given one (pool members, per-student clones), for a readable order. */
  private readonly after = new Map<Identity, Identity[]>();
  private readonly templateFics = new Map<
    string,
    { owner: Identity; fics: NonNullable<Identity['federatedCredentials']> }
  >();
  private readonly removed = new Set<Identity>();

  readonly state: AzureState;

  constructor(state: AzureState, studentNamespaces: Set<string>) {
    this.state = state;
    for (const identity of this.identities()) {
      const fics = identity.federatedCredentials ?? [];
      for (const fic of fics) {
        const ns = subjectNamespace(fic.subject);
        if (ns === undefined || !studentNamespaces.has(ns)) continue;
        const entry = this.templateFics.get(ns) ?? { owner: identity, fics: [] };
        entry.fics.push(fic);
        this.templateFics.set(ns, entry);
      }
      if (identity.federatedCredentials) {
        identity.federatedCredentials = fics.filter((f) => !studentNamespaces.has(subjectNamespace(f.subject) ?? ''));
      }
      // A template's own identity (student-09's `id-kvlab-student-09`) is cloned per copy and then goes.
      if ([...studentNamespaces].some((ns) => identity.name.endsWith(`-${ns}`))) this.removed.add(identity);
    }
  }

  /**
   * Gives `namespace` (a copy of `template` whose objects' JSON is `templateText`) its credentials and, where
   * they differ from the template's, identities; returns the strings to replace in the copy (client and object
   * ids, and a client id with its last two characters swapped, the shape of student-10's typo).
   */
  provision(template: string, namespace: string, templateText: string): Map<string, string> {
    const chosen = new Map<Identity, Identity>();
    const templateFic = this.templateFics.get(template);
    for (const identity of this.identities()) {
      if (!templateText.includes(identity.clientId)) continue;
      if (this.removed.has(identity)) chosen.set(identity, this.clonePerStudent(identity, template, namespace));
    }
    if (templateFic && !chosen.has(templateFic.owner)) {
      const member = this.member(templateFic.owner);
      member.federatedCredentials = [
        ...(member.federatedCredentials ?? []),
        ...templateFic.fics.map((fic) => ({
          ...structuredClone(fic),
          name: fic.name.split(template).join(namespace),
          subject: fic.subject.split(template).join(namespace),
        })),
      ];
      chosen.set(templateFic.owner, member);
    }
    const replacements = new Map<string, string>();
    for (const [from, to] of chosen) {
      if (from === to) continue;
      replacements.set(from.clientId, to.clientId);
      replacements.set(from.objectId, to.objectId);
      replacements.set(swapLastTwo(from.clientId), swapLastTwo(to.clientId));
    }
    return replacements;
  }

  /** Rebuilds the tenants' identity lists and fails if any identity holds more than Azure's FIC limit. */
  check(): void {
    for (const tenant of this.state.tenants) {
      tenant.identities = tenant.identities.flatMap((identity) => [
        ...(this.removed.has(identity) ? [] : [identity]),
        ...(this.after.get(identity) ?? []),
      ]);
      for (const identity of tenant.identities) {
        const count = identity.federatedCredentials?.length ?? 0;
        if (count > MAX_FICS_PER_IDENTITY) {
          throw new ScenarioError(`identity ${identity.name} has ${count} federated credentials (Azure allows 20).`);
        }
      }
    }
    for (const identity of this.removed) this.revokeAccess(identity);
  }

  /** The pool member with room for one more credential, adding an identity with the same access when all are full. */
  private member(base: Identity): Identity {
    const pool = this.pools.get(base) ?? [base];
    this.pools.set(base, pool);
    const last = pool[pool.length - 1]!;
    if ((last.federatedCredentials?.length ?? 0) < MAX_FICS_PER_IDENTITY) return last;
    const added = this.cloneIdentity(base, `${base.name}-${pool.length + 1}`);
    pool.push(added);
    return added;
  }

  private clonePerStudent(identity: Identity, template: string, namespace: string): Identity {
    const clone = this.cloneIdentity(identity, identity.name.split(template).join(namespace));
    const own = this.templateFics.get(template);
    clone.federatedCredentials = (own?.owner === identity ? own.fics : []).map((fic) => ({
      ...structuredClone(fic),
      name: fic.name.split(template).join(namespace),
      subject: fic.subject.split(template).join(namespace),
    }));
    return clone;
  }

  /** A new identity named `name` with `base`'s kind and every access policy and role assignment `base` holds. */
  private cloneIdentity(base: Identity, name: string): Identity {
    const clone: Identity = {
      name,
      ...(base.kind ? { kind: base.kind } : {}),
      clientId: guid('clientId', name),
      objectId: guid('objectId', name),
      federatedCredentials: [],
    };
    const list = this.after.get(base) ?? [];
    list.push(clone);
    this.after.set(base, list);
    for (const vault of this.state.vaults) {
      for (const policy of [...(vault.accessPolicies ?? [])]) {
        if (policy.objectId === base.objectId)
          vault.accessPolicies?.push({ ...structuredClone(policy), objectId: clone.objectId });
      }
      for (const assignment of [...(vault.roleAssignments ?? [])]) {
        if (assignment.principalId === base.objectId) {
          vault.roleAssignments?.push({ ...structuredClone(assignment), principalId: clone.objectId });
        }
      }
    }
    return clone;
  }

  private revokeAccess(identity: Identity): void {
    for (const vault of this.state.vaults) {
      if (vault.accessPolicies)
        vault.accessPolicies = vault.accessPolicies.filter((p) => p.objectId !== identity.objectId);
      if (vault.roleAssignments) {
        vault.roleAssignments = vault.roleAssignments.filter((a) => a.principalId !== identity.objectId);
      }
    }
  }

  private identities(): Identity[] {
    return this.state.tenants.flatMap((t) => t.identities);
  }
}

function subjectNamespace(subject: string): string | undefined {
  return /^system:serviceaccount:([^:]+):/.exec(subject)?.[1];
}

function swapLastTwo(id: string): string {
  return `${id.slice(0, -2)}${id.at(-1)}${id.at(-2)}`;
}
