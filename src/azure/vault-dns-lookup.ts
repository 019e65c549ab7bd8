/**
 * A `lookup` for Node's HTTPS agent that resolves Key Vault host names (`*.vault.azure.net` and the other
 * clouds' suffixes) through one given DNS server — the Key Vault simulator's — and everything else through
 * the system resolver. Failures are reported exactly as `dns.lookup` reports them (`getaddrinfo ENOTFOUND
 * <host>`), so the product classifies a simulated "no such vault" the same way as a real one.
 */
import { lookup as systemLookup } from 'node:dns';
import { Resolver } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { AZURE_CLOUDS } from './clouds.ts';

/** getaddrinfo's errno values on Linux/macOS libuv: EAI_NONAME and EAI_AGAIN. */
const ERRNO = { ENOTFOUND: -3008, EAI_AGAIN: -3001 } as const;

/** Whether `hostname` is under a Key Vault DNS suffix of any known cloud. */
export function isVaultHostname(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return AZURE_CLOUDS.some((c) => host.endsWith(`.${c.keyVaultDnsSuffix}`));
}

/**
 * Creates the lookup. `server` is `<ipv4>:<port>` of the DNS server that answers for vault names. Only A
 * records are asked for: the simulator serves IPv4 loopback.
 */
export function createVaultDnsLookup(server: string): LookupFunction {
  const resolver = new Resolver({ timeout: 2_000, tries: 2 });
  resolver.setServers([server]);
  return (hostname, options, callback) => {
    const family = isIP(hostname);
    if (family !== 0) {
      if (options.all) callback(null, [{ address: hostname, family }]);
      else callback(null, hostname, family);
      return;
    }
    if (!isVaultHostname(hostname)) {
      systemLookup(hostname, options, callback);
      return;
    }
    resolver.resolve4(hostname).then(
      (addresses) => {
        const first = addresses[0];
        if (first === undefined) return callback(lookupError(hostname, 'ENOTFOUND'), '', 4);
        if (options.all)
          callback(
            null,
            addresses.map((address) => ({ address, family: 4 })),
          );
        else callback(null, first, 4);
      },
      (err: NodeJS.ErrnoException) => {
        const notFound = err.code === 'ENOTFOUND' || err.code === 'ENODATA';
        callback(lookupError(hostname, notFound ? 'ENOTFOUND' : 'EAI_AGAIN'), '', 4);
      },
    );
  };
}

/** The error `dns.lookup` raises: ENOTFOUND for no such name, EAI_AGAIN when no DNS server answered. */
function lookupError(hostname: string, code: keyof typeof ERRNO): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), {
    code,
    errno: ERRNO[code],
    syscall: 'getaddrinfo',
    hostname,
  });
}
