import { describe, expect, it } from 'vitest';
import type { SecretProviderClass } from '../../../diagnostics/ports/cluster-reader.ts';
import { parseObjects, spcParameters } from '../../../diagnostics/spc/spc-parameters.ts';

const spc = (parameters: Record<string, unknown>, provider = 'azure'): SecretProviderClass => ({
  metadata: { name: 'azure-kv-secrets', namespace: 'student-01' },
  spec: { provider, parameters },
});

const OBJECTS =
  'array:\n  - |\n    objectName: db-password\n    objectType: secret\n  - |\n    objectName: api-key\n    objectType: secret\n    objectAlias: API_KEY\n';

describe('spcParameters', () => {
  it('reads the lab SecretProviderClass as workload identity with two secret objects', () => {
    const p = spcParameters(
      spc({
        usePodIdentity: 'false',
        useVMManagedIdentity: 'false',
        clientID: ' abc ',
        keyvaultName: 'kv1',
        tenantId: 't1',
        objects: OBJECTS,
      }),
    );
    expect(p.identityMode).toBe('workloadIdentity');
    expect(p.clientId).toBe('abc');
    expect(p.objects).toEqual([
      { objectName: 'db-password', objectType: 'secret' },
      { objectName: 'api-key', objectType: 'secret', objectAlias: 'API_KEY' },
    ]);
  });

  it('prefers tenantID over tenantId, as the provider does', () => {
    expect(spcParameters(spc({ tenantID: 'new', tenantId: 'old', objects: OBJECTS })).tenantId).toBe('new');
  });

  it('chooses pod identity when usePodIdentity is a Go true, and reports flags Go cannot parse', () => {
    expect(spcParameters(spc({ usePodIdentity: 'True', clientID: 'x' })).identityMode).toBe('podIdentity');
    expect(spcParameters(spc({ usePodIdentity: 'yes', clientID: 'x' })).badFlags).toEqual(['usePodIdentity']);
  });

  it('falls back to service principal without clientID', () => {
    expect(spcParameters(spc({ keyvaultName: 'kv' })).identityMode).toBe('servicePrincipal');
  });
});

describe('parseObjects', () => {
  it('explains a missing array key, a bare list, and map items', () => {
    expect(parseObjects('objects:\n  - a').error).toMatch(/no "array" list/);
    expect(parseObjects('- |\n  objectName: a').error).toMatch(/no "array" list/);
    expect(parseObjects('array:\n  - objectName: a\n    objectType: secret').error).toMatch(/must be a YAML string/);
    expect(parseObjects('').error).toBe('objects is not set');
  });

  it('does not expand alias bombs', () => {
    const bomb = `a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\narray: [*c,*c,*c,*c,*c,*c,*c,*c,*c]`;
    expect(parseObjects(bomb).error).toBeDefined();
  });
});
