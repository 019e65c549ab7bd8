/**
 * Vault objects on the wire (docs/wire-notes.md §4.1): SecretBundle / SecretItem, KeyBundle and CertificateBundle with
 * `id` set and times in Unix seconds, plus `maxresults` / `nextLink` paging. Keys and certificates get real,
 * generated public material (cached per version) so clients that parse them — the CSI provider writes keys as
 * PEM and certificates as X.509 — work unchanged. Object names are case-insensitive, as in Key Vault.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import type { ObjectVersion, Vault, VaultObject } from '../azure/state.ts';
import { createCertificateAuthority } from '../common/tls.ts';
import type { ObjectKind } from './errors.ts';

/** Key Vault object names: 1–127 letters, digits and dashes (docs/wire-notes.md §4.4). */
export const OBJECT_NAME = /^[0-9a-zA-Z-]{1,127}$/;
/** Key Vault pages at most 25 items. */
export const MAX_PAGE_SIZE = 25;

export interface Found {
  object: VaultObject;
  version: ObjectVersion;
}

const collection = (vault: Vault, kind: ObjectKind): VaultObject[] =>
  (kind === 'secret' ? vault.secrets : kind === 'key' ? vault.keys : vault.certificates) ?? [];

/** Finds an object by name; without `version`, the newest (last) version. */
export function findObject(vault: Vault, kind: ObjectKind, name: string, version?: string): Found | undefined {
  const object = collection(vault, kind).find((o) => o.name.toLowerCase() === name.toLowerCase());
  if (!object) return undefined;
  const found = version
    ? object.versions.find((v) => v.version.toLowerCase() === version.toLowerCase())
    : object.versions[object.versions.length - 1];
  return found ? { object, version: found } : undefined;
}

/** All objects of a kind (for `GET /secrets`). */
export function listObjects(vault: Vault, kind: ObjectKind): VaultObject[] {
  return collection(vault, kind);
}

const seconds = (iso: string | undefined): number | undefined => (iso ? Math.floor(Date.parse(iso) / 1000) : undefined);

/** Object attributes; `created` falls back to when the simulator started. */
export function attributes(v: ObjectVersion, startedAt: Date) {
  const created = seconds(v.created) ?? Math.floor(startedAt.getTime() / 1000);
  const nbf = seconds(v.notBefore);
  const exp = seconds(v.expires);
  return {
    enabled: v.enabled ?? true,
    ...(nbf === undefined ? {} : { nbf }),
    ...(exp === undefined ? {} : { exp }),
    created,
    updated: created,
    recoveryLevel: 'Recoverable+Purgeable',
    recoverableDays: 90,
  };
}

/** `GET /secrets/{name}/{version}`: the only response that carries a value. */
export function secretBundle(base: string, f: Found, startedAt: Date) {
  return {
    value: f.version.value ?? '',
    id: `${base}/secrets/${f.object.name}/${f.version.version}`,
    ...(f.version.contentType ? { contentType: f.version.contentType } : {}),
    attributes: attributes(f.version, startedAt),
    tags: f.version.tags ?? {},
  };
}

/** A list entry: no value; the id carries the version only in `/versions` listings. */
export function secretItem(base: string, f: Found, withVersion: boolean, startedAt: Date) {
  return {
    id: `${base}/secrets/${f.object.name}${withVersion ? `/${f.version.version}` : ''}`,
    ...(f.version.contentType ? { contentType: f.version.contentType } : {}),
    attributes: attributes(f.version, startedAt),
    tags: f.version.tags ?? {},
  };
}

const keyMaterial = new Map<string, { n: string; e: string }>();
const certMaterial = new Map<string, Promise<{ cer: string; x5t: string }>>();

/** `GET /keys/{name}/{version}`: the public part of a generated RSA key. */
export function keyBundle(base: string, vault: Vault, f: Found, startedAt: Date) {
  const cacheKey = `${vault.name}/${f.object.name}/${f.version.version}`;
  let jwk = keyMaterial.get(cacheKey);
  if (!jwk) {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { n, e } = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
    jwk = { n, e };
    keyMaterial.set(cacheKey, jwk);
  }
  return {
    key: {
      kid: `${base}/keys/${f.object.name}/${f.version.version}`,
      kty: 'RSA',
      key_ops: ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'],
      ...jwk,
    },
    attributes: { ...attributes(f.version, startedAt), exportable: false },
    tags: f.version.tags ?? {},
  };
}

/** `GET /certificates/{name}/{version}`: a generated self-signed certificate named after the object. */
export async function certificateBundle(base: string, vault: Vault, f: Found, startedAt: Date) {
  const cacheKey = `${vault.name}/${f.object.name}/${f.version.version}`;
  let material = certMaterial.get(cacheKey);
  if (!material) {
    material = createCertificateAuthority(f.object.name).then(({ certPem }) => {
      const der = Buffer.from(certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
      return { cer: der.toString('base64'), x5t: createHash('sha1').update(der).digest('base64url') };
    });
    certMaterial.set(cacheKey, material);
  }
  const { cer, x5t } = await material;
  const path = `${f.object.name}/${f.version.version}`;
  return {
    id: `${base}/certificates/${path}`,
    kid: `${base}/keys/${path}`,
    sid: `${base}/secrets/${path}`,
    x5t,
    cer,
    attributes: attributes(f.version, startedAt),
    tags: f.version.tags ?? {},
  };
}

/**
 * One page of a listing. `$skiptoken` is opaque to clients (the SDK follows `nextLink` verbatim); here it is
 * base64 JSON of the next offset, shaped like the service's `{"NextMarker":…,"TargetLocation":0}`.
 */
export function page<T>(items: T[], query: URLSearchParams, linkBase: string): { value: T[]; nextLink: string | null } {
  const requested = Number(query.get('maxresults') ?? MAX_PAGE_SIZE);
  const size = Number.isInteger(requested) && requested > 0 ? Math.min(requested, MAX_PAGE_SIZE) : MAX_PAGE_SIZE;
  const offset = decodeSkipToken(query.get('$skiptoken'));
  const value = items.slice(offset, offset + size);
  if (offset + size >= items.length) return { value, nextLink: null };
  const token = Buffer.from(JSON.stringify({ NextMarker: String(offset + size), TargetLocation: 0 })).toString(
    'base64',
  );
  const next = new URLSearchParams({
    'api-version': query.get('api-version') ?? '',
    $skiptoken: token,
    maxresults: String(size),
  });
  return { value, nextLink: `${linkBase}?${next.toString()}` };
}

function decodeSkipToken(token: string | null): number {
  if (!token) return 0;
  try {
    const offset = Number(JSON.parse(Buffer.from(token, 'base64').toString('utf8')).NextMarker);
    return Number.isInteger(offset) && offset >= 0 ? offset : 0;
  } catch {
    return 0;
  }
}
