/**
 * VaultProbe over @azure/identity and @azure/keyvault-secrets: replays the Azure provider's mount with the
 * pod's own service-account token (ClientAssertionCredential with the SPC's tenantId and clientID), then
 * `getSecret` for each object — the same `get` permission the driver needs. The secret value arrives in
 * memory inside the SDK's response and is dropped at once: only version, enabled and dates leave this file, and,
 * when an object is missing, the names of the vault's secrets (listPropertiesOfSecrets: names only).
 */
import type { SecretClient } from '@azure/keyvault-secrets';
import type { ObjectOutcome, ProbeError, ReplayOutcome, VaultProbe } from '../../diagnostics/ports/vault-probe.ts';
import { findCloud, keyVaultScope } from '../azure/clouds.ts';
import { shareTokenExchange } from '../azure/shared-token-exchange.ts';
import type { AzureTransport } from '../azure/transport.ts';

/** Longest service message kept as evidence. */
const MAX_MESSAGE = 600;
/** Most secret names listed when an object is missing (candidates for the fix). */
const MAX_LISTED_NAMES = 100;

/**
 * The Azure SDKs take a few hundred milliseconds to load; a CLI run starts loading them when the probe is created
 * and only waits for them when the replay begins, after the Kubernetes reads that run meanwhile.
 */
function loadAzureSdks() {
  return Promise.all([import('@azure/identity'), import('@azure/keyvault-secrets')]);
}

export function createAzureVaultProbe(transport: AzureTransport): VaultProbe {
  const sdks = loadAzureSdks();
  sdks.catch(() => {}); // a failed load is reported when the replay awaits it
  return {
    async replay(request, signal): Promise<ReplayOutcome> {
      const [{ ClientAssertionCredential }, { SecretClient }] = await sdks;
      const cloud = findCloud(request.cloudName);
      if (!cloud) {
        const error: ProbeError = { kind: 'config', message: `cloudName ${request.cloudName} is not valid` };
        return { token: { ok: false, error }, objects: [] };
      }
      const credential = new ClientAssertionCredential(
        request.tenantId,
        request.clientId,
        async () => request.assertion,
        transport.credentialOptions(cloud),
      );
      // One exchange for the probe and the client; its first requests (Key Vault's 401 challenge) overlap it.
      const exchange = shareTokenExchange(credential, keyVaultScope(cloud), request.tenantId, signal);
      const client = new SecretClient(
        transport.vaultUrl(request.vaultName, cloud),
        exchange.credential,
        transport.secretClientOptions(),
      );
      const reads = Promise.all(
        request.objects.map(async (ref) => ({ ...ref, outcome: await probeObject(client, ref, signal) })),
      );
      try {
        await exchange.token;
      } catch (err) {
        return { token: { ok: false, error: toProbeError(err) }, objects: [] };
      }
      const objects = await reads;
      const missing = objects.some((o) => !o.outcome.readable && o.outcome.error.statusCode === 404);
      const secretNames = missing ? await listSecretNames(client, signal) : undefined;
      return { token: { ok: true }, objects, ...(secretNames ? { secretNames } : {}) };
    },
  };
}

/** Names of the vault's secrets (metadata only, never a value), or undefined when the identity may not list. */
async function listSecretNames(client: SecretClient, signal?: AbortSignal): Promise<string[] | undefined> {
  const names: string[] = [];
  try {
    for await (const properties of client.listPropertiesOfSecrets({ abortSignal: signal })) {
      names.push(properties.name);
      if (names.length >= MAX_LISTED_NAMES) break;
    }
  } catch {
    return undefined;
  }
  return names;
}

