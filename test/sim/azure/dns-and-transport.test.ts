import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { createServer, get as httpsGet } from 'node:https';
import type { AddressInfo, LookupFunction } from 'node:net';
import { SecretClient } from '@azure/keyvault-secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../diagnostics/errors.ts';
import { createCertificateAuthority } from '../../../sim/common/tls.ts';
import { type KeyVaultServer, startKeyVaultServer } from '../../../sim/keyvault/server.ts';
import { findCloud, isAzureAuthorityHost, keyVaultScope } from '../../../src/azure/clouds.ts';
import { createAzureTransport } from '../../../src/azure/transport.ts';
import { createVaultDnsLookup } from '../../../src/azure/vault-dns-lookup.ts';
import { buildState } from './azure-fixture.ts';

let kv: KeyVaultServer;
let caPem: string;
const resolver = new Resolver({ timeout: 1_000, tries: 1 });

beforeAll(async () => {
  const ca = await createCertificateAuthority();
  caPem = ca.certPem;
  kv = await startKeyVaultServer({
    state: buildState(),
    tls: await ca.issue({ dns: ['*.vault.azure.net'] }),
    entraJwks: { keys: [] },
  });
  resolver.setServers([`127.0.0.1:${kv.port}`]);
});
afterAll(async () => {
  await kv?.close();
});

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: NodeJS.ErrnoException) => e.code,
  );

function lookupOnce(lookup: LookupFunction, host: string, all = false) {
  return new Promise<{ err: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
    lookup(host, { all }, (err, address) => resolve({ err, address })),
  );
}

describe('Key Vault simulator DNS responder', () => {
  it('answers A 127.0.0.1 for known vaults, case-insensitively, and NXDOMAIN for anything else', async () => {
    expect(await resolver.resolve4('kv-policy.vault.azure.net')).toEqual(['127.0.0.1']);
    expect(await resolver.resolve4('KV-Policy.Vault.Azure.Net')).toEqual(['127.0.0.1']);
    expect(await codeOf(resolver.resolve4('kv-typo.vault.azure.net'))).toBe('ENOTFOUND');
    expect(await codeOf(resolver.resolve4('example.com'))).toBe('ENOTFOUND');
  });

  it('answers AAAA for a known vault with no data', async () => {
    expect(await codeOf(resolver.resolve6('kv-policy.vault.azure.net'))).toBe('ENODATA');
  });

  it('feeds the product lookup, which fails like getaddrinfo', async () => {
    const lookup = createVaultDnsLookup(`127.0.0.1:${kv.port}`);
    expect(await lookupOnce(lookup, 'kv-rbac.vault.azure.net')).toEqual({ err: null, address: '127.0.0.1' });
    expect((await lookupOnce(lookup, 'kv-rbac.vault.azure.net', true)).address).toEqual([
      { address: '127.0.0.1', family: 4 },
    ]);
    const miss = await lookupOnce(lookup, 'kv-typo.vault.azure.net');
    expect(miss.err).toMatchObject({
      code: 'ENOTFOUND',
      syscall: 'getaddrinfo',
      message: 'getaddrinfo ENOTFOUND kv-typo.vault.azure.net',
    });
  });

  it('reports EAI_AGAIN when no DNS server answers', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
    const { port } = socket.address();
    await new Promise<void>((r) => socket.close(() => r()));
    const { err } = await lookupOnce(createVaultDnsLookup(`127.0.0.1:${port}`), 'kv-policy.vault.azure.net');
    expect(err?.code).toBe('EAI_AGAIN');
  });
});

