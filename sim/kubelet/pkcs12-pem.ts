/**
 * Reading a certificate's PKCS#12 secret as the Azure provider and the sync controller do (Go's
 * golang.org/x/crypto/pkcs12 with the empty password): the certBags' certificates and the pkcs8ShroudedKeyBag's
 * private key (pbeWithSHAAnd3-KeyTripleDES-CBC, the subset Key Vault and sim/keyvault/pkcs12.ts write).
 *
 * - `pkcs12ToPem`: the provider's decodePKCS12: the key as PKCS#8 `PRIVATE KEY` PEM, then the certificates.
 * - `pemBlocksOf`: the PEM blocks of a file, as Go's pem.Decode finds them (the sync controller's first try).
 * - `pkcs12Blocks`: what pkcs12.ToPEM gives for raw bytes, or its error text for bytes that are not a PFX:
 *   Go's encoding/asn1 error for the first element (`tags don't match … pfxPdu @2`, `data truncated`).
 */
import { createDecipheriv, createPrivateKey } from 'node:crypto';
import { deriveKey } from '../common/pkcs12-kdf.ts';

export interface PemBlock {
  type: string;
  bytes: Buffer;
}

/** Go's pem.EncodeToMemory: 64-column base64 between BEGIN and END lines. */
export const encodePem = (b: PemBlock): string =>
  `-----BEGIN ${b.type}-----\n${b.bytes
    .toString('base64')
    .replace(/.{64}/g, '$&\n')
    .replace(/\n$/, '')}\n-----END ${b.type}-----\n`;

/** The provider's PEM for a base64 PKCS#12 secret value, or its error. */
export function pkcs12ToPem(base64Value: string): string | { error: string } {
  const bad = base64Value.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) return { error: `illegal base64 data at input byte ${bad}` };
  const blocks = pkcs12Blocks(Buffer.from(base64Value, 'base64'));
  if (typeof blocks === 'string') return { error: blocks };
  const keys = blocks.filter((b) => b.type === 'PRIVATE KEY');
  const certs = blocks.filter((b) => b.type === 'CERTIFICATE');
  const pkcs8 = keys.map((k) =>
    encodePem({
      type: 'PRIVATE KEY',
      bytes: createPrivateKey({ key: k.bytes, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'der' }),
    }),
  );
  return [...pkcs8, ...certs.map(encodePem)].join('');
}

/** The PEM blocks in `data`, in order (text between blocks is skipped, as pem.Decode skips it). */
export function pemBlocksOf(data: Buffer): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /-----BEGIN ([^-\r\n]+)-----\r?\n([\s\S]*?)-----END \1-----/g;
  for (const m of data.toString('latin1').matchAll(re)) {
    out.push({ type: m[1] ?? '', bytes: Buffer.from((m[2] ?? '').replace(/\s+/g, ''), 'base64') });
  }
  return out;
}

interface Tlv {
  tag: number;
  content: Buffer;
}

function readTlv(buf: Buffer, at: number): Tlv & { next: number } {
  const tag = buf[at] ?? 0;
  let length = buf[at + 1] ?? 0;
  let start = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (buf[start + i] ?? 0);
    start += n;
  }
  if (start + length > buf.length) throw new Error('asn1: syntax error: data truncated');
  return { tag, content: buf.subarray(start, start + length), next: start + length };
}

function children(t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < t.content.length; ) {
    const c = readTlv(t.content, at);
    out.push(c);
    at = c.next;
  }
  return out;
}

const OID_SHROUDED_KEY_BAG = Buffer.from('060b2a864886f70d010c0a0102', 'hex');
const OID_CERT_BAG = Buffer.from('060b2a864886f70d010c0a0103', 'hex');
const oidDer = (t: Tlv | undefined) =>
  t ? Buffer.concat([Buffer.from([t.tag, t.content.length]), t.content]) : Buffer.alloc(0);

