/**
 * A patch as plain text to paste into a shell: what changes, the questions to answer first, then the commands in
 * order, with `kubectl apply -f -` written as a here-document carrying the manifests. Used by `kvlab diagnose
 * --fix` and the Slack "Show fixed YAML" answer (inside a code block). Pure.
 */
import type { Patch } from './patch-types.ts';

/** `kubectl apply … -f -` as a quoted here-document, so the YAML is passed verbatim. */
export function shellCommands(patch: Patch): string[] {
  return patch.commands.map((c) =>
    / -f -$/.test(c) && patch.manifests ? `${c} <<'EOF'\n${patch.manifests.trimEnd()}\nEOF` : c,
  );
}

/** Questions to answer before applying: one line each, with the candidates that exist. */
export function unknownLines(patch: Patch): string[] {
  return patch.unknowns.map((u) => {
    const options = u.candidates.length ? ` One of: ${u.candidates.join(', ')}.` : '';
    return `Replace ${u.placeholder}: ${u.question}${options}`;
  });
}

export function patchText(patch: Patch, indent = ''): string {
  const who = patch.owner === 'instructor' ? 'for your instructor (needs Azure rights)' : 'for you, in your namespace';
  const out = [`${indent}Patch ${who}:`];
  out.push(...patch.changes.map((c) => `${indent}  • ${c}`));
  out.push(...unknownLines(patch).map((l) => `${indent}  ? ${l}`));
  out.push(`${indent}  Run, in order:`);
  for (const command of shellCommands(patch)) out.push(...command.split('\n').map((l) => `${indent}    ${l}`));
  return out.join('\n');
}
