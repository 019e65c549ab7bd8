/**
 * What an authenticated caller may do, in the order Key Vault decides it: network rules first, then the access
 * model. Network comes first because the service rejects a firewalled request whatever the caller's
 * permissions — its ForbiddenByFirewall/ForbiddenByConnection texts name the caller (so authentication has
 * run) but never a permission, and Microsoft's troubleshooting for the CSI driver treats the network 403 as
 * the one to fix before access policies or roles.
 */
import type { Vault } from '../azure/state.ts';
import { type KeyVaultError, kvErrors, type ObjectKind, type Subject } from './errors.ts';
import { DATA_ACTIONS, roleGrants } from './rbac-roles.ts';
import type { Principal } from './token-check.ts';

/** Where simulated egress appears to come from when the state does not say. */
export const DEFAULT_CLIENT_ADDRESS = '20.10.0.4';
/** Resource-id parts used in RBAC texts when the state leaves them out. */
const DEFAULT_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
const DEFAULT_RESOURCE_GROUP = 'rg-kvlab';

/** One simulated operation: which kind of object, get or list, and (for get) which object. */
export interface Operation {
  kind: ObjectKind;
  verb: 'get' | 'list';
  name?: string;
}

/** The caller and vault as the 403 texts name them. */
export function subjectOf(vault: Vault, principal: Principal): Subject {
  return { vault: vault.name, location: vault.location, caller: principal.caller };
}

/** Public network access and the IP firewall; `undefined` when the request may reach the vault. */
export function checkNetwork(vault: Vault, clientAddress: string, subject: Subject): KeyVaultError | undefined {
  const network = vault.network ?? {};
  if (network.publicNetworkAccess === 'Disabled') return kvErrors.forbiddenByConnection(subject);
  if (network.defaultAction === 'Deny' && !(network.ipRules ?? []).some((rule) => ipv4InRule(clientAddress, rule))) {
    return kvErrors.forbiddenByFirewall(subject, clientAddress);
  }
  return undefined;
}

/** Access policies or Azure RBAC, whichever the vault uses; `undefined` when the operation is allowed. */
export function checkAccess(
  vault: Vault,
  principal: Principal,
  op: Operation,
  subject: Subject,
): KeyVaultError | undefined {
  const oid = principal.objectId.toLowerCase();
  if (vault.accessModel === 'accessPolicies') {
    const allowed = (vault.accessPolicies ?? []).some(
      (p) =>
        p.objectId.toLowerCase() === oid &&
        (!p.tenantId || p.tenantId.toLowerCase() === principal.tenantId.toLowerCase()) &&
        permissionsFor(p.permissions, op.kind).some(
          (perm) => perm.toLowerCase() === op.verb || perm.toLowerCase() === 'all',
        ),
    );
    return allowed ? undefined : kvErrors.accessDenied(subject, `${op.kind}s ${op.verb}`);
  }
  const action = DATA_ACTIONS[`${op.kind}:${op.verb}`];
  const objectScope = op.name ? `${op.kind}s/${op.name}`.toLowerCase() : undefined;
  const allowed = (vault.roleAssignments ?? []).some(
    (a) =>
      a.principalId.toLowerCase() === oid &&
      (a.scope === undefined || a.scope === 'vault' || a.scope.toLowerCase() === objectScope) &&
      roleGrants(a.role, action),
  );
  return allowed ? undefined : kvErrors.forbiddenByRbac(subject, action, resourceId(vault, op));
}

function permissionsFor(
  permissions: NonNullable<Vault['accessPolicies']>[number]['permissions'],
  kind: ObjectKind,
): string[] {
  if (kind === 'secret') return permissions.secrets ?? [];
  if (kind === 'key') return permissions.keys ?? [];
  return permissions.certificates ?? [];
}

/** ARM resource id as RBAC texts print it (provider path in lower case, as observed). */
function resourceId(vault: Vault, op: Operation): string {
  const base = `/subscriptions/${vault.subscriptionId ?? DEFAULT_SUBSCRIPTION}/resourcegroups/${
    vault.resourceGroup ?? DEFAULT_RESOURCE_GROUP
  }/providers/microsoft.keyvault/vaults/${vault.name}`;
  return op.name ? `${base}/${op.kind}s/${op.name}` : base;
}

/** Whether an IPv4 address falls in a rule written as `a.b.c.d` or `a.b.c.d/nn`. */
export function ipv4InRule(address: string, rule: string): boolean {
  const [net, bitsText] = rule.trim().split('/');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const a = ipv4ToInt(address);
  const n = ipv4ToInt(net ?? '');
  if (a === undefined || n === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (a & mask) >>> 0 === (n & mask) >>> 0;
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    const octet = Number(part);
    if (!/^\d{1,3}$/.test(part) || octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}
