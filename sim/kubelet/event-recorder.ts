/**
 * Writes Events the way client-go's recorder does for the kubelet and the CSI sync controller: each event goes
 * through the correlator (event-correlator.ts) and becomes a new core/v1 Event or a patch (count, message,
 * lastTimestamp) of the existing one; a patch of a vanished Event creates it again. Also picks the message a
 * retry re-emits: the pod's recorded FailedMount with the same failure signature, if there is one.
 */
import type { ObjectStore } from '../k8s/store.ts';
import { listObjects, type Obj } from './cluster-objects.ts';
import {
  COMBINED_PREFIX,
  type CorrelatorOptions,
  EventCorrelator,
  type EventRequest,
  type RecordedEvent,
} from './event-correlator.ts';
import { failureSignature } from './failure-signature.ts';

/** Components whose Events the correlator is seeded with (the ones this simulation writes as). */
const SEEDED = new Set(['kubelet', 'csi-secrets-store-controller']);

export class EventRecorder {
  readonly #store: ObjectStore;
  readonly #correlator: EventCorrelator;
  readonly #write: (fn: () => void) => void;

  constructor(store: ObjectStore, options: CorrelatorOptions, write: (fn: () => void) => void) {
    this.#store = store;
    this.#correlator = new EventCorrelator(options);
    this.#write = write;
    const seeded = listObjects(store, 'v1', 'Event').filter(
      (e) => SEEDED.has(e.source?.component) && e.involvedObject?.uid && e.message !== undefined,
    );
    this.#correlator.seed(seeded as RecordedEvent[]);
  }

  /** Records one event now (subject to the correlator). */
  record(request: EventRequest, now: Date): void {
    const result = this.#correlator.correlate(request, now);
    if (result.action === 'skip') return;
    const e = result.event;
    const ns = e.involvedObject.namespace;
    this.#write(() => {
      const existing =
        result.action === 'patch'
          ? listObjects(this.#store, 'v1', 'Event', ns).find((o) => o.metadata.name === e.name)
          : undefined;
      if (existing) {
        this.#store.update({ ...existing, count: e.count, message: e.message, lastTimestamp: e.lastTimestamp });
        return;
      }
      this.#store.create({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: e.name, namespace: ns },
        involvedObject: e.involvedObject,
        reason: e.reason,
        message: e.message,
        type: e.type,
        source: e.source,
        count: e.count,
        firstTimestamp: e.firstTimestamp,
        lastTimestamp: e.lastTimestamp,
        eventTime: null,
        reportingComponent: e.source.component,
        reportingInstance: e.source.host ?? '',
      });
    });
  }

  /** A scheduler `Scheduled` event (events.k8s.io style: eventTime, action Binding, no count). */
  scheduled(pod: Obj, nodeName: string, now: Date): void {
    const { name, namespace, uid } = pod.metadata;
    const micro = `${now.toISOString().slice(0, 23)}000Z`;
    this.#write(() => {
      this.#store.create({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: this.#correlator.nameFor(name, now), namespace },
        involvedObject: { apiVersion: 'v1', kind: 'Pod', name, namespace, uid },
        action: 'Binding',
        eventTime: micro,
        firstTimestamp: null,
        lastTimestamp: null,
        message: `Successfully assigned ${namespace}/${name} to ${nodeName}`,
        reason: 'Scheduled',
        reportingComponent: 'default-scheduler',
        reportingInstance: 'default-scheduler-kvlab-sim',
        source: {},
        type: 'Normal',
      });
    });
  }

  /**
   * The message a FailedMount retry records: the pod's most recent recorded FailedMount message with the same
   * failure signature (its provider generation's wording; combined prefix removed), else `composed`.
   */
  failedMountMessage(pod: Obj, composed: string): string {
    const signature = failureSignature(composed);
    if (!signature) return composed;
    const recorded = listObjects(this.#store, 'v1', 'Event', pod.metadata.namespace)
      .filter((e) => e.reason === 'FailedMount' && e.involvedObject?.uid === pod.metadata.uid)
      .sort((a, b) => stampOf(b).localeCompare(stampOf(a)));
    for (const e of recorded) {
      if (failureSignature(String(e.message)) === signature) {
        const message = String(e.message);
        return message.startsWith(COMBINED_PREFIX) ? message.slice(COMBINED_PREFIX.length) : message;
      }
    }
    return composed;
  }
}

const stampOf = (e: Obj): string => String(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '');
