/**
 * How the product reaches Entra ID and Key Vault: vault URLs, and client options for @azure/keyvault-secrets
 * and @azure/identity. In production nothing is overridden. Against the simulators, these settings apply:
 *
 * - `KVLAB_KEYVAULT_ENDPOINT=https://127.0.0.1:<port>`: vault URLs keep their real host name and gain the
 *   port (`https://<vault>.vault.azure.net:<port>`); vault names are resolved by the DNS server the simulator
 *   runs on UDP `127.0.0.1:<port>`, so an unknown vault fails with ENOTFOUND as in Azure, and Key Vault's
 *   challenge-resource verification stays on (the host really ends in `.vault.azure.net`).
 * - `KVLAB_CA_FILE` (its contents here as `caPem`): a CA trusted in addition to the system roots, for both
 *   clients. It reaches msal's token requests too: @azure/identity 4.x gives msal-node its own IdentityClient
 *   (a core-client ServiceClient built from the credential options) as `networkClient`, and core-rest-pipeline
 *   applies the `agent` option to every request (`agentPolicy`). `NODE_EXTRA_CA_CERTS` works as well.
 * - `KVLAB_ENTRA_ENDPOINT=https://127.0.0.1:<port>`: Entra ID keeps its real host name (login.microsoftonline.com,
 *   no port) and only the connections go to the simulator, whose certificate must hold that name. MSAL then works
 *   exactly as against Azure: it has that host's metadata built in and asks no OpenID discovery document — one
 *   round trip a port-qualified authority host costs on every replay (docs/wire-notes.md §3.4).
 * - `AZURE_AUTHORITY_HOST`: the Entra authority host; instance discovery is disabled for non-Azure hosts only.
 *
 * Nothing here logs; tokens and secret values never pass through this module.
 */

import { Agent } from 'node:https';
import type { Duplex } from 'node:stream';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import { ConfigError } from '../../diagnostics/errors.ts';
import { type AzureCloud, DEFAULT_CLOUD, isAzureAuthorityHost } from './clouds.ts';
import { createVaultDnsLookup } from './vault-dns-lookup.ts';

export interface AzureTransportSettings {
  /** `KVLAB_KEYVAULT_ENDPOINT`: `https://<ipv4>:<port>` of a Key Vault simulator; unset for Azure. */
  keyVaultEndpoint?: string;
  /** Contents of the PEM file named by `KVLAB_CA_FILE`: an extra CA to trust. */
  caPem?: string;
  /** `AZURE_AUTHORITY_HOST`: Entra authority host, e.g. `https://127.0.0.1:<port>` for the simulator. */
  authorityHost?: string;
  /**
   * `KVLAB_ENTRA_ENDPOINT`: `https://<ipv4>:<port>` of an Entra ID simulator reached *as* the cloud's authority
   * host (login.microsoftonline.com): URLs, TLS server name and MSAL's built-in metadata stay Azure's, only the
   * connections go to this address.
   */
  entraEndpoint?: string;
}

/** Options for ClientAssertionCredential / ClientSecretCredential / WorkloadIdentityCredential. */
export interface CredentialTransportOptions {
  authorityHost: string;
  /** Set only for non-Azure authority hosts (a simulator or private STS), where instance discovery cannot work. */
  disableInstanceDiscovery?: boolean;
  agent?: Agent;
  retryOptions: { maxRetries: number; retryDelayInMs: number; maxRetryDelayInMs: number };
}

export interface AzureTransport {
  /** `https://<vault>.<cloud suffix>` (plus `:<port>` when a simulator endpoint is configured). */
  vaultUrl(vaultName: string, cloud?: AzureCloud): string;
  /** Builds the agents and their TLS context now (a CA file's context takes ~20 ms); otherwise on first use. */
  prepare(): void;
  /** SecretClient options: custom agent when needed, short retries. Challenge verification is never disabled. */
  secretClientOptions(): SecretClientOptions;
  /** Credential options for the cloud's (or the overridden) authority host. */
  credentialOptions(cloud?: AzureCloud): CredentialTransportOptions;
}

/** Few, quick retries: a diagnosis must answer in seconds; 429s still honour Retry-After. */
const RETRY = { maxRetries: 2, retryDelayInMs: 250, maxRetryDelayInMs: 2_000 };

