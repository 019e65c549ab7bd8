/** Small value helpers shared by the lint rules: type guards, Go-compatible parsing, name and id formats. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field as a record, or an empty record when absent or of another type (the type rules report that). */
export function recordAt(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** A field as a list, or an empty list when absent or of another type. */
export function listAt(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * A scalar as text: strings as they are, numbers and booleans as written (the type rules report that they are not
 * strings), anything else `undefined`.
 */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A string field, `undefined` when absent or not a string. */
export function stringAt(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The values Go's `strconv.ParseBool` accepts (the provider parses identity flags with it). */
const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Go `strconv.ParseBool` after `strings.TrimSpace`; `undefined` when Go would fail. Empty means "false" (default). */
export function parseGoBool(text: string): boolean | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return false;
  if (GO_TRUE.has(trimmed)) return true;
  if (GO_FALSE.has(trimmed)) return false;
  return undefined;
}

export const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Kubernetes object names (DNS-1123 subdomain), as for ServiceAccount and Secret names. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A short description of a value's YAML type for messages. */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'empty (YAML null)';
  if (Array.isArray(value)) return 'a YAML list';
  if (typeof value === 'object') return 'a YAML map';
  if (typeof value === 'boolean') return `the unquoted YAML boolean ${value}`;
  if (typeof value === 'number') return `the unquoted YAML number ${value}`;
  return `a ${typeof value}`;
}
