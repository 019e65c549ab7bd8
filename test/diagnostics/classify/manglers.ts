/**
 * What copy-paste does to a message, as pure functions of the clean text, so every fixture can be checked
 * against every mangled form. `seed` makes the random ones reproducible.
 */
import { mulberry32 } from '../../../sim/scenarios/seeded.ts';

/** The simulators' seeded PRNG (mulberry32). */
export const seededRandom = mulberry32;

/** A terminal or `fold` breaking every line at a fixed width, inside words. */
export function hardWrap(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap((line) => {
      const parts: string[] = [];
      for (let i = 0; i < line.length; i += width) parts.push(line.slice(i, i + width));
      return parts.length > 0 ? parts : [''];
    })
    .join('\n');
}

/** Line breaks at random places (a browser re-flowing a code block), not at a fixed width. */
export function randomBreaks(text: string, seed: number): string {
  const random = seededRandom(seed);
  let out = '';
  let next = 20 + Math.floor(random() * 90);
  for (const ch of text) {
    out += ch;
    if (--next === 0) {
      out += '\n';
      next = 20 + Math.floor(random() * 90);
    }
  }
  return out;
}

/** Word wrapping that turns the last space before a column into a line break (mail clients, `fmt`). */
export function wordWrap(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => {
      const out: string[] = [];
      let current = '';
      for (const word of line.split(' ')) {
        if (current && current.length + 1 + word.length > width) {
          out.push(current);
          current = word;
        } else current = current ? `${current} ${word}` : word;
      }
      out.push(current);
      return out.join('\n');
    })
    .join('\n');
}

/** A box-drawing table border (Terraform, rich CLI output). */
export function boxBordered(text: string): string {
  return text
    .split('\n')
    .map((line) => `\u2502 ${line}`)
    .join('\n');
}

/** A Markdown / ASCII table cell border on both sides. */
export function pipeBordered(text: string): string {
  return text
    .split('\n')
    .map((line) => `| ${line} |`)
    .join('\n');
}

/** One row of `kubectl describe pod` Events (continuation lines keep the message's own line breaks). */
export function describeRow(text: string): string {
  return `Events:\n  Type     Reason       Age                 From     Message\n  ----     ------       ----                ----     -------\n  Warning  FailedMount  3m (x12 over 20m)   kubelet  ${text}`;
}

/** client-go's aggregation prefix. */
export function combined(text: string): string {
  return `(combined from similar events): ${text}`;
}

/** The message as a JSON string body, escapes kept (copied out of `kubectl get events -o json`). */
export function jsonEscaped(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** A whole Event object as JSON. */
export function jsonEvent(text: string): string {
  return JSON.stringify({ kind: 'Event', reason: 'FailedMount', type: 'Warning', message: text }, null, 2);
}

/** A klog JSON line (Go escapes `<`, `>`, `&` as `\u003c`…), shipped inside another JSON log record. */
export function klogJson(text: string): string {
  const goEscaped = JSON.stringify(text)
    .slice(1, -1)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026');
  const line = `{"level":"error","msg":"GRPC error","err":"${goEscaped}"}`;
  return JSON.stringify({ stream: 'stderr', log: line });
}

export function crlf(text: string): string {
  return text.replace(/\n/g, '\r\n');
}

/** Colour codes around words, as a terminal with `--color=always` writes them. */
export function ansi(text: string): string {
  return `\x1b[1;31m${text.replace(/(error|failed|Forbidden|AADSTS)/g, '\x1b[33m$1\x1b[0m')}\x1b[0m`;
}

/** Chat and word-processor typography: curly quotes, non-breaking spaces. */
export function smartQuotes(text: string): string {
  let double = false;
  let single = false;
  return text
    .replace(/"/g, () => {
      double = !double;
      return double ? '\u201c' : '\u201d';
    })
    .replace(/'/g, () => {
      single = !single;
      return single ? '\u2018' : '\u2019';
    })
    .replace(/: /g, ':\u00a0');
}

export const MANGLERS: readonly (readonly [string, (text: string) => string])[] = [
  ['hard-wrapped at 80 columns', (t) => hardWrap(t, 80)],
  ['hard-wrapped at 37 columns', (t) => hardWrap(t, 37)],
  ['word-wrapped at 60 columns', (t) => wordWrap(t, 60)],
  ['broken at random places', (t) => randomBreaks(t, 7)],
  ['broken at other random places', (t) => randomBreaks(t, 1313)],
  ['box-bordered', boxBordered],
  ['pipe-bordered', pipeBordered],
  ['a kubectl describe row', describeRow],
  ['combined-events prefix', combined],
  ['JSON-escaped', jsonEscaped],
  ['a JSON Event object', jsonEvent],
  ['a double-escaped klog JSON line', klogJson],
  ['CRLF', crlf],
  ['ANSI-coloured', ansi],
  ['smart-quoted', smartQuotes],
  ['describe row, wrapped at 100 and box-bordered', (t) => boxBordered(hardWrap(describeRow(combined(t)), 100))],
];
