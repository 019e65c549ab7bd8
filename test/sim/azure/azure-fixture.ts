/**
 * One small Azure scenario for the Entra ID and Key Vault simulator tests: a tenant with a workload identity
 * federated to a simulated AKS issuer, vaults for each access outcome, and the servers started over TLS with a
 * throw-away CA. Clients trust that CA only through src/azure/transport.ts options (no NODE_EXTRA_CA_CERTS),
 * which also proves the options reach msal's network calls.
 */
import { randomUUID } from 'node:crypto';
import { ClientAssertionCredential } from '@azure/identity';
import type { AzureState } from '../../../sim/azure/state.ts';
import { createSigningKey, type JwtClaims, type SigningKey, signJwt } from '../../../sim/common/jwt.ts';
import { createCertificateAuthority } from '../../../sim/common/tls.ts';
import { type EntraServer, startEntraServer } from '../../../sim/entra/server.ts';
import { type KeyVaultServer, startKeyVaultServer } from '../../../sim/keyvault/server.ts';
import { type AzureTransport, createAzureTransport } from '../../../src/azure/transport.ts';

export const TENANT = '6f1c1f0e-3a8f-4c52-9d1e-0b9a7c2d4e11';
export const OTHER_TENANT = '0d4b7e55-1c2a-4f3e-8a90-5b6c7d8e9f00';
export const CLUSTER_ISSUER = `https://eastus.oic.prod-aks.azure.com/${TENANT}/7d3e2c10-aaaa-4bbb-8ccc-123456789abc/`;
export const SUBJECT = 'system:serviceaccount:student-01:workload-identity-sa';
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
/** A secret value that must never show up anywhere but a successful GET body. */
export const CANARY = `CANARY-${randomUUID()}`;

export const STUDENT = {
  clientId: 'a1b2c3d4-0000-4000-8000-000000000001',
  objectId: 'b1b2c3d4-0000-4000-8000-0000000000a1',
};
export const NO_FIC = {
  clientId: 'a1b2c3d4-0000-4000-8000-000000000002',
  objectId: 'b1b2c3d4-0000-4000-8000-0000000000a2',
};
export const APP = {
  clientId: 'a1b2c3d4-0000-4000-8000-000000000003',
  objectId: 'b1b2c3d4-0000-4000-8000-0000000000a3',
  secret: 'app-secret-value',
};
export const OTHER_APP = {
  clientId: 'a1b2c3d4-0000-4000-8000-000000000004',
  objectId: 'b1b2c3d4-0000-4000-8000-0000000000a4',
};
/** An issuer with a FIC whose keys Entra cannot fetch. */
export const UNREACHABLE_ISSUER = 'https://oidc.example.invalid/cluster-gone/';

const V1 = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const V2 = '1f2e3d4c5b6a79808f7e6d5c4b3a2918';
export const DB_PASSWORD = { v1: V1, v2: V2, value: CANARY, expires: '2031-01-01T00:00:00Z' };

const studentPolicy = {
  objectId: STUDENT.objectId,
  permissions: { secrets: ['get', 'list'] as Array<'get' | 'list'>, keys: ['get'], certificates: ['get'] },
};
const vaultBase = { tenantId: TENANT, location: 'westeurope', subscriptionId: '3c9e1f00-1111-4222-8333-444455556666' };