describe('src/azure transport and clouds', () => {
  it('builds real vault URLs without an override and port-qualified ones with it', () => {
    expect(createAzureTransport().vaultUrl('kv1')).toBe('https://kv1.vault.azure.net');
    expect(createAzureTransport().vaultUrl('kv1', findCloud('azurechinacloud'))).toBe('https://kv1.vault.azure.cn');
    const sim = createAzureTransport({ keyVaultEndpoint: 'https://127.0.0.1:8444' });
    expect(sim.vaultUrl('kv1', findCloud('AzureUSGovernmentCloud'))).toBe('https://kv1.vault.usgovcloudapi.net:8444');
  });

  it('resolves cloud names like the provider and knows each cloud scope', () => {
    expect(findCloud('')?.name).toBe('AzurePublicCloud');
    expect(findCloud(undefined)?.name).toBe('AzurePublicCloud');
    expect(findCloud('AzureStackCloud')).toBeUndefined();
    expect(keyVaultScope(findCloud('AzureChinaCloud') ?? fail())).toBe('https://vault.azure.cn/.default');
  });

  it('disables instance discovery only for non-Azure authority hosts', () => {
    expect(createAzureTransport().credentialOptions()).toEqual({
      authorityHost: 'https://login.microsoftonline.com',
      retryOptions: expect.any(Object),
    });
    const sim = createAzureTransport({ authorityHost: 'https://127.0.0.1:9443/', caPem });
    expect(sim.credentialOptions()).toMatchObject({
      authorityHost: 'https://127.0.0.1:9443',
      disableInstanceDiscovery: true,
    });
    expect(sim.credentialOptions().agent).toBeDefined();
    expect(isAzureAuthorityHost('https://login.microsoftonline.us')).toBe(true);
  });

  it('reaches Entra as the cloud authority host when KVLAB_ENTRA_ENDPOINT names the simulator', () => {
    const sim = createAzureTransport({ entraEndpoint: 'https://localhost:9443', caPem });
    const options = sim.credentialOptions();
    expect(options.authorityHost).toBe('https://login.microsoftonline.com');
    // An Azure host: MSAL keeps instance discovery on and uses its built-in metadata for it.
    expect(options.disableInstanceDiscovery).toBeUndefined();
    expect(options.agent).toBeDefined();
    for (const [value, why] of [
      ['http://127.0.0.1:1', 'is not https'],
      ['https://127.0.0.1', 'has no port'],
      ['https://127.0.0.1:1/tenant', 'has a path'],
      ['https://entra.example:1', 'does not name an IPv4 address'],
      ['not a url', 'is not a URL'],
    ]) {
      expect(() => createAzureTransport({ entraEndpoint: value })).toThrow(
        new ConfigError(
          `KVLAB_ENTRA_ENDPOINT "${value}" ${why}; expected https://127.0.0.1:<port> (the Entra ID simulator).`,
        ),
      );
    }
  });

  it('sends Entra requests to the endpoint with their host name and checks the certificate for that name', async () => {
    const ca = await createCertificateAuthority();
    const hosts: string[] = [];
    const serve = async (dns: string[]) => {
      const cert = await ca.issue({ dns, ips: ['127.0.0.1'] });
      const server = createServer({ cert: cert.chainPem, key: cert.keyPem }, (req, res) => {
        hosts.push(`${req.headers.host} ${req.url}`);
        res.end('{}');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      return { server, endpoint: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
    };
    const get = (endpoint: string) => {
      const { agent } = createAzureTransport({ entraEndpoint: endpoint, caPem: ca.certPem }).credentialOptions();
      return new Promise<number | string>((resolve) => {
        const r = httpsGet('https://login.microsoftonline.com/t1/oauth2/v2.0/token', { agent }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        r.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
    };
    const entra = await serve(['login.microsoftonline.com']);
    const impostor = await serve(['entra.example']);
    try {
      expect(await get(entra.endpoint)).toBe(200);
      expect(hosts).toEqual(['login.microsoftonline.com /t1/oauth2/v2.0/token']);
      expect(await get(impostor.endpoint)).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
      expect(hosts).toHaveLength(1);
    } finally {
      await Promise.all([entra, impostor].map(({ server }) => new Promise<void>((r) => server.close(() => r()))));
    }
  });

  it('rejects a malformed simulator endpoint or authority host with a ConfigError naming the setting', () => {
    expect(() => createAzureTransport({ keyVaultEndpoint: 'http://127.0.0.1:1' })).toThrow(
      /KVLAB_KEYVAULT_ENDPOINT .* is not https/,
    );
    expect(() => createAzureTransport({ keyVaultEndpoint: 'https://127.0.0.1' })).toThrow(ConfigError);
    expect(() => createAzureTransport({ authorityHost: 'https://login.example/tenant' })).toThrow(
      /AZURE_AUTHORITY_HOST/,
    );
  });

  it('keeps challenge-resource verification on: a host outside the challenge resource is refused', async () => {
    const ca = await createCertificateAuthority();
    const cert = await ca.issue({ ips: ['127.0.0.1'] });
    const impostor = createServer({ cert: cert.chainPem, key: cert.keyPem }, (_req, res) => {
      res.writeHead(401, {
        'www-authenticate':
          'Bearer authorization="https://login.microsoftonline.com/t1", resource="https://vault.azure.net"',
      });
      res.end('{"error":{"code":"Unauthorized","message":"AKV10000: Request is missing a Bearer or PoP token."}}');
    });
    await new Promise<void>((r) => impostor.listen(0, '127.0.0.1', () => r()));
    try {
      const transport = createAzureTransport({ caPem: ca.certPem });
      let tokenRequested = false;
      const credential = {
        getToken: async () => {
          tokenRequested = true;
          return { token: 'never-sent', expiresOnTimestamp: Date.now() + 3_600_000 };
        },
      };
      const url = `https://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
      const err = await new SecretClient(url, credential, transport.secretClientOptions())
        .getSecret('x')
        .catch((e: Error) => e);
      expect((err as Error).message).toMatch(
        /The challenge resource 'vault\.azure\.net' does not match the requested domain/,
      );
      expect(tokenRequested).toBe(false);
    } finally {
      await new Promise<void>((r) => impostor.close(() => r()));
    }
  });
});

function fail(): never {
  throw new Error('cloud not found');
}
