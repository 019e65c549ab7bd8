/**
 * Reads a command's text argument, or standard input when it is `-`. Reads at most `maxBytes + 1` bytes, so a
 * runaway pipe cannot exhaust memory and the caller can still tell "too large" from "exactly at the limit".
 */
export async function readArgOrStdin(value: string, maxBytes: number): Promise<string> {
  if (value !== '-') return value;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    const room = maxBytes + 1 - size;
    chunks.push(buf.subarray(0, room));
    size += Math.min(buf.length, room);
    if (size > maxBytes) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}
