import { describe, expect, it } from 'vitest';
import type { SecretProviderClass } from '../../../diagnostics/ports/cluster-reader.ts';
import { spcParameters } from '../../../diagnostics/spc/spc-parameters.ts';

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

  it('reads objectVersionHistory as the int32 the provider reads (a quoted value is not one)', () => {
    const objects = (history: string) =>
      `array:\n  - |\n    objectName: db-password\n    objectType: secret\n    objectVersionHistory: ${history}\n`;
    expect(spcParameters(spc({ objects: objects('5') })).objects).toEqual([
      { objectName: 'db-password', objectType: 'secret', objectVersionHistory: 5 },
    ]);
    expect(spcParameters(spc({ objects: objects('"5"') })).objects[0]?.objectVersionHistory).toBeUndefined();
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

describe('objects as the provider reads them', () => {
  it('keeps values as written text (the provider reads strings), not YAML numbers or booleans', () => {
    const p = spcParameters(
      spc({ objects: 'array:\n  - |\n    objectName: 0123\n    objectType: secret\n    objectVersion: 0x1f\n' }),
    );
    expect(p.objects).toEqual([{ objectName: '0123', objectType: 'secret', objectVersion: '0x1f' }]);
  });

  it('fetches nothing, and says why, when the provider would reject objects', () => {
    expect(spcParameters(spc({})).objectsProblem).toBe('objects is not set');
    for (const objects of [
      'objects:\n  - a',
      '- |\n  objectName: a',
      'array:\n  - objectName: a\n    objectType: secret',
    ]) {
      const p = spcParameters(spc({ objects }));
      expect(p.objects).toEqual([]);
      expect(p.objectsProblem).toMatch(/provider|driver/);
    }
  });

  it('does not expand alias bombs', () => {
    const bomb = `a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\narray: [*c,*c,*c,*c,*c,*c,*c,*c,*c]`;
    expect(spcParameters(spc({ objects: bomb })).objectsProblem).toBeDefined();
  });
});
