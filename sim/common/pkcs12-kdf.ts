/**
 * RFC 7292 appendix B.2 key derivation with SHA-1 (u = 20, v = 64) and the empty password, as PKCS#12 encodes it
 * (BMPString with a two-byte zero terminator). Shared by the Key Vault simulator, which writes a certificate's PFX,
 * and the simulated kubelet, which reads it as the Azure provider does. `id`: 1 key, 2 IV, 3 MAC key.
 */
import { createHash } from 'node:crypto';

const EMPTY_PASSWORD = Buffer.from([0, 0]);

export function deriveKey(id: 1 | 2 | 3, salt: Buffer, iterations: number, size: number): Buffer {
  const v = 64;
  const fill = (b: Buffer) => {
    const out = Buffer.alloc(b.length === 0 ? 0 : v * Math.ceil(b.length / v));
    for (let i = 0; i < out.length; i++) out[i] = b[i % b.length] ?? 0;
    return out;
  };
  const input = Buffer.concat([fill(salt), fill(EMPTY_PASSWORD)]);
  const blocks: Buffer[] = [];
  while (blocks.length * 20 < size) {
    let a = createHash('sha1')
      .update(Buffer.concat([Buffer.alloc(v, id), input]))
      .digest();
    for (let r = 1; r < iterations; r++) a = createHash('sha1').update(a).digest();
    blocks.push(a);
    const b = fill(a);
    for (let j = 0; j < input.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = (input[j + k] ?? 0) + (b[k] ?? 0) + carry;
        input[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(blocks).subarray(0, size);
}
