import { type ApiException, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyJwt } from '../../../sim/common/jwt.ts';
import type { KubeApiServer } from '../../../sim/k8s/server.ts';
import { ISSUER, LAB_NS, NOW, STUDENT_TOKEN } from './fixtures.ts';
import { raw, startTestServer } from './harness.ts';

const ENTRA_AUDIENCE = 'api://AzureADTokenExchange';
let server: KubeApiServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

async function tokenFor(sa: string, body: Record<string, unknown>) {
  return raw(server, `/api/v1/namespaces/${LAB_NS}/serviceaccounts/${sa}/token`, {
    method: 'POST',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', ...body },
  });
}

describe('authentication', () => {
  it('answers 401 Unauthorized Status without a token, except on public paths', async () => {
    const res = await raw(server, `/api/v1/namespaces/${LAB_NS}/pods`, { token: null });
    expect(res.status).toBe(401);
    expect(res.contentType).toBe('application/json');
    expect(res.json).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Unauthorized',
      message: 'Unauthorized',
      code: 401,
    });
    for (const path of [
      '/version',
      '/healthz',
      '/livez',
      '/readyz',
      '/.well-known/openid-configuration',
      '/openid/v1/jwks',
    ]) {
      expect((await raw(server, path, { token: null })).status, path).toBe(200);
    }
  });

  it('rejects an unknown bearer token with 401 even on public paths', async () => {
    expect((await raw(server, '/version', { token: 'nope' })).status).toBe(401);
  });

  it('publishes the issuer discovery document and JWKS that verify minted tokens', async () => {
    const config = (await raw(server, '/.well-known/openid-configuration', { token: null })).json;
    expect(config.issuer).toBe(ISSUER);
    expect(config.jwks_uri).toBe(`${server.httpsUrl}/openid/v1/jwks`);
    const jwks = (await raw(server, '/openid/v1/jwks', { token: null })).json as {
      keys: Array<Record<string, unknown>>;
    };
    const minted = await tokenFor('workload-sa', { spec: { audiences: [ENTRA_AUDIENCE], expirationSeconds: 3600 } });
    const token = String((minted.json.status as Record<string, unknown>).token);
    const { claims } = verifyJwt(token, jwks, Math.floor(NOW.getTime() / 1000));
    const sa = server.store.get({ apiVersion: 'v1', kind: 'ServiceAccount', namespace: LAB_NS, name: 'workload-sa' });
    expect(claims).toMatchObject({
      iss: ISSUER,
      sub: `system:serviceaccount:${LAB_NS}:workload-sa`,
      aud: [ENTRA_AUDIENCE],
      exp: Math.floor(NOW.getTime() / 1000) + 3600,
      'kubernetes.io': {
        namespace: LAB_NS,
        serviceaccount: { name: 'workload-sa', uid: (sa?.metadata as { uid?: string } | undefined)?.uid },
      },
    });
  });
});

describe('TokenRequest', () => {
  it('answers 201 with the token and its expiration timestamp', async () => {
    const res = await tokenFor('workload-sa', { spec: { audiences: [ENTRA_AUDIENCE] } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      kind: 'TokenRequest',
      spec: { audiences: [ENTRA_AUDIENCE], expirationSeconds: 3600 },
      status: { expirationTimestamp: '2026-03-02T11:00:00Z' },
    });
  });

  it('rejects expirationSeconds under 600 with 422 and a missing ServiceAccount with 404', async () => {
    const short = await tokenFor('workload-sa', { spec: { expirationSeconds: 599 } });
    expect(short.status).toBe(422);
    expect(short.json.message).toBe(
      'TokenRequest.authentication.k8s.io "workload-sa" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
    );
    const missing = await tokenFor('ghost', { spec: {} });
    expect(missing.status).toBe(404);
    expect(missing.json.message).toBe('serviceaccounts "ghost" not found');
  });

  it('lets tokens for the API audience in, and turns Entra-audience tokens away with 401', async () => {
    const apiToken = await tokenFor('workload-sa', { spec: {} });
    const entraToken = await tokenFor('workload-sa', { spec: { audiences: [ENTRA_AUDIENCE] } });
    const token = (r: typeof apiToken) => String((r.json.status as Record<string, unknown>).token);
    // Authenticated (the SA has no RBAC grants, so 403 rather than 401).
    const asApi = await raw(server, `/api/v1/namespaces/${LAB_NS}/pods`, { token: token(apiToken) });
    expect(asApi.status).toBe(403);
    expect(asApi.json.message).toContain(
      `User "system:serviceaccount:${LAB_NS}:workload-sa" cannot list resource "pods"`,
    );
    const asEntra = await raw(server, `/api/v1/namespaces/${LAB_NS}/pods`, { token: token(entraToken) });
    expect(asEntra.status).toBe(401);
    expect(asEntra.json.reason).toBe('Unauthorized');
  });
});

