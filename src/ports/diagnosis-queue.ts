/**
 * The queue between the Slack receiver and the workers (BullMQ on Redis in production; see
 * src/queue/bullmq-diagnosis-queue.ts). Job data is a plain, versioned JSON object with no tokens or
 * secrets in it: BullMQ stores job data in clear text in Redis. (Pasted `explain` text and `lint` YAML never go
 * through the queue for that reason: the receiver answers them itself.)
 */

/** Who asked, where the answer goes. */
export interface Requester {
  /** Slack user id, e.g. `U012ABC`. */
  user: string;
  team: string;
  /** Channel the command was typed in (a `C…`, `G…` or `D…` id). */
  channel: string;
  /** Slack's response_url for this interaction, a fallback when the bot cannot post in the channel. */
  responseUrl?: string;
}

export interface DiagnoseJobV1 {
  v: 1;
  kind: 'diagnose';
  namespace: string;
  pod: string;
  requester: Requester;
  /** `command` (slash command), `rerun` (button), `alert` (watcher). */
  origin: 'command' | 'rerun' | 'alert';
  /** Set for a re-run: answer in this existing thread instead of starting a new one. */
  threadTs?: string;
  /** The class answers privately (roster `answers: private`): the answer goes to the asker's DM, not the channel. */
  private?: boolean;
  /** Set when `origin` is `alert`: the watcher's alert (in Redis) this diagnosis is posted as. */
  alert?: { cluster: string; id: string };
  /** ISO time the request was accepted. */
  requestedAt: string;
}

export type DiagnosisJob = DiagnoseJobV1;

/**
 * A class status (`/kvlab status`, the Refresh button): the class as the receiver's roster defines it travels with
 * the job, so workers need no roster. `scope: 'class'` answers the instructor in a DM; `own` answers a student
 * with their own row(s) only, ephemeral in the channel they typed in.
 */
export interface StatusJobV1 {
  v: 1;
  kind: 'status';
  class: {
    name: string;
    namespaces?: string[];
    namespaceSelector?: string;
    students: Array<{ user: string; namespace: string; name?: string }>;
  };
  scope: 'class' | 'own';
  requester: Requester;
  /** Refresh: the status message (in `requester.channel`) to edit in place. */
  messageTs?: string;
  requestedAt: string;
}

/**
 * A diagnosis's threaded answer waiting for its channel's turn (the delivery queue, `deliver`): which diagnosis
 * (its report and delivery record are in the ledger under `jobId`) and where it goes.
 */
export interface DeliveryJobV1 {
  v: 1;
  kind: 'deliver';
  jobId: string;
  job: DiagnosisJob;
}

/** Everything the worker queue carries. */
export type KvlabJob = DiagnosisJob | StatusJobV1;

export interface EnqueueResult {
  jobId: string;
  /** True when an identical pending job existed and this request joined it instead of queueing another. */
  joined: boolean;
}

export interface EnqueueOptions {
  dedupeKey: string;
  /**
   * Stable id of this request (e.g. from Slack's `trigger_id`), so a request delivered twice is queued once.
   * Must not contain ':' and must not be all digits (BullMQ reserves those).
   */
  jobId: string;
}

export interface DiagnosisQueue {
  /**
   * Queues a diagnosis. `dedupeKey` identifies "the same question" (user + namespace + pod): while a job with
   * that key is waiting or running, the request joins it (BullMQ deduplication) instead of queueing another.
   */
  enqueue(job: DiagnosisJob, options: EnqueueOptions): Promise<EnqueueResult>;
  /** Queues a class status; `dedupeKey` is "this user, this class, this scope". */
  enqueueStatus(job: StatusJobV1, options: EnqueueOptions): Promise<EnqueueResult>;
  close(): Promise<void>;
}
