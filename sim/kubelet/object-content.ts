/**
 * What the Azure provider writes to an object's file, from the Key Vault response body (provider v1.5.x):
 * - a secret: its value, decoded per `objectEncoding` (base64 or hex, with Go's decoding errors); a
 *   certificate's secret in PKCS#12 is converted to PEM unless `objectFormat: pfx` (pkcs12-pem.ts);
 * - a key: its public part as a PKIX `PUBLIC KEY` PEM (RSA, or EC on P-256/P-384/P-521);
 * - a certificate: its DER (`cer`) as a `CERTIFICATE` PEM.
 * Errors are returned as the provider's text without the object prefix; the caller knows which ones it adds.
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { encodePem, pkcs12ToPem } from './pkcs12-pem.ts';
import type { KeyVaultObject } from './provider-params.ts';

export interface ObjectBody {
  id?: string;
  kid?: string;
  value?: string;
  cer?: string;
  key?: JsonWebKey & { kid?: string };
  contentType?: string;
}

const PFX_CONTENT_TYPE = 'application/x-pkcs12';
const PEM_CONTENT_TYPE = 'application/x-pem-file';
const CURVES = ['P-256', 'P-384', 'P-521'];

/** `wrapped`: the error gets the object prefix (the provider wraps it); otherwise it is returned bare. */
export type Content = { bytes: Buffer } | { error: string; wrapped: boolean };

export function objectContent(o: KeyVaultObject, body: ObjectBody): Content {
  if (o.objectType === 'cert') return { bytes: Buffer.from(encodePem({ type: 'CERTIFICATE', bytes: b64(body.cer) })) };
  if (o.objectType === 'key') return publicKeyPem(body.key ?? {});
  const value = String(body.value ?? '');
  let text = value;
  if (body.kid && body.contentType !== PEM_CONTENT_TYPE) {
    if (body.contentType !== PFX_CONTENT_TYPE) {
      return { error: `failed to get certificate. unknown content type '${body.contentType ?? ''}'`, wrapped: true };
    }
    if (o.objectFormat.toLowerCase() !== 'pfx') {
      const pem = pkcs12ToPem(value);
      if (typeof pem !== 'string') return { ...pem, wrapped: true };
      text = pem;
    }
  }
  return decodeContent(text, o.objectEncoding.toLowerCase());
}

function publicKeyPem(jwk: JsonWebKey): Content {
  const kty = String(jwk.kty ?? '');
  const fail = (error: string): Content => ({ error, wrapped: true });
  if (kty !== 'RSA' && kty !== 'RSA-HSM' && kty !== 'EC' && kty !== 'EC-HSM') {
    return fail(`failed to get key. key type '${kty}' currently not supported`);
  }
  if (kty.startsWith('EC') && !CURVES.includes(String(jwk.crv))) return fail(`curve ${jwk.crv} is not supported`);
  const pub: JsonWebKey = kty.startsWith('RSA')
    ? { kty: 'RSA', n: jwk.n, e: jwk.e }
    : { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
  const der = createPublicKey({ key: pub, format: 'jwk' }).export({ type: 'spki', format: 'der' });
  return { bytes: Buffer.from(encodePem({ type: 'PUBLIC KEY', bytes: der })) };
}

const b64 = (s: string | undefined) => Buffer.from(String(s ?? ''), 'base64');

/** getContentBytes: utf-8 (or none) as is, base64 / hex decoded; a decoding error is returned unwrapped. */
function decodeContent(text: string, encoding: string): Content {
  if (encoding === '' || encoding === 'utf-8') return { bytes: Buffer.from(text) };
  const decoded = encoding === 'base64' ? goBase64(text) : goHex(text);
  return typeof decoded === 'string' ? { error: decoded, wrapped: false } : { bytes: decoded };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Go's base64.StdEncoding.DecodeString, with its CorruptInputError offsets. */
export function goBase64(text: string): Buffer | string {
  const src = Buffer.from(text);
  const corrupt = (at: number) => `illegal base64 data at input byte ${at}`;
  const isNewline = (c: number | undefined) => c === 0x0a || c === 0x0d;
  const out: number[] = [];
  let si = 0;
  while (si < src.length) {
    const quantum: number[] = [];
    let done = false;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Buffer.from(out);
        return corrupt(si - j);
      }
      const c = src[si++] ?? 0;
      const v = B64.indexOf(String.fromCharCode(c));
      if (v >= 0 && c < 0x80) {
        quantum.push(v);
        continue;
      }
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== 0x3d) return corrupt(si - 1);
      if (j < 2) return corrupt(si - 1);
      if (j === 2) {
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) return corrupt(src.length);
        if (src[si] !== 0x3d) return corrupt(si - 1);
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      if (si < src.length) return corrupt(si);
      done = true;
      break;
    }
    const [a = 0, b = 0, c = 0, d = 0] = quantum;
    const bits = (a << 18) | (b << 12) | (c << 6) | d;
    const bytes = [(bits >> 16) & 0xff, (bits >> 8) & 0xff, bits & 0xff].slice(0, Math.max(0, quantum.length - 1));
    out.push(...bytes);
    if (done) break;
  }
  return Buffer.from(out);
}

/** Go's hex.DecodeString: an invalid byte (`%#U`) before an odd length. */
export function goHex(text: string): Buffer | string {
  const src = Buffer.from(text);
  const nibble = (c: number) => {
    const ch = String.fromCharCode(c);
    return /[0-9a-fA-F]/.test(ch) ? Number.parseInt(ch, 16) : -1;
  };
  const invalid = (c: number) => {
    const printable = c >= 0x20 && c < 0x7f;
    return `encoding/hex: invalid byte: U+${c.toString(16).toUpperCase().padStart(4, '0')}${printable ? ` '${String.fromCharCode(c)}'` : ''}`;
  };
  const out: number[] = [];
  for (let j = 1; j < src.length; j += 2) {
    const a = nibble(src[j - 1] ?? 0);
    if (a < 0) return invalid(src[j - 1] ?? 0);
    const b = nibble(src[j] ?? 0);
    if (b < 0) return invalid(src[j] ?? 0);
    out.push(a * 16 + b);
  }
  if (src.length % 2 === 1) {
    const last = src[src.length - 1] ?? 0;
    if (nibble(last) < 0) return invalid(last);
    return 'encoding/hex: odd length hex string';
  }
  return Buffer.from(out);
}
