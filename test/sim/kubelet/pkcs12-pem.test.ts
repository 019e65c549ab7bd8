/**
 * The kubelet's PKCS#12 reading: a certificate's secret, as the Key Vault simulator exports it, comes out as the
 * provider writes it (PKCS#8 key then certificate, Go's PEM layout), and bytes that are not a PFX give Go's
 * encoding/asn1 error text, which the sync controller reports for a kubernetes.io/tls key that is not a cert.
 */
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateMaterial, PEM_FILE, PKCS12 } from '../../../sim/keyvault/certificate-material.ts';
import { goAsn1SequenceError, pemBlocksOf, pkcs12Blocks, pkcs12ToPem } from '../../../sim/kubelet/pkcs12-pem.ts';

describe('PKCS#12 as the provider reads it', () => {
  it('turns a certificate secret into the private key then the certificate, in PEM', async () => {
    const material = await certificateMaterial('kubelet-test/cert-a/1', 'cert-a');
    const pem = pkcs12ToPem(material.secretValue(PKCS12));
    expect(pem).toBe(material.secretValue(PEM_FILE));
    const blocks = pemBlocksOf(Buffer.from(String(pem)));
    expect(blocks.map((b) => b.type)).toEqual(['PRIVATE KEY', 'CERTIFICATE']);
    expect(new X509Certificate(blocks[1]?.bytes ?? Buffer.alloc(0)).subject).toBe('CN=cert-a');
  });
  it('reports a value that is not base64, or not a PFX, in Go wording', () => {
    expect(pkcs12ToPem('not base64!')).toEqual({ error: 'illegal base64 data at input byte 3' });
    expect(pkcs12Blocks(Buffer.from('hunter2-canary'))).toBe(
      "pkcs12: error reading P12 data: asn1: structure error: tags don't match (16 vs {class:1 tag:8 length:117 isCompound:true}) {optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false} pfxPdu @2",
    );
    expect(goAsn1SequenceError(Buffer.alloc(0))).toBe('asn1: syntax error: sequence truncated');
    expect(goAsn1SequenceError(Buffer.from([0x30, 0x05, 0x02]))).toBe('asn1: syntax error: data truncated');
  });
});
