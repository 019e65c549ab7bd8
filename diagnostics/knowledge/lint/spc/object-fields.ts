/**
 * Per-object identity: field names, objectType and objectName (docs/wire-notes.md §2.2–2.3). The provider trims every field
 * and matches objectType case-sensitively; an unknown type fails only when the object is fetched, with
 * "Invalid vaultObjectTypes. Should be secret, key, or cert".
 */
import { isPlaceholder } from '../placeholders.ts';
import { didYouMean } from '../suggest.ts';
import type { Issue } from '../types.ts';
import { KNOWN_OBJECT_FIELDS, type ParsedObject } from './objects-parse.ts';
import type { SpcRule } from './spc-context.ts';

export const OBJECT_TYPES = ['secret', 'key', 'cert'] as const;
const TYPE_ALIASES: Readonly<Record<string, string>> = { certificate: 'cert', certificates: 'cert', certs: 'cert' };

/** A field's trimmed text, `''` when absent (the provider's zero value). */
export function field(object: ParsedObject, key: string): string {
  return object.fields.get(key)?.value.trim() ?? '';
}

/** The provider's wrapper for per-object errors. */
export function objectPrefix(object: ParsedObject): string {
  return `failed to get objectType:${field(object, 'objectType')}, objectName:${field(object, 'objectName')}, objectVersion:${field(object, 'objectVersion')}`;
}

function misspelt(object: ParsedObject, key: string): boolean {
  return [...object.fields.keys()].some(
    (written) =>
      !(KNOWN_OBJECT_FIELDS as readonly string[]).includes(written) && didYouMean(written, KNOWN_OBJECT_FIELDS) === key,
  );
}

/** Runs `check` on each object the provider would read (only for Azure SPCs). */
export function eachObject(check: (object: ParsedObject) => Issue[]): SpcRule {
  return (spc) => (spc.azure ? (spc.objects?.objects ?? []).flatMap(check) : []);
}

export const objectFieldNamesRule = eachObject((object) => {
  const issues: Issue[] = [];
  for (const key of object.fields.keys()) {
    if ((KNOWN_OBJECT_FIELDS as readonly string[]).includes(key)) continue;
    const guess = didYouMean(key, KNOWN_OBJECT_FIELDS);
    if (guess !== undefined && !object.fields.has(guess)) {
      issues.push({
        rule: 'spc/object-field-name',
        at: [...object.at, key],
        message: `${key} is not an object field the provider reads (fields are case-sensitive); did you mean ${guess}? As written, ${guess} stays empty.`,
        fix: `Rename ${key} to ${guess}.`,
      });
    } else {
      issues.push({
        rule: 'spc/unknown-object-field',
        at: [...object.at, key],
        message: `${key} is not an object field the provider reads; it is ignored.`,
        fix: `Remove ${key}. Object fields: ${KNOWN_OBJECT_FIELDS.join(', ')}.`,
      });
    }
  }
  return issues;
});

export const objectTypeRule = eachObject((object) => {
  const type = field(object, 'objectType');
  if ((OBJECT_TYPES as readonly string[]).includes(type) || isPlaceholder(type)) return [];
  if (type === '' && misspelt(object, 'objectType')) return [];
  const guess = TYPE_ALIASES[type.toLowerCase()] ?? didYouMean(type, OBJECT_TYPES);
  const what = type === '' ? 'objectType is missing' : `objectType is "${type}"`;
  const plural = type.toLowerCase().endsWith('s') && guess !== undefined ? ': the value is singular' : '';
  return [
    {
      rule: 'spc/object-type',
      at: [...object.at, 'objectType'],
      message: `${what}${plural}; it must be secret, key or cert (lower case). The provider fails with "${objectPrefix(object)}: Invalid vaultObjectTypes. Should be secret, key, or cert".`,
      fix: `Set objectType: ${guess ?? 'secret'}.`,
    },
  ];
});

export const objectNameRule = eachObject((object) => {
  const name = field(object, 'objectName');
  const at = [...object.at, 'objectName'];
  if (name === '') {
    if (misspelt(object, 'objectName')) return [];
    return [
      {
        rule: 'spc/object-name',
        at,
        message: `array[${object.index}] has no objectName, so the provider does not know which Key Vault object to fetch.`,
        fix: 'Add objectName: <the Key Vault secret name>, e.g. objectName: db-password.',
      },
    ];
  }
  if (isPlaceholder(name) || /^[0-9A-Za-z-]{1,127}$/.test(name)) return [];
  const underscore = name.includes('_') ? ' Key Vault names use "-" where you may expect "_".' : '';
  return [
    {
      rule: 'spc/object-name',
      at,
      message: `objectName "${name}" is not a valid Key Vault object name (1–127 letters, digits and "-"); Key Vault answers 400 BadParameter "The request URI contains an invalid name: ${name}".${underscore}`,
    },
  ];
});

/** The secrets the lab's vault holds (Lab 09: db-password and api-key). */
export const LAB_OBJECT_NAMES = ['db-password', 'api-key'] as const;

/** lab/object-name: under the lab profile, an object the lab's vault does not hold (Key Vault would answer 404). */
export const labObjectNameRule: SpcRule = (spc) => {
  if (spc.profile !== 'lab') return [];
  return eachObject((object) => {
    const name = field(object, 'objectName');
    if (name === '' || isPlaceholder(name) || (LAB_OBJECT_NAMES as readonly string[]).includes(name)) return [];
    const guess = didYouMean(name, LAB_OBJECT_NAMES);
    return [
      {
        rule: 'lab/object-name',
        at: [...object.at, 'objectName'],
        message: `objectName "${name}" is not one of the lab's secrets (${LAB_OBJECT_NAMES.join(', ')})${guess ? `; did you mean ${guess}?` : ''}. Unless your instructor added it, Key Vault answers 404 SecretNotFound.`,
        fix: `Use the lab's secret names: ${LAB_OBJECT_NAMES.join(', ')} (az keyvault secret list --vault-name <vault> --query "[].name" -o tsv).`,
      },
    ];
  })(spc);
};
