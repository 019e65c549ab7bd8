import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeApiServer } from '../../../sim/k8s/server.ts';
import { LAB_NS } from './fixtures.ts';
import { raw, startTestServer } from './harness.ts';

const GROUP = 'secrets-store.csi.x-k8s.io';
const SPC_CRD = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/secretproviderclasses.${GROUP}`;
const SPCS = `/apis/${GROUP}/v1/namespaces/${LAB_NS}/secretproviderclasses`;

let server: KubeApiServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const groupNames = async () => ((await raw(server, '/apis')).json.groups as Array<{ name: string }>).map((g) => g.name);

describe('custom resource groups follow their CRDs', () => {
  it('serves the SPC group in discovery with v1 preferred while the CRDs exist', async () => {
    const apis = (await raw(server, '/apis')).json.groups as Array<Record<string, unknown>>;
    expect(apis.find((g) => g.name === GROUP)).toEqual({
      name: GROUP,
      versions: [
        { groupVersion: `${GROUP}/v1`, version: 'v1' },
        { groupVersion: `${GROUP}/v1alpha1`, version: 'v1alpha1' },
      ],
      preferredVersion: { groupVersion: `${GROUP}/v1`, version: 'v1' },
    });
    const resources = (await raw(server, `/apis/${GROUP}/v1`)).json.resources as Array<Record<string, unknown>>;
    expect(resources.find((r) => r.name === 'secretproviderclasses')).toMatchObject({
      singularName: 'secretproviderclass',
      namespaced: true,
      kind: 'SecretProviderClass',
    });
    const crd = (await raw(server, SPC_CRD)).json;
    expect((crd.status as { conditions: Array<{ type: string; status: string }> }).conditions).toContainEqual(
      expect.objectContaining({ type: 'Established', status: 'True' }),
    );
  });

  it('warns on every request to the deprecated v1alpha1 version', async () => {
    const res = await raw(server, `/apis/${GROUP}/v1alpha1/namespaces/${LAB_NS}/secretproviderclasses`);
    expect(res.status).toBe(200);
    expect(res.headers.get('warning')).toBe(`299 - "${GROUP}/v1alpha1 is deprecated. Use ${GROUP}/v1 instead."`);
  });

  it('drops the group and answers its paths with plain 404 once the CRDs are deleted through the API', async () => {
    const deleted = await raw(server, SPC_CRD, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    // The pod-status CRD still serves the group, but the SPC resource is gone from it.
    expect(await groupNames()).toContain(GROUP);
    expect((await raw(server, SPCS)).status).toBe(404);
    expect((await raw(server, `/apis/${GROUP}/v1/namespaces/${LAB_NS}/secretproviderclasspodstatuses`)).status).toBe(
      200,
    );
    await raw(
      server,
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/secretproviderclasspodstatuses.${GROUP}`,
      { method: 'DELETE' },
    );

    expect(await groupNames()).not.toContain(GROUP);
    for (const path of [SPCS, `/apis/${GROUP}/v1`, `/apis/${GROUP}`]) {
      const res = await raw(server, path);
      expect(res.status, path).toBe(404);
      expect(res.text).toBe('404 page not found\n');
    }
    const crd = await raw(server, SPC_CRD);
    expect(crd.json.message).toBe(
      `customresourcedefinitions.apiextensions.k8s.io "secretproviderclasses.${GROUP}" not found`,
    );
  });

  it('brings the group back empty when the CRD is created again (its objects went with the CRD)', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `secretproviderclasses.${GROUP}` },
      spec: {
        group: GROUP,
        scope: 'Namespaced',
        names: { kind: 'SecretProviderClass', plural: 'secretproviderclasses', singular: 'secretproviderclass' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    };
    expect(
      (await raw(server, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { method: 'POST', body: crd }))
        .status,
    ).toBe(201);
    expect(await groupNames()).toContain(GROUP);
    expect((await raw(server, SPCS)).json.items).toEqual([]);
  });
});
