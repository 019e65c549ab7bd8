/**
 * Rewrites the SecretProviderClass `objects` parameter: parsed with the linter's parser (the provider's reading),
 * edited field by field, and written back in the lab's shape (`array:` with one `- |` block per object), so a
 * fixed object list reads like the one the student started from.
 */
import { stringify } from 'yaml';
import { parseObjects } from '../knowledge/lint/spc/objects-parse.ts';

/** One object's fields in their written order; editing a copy and returning it changes the object. */
export type ObjectFields = Map<string, string>;

/** The objects as field maps, or undefined when the provider could not read the parameter at all. */
export function readObjectFields(text: string): ObjectFields[] | undefined {
  const parsed = parseObjects(text);
  if (parsed.objects.length === 0) return undefined;
  return parsed.objects.map((o) => new Map([...o.fields].map(([k, f]) => [k, f.value])));
}

/** The lab's shape: `array:` then, per object, a `- |` block of `field: value` lines. */
export function writeObjects(objects: readonly ObjectFields[]): string {
  const blocks = objects.map((fields) => {
    const lines = [...fields].map(([k, v]) => `    ${k}: ${scalar(v)}`);
    return `  - |\n${lines.join('\n')}`;
  });
  return `array:\n${blocks.join('\n')}\n`;
}

/** A YAML scalar that reads back as the same string (quoted only when it must be). */
function scalar(value: string): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}
