/**
 * A throw-away certificate authority for the simulators. Azure clients refuse plain HTTP (reference/README §1),
 * so Entra ID, Key Vault and the HTTPS Kubernetes endpoint are served with certificates from this CA, and the
 * clients trust it through `ca` options or `NODE_EXTRA_CA_CERTS`. Keys live only in memory or in the sim's
 * state directory; nothing here is ever used outside loopback.
 */
import 'reflect-metadata'; // required by @peculiar/x509's dependency injection
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface CertificateAuthority {
  /** PEM of the CA certificate: what clients must trust. */
  certPem: string;
  issue(names: ServerNames): Promise<ServerCertificate>;
}

export interface ServerNames {
  /** DNS names, wildcards allowed (`*.vault.azure.net`). */
  dns?: string[];
  /** IP addresses (`127.0.0.1`, `::1`). */
  ips?: string[];
}

export interface ServerCertificate {
  certPem: string;
  keyPem: string;
  /** The leaf followed by the CA: what a TLS server should present. */
  chainPem: string;
}

function randomSerial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
    .toString('hex')
    .replace(/^[89a-f]/, '1');
}

async function keyToPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN PRIVATE KEY-----\n${b64.trimEnd()}\n-----END PRIVATE KEY-----\n`;
}

/** Creates a new CA valid for a year. Each call is a different CA. */
export async function createCertificateAuthority(commonName = 'kvlab simulator CA'): Promise<CertificateAuthority> {
  const caKeys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${commonName}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 365 * 24 * 3600_000),
    signingAlgorithm: ALG,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const certPem = caCert.toString('pem');

  return {
    certPem,
    async issue({ dns = [], ips = [] }: ServerNames): Promise<ServerCertificate> {
      const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: randomSerial(),
        subject: `CN=${dns[0] ?? ips[0] ?? 'localhost'}`,
        issuer: caCert.subject,
        notBefore: new Date(now - 60_000),
        notAfter: new Date(now + 364 * 24 * 3600_000),
        signingAlgorithm: ALG,
        publicKey: keys.publicKey,
        signingKey: caKeys.privateKey,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
          new x509.SubjectAlternativeNameExtension([
            ...dns.map((value) => ({ type: 'dns' as const, value })),
            ...ips.map((value) => ({ type: 'ip' as const, value })),
          ]),
          await x509.AuthorityKeyIdentifierExtension.create(caCert),
        ],
      });
      const leafPem = cert.toString('pem');
      return { certPem: leafPem, keyPem: await keyToPem(keys.privateKey), chainPem: `${leafPem}\n${certPem}` };
    },
  };
}
