/**
 * The Pod and Event table rows kube-apiserver generates (k/k `pkg/printers/internalversion/printers.go`
 * printPod / printEvent, always with the wide columns; kubectl hides priority-1 columns unless `-o wide`),
 * and apimachinery's `duration.HumanDuration` used for every age cell.
 */
import { asObj } from './defaults.ts';
import type { Obj } from './resources.ts';

/** A Table column definition (`metav1.TableColumnDefinition`). */
export interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** A column definition; priority 1 columns only show with `kubectl get -o wide`. */
export const column = (name: string, type = 'string', priority = 0, format = ''): Column => ({
  name,
  type,
  format,
  description: `${name} (kvlab simulator)`,
  priority,
});

/** apimachinery `util/duration.HumanDuration`. */
function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const years = Math.floor(hours / 24 / 365);
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365;
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${years}y`;
}

/** `translateTimestampSince`: `<unknown>` for a missing timestamp. */
export function age(timestamp: unknown, now: Date): string {
  if (typeof timestamp !== 'string' || !timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now.getTime() - t);
}

export const POD_COLUMNS: Column[] = [
  column('Name', 'string', 0, 'name'),
  column('Ready'),
  column('Status'),
  column('Restarts'),
  column('Age'),
  column('IP', 'string', 1),
  column('Node', 'string', 1),
  column('Nominated Node', 'string', 1),
  column('Readiness Gates', 'string', 1),
];

const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(asObj) : []);

/** printPod: READY n/m, STATUS reason (init/waiting/terminated/Terminating), RESTARTS with last-restart age. */
export function podRow(pod: Obj, now: Date): { cells: unknown[]; conditions?: Obj[] } {
  const spec = asObj(pod.spec);
  const status = asObj(pod.status);
  const meta = asObj(pod.metadata);
  const initSpecs = new Map(list(spec.initContainers).map((c) => [String(c.name), c]));
  const restartable = (name: string) => initSpecs.get(name)?.restartPolicy === 'Always';
  const total =
    list(spec.containers).length + [...initSpecs.values()].filter((c) => c.restartPolicy === 'Always').length;
  let ready = 0;
  let restarts = 0;
  let lastRestart = 0;
  let sidecarRestarts = 0;
  let lastSidecarRestart = 0;
  const phase = String(status.phase ?? '');
  let reason = String(status.reason || phase);
  for (const c of list(status.conditions))
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  const finished = (cs: Obj) => Date.parse(String(asObj(asObj(cs.lastState).terminated).finishedAt ?? '')) || 0;

  let initializing = false;
  const initStatuses = list(status.initContainerStatuses);
  for (const [i, cs] of initStatuses.entries()) {
    restarts += Number(cs.restartCount ?? 0);
    lastRestart = Math.max(lastRestart, finished(cs));
    if (restartable(String(cs.name))) {
      sidecarRestarts += Number(cs.restartCount ?? 0);
      lastSidecarRestart = Math.max(lastSidecarRestart, finished(cs));
    }
    const state = asObj(cs.state);
    const terminated = state.terminated ? asObj(state.terminated) : undefined;
    const waiting = state.waiting ? asObj(state.waiting) : undefined;
    if (terminated && Number(terminated.exitCode ?? 0) === 0) continue;
    if (restartable(String(cs.name)) && cs.started === true) {
      if (cs.ready === true) ready++;
      continue;
    }
    if (terminated) {
      reason = terminated.reason
        ? `Init:${String(terminated.reason)}`
        : terminated.signal
          ? `Init:Signal:${String(terminated.signal)}`
          : `Init:ExitCode:${String(terminated.exitCode ?? 0)}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${String(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initSpecs.size}`;
    }
    initializing = true;
    break;
  }
  const initializedTrue = list(status.conditions).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initializedTrue) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    for (const cs of list(status.containerStatuses).reverse()) {
      restarts += Number(cs.restartCount ?? 0);
      lastRestart = Math.max(lastRestart, finished(cs));
      const state = asObj(cs.state);
      const waiting = asObj(state.waiting);
      const terminated = state.terminated ? asObj(state.terminated) : undefined;
      if (waiting.reason) reason = String(waiting.reason);
      else if (terminated?.reason) reason = String(terminated.reason);
      else if (terminated)
        reason = terminated.signal
          ? `Signal:${String(terminated.signal)}`
          : `ExitCode:${String(terminated.exitCode ?? 0)}`;
      else if (cs.ready === true && state.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = list(status.conditions).some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }
  if (meta.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (meta.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  const restartCell =
    restarts !== 0 && lastRestart > 0
      ? `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)`
      : String(restarts);

  const podIP = String(list(status.podIPs)[0]?.ip ?? status.podIP ?? '') || '<none>';
  const gates = list(spec.readinessGates);
  const gateCell =
    gates.length === 0
      ? '<none>'
      : `${gates.filter((g) => list(status.conditions).find((c) => c.type === g.conditionType)?.status === 'True').length}/${gates.length}`;
  const cells = [
    String(meta.name ?? ''),
    `${ready}/${total}`,
    reason,
    restartCell,
    age(meta.creationTimestamp, now),
    podIP,
    String(spec.nodeName || '<none>'),
    String(status.nominatedNodeName || '<none>'),
    gateCell,
  ];
  if (phase === 'Succeeded' || phase === 'Failed') {
    const message = phase === 'Succeeded' ? 'The pod has completed successfully.' : 'The pod failed.';
    return { cells, conditions: [{ type: 'Completed', status: 'True', reason: phase, message }] };
  }
  return { cells };
}

export const EVENT_COLUMNS: Column[] = [
  column('Last Seen'),
  column('Type'),
  column('Reason'),
  column('Object'),
  column('Subobject', 'string', 1),
  column('Source', 'string', 1),
  column('Message'),
  column('First Seen', 'string', 1),
  column('Count', 'string', 1),
  column('Name', 'string', 1, 'name'),
];

/** printEvent over the stored (core) form. */
export function eventRow(event: Obj, now: Date): unknown[] {
  const series = event.series ? asObj(event.series) : undefined;
  const first = event.firstTimestamp ? age(event.firstTimestamp, now) : age(event.eventTime, now);
  let last = event.lastTimestamp ? age(event.lastTimestamp, now) : first;
  let count = Number(event.count ?? 0);
  if (series) {
    last = age(series.lastObservedTime, now);
    count = Number(series.count ?? 0);
  } else if (count === 0) {
    count = 1;
  }
  const ref = asObj(event.involvedObject);
  const kind = String(ref.kind ?? '').toLowerCase();
  const target = ref.name ? `${kind}/${String(ref.name)}` : kind;
  const source = asObj(event.source);
  const component = String(source.component || event.reportingComponent || '');
  const instance = String(source.host || event.reportingInstance || '');
  const from = instance ? `${component}, ${instance}` : component;
  return [
    last,
    String(event.type ?? ''),
    String(event.reason ?? ''),
    target,
    String(ref.fieldPath ?? ''),
    from,
    String(event.message ?? '').trim(),
    first,
    count,
    String(asObj(event.metadata).name ?? ''),
  ];
}
