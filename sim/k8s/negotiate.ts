/**
 * Content negotiation for object responses (apiserver `endpoints/handlers/negotiation`): plain JSON, or
 * `as=Table` / `as=PartialObjectMetadata[List]` in `g=meta.k8s.io` `v=v1|v1beta1` (docs/wire-notes.md §6.6, §10).
 * Protobuf and YAML ranges are skipped; if nothing acceptable remains the answer is 406 NotAcceptable.
 */
import { notAcceptable } from './status.ts';

export type Representation = 'object' | 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList';

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(header: string): MediaRange[] {
  return header
    .split(',')
    .map((part) => {
      const [type = '', ...rest] = part.split(';').map((s) => s.trim());
      const params: Record<string, string> = {};
      for (const p of rest) {
        const eq = p.indexOf('=');
        if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim();
      }
      return { type: type.toLowerCase(), params };
    })
    .filter((m) => m.type !== '' && m.params.q !== '0');
}

const JSON_TYPES = new Set(['application/json', 'application/*', '*/*']);

/**
 * Picks the representation for a get (`list` false) or list/watch (`list` true) response from the Accept header.
 * Throws 406 when only unsupported media types or transformations were offered.
 */
export function negotiate(accept: string | undefined, list: boolean): Representation {
  if (!accept?.trim()) return 'object';
  for (const m of parseAccept(accept)) {
    if (!JSON_TYPES.has(m.type)) continue;
    const as = m.params.as;
    if (!as) return 'object';
    if (m.params.g !== 'meta.k8s.io' || !['v1', 'v1beta1'].includes(m.params.v ?? '')) continue;
    if (as === 'Table') return 'Table';
    if (as === 'PartialObjectMetadataList' && list) return as;
    if (as === 'PartialObjectMetadata' && !list) return as;
  }
  throw notAcceptable('application/json, application/yaml, application/vnd.kubernetes.protobuf');
}
