/**
 * What a job has already put into Slack, per job id (the port; src/queue/delivery-ledger.ts keeps it in Redis), so a
 * retried or resumed job updates and continues instead of posting again. Handlers read it for "Show all checks".
 */
import type { DiagnosisReport } from '../../diagnostics/types.ts';

/** Where the answer went. `response_url` means no channel was reachable: ephemeral answers only. */
export type DeliveryRoute = 'channel' | 'dm' | 'response_url';

export interface DeliveryRecord {
  /** The conversation holding the parent (the command's channel, or the DM after a fallback). */
  channel?: string;
  route?: DeliveryRoute;
  parentTs?: string;
  /** Thread the replies go to: the parent, or the original thread for a re-run. */
  threadTs?: string;
  /** The parent has been edited to show the result. */
  final: boolean;
  /** Thread replies already posted, in order. */
  replies: number;
  /** The asker was shown the verdict through the response_url while the threaded answer waits its turn. */
  verdictNoticed?: boolean;
}

/**
 * One message of an answer, claimed in the ledger right before it goes to Slack and settled right after Slack
 * accepted it, so that no two runs of a job post it and a run after an unconfirmed post looks in Slack first.
 * `step`: `parent`, `parent:<gone ts>` (a re-post), `reply:<i>` or `notice` (the verdict through the response_url);
 * it may be taken only while the record's `expect[0]` field is still `expect[1]` ('' for absent) — else another run
 * has already posted it.
 */
export interface StepClaim {
  step: string;
  /** This run of the job (a random id per run). */
  owner: string;
  /** How long the claim stands without being settled: a live run's post takes less (one HTTP call). */
  leaseMs: number;
  expect: ['parentTs' | 'replies' | 'verdictNoticed', string];
}

/**
 * - `claimed`: go ahead; `since` (Redis ms) is when;
 * - `unconfirmed`: an earlier run claimed this very step and never settled it (it crashed, or Slack's answer was
 *   lost): look in Slack for the message posted after `since` before posting it again;
 * - `busy`: another run is posting it right now; ask again in `waitMs` at the latest;
 * - `done`: the record moved on (another run posted it): read it again.
 */
export type ClaimResult =
  | { state: 'claimed' | 'unconfirmed'; since: number }
  | { state: 'busy'; waitMs: number }
  | { state: 'done' };

export interface DeliveryLedger {
  get(jobId: string): Promise<DeliveryRecord>;
  set(jobId: string, patch: Partial<DeliveryRecord>): Promise<void>;
  /** Atomically claims one message of the answer (see {@link StepClaim}). */
  claim(jobId: string, claim: StepClaim): Promise<ClaimResult>;
  /** Records what Slack accepted and, if the claim is still `owner`'s, ends it. */
  settle(jobId: string, owner: string, patch: Partial<DeliveryRecord>): Promise<void>;
  /**
   * Gives up `owner`'s claim: `no` when nothing can have reached Slack (dropped), `maybe` when a post may have
   * (the claim stays, unconfirmed, for the next run to check at once).
   */
  release(jobId: string, owner: string, posted: 'no' | 'maybe'): Promise<void>;
  saveReport(jobId: string, report: DiagnosisReport): Promise<void>;
  report(jobId: string): Promise<DiagnosisReport | undefined>;
}
