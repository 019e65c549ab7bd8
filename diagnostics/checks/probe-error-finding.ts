/**
 * Maps what the Key Vault replay saw to a category, by structure: Entra AADSTS codes, Key Vault status and
 * inner codes (an inner code changes the meaning of a 403: docs/wire-notes.md §4.3), DNS failures, timeouts.
 * The object's type refines it: a key or certificate needs its own permission (keys get, certificates get), a
 * refused version listing (objectVersionHistory > 1) the list permission, and a 404 for a name the vault holds as
 * another type means the SPC asks for the wrong objectType.
 */

import type { Category } from '../categories.ts';
import { callerObjectId } from '../knowledge/classify/extract-azure.ts';
import type { KeyVaultOperation } from '../knowledge/classify/types.ts';
import type { FindingVariant } from '../knowledge/knowledge-base.ts';
import { accessDeniedVariant, variantOf } from '../knowledge/variant-of.ts';
import type { ProbeError, VaultObjectType } from '../ports/vault-probe.ts';
import type { CategoryTag, Facts, Finding } from '../types.ts';
import { type Emits, tagOf } from './check.ts';

/** The variants `probeErrorFinding` names itself, beyond variantOf's (declared by the check that calls it). */
export const PROBE_ERROR_VARIANTS = {
  ACCESS_DENIED: [
    'keys-access-policy',
    'keys-rbac',
    'certificates-access-policy',
    'certificates-rbac',
    'list-access-policy',
    'list-rbac',
    'keys-list-access-policy',
    'certificates-list-access-policy',
  ],
  SECRET_DISABLED: ['key-disabled', 'cert-disabled'],
  SECRET_NOT_FOUND: [
    'missing-version',
    'exists-as-secret',
    'exists-as-key',
    'exists-as-cert',
    'missing-key',
    'missing-cert',
  ],
} as const satisfies Emits['variants'];

/** What the replay knows about the object beside the error: its pinned version, where else its name exists. */
export interface ObjectDetail {
  objectType?: string;
  objectVersion?: string;
  /** Object types whose listings hold the name (the asked type included when only the version is missing). */
  existsAs?: readonly VaultObjectType[];
  /** The refused request was the version listing (objectVersionHistory > 1): the list permission is missing. */
  during?: 'list-versions';
}

export function probeErrorFinding(err: ProbeError, facts: Facts, object: ObjectDetail = {}): Finding {
  const tag = categorize(err, object);
  const codes = [
    err.statusCode && `HTTP ${err.statusCode}`,
    err.code,
    err.innerCode && `inner ${err.innerCode}`,
    err.aadsts && `AADSTS${err.aadsts}`,
  ].filter(Boolean);
  return {
    ...tag,
    severity: 'error',
    confidence: 'high',
    specificity: 100,
    evidence: [`live replay: ${codes.join(', ')}${codes.length ? ' — ' : ''}${err.message}`],
    facts: { ...facts, ...(err.aadsts ? { aadsts: err.aadsts } : {}), ...principalOf(err.message) },
  };
}

function principalOf(message: string): { objectId?: string } {
  const oid = callerObjectId(message);
  return oid ? { objectId: oid } : {};
}

function categorize(err: ProbeError, object: ObjectDetail): CategoryTag {
  const category = categoryOf(err);
  const general = variantOf(category, {
    ...(err.aadsts ? { aadsts: err.aadsts } : {}),
    ...(err.innerCode ? { innerCode: err.innerCode } : {}),
  });
  const variant = byObjectType(category, general, err, object) ?? general;
  return tagOf(category, variant as FindingVariant<typeof category> | undefined);
}

/** Key Vault's permission collections, as its 403 texts name them. */
const COLLECTION_OF_TYPE: Readonly<Record<string, Collection>> = {
  secret: 'secrets',
  key: 'keys',
  cert: 'certificates',
};

type Collection = 'secrets' | 'keys' | 'certificates';

/**
 * The operation a 403 refused: the access-policy text says "does not have keys list permission", the RBAC text
 * names the action (secrets/readMetadata/action lists, secrets/getSecret/action gets; keys/read and
 * certificates/read do both); else the object's type gives the collection and the request (listing or get) the verb.
 */
function deniedOperation(err: ProbeError, object: ObjectDetail): KeyVaultOperation {
  const policy = /does not have (secrets|keys|certificates) (get|list) permission/i.exec(err.message);
  const action = /Action: 'Microsoft\.KeyVault\/vaults\/(secrets|keys|certificates)\/(\w+)/i.exec(err.message);
  const collection = (policy?.[1] ?? action?.[1])?.toLowerCase() as Collection | undefined;
  const named =
    policy?.[2] ?? (action?.[2] === 'readMetadata' ? 'list' : action?.[2] === 'getSecret' ? 'get' : undefined);
  const verb =
    (named?.toLowerCase() as 'get' | 'list' | undefined) ?? (object.during === 'list-versions' ? 'list' : 'get');
  const fromType = object.objectType ? COLLECTION_OF_TYPE[object.objectType] : undefined;
  return `${collection ?? fromType ?? 'secrets'} ${verb}`;
}

type ProbeVariant = (typeof PROBE_ERROR_VARIANTS)[keyof typeof PROBE_ERROR_VARIANTS][number];

function byObjectType(
  category: Category,
  general: string | undefined,
  err: ProbeError,
  object: ObjectDetail,
): ProbeVariant | undefined {
  const { objectType, objectVersion, existsAs = [] } = object;
  if (category === 'ACCESS_DENIED' && (general === 'access-policy' || general === 'rbac')) {
    const variant = accessDeniedVariant(general, deniedOperation(err, object));
    return variant === general ? undefined : (variant as ProbeVariant);
  }
  if (category === 'SECRET_DISABLED') {
    if (err.innerCode === 'KeyDisabled') return 'key-disabled';
    if (err.innerCode === 'CertificateDisabled') return 'cert-disabled';
    return undefined;
  }
  if (category !== 'SECRET_NOT_FOUND' || err.statusCode !== 404) return undefined;
  const pinned = objectVersion !== undefined && objectVersion !== '' && objectVersion !== 'latest';
  if (pinned && existsAs.some((t) => t === objectType)) return 'missing-version';
  const other = existsAs.find((t) => t !== objectType);
  if (other) return `exists-as-${other}`;
  if (objectType === 'key') return 'missing-key';
  if (objectType === 'cert') return 'missing-cert';
  return undefined;
}

function categoryOf(err: ProbeError): Category {
  if (err.kind === 'dns') return 'VAULT_NOT_FOUND';
  if (err.kind === 'timeout') return 'TIMEOUT_OR_TRANSIENT';
  if (err.aadsts || err.kind === 'auth') return 'AUTH_FAILED';
  if (err.innerCode === 'ForbiddenByFirewall' || err.innerCode === 'ForbiddenByConnection') return 'FIREWALL';
  if (err.innerCode && /Disabled$/.test(err.innerCode)) return 'SECRET_DISABLED';
  if (err.statusCode === 404 || /NotFound$/.test(err.code ?? '')) return 'SECRET_NOT_FOUND';
  if (err.statusCode === 401) return 'AUTH_FAILED';
  if (err.statusCode === 403) return 'ACCESS_DENIED';
  if (err.statusCode === 429 || (err.statusCode ?? 0) >= 500 || err.kind === 'network') return 'TIMEOUT_OR_TRANSIENT';
  return 'OTHER';
}