/** pkcs12.ToPEM(data, ""): the `CERTIFICATE` and `PRIVATE KEY` (PKCS#8 DER) blocks, or Go's error text. */
export function pkcs12Blocks(data: Buffer): PemBlock[] | string {
  const first = goAsn1SequenceError(data);
  if (first) return `pkcs12: error reading P12 data: ${first}`;
  try {
    const pfx = children(readTlv(data, 0));
    const authSafe = unwrapData(pfx[1]);
    const out: PemBlock[] = [];
    for (const info of children(readTlv(authSafe, 0))) {
      const safeContents = unwrapData(info);
      for (const bag of children(readTlv(safeContents, 0))) {
        const [id, value] = children(bag);
        const inner = value ? children(value)[0] : undefined;
        if (!inner) continue;
        if (oidDer(id).equals(OID_CERT_BAG)) {
          const certValue = children(inner)[1];
          const der = certValue ? children(certValue)[0]?.content : undefined;
          if (der) out.push({ type: 'CERTIFICATE', bytes: Buffer.from(der) });
        } else if (oidDer(id).equals(OID_SHROUDED_KEY_BAG)) {
          out.push({ type: 'PRIVATE KEY', bytes: decryptShroudedKey(inner) });
        }
      }
    }
    return out;
  } catch (err) {
    return `pkcs12: error reading P12 data: ${(err as Error).message}`;
  }
}

/** A ContentInfo of type data: `SEQ { oid, [0] { OCTET STRING } }` → the octets. */
function unwrapData(info: Tlv | undefined): Buffer {
  const explicit = info ? children(info)[1] : undefined;
  const octets = explicit ? children(explicit)[0] : undefined;
  if (!octets) throw new Error('pkcs12: only password-protected PFX is implemented');
  return octets.content;
}

/** EncryptedPrivateKeyInfo with pbeWithSHAAnd3-KeyTripleDES-CBC and the empty password → PKCS#8 DER. */
function decryptShroudedKey(epki: Tlv): Buffer {
  const [algorithm, encrypted] = children(epki);
  const params = algorithm ? children(algorithm)[1] : undefined;
  const [salt, iterations] = params ? children(params) : [];
  if (!salt || !iterations || !encrypted) throw new Error('pkcs12: unknown key bag algorithm');
  const rounds = [...iterations.content].reduce((n, b) => n * 256 + b, 0);
  const decipher = createDecipheriv(
    'des-ede3-cbc',
    deriveKey(1, salt.content, rounds, 24),
    deriveKey(2, salt.content, rounds, 8),
  );
  return Buffer.concat([decipher.update(encrypted.content), decipher.final()]);
}

const GO_FIELD_PARAMS =
  '{optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false}';

/**
 * Go's asn1.Unmarshal(data, &pfxPdu{}) failing on its first tag and length, as encoding/asn1 words it; undefined
 * when the data starts like a DER SEQUENCE (errors deeper in are not reproduced word for word).
 */
export function goAsn1SequenceError(data: Buffer): string | undefined {
  if (data.length === 0) return 'asn1: syntax error: sequence truncated';
  const b = data[0] ?? 0;
  let offset = 1;
  let tag = b & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    for (;;) {
      if (offset >= data.length) return 'asn1: syntax error: truncated base 128 integer';
      const c = data[offset++] ?? 0;
      tag = tag * 128 + (c & 0x7f);
      if (!(c & 0x80)) break;
    }
    if (tag < 0x1f) return 'asn1: syntax error: non-minimal tag';
  }
  if (offset >= data.length) return 'asn1: syntax error: data truncated';
  let length = data[offset++] ?? 0;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0) return 'asn1: syntax error: indefinite length found (not DER)';
    length = 0;
    for (let i = 0; i < n; i++) {
      if (offset >= data.length) return 'asn1: syntax error: data truncated';
      const c = data[offset++] ?? 0;
      if (i === 0 && c === 0) return 'asn1: structure error: superfluous leading zeros in length';
      length = length * 256 + c;
    }
    if (length < 0x80) return 'asn1: structure error: non-minimal length';
  }
  const t = { class: b >> 6, isCompound: (b & 0x20) !== 0 };
  if (t.class !== 0 || tag !== 16 || !t.isCompound) {
    return `asn1: structure error: tags don't match (16 vs {class:${t.class} tag:${tag} length:${length} isCompound:${t.isCompound}}) ${GO_FIELD_PARAMS} pfxPdu @${offset}`;
  }
  if (offset + length > data.length) return 'asn1: syntax error: data truncated';
  return undefined;
}
