/**
 * Fixes the SecretProviderClass `objects` and `secretObjects`: object types (secrets → secret), names the vault
 * does not have (the closest name it does have, or a question with every name it has), versions that are not
 * there or disabled (removed: the latest version is used), and synced-Secret entries naming no mounted file.
 */
import type { Evidence } from '../gather/gather-evidence.ts';
import { readValue } from '../gather/read.ts';
import type { Manifest } from './clean-manifest.ts';
import type { Draft } from './draft.ts';
import { closestUnique, vaultSecretNames } from './known-values.ts';
import { type ObjectFields, readObjectFields, writeObjects } from './objects-text.ts';

const TYPES = ['secret', 'key', 'cert'];

/** Edits the objects with `edit`; writes the parameter back only when something changed. */
function editObjects(spc: Manifest, edit: (objects: ObjectFields[]) => void): void {
  const text = spc.spec.parameters.objects;
  const objects = typeof text === 'string' ? readObjectFields(text) : undefined;
  if (!objects) return;
  const before = writeObjects(objects);
  edit(objects);
  const after = writeObjects(objects);
  if (after !== before) spc.spec.parameters.objects = after;
}

/** secrets → secret, Secret → secret, certificate → cert; anything else is asked. */
export function fixObjectTypes(d: Draft, spc: Manifest): void {
  editObjects(spc, (objects) => {
    objects.forEach((o, i) => {
      const type = (o.get('objectType') ?? '').trim();
      if (TYPES.includes(type)) return;
      const lower = type
        .toLowerCase()
        .replace(/s$/, '')
        .replace(/^certificate$/, 'cert');
      const fixed = TYPES.includes(lower)
        ? lower
        : d.ask('<OBJECT_TYPE>', `The type of ${o.get('objectName') ?? `object ${i}`} in the vault.`, TYPES);
      d.change(spc, `objects[${i}].objectType`, type || undefined, fixed);
      o.set('objectType', fixed);
    });
  });
}

/** Objects the replay could not find: a name the vault has, or no pinned version. */
export function fixMissingObjects(d: Draft, spc: Manifest, e: Evidence): void {
  const replay = readValue(e.replay);
  if (!replay?.performed) return;
  const missing = replay.outcome.objects.filter((o) => !o.outcome.readable && o.outcome.error.statusCode === 404);
  const names = vaultSecretNames(e);
  editObjects(spc, (objects) => {
    const used = new Set(objects.map((o) => o.get('objectName')));
    objects.forEach((o, i) => {
      const name = o.get('objectName') ?? '';
      const type = (o.get('objectType') ?? '').trim();
      const miss = missing.find((m) => m.objectName === name && m.objectType === type);
      if (!miss) return;
      // The replay listed every object type after the 404: its own type holds the name (only the version is
      // missing), or another type does (the SPC asks for the wrong objectType).
      const existsAs: readonly string[] = (!miss.outcome.readable && miss.outcome.existsAs) || [];
      if (o.get('objectVersion') && (existsAs.includes(type) || names === undefined || names.includes(name))) {
        d.change(spc, `objects[${i}].objectVersion`, o.get('objectVersion'), undefined);
        o.delete('objectVersion');
        d.changes.push(`  (no objectVersion: the mount reads the latest version of ${name})`);
        return;
      }
      const held = existsAs.find((t) => t !== type);
      if (held) {
        d.change(spc, `objects[${i}].objectType`, type, held, `the vault holds ${name} as a ${held}`);
        o.set('objectType', held);
        return;
      }
      const free = (names ?? []).filter((n) => !used.has(n));
      const closest = closestUnique(name, free);
      const fixed =
        closest ??
        d.ask(
          '<SECRET_NAME>',
          names === undefined
            ? `The exact name of the secret meant by ${name} (az keyvault secret list --vault-name ${spc.spec.parameters.keyvaultName} --query "[].name" -o tsv).`
            : `Which secret in vault ${spc.spec.parameters.keyvaultName} ${name} should be: it has none by that name.`,
          free,
        );
      d.change(
        spc,
        `objects[${i}].objectName`,
        name,
        fixed,
        closest ? `the names in vault ${spc.spec.parameters.keyvaultName}` : undefined,
      );
      o.set('objectName', fixed);
    });
  });
}

/** Objects pinned to a version the vault refuses (disabled, expired): the pin is removed. */
export function unpinRefusedVersions(d: Draft, spc: Manifest, e: Evidence): boolean {
  const replay = readValue(e.replay);
  if (!replay?.performed) return false;
  const refused = replay.outcome.objects.filter(
    (o) => o.objectVersion && !o.outcome.readable && /Disabled$/.test(o.outcome.error.innerCode ?? ''),
  );
  let changed = false;
  editObjects(spc, (objects) => {
    objects.forEach((o, i) => {
      if (!refused.some((r) => r.objectName === o.get('objectName') && r.objectVersion === o.get('objectVersion')))
        return;
      changed = d.change(spc, `objects[${i}].objectVersion`, o.get('objectVersion'), undefined) || changed;
      o.delete('objectVersion');
      d.changes.push(`  (no objectVersion: the mount reads the latest version of ${o.get('objectName')})`);
    });
  });
  return changed;
}

/** Each secretObjects data[].objectName must be a mounted file: the objectAlias when set, else the objectName. */
export function fixSecretObjectRefs(d: Draft, spc: Manifest): void {
  const text = spc.spec.parameters.objects;
  const objects = typeof text === 'string' ? readObjectFields(text) : undefined;
  if (!objects) return;
  const files = objects.map((o) => o.get('objectAlias') || o.get('objectName') || '').filter(Boolean);
  (spc.spec.secretObjects ?? []).forEach((so: Manifest, i: number) => {
    (so.data ?? []).forEach((entry: Manifest, j: number) => {
      if (files.includes(entry.objectName)) return;
      const closest = files.length === 1 ? files[0] : closestUnique(String(entry.objectName ?? ''), files);
      const fixed =
        closest ??
        d.ask('<MOUNTED_FILE>', `Which mounted file Secret ${so.secretName} key ${entry.key} should hold.`, files);
      d.change(
        spc,
        `spec.secretObjects[${i}].data[${j}].objectName`,
        entry.objectName,
        fixed,
        closest ? 'the files the SPC mounts' : undefined,
      );
      entry.objectName = fixed;
    });
  });
}
