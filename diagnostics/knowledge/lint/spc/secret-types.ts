/**
 * What the sync controller needs per Secret type: it creates the Secret with exactly the keys of
 * secretObjects[].data, and the API server validates typed Secrets (kubernetes pkg/apis/core/validation
 * ValidateSecret), so a missing required key means the Secret is never created ("FailedToCreateSecret").
 */
import type { Issue } from '../types.ts';
import { isRecord, stringAt } from '../values.ts';
import type { SpcRule } from './spc-context.ts';

/** Keys a typed Secret must have (`all`: every one; `any`: at least one). */
const REQUIRED_KEYS: Readonly<Record<string, { keys: string[]; need: 'all' | 'any' }>> = {
  'kubernetes.io/tls': { keys: ['tls.crt', 'tls.key'], need: 'all' },
  'kubernetes.io/dockerconfigjson': { keys: ['.dockerconfigjson'], need: 'all' },
  'kubernetes.io/dockercfg': { keys: ['.dockercfg'], need: 'all' },
  'kubernetes.io/ssh-auth': { keys: ['ssh-privatekey'], need: 'all' },
  'kubernetes.io/basic-auth': { keys: ['username', 'password'], need: 'any' },
};

export const secretTypeKeysRule: SpcRule = ({ spec }) => {
  if (!Array.isArray(spec.secretObjects)) return [];
  const issues: Issue[] = [];
  spec.secretObjects.forEach((entry, i) => {
    if (!isRecord(entry) || !Array.isArray(entry.data) || entry.data.length === 0) return;
    const type = stringAt(entry.type)?.trim() ?? '';
    const required = REQUIRED_KEYS[type];
    if (required === undefined) return;
    const keys = entry.data.map((d) => (isRecord(d) ? (stringAt(d.key)?.trim() ?? '') : '')).filter(Boolean);
    const missing = required.keys.filter((k) => !keys.includes(k));
    const fails = required.need === 'all' ? missing.length > 0 : missing.length === required.keys.length;
    if (!fails) return;
    const wanted = required.need === 'all' ? missing.join(' and ') : required.keys.join(' or ');
    issues.push({
      rule: 'spc/secret-type-keys',
      at: ['spec', 'secretObjects', i, 'data'],
      message: `secretObjects[${i}] creates a ${type} Secret without ${wanted} (keys: ${keys.join(', ') || 'none'}); the API server refuses such a Secret (data[${missing[0]}]: Required value), so the sync controller never creates ${stringAt(entry.secretName) ?? 'it'}.`,
      fix: `Add data entries with key: ${wanted}${type === 'kubernetes.io/tls' ? ' (both from the certificate object: objectType secret returns the certificate with its private key)' : ''}, or use type: Opaque.`,
    });
  });
  return issues;
};
