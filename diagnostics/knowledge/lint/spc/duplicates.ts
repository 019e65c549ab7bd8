/**
 * Duplicate objects. Each object is written to a file named objectAlias (else objectName); two objects with the same
 * file name overwrite each other. The same objectType/objectName twice is tracked under one id
 * (`<type>/<name>`) in the SecretProviderClassPodStatus, so one version record is lost (docs/wire-notes.md §1.2).
 */
import type { Issue } from '../types.ts';
import { field } from './object-fields.ts';
import type { ParsedObject } from './objects-parse.ts';
import type { SpcRule } from './spc-context.ts';

/** The file (or, with objectVersionHistory > 1, folder) an object is written to. */
export function fileNameOf(object: ParsedObject): string {
  return field(object, 'objectAlias') || field(object, 'objectName');
}

export const duplicateObjectsRule: SpcRule = (spc) => {
  if (!spc.azure) return [];
  const issues: Issue[] = [];
  const byFile = new Map<string, ParsedObject>();
  const byId = new Map<string, ParsedObject>();
  for (const object of spc.objects?.objects ?? []) {
    const file = fileNameOf(object);
    const id = `${field(object, 'objectType')}/${field(object, 'objectName')}`;
    const sameFile = file === '' ? undefined : byFile.get(file);
    const sameId = byId.get(id);
    if (sameFile !== undefined) {
      const key = field(object, 'objectAlias') ? 'objectAlias' : 'objectName';
      issues.push({
        rule: 'spc/duplicate-object',
        at: [...object.at, key],
        message: `array[${object.index}] and array[${sameFile.index}] are both written to the file "${file}"; one overwrites the other.`,
      });
    } else if (sameId !== undefined && field(object, 'objectName') !== '') {
      issues.push({
        rule: 'spc/repeated-object',
        at: [...object.at, 'objectName'],
        message: `array[${object.index}] fetches ${id} again (also array[${sameId.index}]); the driver records one version per ${id}, so rotation tracking sees only one of them.`,
      });
    }
    if (file !== '' && !byFile.has(file)) byFile.set(file, object);
    if (!byId.has(id)) byId.set(id, object);
  }
  return issues;
};

/** The files the mount will contain, and the folders objectVersionHistory > 1 creates (files `<folder>/<n>`). */
export function mountedFiles(objects: readonly ParsedObject[]): { exact: Set<string>; folders: Set<string> } {
  const exact = new Set<string>();
  const folders = new Set<string>();
  for (const object of objects) {
    const file = fileNameOf(object);
    const history = Number.parseInt(field(object, 'objectVersionHistory') || '0', 10);
    if (history > 1) folders.add(file);
    else exact.add(file);
  }
  return { exact, folders };
}
