/**
 * What the Slack handlers need, injected by the composition root (src/slack-app/start-bot.ts): the queue, the
 * roster, the per-user rate limit, the stored reports for "Show all checks", a poster for answers that are not a
 * reply to the request (the lint modal's result), and an optional lookup of namespace labels/annotations for
 * rosters that select namespaces by label or grant access by annotation. No Kubernetes or Azure client here.
 */
import type { Logger } from '../src/logger.ts';
import type { ChatPoster } from '../src/ports/chat-poster.ts';
import type { DeliveryLedger } from '../src/ports/delivery-ledger.ts';
import type { DiagnosisQueue } from '../src/ports/diagnosis-queue.ts';
import type { UserRateLimit } from '../src/ports/user-rate-limit.ts';
import type { NamespaceFacts } from '../src/roster/authorize.ts';
import type { Roster } from '../src/roster/roster.ts';
import type { AlertMutes } from './alert-buttons.ts';

export interface HandlerDeps {
  queue: DiagnosisQueue;
  roster: Roster;
  rateLimit: UserRateLimit;
  reports: Pick<DeliveryLedger, 'report'>;
  poster: ChatPoster;
  /** Reads a namespace's labels and annotated users; undefined when the roster needs neither. */
  namespaceFacts?: (namespace: string) => Promise<NamespaceFacts | undefined>;
  log: Logger;
  now?: () => Date;
  /** Mutes of the alert buttons (the watcher's store); without it "Mute this pod" says it is unavailable. */
  mutes?: AlertMutes;
}
