/**
 * kubectl's typed clients POST built-in kinds as `application/vnd.kubernetes.protobuf` (`kubectl auth can-i`
 * sends a SelfSubjectAccessReview, `kubectl create token` a TokenRequest). This decodes exactly those two
 * bodies into their JSON shape: the `k8s\0` magic, the `runtime.Unknown` envelope, then the message fields
 * from k8s.io/api `authorization/v1` and `authentication/v1` generated.proto. Responses stay JSON (the
 * clients also accept `application/json`).
 */
import type { Obj } from './resources.ts';
import { badRequest } from './status.ts';

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Field = Buffer | bigint;

/** Reads one message level: field number → values (varints as bigint, length-delimited as Buffer). */
function fields(buf: Buffer): Map<number, Field[]> {
  const out = new Map<number, Field[]>();
  let i = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buf[i++];
      if (byte === undefined) throw badRequest('protobuf: unexpected end of message');
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const tag = Number(varint());
    const wire = tag & 7;
    let value: Field;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const len = Number(varint());
      value = buf.subarray(i, i + len);
      i += len;
    } else if (wire === 1 || wire === 5) {
      i += wire === 1 ? 8 : 4;
      continue;
    } else throw badRequest(`protobuf: unsupported wire type ${wire}`);
    const list = out.get(tag >> 3) ?? [];
    list.push(value);
    out.set(tag >> 3, list);
  }
  return out;
}

const str = (f: Map<number, Field[]>, n: number): string => {
  const v = f.get(n)?.[0];
  return Buffer.isBuffer(v) ? v.toString('utf8') : '';
};
const msg = (f: Map<number, Field[]>, n: number): Map<number, Field[]> | undefined => {
  const v = f.get(n)?.[0];
  return Buffer.isBuffer(v) ? fields(v) : undefined;
};

function resourceAttributes(f: Map<number, Field[]>): Obj {
  const names = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'];
  return Object.fromEntries(names.map((name, i) => [name, str(f, i + 1)]));
}

function selfSubjectAccessReview(raw: Map<number, Field[]>): Obj {
  const spec = msg(raw, 2) ?? new Map();
  const resource = msg(spec, 1);
  const nonResource = msg(spec, 2);
  const out: Obj = {};
  if (resource) out.resourceAttributes = resourceAttributes(resource);
  if (nonResource) out.nonResourceAttributes = { path: str(nonResource, 1), verb: str(nonResource, 2) };
  return { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: out };
}

function tokenRequest(raw: Map<number, Field[]>): Obj {
  const spec = msg(raw, 2) ?? new Map();
  const out: Obj = { audiences: (spec.get(1) ?? []).map((v: Field) => (Buffer.isBuffer(v) ? v.toString('utf8') : '')) };
  const expiration = spec.get(4)?.[0];
  if (typeof expiration === 'bigint') out.expirationSeconds = Number(expiration);
  const bound = msg(spec, 3);
  if (bound)
    out.boundObjectRef = { kind: str(bound, 1), apiVersion: str(bound, 2), name: str(bound, 3), uid: str(bound, 4) };
  return { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: out };
}

/** Decodes a protobuf SelfSubjectAccessReview or TokenRequest body; other kinds are 415 for the caller to raise. */
export function decodeProtobuf(body: Buffer): Obj | undefined {
  if (!body.subarray(0, 4).equals(MAGIC))
    throw badRequest('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  const unknown = fields(body.subarray(4));
  const typeMeta = msg(unknown, 1) ?? new Map();
  const kind = str(typeMeta, 2);
  const raw = fields((unknown.get(2)?.[0] as Buffer | undefined) ?? Buffer.alloc(0));
  if (kind === 'SelfSubjectAccessReview') return selfSubjectAccessReview(raw);
  if (kind === 'TokenRequest') return tokenRequest(raw);
  return undefined;
}
