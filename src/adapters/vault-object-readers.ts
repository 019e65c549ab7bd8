/**
 * Gets one SPC object from Key Vault the way the Azure provider does for its `objectType` (provider.go
 * getKeyVaultObjectContent): `secret` → getSecret, `key` → getKey (the provider writes the public key as PEM),
 * `cert` → getCertificate (the provider writes the certificate as PEM). Each needs its own permission: secrets get,
 * keys get, certificates get (RBAC: secrets/getSecret/action, keys/read, certificates/read).
 *
 * With `objectVersionHistory` above 1 the provider first lists the object's versions (resolveObjectVersions:
 * ListSecretVersions, ListKeyVersions, ListCertificateVersions), which needs the list permission; the replay asks for
 * the first page of that listing beside the get, and a refused listing is the object's outcome, as it is the mount's
 * error. Other objects cost no extra request.
 *
 * Only metadata leaves this file: version, enabled, dates, a secret's content type and whether it backs a
 * certificate, a key's type. The secret value and the key/certificate material arrive inside the SDK's response
 * and are dropped at once. The keys and certificates SDKs are imported on first need, so replaying an SPC of
 * secrets only never loads them.
 */
import type { TokenCredential } from '@azure/identity';
import type { CertificateClient } from '@azure/keyvault-certificates';
import type { KeyClient } from '@azure/keyvault-keys';
import type { SecretClient, SecretClientOptions } from '@azure/keyvault-secrets';
import type { ObjectOutcome, ProbeObjectRef, VaultObjectType } from '../../diagnostics/ports/vault-probe.ts';
import { toProbeError } from './vault-probe-errors.ts';

/** Most names listed per object type when an object is missing (candidates for the fix, and the wrong-type check). */
export const MAX_LISTED_NAMES = 100;

export interface VaultReaders {
  /** Gets `ref` as the provider would for its (valid) object type. */
  read(ref: ProbeObjectRef & { objectType: VaultObjectType }, signal?: AbortSignal): Promise<ObjectOutcome>;
  /**
   * Names of the vault's objects of one type (metadata only, at most MAX_LISTED_NAMES), or undefined when the
   * identity may not list them. Asked once per type per replay.
   */
  names(type: VaultObjectType, signal?: AbortSignal): Promise<string[] | undefined>;
}

interface ReaderOptions {
  vaultUrl: string;
  credential: TokenCredential;
  /** Retry and agent options; the three clients share the same core-client options. */
  clientOptions: SecretClientOptions;
  secrets: SecretClient;
}

/** The latest version is asked for by leaving the version out (`latest` is the provider's word for it too). */
const pinned = (version: string | undefined): string | undefined =>
  version && version !== 'latest' ? version : undefined;

const iso = (date: Date | undefined) => (date ? date.toISOString() : undefined);

interface CommonProperties {
  version?: string;
  enabled?: boolean;
  expiresOn?: Date;
  notBefore?: Date;
}

function metadata(p: CommonProperties): ObjectOutcome & { readable: true } {
  const expiresOn = iso(p.expiresOn);
  const notBefore = iso(p.notBefore);
  return {
    readable: true,
    ...(p.version ? { version: p.version } : {}),
    ...(p.enabled !== undefined ? { enabled: p.enabled } : {}),
    ...(expiresOn ? { expiresOn } : {}),
    ...(notBefore ? { notBefore } : {}),
  };
}

/** A pager's RestError with Key Vault's `error` (message, code, innererror) from the response body, if it had one. */
function withServiceError(err: unknown, body: unknown): unknown {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const e = err as { statusCode?: unknown; code?: unknown; name?: unknown } | undefined;
  if (!error || typeof error.message !== 'string' || typeof e?.statusCode !== 'number') return err;
  return {
    name: e.name,
    statusCode: e.statusCode,
    code: typeof error.code === 'string' ? error.code : e.code,
    message: error.message,
    details: body,
  };
}

