/**
 * The parts of an answer that come from the knowledge base, shared by diagnosis replies and `explain`: fix and
 * verify steps (commands as copyable code blocks with the student's real names already filled in), the docs link
 * and the lab's Common Problems row. Knowledge texts are plain text with cluster names in them, so all of it is
 * escaped here.
 */
import { LAB_COMMON_PROBLEMS } from '../../diagnostics/categories.ts';
import { type Piece, shorten } from './budget.ts';
import { escapeCode, escapeMrkdwn, link } from './mrkdwn.ts';

/** `lab Common Problems row 2 (“Pod stuck in ContainerCreating”)`, or undefined when no row applies. */
export function labRow(row: number | null): string | undefined {
  if (row === null) return undefined;
  const name = LAB_COMMON_PROBLEMS[row];
  return name ? `lab Common Problems row ${row} (“${escapeMrkdwn(name)}”)` : `lab Common Problems row ${row}`;
}

/** Programs the knowledge base's steps run; a step starting with one (or `…: <program> …`) carries a command. */
const PROGRAMS = '(?:kubectl|az|kvlab|nslookup|helm|curl|dig|openssl)';
const WHOLE_COMMAND = new RegExp(`^${PROGRAMS}\\s`);
const TRAILING_COMMAND = new RegExp(`^(.*?:)\\s+(${PROGRAMS}\\s.*)$`, 's');

/** A step split into its words and its command: `Put that value in X: kubectl apply …` → both. */
export function splitStep(step: string): { prose?: string; command?: string } {
  const text = step.trim();
  if (WHOLE_COMMAND.test(text)) return { command: text };
  const match = TRAILING_COMMAND.exec(text);
  if (match?.[1] && match[2]) return { prose: match[1], command: match[2] };
  return { prose: text };
}

/**
 * Numbered steps under a bold heading: words as text, commands as code blocks (consecutive commands share one
 * block when unnumbered). Empty steps are skipped; no steps at all gives no pieces.
 */
export function stepPieces(heading: string, steps: readonly string[], numbered: boolean): Piece[] {
  const pieces: Piece[] = [];
  let n = 0;
  for (const step of steps) {
    if (!step.trim()) continue;
    n++;
    const { prose, command } = splitStep(step);
    const marker = numbered ? `*${n}.* ` : '• ';
    if (prose) pieces.push({ kind: 'text', text: `${marker}${escapeMrkdwn(prose)}`, weight: 1 });
    else if (numbered) pieces.push({ kind: 'text', text: `${marker}Run:`, weight: 1 });
    if (command) pieces.push({ kind: 'code', text: escapeCode(command), weight: prose || numbered ? 0 : 1 });
  }
  return pieces.length ? [{ kind: 'text', text: `*${heading}*` }, ...pieces] : [];
}

/** Longest docs URL shown; knowledge-base links are far shorter, anything longer is shown cut, as text. */
const DOCS_MAX = 400;

/** `📖 <docs|Documentation>` for a docs URL, or undefined when there is none. */
export function docsLine(docs: string): string | undefined {
  const url = docs.trim();
  return url ? `📖 ${link(shorten(url, DOCS_MAX), 'Documentation')}` : undefined;
}
