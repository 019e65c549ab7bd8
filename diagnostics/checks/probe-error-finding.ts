/**
 * Maps what the Key Vault replay saw to a category, by structure: Entra AADSTS codes, Key Vault status and
 * inner codes (an inner code changes the meaning of a 403: docs/wire-notes.md §4.3), DNS failures, timeouts.
 */

import type { Category } from '../categories.ts';
import { variantOf } from '../knowledge/variant-of.ts';
import type { ProbeError } from '../ports/vault-probe.ts';
import type { Facts, Finding } from '../types.ts';

export function probeErrorFinding(err: ProbeError, facts: Facts): Finding {
  const { category, variant } = categorize(err);
  const codes = [
    err.statusCode && `HTTP ${err.statusCode}`,
    err.code,
    err.innerCode && `inner ${err.innerCode}`,
    err.aadsts && `AADSTS${err.aadsts}`,
  ].filter(Boolean);
  return {
    category,
    ...(variant ? { variant } : {}),
    severity: 'error',
    confidence: 'high',
    specificity: 100,
    evidence: [`live replay: ${codes.join(', ')}${codes.length ? ' — ' : ''}${err.message}`],
    facts: { ...facts, ...(err.aadsts ? { aadsts: err.aadsts } : {}), ...principalOf(err.message) },
  };
}

/** Key Vault names the caller in its 403 texts: `appid=<clientId>;oid=<objectId>;iss=…`. */
function principalOf(message: string): { objectId?: string } {
  const oid = /\boid=([0-9a-f-]{36})/i.exec(message)?.[1];
  return oid ? { objectId: oid } : {};
}

function categorize(err: ProbeError): { category: Category; variant?: string } {
  const category = categoryOf(err);
  const variant = variantOf(category, {
    ...(err.aadsts ? { aadsts: err.aadsts } : {}),
    ...(err.innerCode ? { innerCode: err.innerCode } : {}),
  });
  return variant ? { category, variant } : { category };
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
