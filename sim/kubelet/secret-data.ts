/**
 * The sync controller's `secretutil.GetCertPart` for a kubernetes.io/tls Secret: `tls.crt` takes the file's PEM
 * CERTIFICATE blocks, `tls.key` its last non-certificate PEM block re-encoded as `RSA PRIVATE KEY` (PKCS#1) or
 * `EC PRIVATE KEY` (SEC 1); a file without PEM blocks is read as PKCS#12 with the empty password, and a file that
 * is neither gives Go's pkcs12 error. Any other key is refused. Returns the bytes, or the error text.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { encodePem, pemBlocksOf, pkcs12Blocks } from './pkcs12-pem.ts';

export function certPart(data: Buffer, key: string): Buffer | string {
  if (key === 'tls.key') return privateKey(data);
  if (key === 'tls.crt') return certificates(data);
  return `key '${key}' is not supported. Only 'tls.key' and 'tls.crt' are supported`;
}

function certificates(data: Buffer): Buffer | string {
  let certs = pemBlocksOf(data).filter((b) => b.type === 'CERTIFICATE');
  if (certs.length === 0) {
    const blocks = pkcs12Blocks(data);
    if (typeof blocks === 'string') return blocks;
    certs = blocks.filter((b) => b.type === 'CERTIFICATE');
  }
  return Buffer.from(certs.map(encodePem).join(''));
}

function privateKey(data: Buffer): Buffer | string {
  let der = pemBlocksOf(data)
    .filter((b) => b.type !== 'CERTIFICATE')
    .at(-1)?.bytes;
  if (!der) {
    const blocks = pkcs12Blocks(data);
    if (typeof blocks === 'string') return blocks;
    der = blocks.filter((b) => b.type === 'PRIVATE KEY').at(-1)?.bytes;
  }
  const parsed = der ? parseKey(der) : undefined;
  if (typeof parsed === 'string') return parsed;
  // Go encodes whatever it parsed; nothing parsed leaves an empty `PRIVATE KEY` block, not an error.
  if (!parsed) return Buffer.from(encodePem({ type: 'PRIVATE KEY', bytes: Buffer.alloc(0) }));
  if (parsed.asymmetricKeyType === 'rsa') {
    return Buffer.from(encodePem({ type: 'RSA PRIVATE KEY', bytes: parsed.export({ type: 'pkcs1', format: 'der' }) }));
  }
  return Buffer.from(encodePem({ type: 'EC PRIVATE KEY', bytes: parsed.export({ type: 'sec1', format: 'der' }) }));
}

/** x509.ParsePKCS1PrivateKey, ParsePKCS8PrivateKey (RSA and ECDSA only), ParseECPrivateKey, in Go's order. */
function parseKey(der: Buffer): KeyObject | string | undefined {
  for (const type of ['pkcs1', 'pkcs8', 'sec1'] as const) {
    try {
      const key = createPrivateKey({ key: der, format: 'der', type });
      if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'ec') return key;
      return 'unknown private key type found while getting key. Only rsa and ecdsa are supported';
    } catch {
      // not this encoding: try the next
    }
  }
  return undefined;
}
