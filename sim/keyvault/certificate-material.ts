/**
 * What a Key Vault certificate is made of, generated once per vault/name/version: creating a certificate in Key
 * Vault creates a key and a secret of the same name and version beside it. The key holds the key pair (GET /keys
 * returns its public part), the secret holds the private key with the certificate (GET /secrets returns it as
 * PKCS#12, base64, or PEM, per the certificate's content type). The default policy is a self-signed RSA 2048
 * certificate, as here. Material lives only in memory.
 */
import 'reflect-metadata'; // required by @peculiar/x509's dependency injection
import { createHash, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { buildPfx } from './pkcs12.ts';

x509.cryptoProvider.set(webcrypto as never);

const ALG = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

export const PKCS12 = 'application/x-pkcs12';
export const PEM_FILE = 'application/x-pem-file';

export interface CertificateMaterial {
  /** DER of the certificate, base64 (`cer`). */
  cer: string;
  /** SHA-1 thumbprint, base64url (`x5t`). */
  x5t: string;
  /** The public key as JWK members (`n`, `e`), for the backing key. */
  jwk: { n: string; e: string };
  /** The backing secret's value for a content type: base64 PKCS#12, or PEM private key then certificate. */
  secretValue(contentType: string): string;
}

const cache = new Map<string, Promise<CertificateMaterial>>();

export function certificateMaterial(cacheKey: string, commonName: string): Promise<CertificateMaterial> {
  let material = cache.get(cacheKey);
  if (!material) {
    material = generate(commonName);
    cache.set(cacheKey, material);
  }
  return material;
}

async function generate(commonName: string): Promise<CertificateMaterial> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: `CN=${commonName}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 365 * 24 * 3600_000),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
    ],
  });
  const der = Buffer.from(cert.rawData);
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const { n, e } = (await webcrypto.subtle.exportKey('jwk', keys.publicKey)) as { n: string; e: string };
  const pem = (label: string, bytes: Buffer) =>
    `-----BEGIN ${label}-----\n${bytes
      .toString('base64')
      .replace(/.{64}/g, '$&\n')
      .trimEnd()}\n-----END ${label}-----\n`;
  const pemValue = `${pem('PRIVATE KEY', pkcs8)}${pem('CERTIFICATE', der)}`;
  const pfx = buildPfx(pkcs8, der).toString('base64');
  return {
    cer: der.toString('base64'),
    x5t: createHash('sha1').update(der).digest('base64url'),
    jwk: { n, e },
    secretValue: (contentType) => (contentType === PEM_FILE ? pemValue : pfx),
  };
}