async function probeObject(
  client: SecretClient,
  ref: { objectType: string; objectName: string; objectVersion?: string },
  signal: AbortSignal | undefined,
): Promise<ObjectOutcome> {
  if (ref.objectType !== 'secret') {
    return {
      readable: false,
      error: {
        kind: 'unsupported',
        message: `kvlab replays secret objects only; ${ref.objectType} objects are not probed`,
      },
    };
  }
  try {
    const { properties } = await client.getSecret(ref.objectName, {
      ...(ref.objectVersion && ref.objectVersion !== 'latest' ? { version: ref.objectVersion } : {}),
      ...(signal ? { abortSignal: signal } : {}),
    });
    return {
      readable: true,
      ...(properties.version ? { version: properties.version } : {}),
      ...(properties.enabled !== undefined ? { enabled: properties.enabled } : {}),
      ...(properties.expiresOn ? { expiresOn: properties.expiresOn.toISOString() } : {}),
      ...(properties.notBefore ? { notBefore: properties.notBefore.toISOString() } : {}),
      ...(properties.contentType ? { contentType: properties.contentType } : {}),
    };
  } catch (err) {
    return { readable: false, error: toProbeError(err) };
  }
}

interface AzureLikeError {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  details?: { error?: { innerError?: { code?: string }; innererror?: { code?: string } } };
  cause?: unknown;
}

/** Keeps the structure (status, codes, AADSTS) and a bounded message; drops stacks and request dumps. */
export function toProbeError(err: unknown): ProbeError {
  const e = (err ?? {}) as AzureLikeError;
  const message = bounded(e.message ?? String(err));
  const aadsts = /AADSTS(\d{4,8})/.exec(message)?.[1];
  const causeCode = (e.cause as { code?: string } | undefined)?.code;
  const code = e.code ?? causeCode;
  const unreachable = couldNotAsk(err, message);
  if (unreachable)
    return { kind: 'network', code: unreachable, message: `kvlab could not ask (${unreachable}): ${message}` };
  if (code === 'ENOTFOUND' || /getaddrinfo ENOTFOUND/.test(message)) {
    return { kind: 'dns', code: 'ENOTFOUND', message };
  }
  if (e.name === 'AbortError' || code === 'ETIMEDOUT' || /timed? ?out|aborted/i.test(message)) {
    return { kind: 'timeout', ...(code ? { code } : {}), message };
  }
  if (aadsts || e.name === 'AuthenticationRequiredError' || e.name === 'CredentialUnavailableError') {
    return { kind: 'auth', ...(aadsts ? { aadsts } : {}), message };
  }
  if (typeof e.statusCode === 'number') {
    const inner = e.details?.error?.innerError?.code ?? e.details?.error?.innererror?.code;
    return {
      kind: 'http',
      statusCode: e.statusCode,
      ...(code ? { code } : {}),
      ...(inner ? { innerCode: inner } : {}),
      message,
    };
  }
  if (e.name === 'AuthenticationError') return { kind: 'auth', message };
  return { kind: 'network', ...(code ? { code } : {}), message };
}

/**
 * Errors that mean kvlab got no answer at all — its own egress, DNS resolver or TLS, not the student's setup:
 * refused or reset connections, unreachable networks, a DNS server that did not answer (EAI_AGAIN / SERVFAIL),
 * a certificate kvlab cannot verify, and a failed lookup of the Entra authority (a host that exists). A vault
 * host that does not resolve (ENOTFOUND) is DNS answering "no such vault", and stays a finding.
 */
const UNREACHABLE =
  /\b(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|EPIPE|EAI_AGAIN|ESERVFAIL|ECONNABORTED|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID|ERR_SSL_[A-Z_]+|endpoints_resolution_error|network_error|no_network_connectivity)\b/;

function couldNotAsk(err: unknown, message: string): string | undefined {
  const texts: string[] = [message];
  let cur: unknown = err;
  for (let depth = 0; depth < 5 && cur && typeof cur === 'object'; depth++) {
    const c = cur as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof c.code === 'string') texts.push(c.code);
    if (typeof c.message === 'string') texts.push(c.message);
    cur = c.cause;
  }
  const all = texts.join(' ');
  if (/AADSTS\d/.test(all)) return undefined;
  const hit = UNREACHABLE.exec(all)?.[1];
  if (hit) return hit;
  const lookup = /getaddrinfo ENOTFOUND (\S+)/.exec(all)?.[1];
  if (lookup && /login\.|microsoftonline|127\.0\.0\.1|localhost/i.test(lookup)) return 'ENOTFOUND';
  return undefined;
}

function bounded(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE)}…` : flat;
}
