/**
 * Knowledge for a diagnosis that found nothing wrong and cannot call the pod healthy yet: a pod that was just
 * created and has not been scheduled, started or mounted. Not a problem category (nothing is broken), so not a row
 * of the table in knowledge-base.ts; the same `{fact}` placeholders, filled by `renderNote`.
 */
import { FACT_HINTS, isKbFact, type KbFact } from './kb-types.ts';

export interface NoteText {
  /** The headline, after the target's name. */
  title: string;
  /** Why kvlab says so, in a sentence. */
  text: string;
  /** What to watch for, and how; shell lines like a problem's verify steps. */
  watch: readonly string[];
}

export const NOTES = {
  'not-failed-yet': {
    title: 'nothing has failed yet: pod {pod} is still starting',
    text: 'Pod {pod} was created moments ago and is not running yet: it is waiting to be scheduled, or kubelet is still mounting the Key Vault volume. Every check passed and there is no warning event, so nothing is broken so far, but the mount has not succeeded yet either. A failed mount shows up within a minute or two as a FailedMount event: watch for one, or for the pod to run, and diagnose it again then.',
    watch: [
      'kubectl get pod {pod} -n {namespace} -w',
      'kubectl get events -n {namespace} --field-selector involvedObject.name={pod},reason=FailedMount -w',
    ],
  },
} as const satisfies Record<string, NoteText>;

export type NoteKind = keyof typeof NOTES;

/** The note's texts with the student's names filled in (a missing one shows its visible hint). */
export function renderNote(kind: NoteKind, facts: Partial<Record<KbFact, string>>): NoteText {
  const fill = (text: string) =>
    text.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) =>
      isKbFact(name) ? facts[name]?.trim() || FACT_HINTS[name] : whole,
    );
  const note: NoteText = NOTES[kind];
  return { title: fill(note.title), text: fill(note.text), watch: note.watch.map(fill) };
}
