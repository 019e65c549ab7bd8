/**
 * A PKCS#12 (PFX, RFC 7292) file as Key Vault exports a certificate's secret: the certificate in a certBag, the
 * private key in a pkcs8ShroudedKeyBag (pbeWithSHAAnd3-KeyTripleDES-CBC), an HMAC-SHA1 integrity MAC, and the
 * empty password. That is the subset Go's golang.org/x/crypto/pkcs12 (which the Azure provider uses to turn the
 * secret into PEM) and OpenSSL both read. A small DER writer is enough: every length is known up front.
 */
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { deriveKey } from '../common/pkcs12-kdf.ts';

const OID = {
  data: '1.2.840.113549.1.7.1',
  keyBag: '1.2.840.113549.1.12.10.1.2', // pkcs8ShroudedKeyBag
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbeWithSha1And3DesCbc: '1.2.840.113549.1.12.1.3',
  sha1: '1.3.14.3.2.26',
};
const ITERATIONS = 2048;

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length = n < 0x80 ? Buffer.from([n]) : Buffer.concat([Buffer.from([0x80 | byteLength(n)]), unsignedBytes(n)]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}
const byteLength = (n: number) => Math.max(1, Math.ceil(Math.log2(n + 1) / 8));
function unsignedBytes(n: number): Buffer {
  const out = Buffer.alloc(byteLength(n));
  for (let i = out.length - 1, v = n; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
  return out;
}
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const octets = (b: Buffer) => tlv(0x04, b);
const explicit0 = (b: Buffer) => tlv(0xa0, b);
const integer = (n: number) => {
  const bytes = unsignedBytes(n);
  return tlv(0x02, (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
};
function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const body = [40 * a + b];
  for (const arc of rest) {
    const parts = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) parts.unshift((v & 0x7f) | 0x80);
    body.push(...parts);
  }
  return tlv(0x06, Buffer.from(body));
}
const dataContentInfo = (content: Buffer) => seq(oid(OID.data), explicit0(octets(content)));

/** A PFX holding `certificateDer` and the PKCS#8 `privateKey`, protected by the empty password. */
export function buildPfx(privateKey: Buffer, certificateDer: Buffer): Buffer {
  const keySalt = randomBytes(8);
  const cipher = createCipheriv(
    'des-ede3-cbc',
    deriveKey(1, keySalt, ITERATIONS, 24),
    deriveKey(2, keySalt, ITERATIONS, 8),
  );
  const encryptedKey = Buffer.concat([cipher.update(privateKey), cipher.final()]);
  const shroudedKey = seq(
    seq(oid(OID.pbeWithSha1And3DesCbc), seq(octets(keySalt), integer(ITERATIONS))),
    octets(encryptedKey),
  );
  const localKeyId = seq(oid('1.2.840.113549.1.9.21'), set(octets(createHash('sha1').update(certificateDer).digest())));
  const keyBag = seq(oid(OID.keyBag), explicit0(shroudedKey), set(localKeyId));
  const certBag = seq(
    oid(OID.certBag),
    explicit0(seq(oid(OID.x509Certificate), explicit0(octets(certificateDer)))),
    set(localKeyId),
  );
  const authenticatedSafe = seq(dataContentInfo(seq(certBag)), dataContentInfo(seq(keyBag)));
  const macSalt = randomBytes(8);
  const mac = createHmac('sha1', deriveKey(3, macSalt, ITERATIONS, 20))
    .update(authenticatedSafe)
    .digest();
  const macData = seq(
    seq(seq(oid(OID.sha1), Buffer.from([0x05, 0x00])), octets(mac)),
    octets(macSalt),
    integer(ITERATIONS),
  );
  return seq(integer(3), dataContentInfo(authenticatedSafe), macData);
}
