/**
 * What the simulated provider writes to an object's file: secrets decoded per objectEncoding with Go's decoding
 * errors (base64.StdEncoding, encoding/hex), keys as their PKIX public key PEM, certificates as PEM.
 */
import { createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateMaterial } from '../../../sim/keyvault/certificate-material.ts';
import { goBase64, goHex, objectContent } from '../../../sim/kubelet/object-content.ts';
import type { KeyVaultObject } from '../../../sim/kubelet/provider-params.ts';

const object = (o: Partial<KeyVaultObject>): KeyVaultObject => ({
  objectName: 'o',
  objectType: 'secret',
  objectVersion: '',
  objectAlias: '',
  objectFormat: '',
  objectEncoding: '',
  objectVersionHistory: 0,
  ...o,
});
const text = (c: ReturnType<typeof objectContent>) => ('bytes' in c ? c.bytes.toString() : c);

describe('objectEncoding, as Go decodes it', () => {
  it('decodes base64 and reports the first byte Go refuses', () => {
    expect(goBase64('aGVsbG8=')).toEqual(Buffer.from('hello'));
    expect(goBase64('aGVs\nbG8=')).toEqual(Buffer.from('hello'));
    expect(goBase64('Kv1ab-db!KVLAB-CANARY')).toBe('illegal base64 data at input byte 5');
    expect(goBase64('aGVsbG8')).toBe('illegal base64 data at input byte 4');
    expect(goBase64('aGVsbG8=x')).toBe('illegal base64 data at input byte 8');
    expect(goBase64('aGVsbA=')).toBe('illegal base64 data at input byte 7');
  });
  it('decodes hex, reporting an invalid byte before an odd length', () => {
    expect(goHex('6869')).toEqual(Buffer.from('hi'));
    expect(goHex('686')).toBe('encoding/hex: odd length hex string');
    expect(goHex('68zz')).toBe("encoding/hex: invalid byte: U+007A 'z'");
    expect(goHex('68z')).toBe("encoding/hex: invalid byte: U+007A 'z'");
  });
  it('returns a decoding error unwrapped, as the provider does', () => {
    expect(objectContent(object({ objectEncoding: 'Base64' }), { value: 'not base64!' })).toEqual({
      error: 'illegal base64 data at input byte 3',
      wrapped: false,
    });
  });
});

describe('keys and certificates', () => {
  it('writes a key as its public key, PKIX PEM', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const pem = text(objectContent(object({ objectType: 'key' }), { key: { ...jwk, kty: 'EC-HSM' } }));
    expect(pem).toBe(publicKey.export({ type: 'spki', format: 'pem' }));
    expect(createPublicKey(String(pem)).asymmetricKeyType).toBe('ec');
    expect(objectContent(object({ objectType: 'key' }), { key: { kty: 'oct' } })).toEqual({
      error: "failed to get key. key type 'oct' currently not supported",
      wrapped: true,
    });
  });
  it('writes a certificate as PEM', async () => {
    const material = await certificateMaterial('kubelet-test/cert-b/1', 'cert-b');
    const pem = text(objectContent(object({ objectType: 'cert' }), { cer: material.cer }));
    expect(new X509Certificate(String(pem)).subject).toBe('CN=cert-b');
  });
  it('keeps a certificate secret as PKCS#12 for objectFormat: pfx, and refuses an unknown content type', async () => {
    const material = await certificateMaterial('kubelet-test/cert-c/1', 'cert-c');
    const pfx = material.secretValue('application/x-pkcs12');
    const body = { value: pfx, kid: 'https://kv/keys/cert-c/1', contentType: 'application/x-pkcs12' };
    expect(text(objectContent(object({ objectFormat: 'PFX' }), body))).toBe(pfx);
    expect(objectContent(object({}), { ...body, contentType: 'text/plain' })).toEqual({
      error: "failed to get certificate. unknown content type 'text/plain'",
      wrapped: true,
    });
  });
});