export function createVaultReaders(options: ReaderOptions): VaultReaders {
  let keys: Promise<KeyClient> | undefined;
  let certificates: Promise<CertificateClient> | undefined;
  const keyClient = () => {
    keys ??= import('@azure/keyvault-keys').then(
      ({ KeyClient }) => new KeyClient(options.vaultUrl, options.credential, options.clientOptions),
    );
    return keys;
  };
  const certificateClient = () => {
    certificates ??= import('@azure/keyvault-certificates').then(
      ({ CertificateClient }) => new CertificateClient(options.vaultUrl, options.credential, options.clientOptions),
    );
    return certificates;
  };
  const listed = new Map<VaultObjectType, Promise<string[] | undefined>>();

  const readSecret = async (ref: ProbeObjectRef, signal?: AbortSignal): Promise<ObjectOutcome> => {
    const version = pinned(ref.objectVersion);
    const { properties } = await options.secrets.getSecret(ref.objectName, {
      ...(version ? { version } : {}),
      ...(signal ? { abortSignal: signal } : {}),
    });
    return {
      ...metadata(properties),
      ...(properties.contentType ? { contentType: properties.contentType } : {}),
      ...(properties.certificateKeyId ? { certificateBacked: true } : {}),
    };
  };

  const readKey = async (ref: ProbeObjectRef, signal?: AbortSignal): Promise<ObjectOutcome> => {
    const version = pinned(ref.objectVersion);
    const key = await (await keyClient()).getKey(ref.objectName, {
      ...(version ? { version } : {}),
      ...(signal ? { abortSignal: signal } : {}),
    });
    const keyType = key.keyType ?? key.key?.kty;
    return { ...metadata(key.properties), ...(keyType ? { keyType } : {}) };
  };

  const readCertificate = async (ref: ProbeObjectRef, signal?: AbortSignal): Promise<ObjectOutcome> => {
    const version = pinned(ref.objectVersion);
    const client = await certificateClient();
    const abort = signal ? { abortSignal: signal } : {};
    const certificate = version
      ? await client.getCertificateVersion(ref.objectName, version, abort)
      : await client.getCertificate(ref.objectName, abort);
    return metadata(certificate.properties);
  };

  /**
   * The first page of the object's version listing (metadata only). The SDKs' pager throws "Pagination failed with
   * unexpected statusCode 403" without Key Vault's message or inner code, so the refusal is rebuilt from the
   * response body (onResponse), as a get's RestError carries it.
   */
  const listVersions = async (ref: ProbeObjectRef & { objectType: VaultObjectType }, signal?: AbortSignal) => {
    let body: unknown;
    const listOptions = {
      ...(signal ? { abortSignal: signal } : {}),
      onResponse: (response: { parsedBody?: unknown }) => {
        body = response.parsedBody;
      },
    };
    const versions =
      ref.objectType === 'secret'
        ? options.secrets.listPropertiesOfSecretVersions(ref.objectName, listOptions)
        : ref.objectType === 'key'
          ? (await keyClient()).listPropertiesOfKeyVersions(ref.objectName, listOptions)
          : (await certificateClient()).listPropertiesOfCertificateVersions(ref.objectName, listOptions);
    try {
      await versions.byPage().next();
    } catch (err) {
      throw withServiceError(err, body);
    }
  };

  const READ: Record<VaultObjectType, (ref: ProbeObjectRef, signal?: AbortSignal) => Promise<ObjectOutcome>> = {
    secret: readSecret,
    key: readKey,
    cert: readCertificate,
  };

  const listNames = async (type: VaultObjectType, signal?: AbortSignal): Promise<string[] | undefined> => {
    const abort = signal ? { abortSignal: signal } : {};
    const pages =
      type === 'secret'
        ? options.secrets.listPropertiesOfSecrets(abort)
        : type === 'key'
          ? (await keyClient()).listPropertiesOfKeys(abort)
          : (await certificateClient()).listPropertiesOfCertificates(abort);
    const names: string[] = [];
    for await (const properties of pages) {
      if (properties.name) names.push(properties.name);
      if (names.length >= MAX_LISTED_NAMES) break;
    }
    return names;
  };

  return {
    async read(ref, signal) {
      const get = READ[ref.objectType](ref, signal).catch(
        (err: unknown): ObjectOutcome => ({ readable: false, error: toProbeError(err) }),
      );
      if ((ref.objectVersionHistory ?? 0) <= 1) return get;
      // The provider lists first and stops at a refused listing; both requests go out at once, the listing decides.
      const listing = listVersions(ref, signal).then(
        () => undefined,
        (err: unknown): ObjectOutcome => ({ readable: false, error: toProbeError(err), during: 'list-versions' }),
      );
      const [refused, got] = await Promise.all([listing, get]);
      return refused ?? got;
    },
    names(type, signal) {
      let names = listed.get(type);
      if (!names) {
        names = listNames(type, signal).catch(() => undefined);
        listed.set(type, names);
      }
      return names;
    },
  };
}