export function buildState(): AzureState {
  return {
    tenants: [
      {
        id: TENANT,
        displayName: 'kvlab-classroom',
        identities: [
          {
            name: 'id-kvlab-students',
            kind: 'managedIdentity',
            ...STUDENT,
            federatedCredentials: [
              { name: 'student-01', issuer: CLUSTER_ISSUER, subject: SUBJECT, audiences: [TOKEN_EXCHANGE_AUDIENCE] },
              { name: 'gone', issuer: UNREACHABLE_ISSUER, subject: SUBJECT, audiences: [TOKEN_EXCHANGE_AUDIENCE] },
            ],
          },
          { name: 'id-no-federation', ...NO_FIC },
          { name: 'app-kvlab', kind: 'application', ...APP, secrets: [{ value: APP.secret }] },
        ],
      },
      {
        id: OTHER_TENANT,
        displayName: 'other',
        identities: [{ name: 'app-other', ...OTHER_APP, secrets: [{ value: 's' }] }],
      },
    ],
    vaults: [
      {
        ...vaultBase,
        name: 'kv-policy',
        accessModel: 'accessPolicies',
        accessPolicies: [studentPolicy, { objectId: APP.objectId, permissions: { secrets: ['get'] } }],
        secrets: [
          {
            name: 'db-password',
            versions: [
              { version: V1, value: 'old-value', created: '2030-01-01T00:00:00Z' },
              {
                version: V2,
                value: CANARY,
                contentType: 'text/plain',
                created: '2030-06-01T00:00:00Z',
                expires: DB_PASSWORD.expires,
              },
            ],
          },
          { name: 'api-key', versions: [{ version: V1, value: `${CANARY}-api` }] },
          { name: 'retired', versions: [{ version: V1, value: `${CANARY}-retired`, enabled: false }] },
        ],
        keys: [{ name: 'signing-key', versions: [{ version: V1 }] }],
        certificates: [{ name: 'tls-cert', versions: [{ version: V1 }] }],
      },
      { ...vaultBase, name: 'kv-nopolicy', accessModel: 'accessPolicies', accessPolicies: [], secrets: [] },
      {
        ...vaultBase,
        name: 'kv-rbac',
        resourceGroup: 'rg-lab',
        accessModel: 'rbac',
        roleAssignments: [
          { principalId: STUDENT.objectId, role: 'Key Vault Secrets User', scope: 'secrets/api-key' },
          { principalId: STUDENT.objectId, role: 'Owner' },
        ],
        secrets: [
          { name: 'db-password', versions: [{ version: V1, value: CANARY }] },
          { name: 'api-key', versions: [{ version: V1, value: `${CANARY}-api` }] },
        ],
      },
      {
        ...vaultBase,
        name: 'kv-firewall',
        accessModel: 'accessPolicies',
        accessPolicies: [studentPolicy],
        network: { defaultAction: 'Deny', ipRules: ['10.0.0.0/8'] },
        secrets: [{ name: 'db-password', versions: [{ version: V1, value: CANARY }] }],
      },
      {
        ...vaultBase,
        name: 'kv-allowlisted',
        accessModel: 'accessPolicies',
        accessPolicies: [studentPolicy],
        network: { defaultAction: 'Deny', ipRules: ['20.10.0.0/16'] },
        secrets: [{ name: 'db-password', versions: [{ version: V1, value: CANARY }] }],
      },
      {
        ...vaultBase,
        name: 'kv-private',
        accessModel: 'accessPolicies',
        accessPolicies: [studentPolicy],
        network: { publicNetworkAccess: 'Disabled' },
        secrets: [{ name: 'db-password', versions: [{ version: V1, value: CANARY }] }],
      },
    ],
  };
}

export interface AzureFixture {
  caPem: string;
  state: AzureState;
  clusterKey: SigningKey;
  /** The keys the cluster issuer publishes (push one to rotate) and how often Entra fetched them. */
  issuer: { keys: SigningKey[]; fetches: number };
  entra: EntraServer;
  keyvault: KeyVaultServer;
  transport: AzureTransport;
  /** A service-account token as the cluster issuer would mint it for the token exchange. */
  assertion(overrides?: JwtClaims, key?: SigningKey): string;
  /** A fresh credential for the student identity, authenticating with `assertion()`. */
  studentCredential(): ClientAssertionCredential;
  close(): Promise<void>;
}

export async function startAzureFixture(): Promise<AzureFixture> {
  const ca = await createCertificateAuthority();
  const [loopback, vaultCert] = await Promise.all([
    ca.issue({ dns: ['localhost'], ips: ['127.0.0.1'] }),
    ca.issue({ dns: ['*.vault.azure.net'], ips: ['127.0.0.1'] }),
  ]);
  const clusterKey = createSigningKey();
  const issuer = { keys: [clusterKey], fetches: 0 };
  const state = buildState();
  const entra = await startEntraServer({
    state,
    tls: loopback,
    resolveIssuerJwks: async (iss) => {
      if (iss !== CLUSTER_ISSUER) return undefined;
      issuer.fetches++;
      return { keys: issuer.keys.map((k) => k.jwk) };
    },
  });
  const keyvault = await startKeyVaultServer({ state, tls: vaultCert, entraJwks: entra.jwks });
  const transport = createAzureTransport({
    keyVaultEndpoint: keyvault.endpoint,
    caPem: ca.certPem,
    authorityHost: entra.authorityHost,
  });
  const assertion = (overrides: JwtClaims = {}, key = clusterKey) => {
    const iat = Math.floor(Date.now() / 1000);
    return signJwt(
      {
        iss: CLUSTER_ISSUER,
        sub: SUBJECT,
        aud: [TOKEN_EXCHANGE_AUDIENCE],
        iat,
        nbf: iat,
        exp: iat + 3600,
        ...overrides,
      },
      key,
    );
  };
  return {
    caPem: ca.certPem,
    state,
    clusterKey,
    issuer,
    entra,
    keyvault,
    transport,
    assertion,
    studentCredential: () =>
      new ClientAssertionCredential(TENANT, STUDENT.clientId, async () => assertion(), transport.credentialOptions()),
    async close() {
      await Promise.all([entra.close(), keyvault.close()]);
    },
  };
}
