/**
 * The watcher's data: an alert is one Slack parent message about a failing mount — a pod's incident
 * (cluster, pod uid, category; a category change is threaded on the same alert), a class-wide alert grouping
 * pods hit by one cause, or a channel summary folding pods beyond the alert budget. Plain JSON, persisted in
 * Redis by alert-store.ts, decided by incident-reducer.ts. Holds names, counts and event text — never a secret.
 */
import type { Category } from '../../diagnostics/categories.ts';

export type AlertKind = 'pod' | 'class' | 'summary';

/**
 * `pending`: inside the grace period, nothing posted; `open`: posted (or being posted) and failing;
 * `folded`: a pod counted in a class-wide alert or a summary (`parent`), no message of its own;
 * `resolved`: mounted or deleted (kept for the re-open window).
 */
export type AlertStatus = 'pending' | 'open' | 'folded' | 'resolved';

export type Resolution = 'mounted' | 'deleted';

/** A pod listed in a class-wide alert or summary. */
export interface AlertMember {
  id: string;
  namespace: string;
  pod: string;
  student?: string;
  studentName?: string;
  category: Category;
  resolvedAt?: number;
}

/** A thread reply the publisher still has to post under the alert. */
export type AlertNote =
  | { kind: 'category'; from: Category; to: Category; message: string }
  | { kind: 'resolved'; resolution: Resolution; afterMs: number }
  | { kind: 'reopened'; message: string }
  | { kind: 'joined'; pods: string[] }
  | { kind: 'member-resolved'; pod: string; resolution: Resolution }
  | { kind: 'muted'; by: string; untilMs: number };

export interface AlertState {
  id: string;
  kind: AlertKind;
  className: string;
  channel: string;
  /** The pod (for a class alert or summary: the first pod, whose diagnosis the alert shows). */
  namespace: string;
  pod: string;
  podUid: string;
  /** Slack user id of the pod's student, and their name, when the roster names them. */
  student?: string;
  studentName?: string;
  /** The class opted in to DMs: the worker also tells the student (roster `alertDmStudents`). */
  dmStudent?: boolean;
  category: Category;
  /** Classifier specificity of `category`; a less specific event (a generic timeout) never replaces it. */
  specificity: number;
  previousCategories: Category[];
  status: AlertStatus;
  /** Epoch ms: first failing event, last failing event. */
  firstSeen: number;
  lastSeen: number;
  /** Failing events seen (sum of Event `count` increases). */
  count: number;
  /** Last `count` seen per Event uid, so a relist or a restart never counts an event twice. */
  eventCounts: Record<string, number>;
  /** The latest event message of `category` (raw; the renderer escapes it). */
  message: string;
  reason: string;
  openedAt?: number;
  resolvedAt?: number;
  resolution?: Resolution;
  /** For a folded pod: the class alert or summary it is counted in. */
  parent?: string;
  members?: AlertMember[];
  notes: AlertNote[];
  /** The parent message needs an edit; `urgent` edits skip the update pace (state changes, not counts). */
  dirty: boolean;
  urgent: boolean;
  syncedAt?: number;
  /** The BullMQ job that posts the parent has been queued. */
  queued: boolean;
  reopened: number;
  mutedUntil?: number;
}

/** Tuning of the alert decisions (all durations in ms). */
export interface AlertSettings {
  /** Failing for this long before an alert is posted; mounting within it means no alert at all. */
  graceMs: number;
  /** A resolved alert that fails again within this window is re-opened instead of posting a new one. */
  reopenMs: number;
  /** Events whose last occurrence is older than this are history, not a current failure. */
  adoptMs: number;
  /** This many pods of one class failing with one category at once make one class-wide alert. */
  stormPods: number;
  /** New alerts per channel per `budgetWindowMs`; beyond it pods fold into one summary. */
  budget: number;
  budgetWindowMs: number;
  /** Shortest gap between two count/last-seen edits of one alert. */
  updateEveryMs: number;
}

/** Where the watcher sees a pod now (from its informer cache). */
export type PodView = 'mounted' | 'failing' | 'gone' | 'unknown';

/** A failing event, already classified (event-failures.ts). */
export interface Failure {
  namespace: string;
  pod: string;
  podUid: string;
  eventUid: string;
  reason: string;
  message: string;
  category: Category;
  specificity: number;
  count: number;
  firstSeen: number;
  lastSeen: number;
}

/** The class a namespace belongs to, as the reducer needs it. */
export interface ClassRoute {
  className: string;
  /** Undefined: the class has no alertChannel, so its pods are not alerted. */
  channel?: string;
  student?: string;
  studentName?: string;
  dmStudent?: boolean;
}

export interface WatchState {
  alerts: Map<string, AlertState>;
}

export const podAlertId = (podUid: string): string => `pod-${podUid}`;
