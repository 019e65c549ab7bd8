/**
 * Turns what the Azure SDKs threw during a replay into a ProbeError: the structure (status, Key Vault's codes,
 * Entra's AADSTS number) and a bounded message, never stacks or request dumps. Tells "kvlab could not ask" (its own
 * egress, DNS resolver, TLS) from an answer about the student's setup.
 */
import type { ProbeError } from '../../diagnostics/ports/vault-probe.ts';

/** Longest service message kept as evidence. */
const MAX_MESSAGE = 600;

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
