/**
 * `meta.k8s.io/v1 Table` responses, which `kubectl get` asks for (docs/wire-notes.md §6.6). Pods and Events use the
 * real printers (table-pods.ts); other built-ins get their kube-apiserver columns; custom resources use the
 * CRD's `additionalPrinterColumns` (default: Age); anything else the generic Name + Created At.
 */
import { asObj } from './defaults.ts';
import { eventsV1ToCore } from './event-conversion.ts';
import type { Obj, ResourceInfo } from './resources.ts';
import { age, type Column, column, EVENT_COLUMNS, eventRow, POD_COLUMNS, podRow } from './table-pods.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

interface Printer {
  columns: Column[];
  row(obj: Obj, now: Date): unknown[];
}

const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(asObj) : []);
const nameCell = (obj: Obj) => String(asObj(obj.metadata).name ?? '');
const ageCell = (obj: Obj, now: Date) => age(asObj(obj.metadata).creationTimestamp, now);
const orNone = (s: string) => s || '<none>';
const formatLabels = (m: unknown) =>
  orNone(
    Object.entries(asObj(m))
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(','),
  );

const bindingPrinter: Printer = {
  columns: [
    column('Name', 'string', 0, 'name'),
    column('Role'),
    column('Age'),
    ...['Users', 'Groups', 'ServiceAccounts'].map((n) => column(n, 'string', 1)),
  ],
  row: (b, now) => {
    const ref = asObj(b.roleRef);
    const subjects = list(b.subjects);
    const of = (kind: string) =>
      subjects
        .filter((s) => s.kind === kind)
        .map((s) => (kind === 'ServiceAccount' ? `${String(s.namespace ?? '')}/${String(s.name)}` : String(s.name)))
        .join(', ');
    return [
      nameCell(b),
      `${String(ref.kind)}/${String(ref.name)}`,
      ageCell(b, now),
      of('User'),
      of('Group'),
      of('ServiceAccount'),
    ];
  },
};

const PRINTERS: Record<string, Printer> = {
  '/Pod': { columns: POD_COLUMNS, row: (o, now) => podRow(o, now).cells },
  '/Event': { columns: EVENT_COLUMNS, row: eventRow },
  '/Namespace': {
    columns: [column('Name', 'string', 0, 'name'), column('Status'), column('Age')],
    row: (o, now) => [nameCell(o), String(asObj(o.status).phase ?? 'Active'), ageCell(o, now)],
  },
  '/Node': {
    columns: [
      column('Name', 'string', 0, 'name'),
      ...['Status', 'Roles', 'Age', 'Version'].map((n) => column(n)),
      ...['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime'].map((n) =>
        column(n, 'string', 1),
      ),
    ],
    row: (o, now) => {
      const status = asObj(o.status);
      const ready = list(status.conditions).find((c) => c.type === 'Ready');
      const states = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
      if (asObj(o.spec).unschedulable === true) states.push('SchedulingDisabled');
      const labels = asObj(asObj(o.metadata).labels);
      const roles = Object.keys(labels)
        .filter((k) => k.startsWith('node-role.kubernetes.io/'))
        .map((k) => k.slice('node-role.kubernetes.io/'.length));
      const info = asObj(status.nodeInfo);
      const address = (type: string) =>
        String(list(status.addresses).find((a) => a.type === type)?.address ?? '<none>');
      return [
        nameCell(o),
        states.join(','),
        orNone(roles.join(',')),
        ageCell(o, now),
        String(info.kubeletVersion ?? ''),
        address('InternalIP'),
        address('ExternalIP'),
        String(info.osImage || '<unknown>'),
        String(info.kernelVersion || '<unknown>'),
        String(info.containerRuntimeVersion || '<unknown>'),
      ];
    },
  },
  '/Secret': {
    columns: [column('Name', 'string', 0, 'name'), column('Type'), column('Data', 'string'), column('Age')],
    row: (o, now) => [nameCell(o), String(o.type ?? 'Opaque'), Object.keys(asObj(o.data)).length, ageCell(o, now)],
  },
  '/ConfigMap': {
    columns: [column('Name', 'string', 0, 'name'), column('Data', 'string'), column('Age')],
    row: (o, now) => [
      nameCell(o),
      Object.keys(asObj(o.data)).length + Object.keys(asObj(o.binaryData)).length,
      ageCell(o, now),
    ],
  },
  '/ServiceAccount': {
    columns: [column('Name', 'string', 0, 'name'), column('Secrets', 'string'), column('Age')],
    row: (o, now) => [nameCell(o), list(o.secrets).length, ageCell(o, now)],
  },
  'apps/DaemonSet': {
    columns: [
      column('Name', 'string', 0, 'name'),
      ...['Desired', 'Current', 'Ready', 'Up-to-date', 'Available'].map((n) => column(n, 'integer')),
      column('Node Selector'),
      column('Age'),
      ...['Containers', 'Images', 'Selector'].map((n) => column(n, 'string', 1)),
    ],
    row: (o, now) => {
      const s = asObj(o.status);
      const podSpec = asObj(asObj(asObj(o.spec).template).spec);
      const containers = list(podSpec.containers);
      const n = (k: string) => Number(s[k] ?? 0);
      return [
        nameCell(o),
        n('desiredNumberScheduled'),
        n('currentNumberScheduled'),
        n('numberReady'),
        n('updatedNumberScheduled'),
        n('numberAvailable'),
        formatLabels(podSpec.nodeSelector),
        ageCell(o, now),
        containers.map((c) => String(c.name)).join(','),
        containers.map((c) => String(c.image)).join(','),
        formatLabels(asObj(asObj(o.spec).selector).matchLabels),
      ];
    },
  },
  'storage.k8s.io/CSIDriver': {
    columns: [
      column('Name', 'string', 0, 'name'),
      ...[
        'AttachRequired',
        'PodInfoOnMount',
        'StorageCapacity',
        'TokenRequests',
        'RequiresRepublish',
        'Modes',
        'Age',
      ].map((n) => column(n)),
    ],
    row: (o, now) => {
      const spec = asObj(o.spec);
      const audiences = list(spec.tokenRequests).map((t) => String(t.audience ?? ''));
      const modes = Array.isArray(spec.volumeLifecycleModes) ? spec.volumeLifecycleModes.join(',') : '';
      return [
        nameCell(o),
        spec.attachRequired !== false,
        spec.podInfoOnMount === true,
        spec.storageCapacity === true,
        audiences.length ? audiences.join(',') : '<unset>',
        spec.requiresRepublish === true,
        modes || '<unset>',
        ageCell(o, now),
      ];
    },
  },
  'coordination.k8s.io/Lease': {
    columns: [column('Name', 'string', 0, 'name'), column('Holder'), column('Age')],
    row: (o, now) => [nameCell(o), String(asObj(o.spec).holderIdentity ?? ''), ageCell(o, now)],
  },
  'rbac.authorization.k8s.io/RoleBinding': bindingPrinter,
  'rbac.authorization.k8s.io/ClusterRoleBinding': bindingPrinter,
};

