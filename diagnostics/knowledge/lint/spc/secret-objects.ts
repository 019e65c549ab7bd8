/**
 * secretObjects: syncing mounted files into a Kubernetes Secret (driver `secretutil`, docs/wire-notes.md §1.1). The driver
 * checks secretName, type and data ("secret name is empty", "secret type is empty", "data is empty"), each data
 * entry's objectName and key, and then looks for a mounted file named exactly data[].objectName: the objectAlias
 * when set, else the objectName ("file matching objectName <x> not found in the pod").
 */
import { isPlaceholder } from '../placeholders.ts';
import type { Issue, PathSegment } from '../types.ts';
import { DNS_SUBDOMAIN, isRecord, stringAt } from '../values.ts';
import { fileNameOf, mountedFiles } from './duplicates.ts';
import { field } from './object-fields.ts';
import type { SpcContext, SpcRule } from './spc-context.ts';

const TLS_KEYS = ['tls.crt', 'tls.key'];

function fieldsIssue(at: PathSegment[], message: string, fix: string): Issue {
  return { rule: 'spc/secret-object-fields', at, message, fix };
}

function checkEntry(entry: Record<string, unknown>, at: PathSegment[]): Issue[] {
  const issues: Issue[] = [];
  const name = stringAt(entry.secretName)?.trim() ?? '';
  const type = stringAt(entry.type)?.trim() ?? '';
  if (name === '') {
    issues.push(
      fieldsIssue(
        [...at, 'secretName'],
        'secretName is empty; the driver skips this entry ("secret name is empty").',
        'Add secretName: <name of the Kubernetes Secret to create>.',
      ),
    );
  } else if (!isPlaceholder(name) && (!DNS_SUBDOMAIN.test(name) || name.length > 253)) {
    issues.push(
      fieldsIssue(
        [...at, 'secretName'],
        `secretName "${name}" is not a valid Kubernetes name (lower case letters, digits, "-" and "."); creating the Secret fails.`,
        'Use a lower-case name such as db-secrets-k8s.',
      ),
    );
  }
  if (type === '') {
    issues.push(
      fieldsIssue(
        [...at, 'type'],
        'type is empty; the driver skips this entry ("secret type is empty").',
        'Add type: Opaque (or kubernetes.io/tls for certificates).',
      ),
    );
  }
  const data = Array.isArray(entry.data) ? entry.data : [];
  if (data.length === 0) {
    issues.push(
      fieldsIssue(
        [...at, 'data'],
        'data is empty; the driver skips this entry ("data is empty").',
        'Add data entries: - objectName: <mounted file name>, key: <key in the Secret>.',
      ),
    );
  }
  data.forEach((item, j) => {
    const itemAt = [...at, 'data', j];
    const row = isRecord(item) ? item : {};
    if ((stringAt(row.objectName)?.trim() ?? '') === '') {
      issues.push(
        fieldsIssue(
          [...itemAt, 'objectName'],
          `data[${j}] has no objectName; the driver fails with "object name in secretObjects.data".`,
          'Set objectName to the mounted file name (the objectAlias, else the objectName).',
        ),
      );
    }
    const key = stringAt(row.key)?.trim() ?? '';
    if (key === '') {
      issues.push(
        fieldsIssue(
          [...itemAt, 'key'],
          `data[${j}] has no key; the driver fails with "key in secretObjects.data is empty".`,
          'Set key to the name the value gets in the Secret, e.g. key: DB_PASSWORD.',
        ),
      );
    } else if (type === 'kubernetes.io/tls' && !TLS_KEYS.includes(key)) {
      issues.push(
        fieldsIssue(
          [...itemAt, 'key'],
          `key "${key}" in a kubernetes.io/tls Secret; the driver fails with "tls key is not supported. Only tls.key and tls.crt are supported".`,
          'Use key: tls.crt and key: tls.key.',
        ),
      );
    }
  });
  return issues;
}

export const secretObjectFieldsRule: SpcRule = ({ spec }) => {
  const list = spec.secretObjects;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    return [
      fieldsIssue(
        ['spec', 'secretObjects'],
        'secretObjects is not a list; the API server rejects the SecretProviderClass.',
        'Write secretObjects as a list: "- secretName: …".',
      ),
    ];
  }
  return list.flatMap((entry, i) =>
    isRecord(entry)
      ? checkEntry(entry, ['spec', 'secretObjects', i])
      : [
          fieldsIssue(
            ['spec', 'secretObjects', i],
            `secretObjects[${i}] is not a map.`,
            'Give each entry secretName, type and data.',
          ),
        ],
  );
};

function explainMiss(wanted: string, spc: SpcContext): string {
  const objects = spc.objects?.objects ?? [];
  const aliased = objects.find((o) => field(o, 'objectName') === wanted && field(o, 'objectAlias') !== '');
  if (aliased) return ` The object ${wanted} is written as "${fileNameOf(aliased)}" (its objectAlias); use that.`;
  if (mountedFiles(objects).folders.has(wanted)) {
    return ` ${wanted} is a folder because objectVersionHistory > 1; name a version file such as "${wanted}/0".`;
  }
  return '';
}

export const secretObjectRefsRule: SpcRule = (spc) => {
  if (
    !spc.azure ||
    spc.objects === undefined ||
    spc.objects.problems.length > 0 ||
    !Array.isArray(spc.spec.secretObjects)
  ) {
    return [];
  }
  const { exact, folders } = mountedFiles(spc.objects.objects);
  const available = [...exact, ...[...folders].map((f) => `${f}/0`)].join(', ');
  const issues: Issue[] = [];
  spc.spec.secretObjects.forEach((entry, i) => {
    const data = isRecord(entry) && Array.isArray(entry.data) ? entry.data : [];
    data.forEach((item, j) => {
      const wanted = isRecord(item) ? stringAt(item.objectName) : undefined;
      if (wanted === undefined || wanted.trim() === '' || isPlaceholder(wanted)) return;
      const slash = wanted.lastIndexOf('/');
      const inFolder = slash > 0 && folders.has(wanted.slice(0, slash)) && /^\d+$/.test(wanted.slice(slash + 1));
      if (exact.has(wanted) || inFolder) return;
      issues.push({
        rule: 'spc/secret-object-ref',
        at: ['spec', 'secretObjects', i, 'data', j, 'objectName'],
        message: `objectName "${wanted}" matches no mounted file (mounted: ${available || 'none'}); the driver fails with "file matching objectName ${wanted} not found in the pod" and the Secret is never created.${explainMiss(wanted, spc)}`,
      });
    });
  });
  return issues;
};
