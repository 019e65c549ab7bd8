/**
 * Reads a scenario's `azure.yaml` (the AzureState of sim/azure/state.ts) and merges a variant's Azure state
 * into its base's. Validation checks the fields the simulators rely on and lets unknown fields through, so
 * state.ts can grow without breaking existing scenarios; errors point at the file and line.
 */
import { z } from 'zod';
import type { AzureState } from '../azure/state.ts';
import { ScenarioError } from './scenario-error.ts';
import { parseYamlDocument } from './yaml-source.ts';

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected a GUID');
const time = z.iso.datetime({ offset: true });

const FederatedCredentialSchema = z.looseObject({
  name: z.string().min(1),
  issuer: z.string().min(1),
  subject: z.string().min(1),
  audiences: z.array(z.string().min(1)).min(1),
});

const IdentitySchema = z.looseObject({
  name: z.string().min(1),
  kind: z.enum(['managedIdentity', 'application']).optional(),
  clientId: guid,
  objectId: guid,
  secrets: z.array(z.looseObject({ value: z.string().min(1), expiresOn: time.optional() })).optional(),
  federatedCredentials: z.array(FederatedCredentialSchema).optional(),
});

const VersionSchema = z.looseObject({
  version: z.string().regex(/^[0-9a-f]{32}$/, 'expected 32 lowercase hex characters'),
  value: z.string().optional(),
  contentType: z.string().optional(),
  enabled: z.boolean().optional(),
  created: time.optional(),
  notBefore: time.optional(),
  expires: time.optional(),
  tags: z.record(z.string(), z.string()).optional(),
});

const VaultObjectSchema = z.looseObject({ name: z.string().min(1), versions: z.array(VersionSchema).min(1) });

const VaultSchema = z.looseObject({
  name: z.string().regex(/^[a-zA-Z][-a-zA-Z0-9]{1,22}[a-zA-Z0-9]$/, 'expected a Key Vault name (3-24 characters)'),
  tenantId: guid,
  location: z.string().min(1),
  subscriptionId: guid.optional(),
  resourceGroup: z.string().min(1).optional(),
  accessModel: z.enum(['accessPolicies', 'rbac']),
  accessPolicies: z
    .array(
      z.looseObject({
        objectId: guid,
        tenantId: guid.optional(),
        permissions: z.looseObject({
          secrets: z
            .array(z.enum(['get', 'list', 'set', 'delete', 'recover', 'backup', 'restore', 'purge']))
            .optional(),
          keys: z.array(z.string()).optional(),
          certificates: z.array(z.string()).optional(),
        }),
      }),
    )
    .optional(),
  roleAssignments: z
    .array(z.looseObject({ principalId: guid, role: z.string().min(1), scope: z.string().min(1).optional() }))
    .optional(),
  network: z
    .looseObject({
      publicNetworkAccess: z.enum(['Enabled', 'Disabled']).optional(),
      defaultAction: z.enum(['Allow', 'Deny']).optional(),
      ipRules: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  secrets: z.array(VaultObjectSchema).optional(),
  keys: z.array(VaultObjectSchema).optional(),
  certificates: z.array(VaultObjectSchema).optional(),
});

const AzureStateSchema = z.looseObject({
  tenants: z.array(z.looseObject({ id: guid, displayName: z.string().min(1), identities: z.array(IdentitySchema) })),
  vaults: z.array(VaultSchema),
  clientAddress: z.ipv4().optional(),
});

/** Parses and validates an azure.yaml text. */
export function parseAzureState(text: string, file: string): AzureState {
  const doc = parseYamlDocument(text, file);
  const result = AzureStateSchema.safeParse(doc.value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path ?? [];
    const where = path.length > 0 ? ` at ${path.join('.')}` : '';
    throw new ScenarioError(`${file}:${doc.lineOf(path)}: invalid Azure state${where}: ${issue?.message}.`);
  }
  const state: AzureState = result.data;
  return state;
}

/** An empty Azure state (a scenario without azure.yaml). */
export function emptyAzureState(): AzureState {
  return { tenants: [], vaults: [] };
}

/**
 * A variant's Azure state over its base's: tenants with the same id and vaults with the same name are
 * replaced whole, others are added; `clientAddress` is taken from the variant when it sets one.
 */
export function mergeAzureState(base: AzureState, own: AzureState): AzureState {
  const tenants = new Map(base.tenants.map((t) => [t.id.toLowerCase(), t]));
  for (const tenant of own.tenants) tenants.set(tenant.id.toLowerCase(), tenant);
  const vaults = new Map(base.vaults.map((v) => [v.name.toLowerCase(), v]));
  for (const vault of own.vaults) vaults.set(vault.name.toLowerCase(), vault);
  const clientAddress = own.clientAddress ?? base.clientAddress;
  return {
    tenants: [...tenants.values()],
    vaults: [...vaults.values()],
    ...(clientAddress === undefined ? {} : { clientAddress }),
  };
}
