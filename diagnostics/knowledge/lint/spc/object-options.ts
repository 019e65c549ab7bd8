/**
 * Per-object options checked by the provider's validate.go (docs/wire-notes.md §2.3 step 9): objectFormat, objectEncoding,
 * the output file name, plus objectVersion, objectVersionHistory (an int32: a quoted value fails to unmarshal) and
 * filePermission (an octal string).
 */
import { isPlaceholder } from '../placeholders.ts';
import type { Issue } from '../types.ts';
import { eachObject, field, OBJECT_TYPES, objectPrefix } from './object-fields.ts';
import type { ParsedObject } from './objects-parse.ts';

function validType(object: ParsedObject): boolean {
  return (OBJECT_TYPES as readonly string[]).includes(field(object, 'objectType'));
}

function issue(rule: Issue['rule'], object: ParsedObject, key: string, message: string, fix: string): Issue[] {
  return [{ rule, at: [...object.at, key], message, fix }];
}

export const objectFormatRule = eachObject((object) => {
  const format = field(object, 'objectFormat');
  if (format === '' || isPlaceholder(format)) return [];
  if (!['pem', 'pfx'].includes(format.toLowerCase())) {
    const error = `invalid objectFormat: ${format}, should be PEM or PFX`;
    return issue(
      'spc/object-format',
      object,
      'objectFormat',
      `The provider fails with "${objectPrefix(object)}: ${error}".`,
      'Remove objectFormat (defaults to pem) or set pem / pfx.',
    );
  }
  if (format === 'pfx' && validType(object) && field(object, 'objectType') !== 'secret') {
    const error = 'PFX format only supported for objectType: secret';
    return issue(
      'spc/object-format',
      object,
      'objectFormat',
      `The provider fails with "${objectPrefix(object)}: ${error}".`,
      'To get a certificate with its private key as PFX, use objectType: secret with objectFormat: pfx.',
    );
  }
  return [];
});

export const objectEncodingRule = eachObject((object) => {
  const encoding = field(object, 'objectEncoding');
  if (encoding === '' || isPlaceholder(encoding) || !validType(object)) return [];
  if (field(object, 'objectType') !== 'secret') {
    const error = 'objectEncoding only supported for objectType: secret';
    return issue(
      'spc/object-encoding',
      object,
      'objectEncoding',
      `The provider fails with "${objectPrefix(object)}: ${error}".`,
      'Remove objectEncoding from key and cert objects.',
    );
  }
  if (!['hex', 'base64', 'utf-8'].includes(encoding.toLowerCase())) {
    const error = `invalid objectEncoding: ${encoding}, should be hex, base64 or utf-8`;
    return issue(
      'spc/object-encoding',
      object,
      'objectEncoding',
      `The provider fails with "${objectPrefix(object)}: ${error}".`,
      'Remove objectEncoding (defaults to utf-8) or set utf-8, base64 or hex.',
    );
  }
  return [];
});

export const objectAliasRule = eachObject((object) => {
  const alias = field(object, 'objectAlias');
  if (alias === '' || isPlaceholder(alias)) return [];
  let error: string | undefined;
  if (alias.startsWith('/')) error = 'file name must be a relative path';
  else if (alias.split('/').includes('..') || alias.includes('..')) error = "file name must not contain '..'";
  if (error === undefined) return [];
  return issue(
    'spc/object-alias',
    object,
    'objectAlias',
    `objectAlias "${alias}" would write outside the mount; the provider fails with "${objectPrefix(object)}: ${error}".`,
    'Use a plain file name relative to the mount, e.g. objectAlias: db-password.',
  );
});

export const objectVersionRule = eachObject((object) => {
  const version = field(object, 'objectVersion');
  if (version === '' || version === 'latest' || isPlaceholder(version) || /^[0-9a-fA-F]{32}$/.test(version)) return [];
  return issue(
    'spc/object-version',
    object,
    'objectVersion',
    `objectVersion "${version}" is not a Key Vault version id (32 hex digits); Key Vault will not find that version.`,
    'Remove objectVersion to get the latest version, or copy one from: az keyvault secret list-versions --vault-name <vault> --name <secret> --query "[].id" -o tsv',
  );
});

const GO_INT = /^[-+]?(0|[1-9][0-9]*|0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+)$/;

export const objectVersionHistoryRule = eachObject((object) => {
  const history = object.fields.get('objectVersionHistory');
  if (history === undefined || history.collection) return [];
  const text = history.value.trim();
  if (text === '' && !history.quoted) return [];
  if (!history.quoted && GO_INT.test(text)) return [];
  const tag = history.quoted
    ? '!!str'
    : /^[-+]?(\d*\.\d+|\d+\.\d*)([eE][-+]?\d+)?$/.test(text)
      ? '!!float'
      : /^(true|false)$/i.test(text)
        ? '!!bool'
        : '!!str';
  return issue(
    'spc/object-version-history',
    object,
    'objectVersionHistory',
    `objectVersionHistory is ${history.quoted ? `the quoted string "${text}"` : `"${text}"`}, but the provider reads it as an int32; it fails with "unmarshal failed for keyVaultObjects at index ${object.index}, error: yaml: unmarshal errors: cannot unmarshal ${tag} \`${text}\` into int32".`,
    `Write a plain number without quotes, e.g. objectVersionHistory: ${/^\d+$/.test(text) ? text : '5'}.`,
  );
});

export const filePermissionRule = eachObject((object) => {
  const permission = field(object, 'filePermission');
  if (permission === '' || isPlaceholder(permission) || /^[0-7]+$/.test(permission)) return [];
  return issue(
    'spc/file-permission',
    object,
    'filePermission',
    `filePermission "${permission}" is not an octal number; the provider fails with "file permission must be a valid octal number".`,
    'Use octal digits only, e.g. filePermission: "0644".',
  );
});