/** Builds the transport once per process; agents are shared so connections are reused across clients. */
export function createAzureTransport(settings: AzureTransportSettings = {}): AzureTransport {
  const endpoint = settings.keyVaultEndpoint
    ? parseSimulatorEndpoint(
        'KVLAB_KEYVAULT_ENDPOINT',
        settings.keyVaultEndpoint,
        'the Key Vault simulator, whose DNS server listens on the same UDP port',
      )
    : undefined;
  const entra = settings.entraEndpoint
    ? parseSimulatorEndpoint('KVLAB_ENTRA_ENDPOINT', settings.entraEndpoint, 'the Entra ID simulator', true)
    : undefined;
  if (settings.authorityHost !== undefined && !/^https:\/\/[^/]+\/?$/.test(settings.authorityHost)) {
    throw new ConfigError(
      `AZURE_AUTHORITY_HOST must be an https URL with no path (e.g. https://login.microsoftonline.com); got "${settings.authorityHost}".`,
    );
  }
  let agents: { vault?: Agent; identity?: Agent } | undefined;
  const prepare = () => {
    if (agents) return agents;
    // One TLS context for every connection: given as `ca`, Node would parse the ~140 system roots again for each
    // new connection (5–10 ms of CPU apiece, on the replay's critical path) and key the agent's pool on their text.
    const secureContext = settings.caPem
      ? createSecureContext({ ca: [...rootCertificates, settings.caPem] })
      : undefined;
    agents = {
      ...(endpoint || secureContext
        ? {
            vault: new Agent({
              keepAlive: true,
              ...(secureContext ? { secureContext } : {}),
              ...(endpoint ? { lookup: createVaultDnsLookup(`${endpoint.host}:${endpoint.port}`) } : {}),
            }),
          }
        : {}),
    };
    if (entra) agents.identity = connectingTo(entra, secureContext);
    else if (secureContext) agents.identity = new Agent({ keepAlive: true, secureContext });
    return agents;
  };

  return {
    vaultUrl(vaultName, cloud = DEFAULT_CLOUD) {
      return `https://${vaultName.trim()}.${cloud.keyVaultDnsSuffix}${endpoint ? `:${endpoint.port}` : ''}`;
    },
    prepare() {
      prepare();
    },
    secretClientOptions() {
      const { vault } = prepare();
      return { retryOptions: { ...RETRY }, ...(vault ? { agent: vault } : {}) };
    },
    credentialOptions(cloud = DEFAULT_CLOUD) {
      const { identity } = prepare();
      const authorityHost = (settings.authorityHost ?? cloud.authorityHost).replace(/\/$/, '');
      return {
        authorityHost,
        ...(isAzureAuthorityHost(authorityHost) ? {} : { disableInstanceDiscovery: true }),
        ...(identity ? { agent: identity } : {}),
        retryOptions: { ...RETRY },
      };
    },
  };
}

/**
 * An agent whose connections all go to `to`, whatever host the request names; the request keeps its URL, Host
 * header and TLS server name (so the certificate is checked for the name asked for).
 */
function connectingTo(to: { host: string; port: string }, secureContext: SecureContext | undefined): Agent {
  const agent = new Agent({ keepAlive: true, ...(secureContext ? { secureContext } : {}) });
  const connect = agent.createConnection.bind(agent) as (options: object, callback: unknown) => Duplex;
  agent.createConnection = ((options: object, callback: unknown) =>
    connect({ ...options, host: to.host, port: Number(to.port) }, callback)) as typeof agent.createConnection;
  return agent;
}

/**
 * A simulator's `https://<ipv4>:<port>` (`localhost` = 127.0.0.1), or a ConfigError naming the setting and what it
 * must be. `pathless`: a path or query is an error too (it would be silently ignored).
 */
function parseSimulatorEndpoint(
  setting: string,
  value: string,
  simulator: string,
  pathless = false,
): { host: string; port: string } {
  const problem = (why: string) =>
    new ConfigError(`${setting} "${value}" ${why}; expected https://127.0.0.1:<port> (${simulator}).`);
  if (!URL.canParse(value)) throw problem('is not a URL');
  const url = new URL(value);
  if (url.protocol !== 'https:') throw problem('is not https');
  if (!url.port) throw problem('has no port');
  if (pathless && (url.pathname !== '/' || url.search)) throw problem('has a path');
  const host = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname;
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) throw problem('does not name an IPv4 address');
  return { host, port: url.port };
}
