/**
 * Maps what the Key Vault replay saw to a category, by structure: Entra AADSTS codes, Key Vault status and
 * inner codes (an inner code changes the meaning of a 403: reference/04 §3), DNS failures, timeouts.
 */

import type { Category } from '../categories.ts';
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
    facts: { ...facts, ...(err.aadsts ? { aadsts: err.aadsts } : {}) },
  };
}

function categorize(err: ProbeError): { category: Category; variant?: string } {
  if (err.kind === 'dns') return { category: 'VAULT_NOT_FOUND' };
  if (err.kind === 'timeout') return { category: 'TIMEOUT_OR_TRANSIENT' };
  if (err.aadsts || err.kind === 'auth') return { category: 'AUTH_FAILED', variant: aadstsVariant(err.aadsts) };
  switch (err.innerCode) {
    case 'AccessDenied':
      return { category: 'ACCESS_DENIED', variant: 'access-policy' };
    case 'ForbiddenByRbac':
      return { category: 'ACCESS_DENIED', variant: 'rbac' };
    case 'ForbiddenByPolicy':
      return { category: 'ACCESS_DENIED', variant: 'policy' };
    case 'ForbiddenByFirewall':
      return { category: 'FIREWALL', variant: 'firewall' };
    case 'ForbiddenByConnection':
      return { category: 'FIREWALL', variant: 'public-access-disabled' };
    case 'SecretDisabled':
    case 'KeyDisabled':
    case 'CertificateDisabled':
      return { category: 'SECRET_DISABLED' };
  }
  if (err.statusCode === 404 || /NotFound$/.test(err.code ?? '')) return { category: 'SECRET_NOT_FOUND' };
  if (err.statusCode === 401) return { category: 'AUTH_FAILED' };
  if (err.statusCode === 403) return { category: 'ACCESS_DENIED' };
  if (err.statusCode === 429 || (err.statusCode ?? 0) >= 500 || err.kind === 'network') {
    return { category: 'TIMEOUT_OR_TRANSIENT' };
  }
  return { category: 'OTHER' };
}

/** Which part of the federation is wrong, from Entra's AADSTS code (reference/03 §3). */
export function aadstsVariant(code: string | undefined): string | undefined {
  switch (code) {
    case '70021':
    case '700211':
    case '700212':
    case '700213':
    case '7002138':
      return 'federation';
    case '700016':
      return 'client-id';
    case '90002':
      return 'tenant';
    case '700024':
      return 'assertion-expired';
    default:
      return undefined;
  }
}
