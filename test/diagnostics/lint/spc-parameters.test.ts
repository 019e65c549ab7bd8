import { describe, expect, it } from 'vitest';
import { lintText } from '../../../diagnostics/knowledge/lint/index.ts';

const CID = '3f2a1c9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
const TID = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const OBJECTS = [
  '    objects: |',
  '      array:',
  '        - |',
  '          objectName: db-password',
  '          objectType: secret',
];

/** A SecretProviderClass with the given parameter lines (and optional extra spec lines). */
function spc(params: string[], specExtra: string[] = [], provider = 'azure'): string {
  return [
    'apiVersion: secrets-store.csi.x-k8s.io/v1',
    'kind: SecretProviderClass',
    'metadata: {name: azure-kv-secrets}',
    'spec:',
    `  provider: ${provider}`,
    ...specExtra,
    '  parameters:',
    ...params,
  ].join('\n');
}

const base = (overrides: Record<string, string | null> = {}): string[] => {
  const lines: Record<string, string | null> = {
    clientID: `"${CID}"`,
    keyvaultName: '"kv-class-a-lab"',
    tenantId: `"${TID}"`,
    ...overrides,
  };
  return [
    ...Object.entries(lines)
      .filter(([, value]) => value !== null)
      .map(([key, value]) => `    ${key}: ${value}`),
    ...OBJECTS,
  ];
};

const rules = (text: string) => lintText(text, 'spc.yaml').findings.map((f) => `${f.severity}:${f.rule}`);

describe('SecretProviderClass parameters', () => {
  it('reads keys case-sensitively and suggests the key the provider reads', () => {
    expect(rules(spc(base({ clientID: null, clientId: `"${CID}"` })))).toEqual(['error:spc/parameter-name']);
    expect(rules(spc(base({ tenantId: null, TenantId: `"${TID}"` })))).toEqual(['error:spc/parameter-name']);
    expect(rules(spc(base({ usepodidentity: '"false"' })))).toEqual(['error:spc/parameter-name']);
    expect(lintText(spc(base({ clientID: null, clientId: `"${CID}"` })), 'x').findings[0]?.message).toContain(
      'did you mean clientID?',
    );
  });

  it('accepts tenantID as well as tenantId', () => {
    expect(rules(spc(base({ tenantId: null, tenantID: `"${TID}"` })))).toEqual([]);
  });

  it('follows YAML 1.1 like kubectl: an unquoted "no" is a boolean the API server rejects', () => {
    expect(rules(spc(base({ usePodIdentity: 'no' })))).toEqual(['error:spc/parameter-not-string']);
    expect(rules(spc(base({ usePodIdentity: '"no"' })))).toEqual(['error:spc/bool-flag']);
  });

  it('reports objects written as YAML instead of a string once', () => {
    const params = [
      ...base().slice(0, 3),
      '    objects:',
      '      array:',
      '        - objectName: db-password',
      '          objectType: secret',
    ];
    expect(rules(spc(params))).toEqual(['error:spc/parameter-not-string']);
  });

  it('does not apply Azure parameter rules to another provider, and says which provider it is', () => {
    const text = spc(['    region: us-east-1', '    objects: "x"'], [], 'aws');
    expect(rules(text)).toEqual([]);
    expect(lintText(text, 'x').notes?.[0]).toContain('is for the aws provider, not Azure Key Vault');
    expect(lintText(text, 'x', { profile: 'lab' }).findings.map((f) => f.rule)).toEqual(['lab/provider']);
  });

  it('reports a misspelt Azure provider and an unknown one differently', () => {
    expect(rules(spc(base(), [], 'Azure'))).toEqual(['error:spc/provider-name']);
    expect(rules(spc(['    region: us-east-1'], [], 'AWS'))).toEqual(['warning:spc/provider-unknown']);
  });

  it("asks for clientID in identity-binding mode with the provider's own message", () => {
    const findings = lintText(spc(base({ clientID: null, useAzureTokenProxy: '"true"' })), 'x').findings;
    expect(findings.map((f) => f.rule)).toEqual(['spc/client-id']);
    expect(findings[0]?.message).toContain('clientID is required for identity binding');
  });

  it('reports every enabled mode when three are on', () => {
    const flags = { usePodIdentity: '"true"', useVMManagedIdentity: '"1"', useAzureTokenProxy: '"T"' };
    const findings = lintText(spc(base(flags)), 'x').findings.filter((f) => f.rule === 'spc/identity-modes');
    expect(findings[0]?.message).toContain('usePodIdentity and useVMManagedIdentity and useAzureTokenProxy are all');
  });

  it('matches secretObjects against version folders when objectVersionHistory > 1', () => {
    const params = [
      ...base().slice(0, 3),
      '    objects: |',
      '      array:',
      '        - |',
      '          objectName: db-password',
      '          objectType: secret',
      '          objectAlias: db',
      '          objectVersionHistory: 3',
    ];
    const sync = (objectName: string) => [
      '  secretObjects:',
      '  - secretName: db-secrets-k8s',
      '    type: Opaque',
      `    data: [{objectName: "${objectName}", key: DB_PASSWORD}]`,
    ];
    expect(rules(spc(params, sync('db/0')))).toEqual([]);
    const findings = lintText(spc(params, sync('db')), 'x').findings;
    expect(findings.map((f) => f.rule)).toEqual(['spc/secret-object-ref']);
    expect(findings[0]?.message).toContain('"db/0"');
  });

  it('accepts the object fields and values the provider accepts', () => {
    const params = [
      ...base().slice(0, 3),
      '    cloudName: "AzureUSGovernmentCloud"',
      '    objects: |',
      '      array:',
      '        - |',
      '          objectName: tls-cert',
      '          objectType: secret',
      '          objectFormat: PEM',
      '          objectEncoding: Base64',
      '          objectAlias: certs/tls.pem',
      '          filePermission: "0600"',
      '        - |',
      '          objectName: signing-key',
      '          objectType: key',
      '          objectVersion: 4387E9F3D6E14C459867679A90FD0F79',
    ];
    expect(rules(spc(params))).toEqual([]);
  });
});
