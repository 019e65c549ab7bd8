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

/** What was read of an input, and how large it really is (`atLeast`: counting stopped at `countUpTo`). */
export interface MeasuredInput {
  text: string;
  bytes: number;
  atLeast: boolean;
}

/**
 * Standard input, keeping at most `maxBytes + 1` bytes but counting on (discarding the rest) up to `countUpTo`
 * bytes, so a refusal can say how large the input really was without holding it, nor draining a runaway pipe forever.
 */
export async function readStdinMeasured(maxBytes: number, countUpTo: number): Promise<MeasuredInput> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let bytes = 0;
  for await (const chunk of process.stdin) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    const room = maxBytes + 1 - kept;
    if (room > 0) {
      chunks.push(buf.subarray(0, room));
      kept += Math.min(buf.length, room);
    }
    bytes += buf.length;
    if (bytes > countUpTo) break;
  }
  return {
    text: Buffer.concat(chunks).toString('utf8'),
    bytes: Math.min(bytes, countUpTo),
    atLeast: bytes > countUpTo,
  };
}
