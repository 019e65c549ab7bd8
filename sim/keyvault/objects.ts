/**
 * Vault objects on the wire (docs/wire-notes.md §4.1): SecretBundle / SecretItem, KeyBundle / KeyItem and
 * CertificateBundle / CertificateItem with `id` set and times in Unix seconds, plus `maxresults` / `nextLink`
 * paging. Keys and certificates get real, generated material (cached per version) so clients that parse them — the
 * CSI provider writes keys as PEM, certificates as X.509 and a certificate's secret as key + certificate — work
 * unchanged. Every certificate brings its key and secret of the same name and versions (`managed: true`, the
 * secret's `kid` set), as Key Vault creates them. Object names are case-insensitive, as in Key Vault.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { ObjectVersion, Vault, VaultObject } from '../azure/state.ts';
import { certificateMaterial, PKCS12 } from './certificate-material.ts';
import type { ObjectKind } from './errors.ts';

/** Key Vault object names: 1–127 letters, digits and dashes (docs/wire-notes.md §4.4). */
export const OBJECT_NAME = /^[0-9a-zA-Z-]{1,127}$/;
/** Key Vault pages at most 25 items. */
export const MAX_PAGE_SIZE = 25;

export interface Found {
  object: VaultObject;
  version: ObjectVersion;
  /** A key or secret that Key Vault keeps for the certificate of the same name. */
  backsCertificate?: boolean;
}

const own = (vault: Vault, kind: ObjectKind): VaultObject[] =>
  (kind === 'secret' ? vault.secrets : kind === 'key' ? vault.keys : vault.certificates) ?? [];

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * All objects of a kind with, for keys and secrets, the ones backing a certificate (a certificate's name cannot
 * also be a plain key or secret in Key Vault; should the state say otherwise, the plain object wins).
 */
function collection(vault: Vault, kind: ObjectKind): Array<{ object: VaultObject; backsCertificate: boolean }> {
  const plain = own(vault, kind).map((object) => ({ object, backsCertificate: false }));
  if (kind === 'certificate') return plain;
  const backing = (vault.certificates ?? [])
    .filter((c) => !plain.some((p) => sameName(p.object.name, c.name)))
    .map((object) => ({ object, backsCertificate: true }));
  return [...plain, ...backing];
}

/** Finds an object by name; without `version`, the newest (last) version. */
export function findObject(vault: Vault, kind: ObjectKind, name: string, version?: string): Found | undefined {
  const entry = collection(vault, kind).find((o) => sameName(o.object.name, name));
  if (!entry) return undefined;
  const { object, backsCertificate } = entry;
  const found = version
    ? object.versions.find((v) => sameName(v.version, version))
    : object.versions[object.versions.length - 1];
  return found ? { object, version: found, ...(backsCertificate ? { backsCertificate } : {}) } : undefined;
}

/** Each object of a kind at its newest version (for `GET /secrets`, `/keys`, `/certificates`). */
export function listObjects(vault: Vault, kind: ObjectKind): Found[] {
  return collection(vault, kind).flatMap(({ object, backsCertificate }) => {
    const version = object.versions.at(-1);
    return version ? [{ object, version, ...(backsCertificate ? { backsCertificate } : {}) }] : [];
  });
}

/** Every version of one object (for `GET /<kind>s/{name}/versions`), or undefined when there is no such object. */
export function listVersions(vault: Vault, kind: ObjectKind, name: string): Found[] | undefined {
  const entry = collection(vault, kind).find((o) => sameName(o.object.name, name));
  if (!entry) return undefined;
  const { object, backsCertificate } = entry;
  return object.versions.map((version) => ({ object, version, ...(backsCertificate ? { backsCertificate } : {}) }));
}

/** The content type of a certificate's secret: as the certificate policy says, PKCS#12 by default. */
const certificateContentType = (v: ObjectVersion) => v.contentType ?? PKCS12;
const materialKey = (vault: Vault, f: Found) => `${vault.name}/${f.object.name}/${f.version.version}`;

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

/**
 * `GET /secrets/{name}/{version}`: the only response that carries a value. A certificate's secret carries the
 * private key with the certificate (base64 PKCS#12 or PEM), `kid` naming its key, and `managed: true`.
 */
export async function secretBundle(base: string, vault: Vault, f: Found, startedAt: Date) {
  const path = `${f.object.name}/${f.version.version}`;
  if (f.backsCertificate) {
    const contentType = certificateContentType(f.version);
    const material = await certificateMaterial(materialKey(vault, f), f.object.name);
    return {
      value: material.secretValue(contentType),
      id: `${base}/secrets/${path}`,
      contentType,
      attributes: attributes(f.version, startedAt),
      tags: f.version.tags ?? {},
      kid: `${base}/keys/${path}`,
      managed: true,
    };
  }
  return {
    value: f.version.value ?? '',
    id: `${base}/secrets/${path}`,
    ...(f.version.contentType ? { contentType: f.version.contentType } : {}),
    attributes: attributes(f.version, startedAt),
    tags: f.version.tags ?? {},
  };
}

/** A list entry: no value; the id carries the version only in `/versions` listings. */
export function secretItem(base: string, f: Found, withVersion: boolean, startedAt: Date) {
  const contentType = f.backsCertificate ? certificateContentType(f.version) : f.version.contentType;
  return {
    id: `${base}/secrets/${f.object.name}${withVersion ? `/${f.version.version}` : ''}`,
    ...(contentType ? { contentType } : {}),
    attributes: attributes(f.version, startedAt),
    tags: f.version.tags ?? {},
    ...(f.backsCertificate ? { managed: true } : {}),
  };
}

/** A key list entry (`GET /keys`, `/keys/{name}/versions`): `kid` and attributes, no key material. */
export function keyItem(base: string, f: Found, withVersion: boolean, startedAt: Date) {
  return {
    kid: `${base}/keys/${f.object.name}${withVersion ? `/${f.version.version}` : ''}`,
    attributes: { ...attributes(f.version, startedAt), exportable: false },
    tags: f.version.tags ?? {},
    ...(f.backsCertificate ? { managed: true } : {}),
  };
}

/** A certificate list entry (`GET /certificates`, `/certificates/{name}/versions`): id, thumbprint, attributes. */
export async function certificateItem(base: string, vault: Vault, f: Found, withVersion: boolean, startedAt: Date) {
  const { x5t } = await certificateMaterial(materialKey(vault, f), f.object.name);
  return {
    id: `${base}/certificates/${f.object.name}${withVersion ? `/${f.version.version}` : ''}`,
    x5t,
    attributes: attributes(f.version, startedAt),
    tags: f.version.tags ?? {},
  };
}

const keyMaterial = new Map<string, { n: string; e: string }>();

/** `GET /keys/{name}/{version}`: the public part of a generated RSA key (a certificate's key: the certificate's). */
export async function keyBundle(base: string, vault: Vault, f: Found, startedAt: Date) {
  let jwk = keyMaterial.get(materialKey(vault, f));
  if (f.backsCertificate) {
    jwk = (await certificateMaterial(materialKey(vault, f), f.object.name)).jwk;
  } else if (!jwk) {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { n, e } = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
    jwk = { n, e };
    keyMaterial.set(materialKey(vault, f), jwk);
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
    ...(f.backsCertificate ? { managed: true } : {}),
  };
}

/** `GET /certificates/{name}/{version}`: a generated self-signed RSA certificate named after the object. */
export async function certificateBundle(base: string, vault: Vault, f: Found, startedAt: Date) {
  const { cer, x5t } = await certificateMaterial(materialKey(vault, f), f.object.name);
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
