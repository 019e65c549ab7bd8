/**
 * VaultProbe over @azure/identity and the Key Vault SDKs: replays the Azure provider's mount with the pod's own
 * service-account token (ClientAssertionCredential with the SPC's tenantId and clientID), then gets each object
 * as the provider does for its type, listing its versions first when it asks for objectVersionHistory above 1
 * (vault-object-readers.ts) — the same permissions the driver needs. Values and
 * key material are dropped at once: only version, enabled, dates and types leave, and, when an object is missing,
 * names (never values): the vault's secret names (candidates for the fix) and the object types that hold the
 * missing name (the SPC asks for the wrong objectType, or for a version that does not exist).
 */
import type {
  ObjectOutcome,
  ProbeError,
  ProbeObjectRef,
  ReplayOutcome,
  VaultObjectType,
  VaultProbe,
} from '../../diagnostics/ports/vault-probe.ts';
import { isVaultObjectType, VAULT_OBJECT_TYPES } from '../../diagnostics/ports/vault-probe.ts';
import { findCloud, keyVaultScope } from '../azure/clouds.ts';
import { shareTokenExchange } from '../azure/shared-token-exchange.ts';
import type { AzureTransport } from '../azure/transport.ts';
import { createVaultReaders, type VaultReaders } from './vault-object-readers.ts';
import { toProbeError } from './vault-probe-errors.ts';

export { toProbeError } from './vault-probe-errors.ts';

/**
 * The Azure SDKs take a few hundred milliseconds to load; a CLI run starts loading them when the probe is created
 * and only waits for them when the replay begins, after the Kubernetes reads that run meanwhile. Keys and
 * certificates clients are loaded by the readers only for SPCs that list such objects.
 */
function loadAzureSdks() {
  return Promise.all([import('@azure/identity'), import('@azure/keyvault-secrets')]);
}

type Replayed = ProbeObjectRef & { outcome: ObjectOutcome };

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
      // One exchange for the probe and the clients; their first requests (Key Vault's 401 challenge) overlap it.
      const exchange = shareTokenExchange(credential, keyVaultScope(cloud), request.tenantId, signal);
      const vaultUrl = transport.vaultUrl(request.vaultName, cloud);
      const clientOptions = transport.secretClientOptions();
      const readers = createVaultReaders({
        vaultUrl,
        credential: exchange.credential,
        clientOptions,
        secrets: new SecretClient(vaultUrl, exchange.credential, clientOptions),
      });
      const reads: Promise<Replayed[]> = Promise.all(
        request.objects.map(async (ref) => ({ ...ref, outcome: await replayObject(readers, ref, signal) })),
      );
      try {
        await exchange.token;
      } catch (err) {
        return { token: { ok: false, error: toProbeError(err) }, objects: [] };
      }
      const objects = await reads;
      const missing = objects.filter((o) => !o.outcome.readable && o.outcome.error.statusCode === 404);
      if (missing.length === 0) return { token: { ok: true }, objects };
      const [secretNames, withKinds] = await Promise.all([
        readers.names('secret', signal),
        Promise.all(objects.map((o) => (missing.includes(o) ? withOtherKinds(readers, o, signal) : o))),
      ]);
      return { token: { ok: true }, objects: withKinds, ...(secretNames ? { secretNames } : {}) };
    },
  };
}

async function replayObject(readers: VaultReaders, ref: ProbeObjectRef, signal?: AbortSignal): Promise<ObjectOutcome> {
  const { objectType } = ref;
  if (!isVaultObjectType(objectType)) {
    return {
      readable: false,
      error: {
        kind: 'unsupported',
        message: `objectType "${objectType}" is not one the provider fetches (secret, key or cert; case-sensitive)`,
      },
    };
  }
  return readers.read({ ...ref, objectType }, signal);
}

/**
 * A missing object, with the object types whose listings hold its name (compared case-insensitively, as Key Vault
 * does): another type means the SPC asks for the wrong objectType; its own type (listed only when a version is
 * pinned) means that version is what is missing.
 */
async function withOtherKinds(readers: VaultReaders, o: Replayed, signal?: AbortSignal): Promise<Replayed> {
  if (o.outcome.readable || !isVaultObjectType(o.objectType)) return o;
  const wanted = o.objectName.toLowerCase();
  const pinned = o.objectVersion !== undefined && o.objectVersion !== '' && o.objectVersion !== 'latest';
  const types = VAULT_OBJECT_TYPES.filter((t) => t !== o.objectType || pinned);
  const listings = await Promise.all(types.map((t) => readers.names(t, signal)));
  const existsAs: VaultObjectType[] = types.filter((_, i) =>
    (listings[i] ?? []).some((name) => name.toLowerCase() === wanted),
  );
  return existsAs.length > 0 ? { ...o, outcome: { ...o.outcome, existsAs } } : o;
}