describe('RBAC', () => {
  const student = () => {
    const kc = new KubeConfig();
    kc.loadFromString(server.kubeconfig({ token: STUDENT_TOKEN, namespace: LAB_NS }));
    return kc.makeApiClient(CoreV1Api);
  };

  it('gives a limited user 403 with the exact Forbidden message and details', async () => {
    const error = (await student()
      .readNamespacedPod({ name: 'web', namespace: LAB_NS })
      .catch((e: unknown) => e)) as ApiException<string>;
    expect(error.code).toBe(403);
    expect(JSON.parse(error.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `pods "web" is forbidden: User "student01@school.example" cannot get resource "pods" in API group "" in the namespace "${LAB_NS}"`,
      reason: 'Forbidden',
      details: { name: 'web', kind: 'pods' },
      code: 403,
    });
  });

  it('words cluster-scoped and subresource denials like the real server', async () => {
    const nodes = await raw(server, '/api/v1/nodes', { token: STUDENT_TOKEN });
    expect(nodes.json.message).toBe(
      'nodes is forbidden: User "student01@school.example" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    const token = await raw(server, `/api/v1/namespaces/${LAB_NS}/serviceaccounts/default/token`, {
      method: 'POST',
      token: STUDENT_TOKEN,
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
    });
    expect(token.json.message).toBe(
      `serviceaccounts "default" is forbidden: User "student01@school.example" cannot create resource "serviceaccounts/token" in API group "" in the namespace "${LAB_NS}"`,
    );
  });

  it('honours Role rules with resourceNames and API groups', async () => {
    const allowed = await raw(server, `/api/v1/namespaces/${LAB_NS}/serviceaccounts/workload-sa/token`, {
      method: 'POST',
      token: STUDENT_TOKEN,
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
    });
    expect(allowed.status).toBe(201);
    const spcs = await raw(server, `/apis/secrets-store.csi.x-k8s.io/v1/namespaces/${LAB_NS}/secretproviderclasses`, {
      token: STUDENT_TOKEN,
    });
    expect(spcs.status).toBe(200);
    const otherNs = await raw(
      server,
      '/apis/secrets-store.csi.x-k8s.io/v1/namespaces/kube-system/secretproviderclasses',
      { token: STUDENT_TOKEN },
    );
    expect(otherNs.status).toBe(403);
  });

  it('answers SelfSubjectAccessReview with 201 and the RBAC decision', async () => {
    const review = (verb: string, resource: string, group = '') =>
      raw(server, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        method: 'POST',
        token: STUDENT_TOKEN,
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes: { namespace: LAB_NS, verb, group, resource } },
        },
      });
    const yes = await review('list', 'secretproviderclasses', 'secrets-store.csi.x-k8s.io');
    expect(yes.status).toBe(201);
    expect(yes.json.status).toEqual({
      allowed: true,
      reason: `RBAC: allowed by RoleBinding "student01-spc-reader/${LAB_NS}" of Role "spc-reader" to User "student01@school.example"`,
    });
    expect((await review('get', 'secrets')).json.status).toEqual({ allowed: false });
  });
});
