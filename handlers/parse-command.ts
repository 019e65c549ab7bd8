/**
 * Parses the text of a `/kvlab …` slash command (everything after `/kvlab `) into one subcommand. Pure, so every
 * rule is unit-tested: bad input becomes a `usage` result with a message saying what is wrong and what to type,
 * and the handler shows it ephemerally without queueing anything.
 */
import { isDns1123Label, isDns1123Subdomain } from '../diagnostics/target.ts';

export type ParsedCommand =
  | { kind: 'diagnose'; pod: string; namespace?: string }
  | { kind: 'explain'; text: string }
  | { kind: 'lint' }
  | { kind: 'help' }
  | { kind: 'status'; className?: string }
  | { kind: 'usage'; message: string };

const DIAGNOSE_USAGE = 'Usage: `/kvlab diagnose <pod> [-n <namespace>]`, e.g. `/kvlab diagnose pod-keyvault`.';

export function parseCommand(text: string): ParsedCommand {
  const trimmed = text.trim();
  const match = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  if (!match) return { kind: 'help' };
  const [, word = '', rest = ''] = match;
  switch (word.toLowerCase()) {
    case 'help':
    case '--help':
    case '-h':
      return { kind: 'help' };
    case 'diagnose':
      return parseDiagnose(rest);
    case 'explain':
      return rest.trim()
        ? { kind: 'explain', text: rest }
        : usage('Paste the error message after `explain`, e.g. `/kvlab explain MountVolume.SetUp failed …`.');
    case 'lint':
      return rest.trim()
        ? usage('`/kvlab lint` takes no arguments: it opens a form where you paste the YAML.')
        : { kind: 'lint' };
    case 'status':
      return parseStatus(rest);
    default:
      return usage(
        `"${printable(word)}" is not a kvlab command. Try \`/kvlab diagnose <pod>\`, \`/kvlab explain <error text>\`, \`/kvlab lint\` or \`/kvlab help\`.`,
      );
  }
}

function parseDiagnose(rest: string): ParsedCommand {
  const words = rest.split(/\s+/).filter(Boolean);
  let namespace: string | undefined;
  const positionals: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    const inline = /^(?:-n|--namespace)=(.*)$/.exec(w);
    if (inline) {
      namespace = inline[1] ?? '';
    } else if (w === '-n' || w === '--namespace') {
      const value = words[++i];
      if (value === undefined) return usage(`\`${w}\` needs a namespace name. ${DIAGNOSE_USAGE}`);
      namespace = value;
    } else if (w.startsWith('-')) {
      return usage(`Unknown option \`${printable(w)}\`. ${DIAGNOSE_USAGE}`);
    } else {
      positionals.push(w);
    }
  }
  if (positionals.length !== 1) {
    return usage(
      positionals.length === 0
        ? `Name the pod to diagnose. ${DIAGNOSE_USAGE}`
        : `Name exactly one pod. ${DIAGNOSE_USAGE}`,
    );
  }
  const pod = positionals[0] ?? '';
  if (namespace !== undefined && !isDns1123Label(namespace)) {
    return usage(
      `"${printable(namespace)}" is not a valid namespace name: lowercase letters, digits and "-", at most 63 (e.g. student-07).`,
    );
  }
  if (!isDns1123Subdomain(pod)) {
    return usage(
      `"${printable(pod)}" is not a valid pod name: lowercase letters, digits, "-" and "." (e.g. pod-keyvault).`,
    );
  }
  return namespace === undefined ? { kind: 'diagnose', pod } : { kind: 'diagnose', pod, namespace };
}

function parseStatus(rest: string): ParsedCommand {
  const words = rest.split(/\s+/).filter(Boolean);
  if (words.length > 1) return usage('Usage: `/kvlab status <class>`, e.g. `/kvlab status class-a`.');
  const className = words[0];
  if (className === undefined) return { kind: 'status' };
  if (!isDns1123Label(className)) {
    return usage(`"${printable(className)}" is not a class name: lowercase letters, digits and "-" (e.g. class-a).`);
  }
  return { kind: 'status', className };
}

function usage(message: string): ParsedCommand {
  return { kind: 'usage', message };
}

/** A word from the user, shown back safely: at most 60 characters, control characters escaped. */
function printable(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s).slice(1, -1);
}
