/** Looks a class up by name for `status`, with an error that lists the classes that do exist. */

import { nearest } from '../../diagnostics/checks/nearest-name.ts';
import { UserInputError } from '../../diagnostics/errors.ts';
import type { ClassConfig, Roster } from './roster.ts';

export function findClass(roster: Roster, name: string): ClassConfig {
  const found = roster.classes.find((c) => c.name === name);
  if (found) return found;
  const names = roster.classes.map((c) => c.name);
  const close = nearest(name, names);
  throw new UserInputError(
    `there is no class ${JSON.stringify(name.slice(0, 64))} in the roster${close ? ` — did you mean "${close}"?` : ''}; classes: ${names.join(', ')}.`,
  );
}
