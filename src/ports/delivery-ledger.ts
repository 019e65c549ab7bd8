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

export interface DeliveryLedger {
  get(jobId: string): Promise<DeliveryRecord>;
  set(jobId: string, patch: Partial<DeliveryRecord>): Promise<void>;
  saveReport(jobId: string, report: DiagnosisReport): Promise<void>;
  report(jobId: string): Promise<DiagnosisReport | undefined>;
}
