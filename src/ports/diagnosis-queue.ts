/**
 * The queue between the Slack receiver and the workers (BullMQ on Redis in production; see
 * src/adapters/bullmq-diagnosis-queue.ts). Job data is a plain, versioned JSON object with no tokens or
 * secrets in it: BullMQ stores job data in clear text in Redis.
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
  /** ISO time the request was accepted. */
  requestedAt: string;
}

export type DiagnosisJob = DiagnoseJobV1;

export interface EnqueueResult {
  jobId: string;
  /** True when an identical pending job existed and this request joined it instead of queueing another. */
  joined: boolean;
}

export interface DiagnosisQueue {
  /**
   * Queues a diagnosis. `dedupeKey` identifies "the same question" (user + namespace + pod): while a job with
   * that key is waiting or running, the request joins it (BullMQ deduplication) instead of queueing another.
   */
  enqueue(job: DiagnosisJob, options: { dedupeKey: string }): Promise<EnqueueResult>;
  close(): Promise<void>;
}
