/** The `objects` parameter as a whole: present, and shaped the way the provider parses it (docs/wire-notes.md §2.2, §5). */
import { misspellingOf } from './parameter-keys.ts';
import { paramAt, type SpcRule } from './spc-context.ts';

export const objectsMissingRule: SpcRule = (spc) => {
  if (!spc.azure || spc.params === undefined) return [];
  const raw = spc.params.objects;
  if (typeof raw === 'string' ? raw.trim() !== '' : raw !== undefined && raw !== null) return [];
  if (raw === undefined && misspellingOf(spc.params, 'objects') !== undefined) return [];
  return [
    {
      rule: 'spc/objects-missing',
      at: paramAt('objects'),
      message: `objects is ${raw === undefined ? 'missing' : 'empty'}; the provider fails with "objects is not set" and nothing is mounted.`,
    },
  ];
};

export const objectsMalformedRule: SpcRule = (spc) =>
  spc.azure
    ? (spc.objects?.problems ?? []).map((problem) => ({
        rule: 'spc/objects-malformed' as const,
        at: problem.at,
        message: problem.message,
        fix: problem.fix,
      }))
    : [];
