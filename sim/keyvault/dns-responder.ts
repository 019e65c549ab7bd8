/**
 * A minimal authoritative DNS responder (RFC 1035 over UDP) for the simulated vault hostnames. Known names get
 * `A 127.0.0.1`, other record types for them get an empty NOERROR answer (no data), and unknown names get
 * NXDOMAIN — so a mistyped vault name fails with ENOTFOUND exactly like a real DNS miss, while the vault URL
 * keeps its real `*.vault.azure.net` hostname and Key Vault's challenge-resource verification stays on.
 */
import { createSocket, type Socket } from 'node:dgram';

const TYPE_A = 1;
const CLASS_IN = 1;
const RCODE_FORMERR = 1;
const RCODE_NXDOMAIN = 3;
const RCODE_NOTIMP = 4;
const TTL_SECONDS = 60;

export interface DnsResponderOptions {
  port: number;
  host?: string;
  /** Whether `name` (lower case, no trailing dot) exists. */
  knows: (name: string) => boolean;
  /** Address returned for known names (default `127.0.0.1`). */
  address?: string;
  /** Called once per answered query, e.g. to count lookups. */
  onQuery?: (name: string, found: boolean) => void;
}

export interface DnsResponder {
  port: number;
  close(): Promise<void>;
}

/** Binds the responder; rejects with the socket error (e.g. EADDRINUSE) if the port is taken. */
export async function startDnsResponder(options: DnsResponderOptions): Promise<DnsResponder> {
  const socket: Socket = createSocket('udp4');
  const address = (options.address ?? '127.0.0.1').split('.').map(Number);
  socket.on('message', (msg, remote) => {
    const reply = answer(msg, options, address);
    if (reply) socket.send(reply, remote.port, remote.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port, options.host ?? '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.on('error', () => undefined); // a failed send to a vanished client is not our problem
  return {
    port: socket.address().port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

interface Question {
  name: string;
  type: number;
  klass: number;
  /** Offset just past the question section. */
  end: number;
}

/** Builds the reply to one query message, or `undefined` when it is too broken to answer at all. */
export function answer(msg: Buffer, options: DnsResponderOptions, address: number[]): Buffer | undefined {
  if (msg.length < 12) return undefined;
  const flags = msg.readUInt16BE(2);
  if (flags & 0x8000) return undefined; // a response, not a query
  const opcode = (flags >> 11) & 0x0f;
  const question = msg.readUInt16BE(4) === 1 ? parseQuestion(msg) : undefined;
  if (opcode !== 0) return reply(msg, question, RCODE_NOTIMP, []);
  if (!question) return reply(msg, undefined, RCODE_FORMERR, []);
  const found = question.klass === CLASS_IN && options.knows(question.name);
  options.onQuery?.(question.name, found);
  if (!found) return reply(msg, question, RCODE_NXDOMAIN, []);
  if (question.type !== TYPE_A) return reply(msg, question, 0, []);
  const record = Buffer.alloc(16);
  record.writeUInt16BE(0xc00c, 0); // pointer to the name in the question
  record.writeUInt16BE(TYPE_A, 2);
  record.writeUInt16BE(CLASS_IN, 4);
  record.writeUInt32BE(TTL_SECONDS, 6);
  record.writeUInt16BE(4, 10);
  Buffer.from(address).copy(record, 12);
  return reply(msg, question, 0, [record]);
}

function parseQuestion(msg: Buffer): Question | undefined {
  const labels: string[] = [];
  let offset = 12;
  while (offset < msg.length) {
    const len = msg[offset] ?? 0;
    offset++;
    if (len === 0) break;
    if (len > 63 || offset + len > msg.length) return undefined; // compression is not used in questions
    labels.push(msg.toString('latin1', offset, offset + len));
    offset += len;
  }
  if (offset + 4 > msg.length) return undefined;
  return {
    name: labels.join('.').toLowerCase(),
    type: msg.readUInt16BE(offset),
    klass: msg.readUInt16BE(offset + 2),
    end: offset + 4,
  };
}

function reply(query: Buffer, question: Question | undefined, rcode: number, answers: Buffer[]): Buffer {
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // id
  const queryFlags = query.readUInt16BE(2);
  // QR=1, same opcode, AA=1, RD copied, RA=1, RCODE.
  header.writeUInt16BE(0x8000 | (queryFlags & 0x7800) | 0x0400 | (queryFlags & 0x0100) | 0x0080 | rcode, 2);
  header.writeUInt16BE(question ? 1 : 0, 4);
  header.writeUInt16BE(answers.length, 6);
  const questionBytes = question ? query.subarray(12, question.end) : Buffer.alloc(0);
  return Buffer.concat([header, questionBytes, ...answers]);
}
