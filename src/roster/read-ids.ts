/**
 * The identifiers a roster holds, each checked where it is written: Slack user ids (`U…`/`W…`), channel ids
 * (`C…`/`G…`/`D…`) and DNS-1123 names. A display name (`@alice`) or `#channel` is refused with how to find the id,
 * because Slack sends ids, never names, in commands and clicks.
 */
import type { Node, Scalar } from 'yaml';
import { isDns1123Label } from '../../diagnostics/target.ts';
import { readList, readString, type YamlFile } from './yaml-nodes.ts';

/** Shape of a Slack user id (`U…`, or `W…` on Enterprise Grid). */
export const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

/** A Slack user id, or ConfigError at its position. */
export function readUserId(file: YamlFile, node: Node | undefined, what: string, at: Scalar | Node): string {
  const id = readString(file, node, what, at);
  if (!USER_ID.test(id)) {
    file.fail(
      node,
      `${what} "${id}" is not a Slack user id; ids are a U or W and capital letters or digits (e.g. U024BE7LH). In Slack: the person's profile → ⋮ → Copy member ID.`,
    );
  }
  return id;
}

/** A list of distinct Slack user ids. */
export function readUserIds(
  file: YamlFile,
  node: Node | undefined,
  what: string,
  at: Scalar,
  options: { atLeastOne: boolean },
): string[] {
  const items = readList(file, node, what);
  if (options.atLeastOne && items.length === 0) file.fail(node ?? at, `${what} is empty; list at least one user id.`);
  const seen = new Map<string, Node>();
  return items.map((item) => {
    const id = readUserId(file, item, `a user in ${what}`, item);
    const first = seen.get(id);
    if (first) file.fail(item, `${id} is listed twice in ${what} (first at ${file.where(first)}); remove one.`);
    seen.set(id, item);
    return id;
  });
}

/** A Slack channel id. */
export function readChannelId(file: YamlFile, node: Node | undefined, what: string, at: Scalar): string {
  const id = readString(file, node, what, at);
  if (!CHANNEL_ID.test(id)) {
    file.fail(
      node,
      `${what} "${id}" is not a Slack channel id; ids are a C, G or D and capital letters or digits (e.g. C024BE91L). In Slack: the channel's name → About → Channel ID.`,
    );
  }
  return id;
}

/** A DNS-1123 label: a namespace or class name. */
export function readDnsLabel(file: YamlFile, node: Node | undefined, what: string, at: Scalar | Node): string {
  const name = readString(file, node, what, at);
  if (!isDns1123Label(name)) {
    file.fail(
      node,
      `${what} "${name}" is not a valid name; use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit (e.g. student-07).`,
    );
  }
  return name;
}