const GENERIC: Printer = {
  columns: [column('Name', 'string', 0, 'name'), column('Created At', 'date')],
  row: (o) => [nameCell(o), String(asObj(o.metadata).creationTimestamp ?? '')],
};

/** Evaluates the simple JSONPath subset CRD printer columns use: `.a.b`, `.a[0].b`, `.a['x.y']`. */
function jsonPath(obj: Obj, path: string): unknown {
  const steps = [...path.matchAll(/\.([^.[\]]+)|\[(\d+)\]|\['([^']+)'\]/g)].map((m) => m[1] ?? m[3] ?? Number(m[2]));
  let cur: unknown = obj;
  for (const step of steps) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[step];
  }
  return cur;
}

function customPrinter(info: ResourceInfo): Printer {
  const defs = info.printerColumns?.length
    ? info.printerColumns
    : [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }];
  return {
    columns: [
      column('Name', 'string', 0, 'name'),
      ...defs.map((d) => ({
        ...column(String(d.name), String(d.type ?? 'string'), Number(d.priority ?? 0)),
        description: String(d.description ?? ''),
      })),
    ],
    row: (o, now) => [
      nameCell(o),
      ...defs.map((d) => {
        const v = jsonPath(o, String(d.jsonPath ?? ''));
        if (v === undefined || v === null) return null;
        if (d.type === 'date') return age(v, now);
        return typeof v === 'object' ? JSON.stringify(v) : v;
      }),
    ],
  };
}

/** Builds the Table for `objects` (already in the served version), with row objects as `includeObject` asks. */
export function toTable(info: ResourceInfo, objects: Obj[], listMeta: Obj, now: Date, include: IncludeObject): Obj {
  const base = info.custom ? customPrinter(info) : (PRINTERS[info.storage] ?? GENERIC);
  // events.k8s.io Events are printed by the core printer, as the server prints the internal (core) type.
  const printer =
    info.group === 'events.k8s.io' ? { ...base, row: (o: Obj, now: Date) => base.row(eventsV1ToCore(o), now) } : base;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: printer.columns,
    rows: objects.map((o) => {
      const row: Obj = { cells: printer.row(o, now) };
      if (info.storage === '/Pod') {
        const { conditions } = podRow(o, now);
        if (conditions) row.conditions = conditions;
      }
      if (include === 'Object') row.object = o;
      else if (include === 'Metadata') row.object = partialObjectMetadata(o);
      return row;
    }),
  };
}

/** `meta.k8s.io/v1 PartialObjectMetadata`: only the object's metadata (no data, spec or status). */
export function partialObjectMetadata(obj: Obj): Obj {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}
