/**
 * A patch being built: the corrected objects, what changed, what must be asked. Fixers record every edit through
 * it, so each change line names the object, the field, the old and the new value and where the value came from.
 */
import type { Manifest } from './clean-manifest.ts';
import type { PatchUnknown } from './patch-types.ts';

export class Draft {
  readonly changes: string[] = [];
  readonly unknowns: PatchUnknown[] = [];

  /** Records `object`'s `field` going from `before` to `after` (nothing when equal). */
  change(object: Manifest, field: string, before: unknown, after: unknown, from?: string): boolean {
    if (before === after) return false;
    const show = (v: unknown) => (v === undefined ? '(not set)' : JSON.stringify(v));
    const where = from ? ` (from ${from})` : '';
    this.changes.push(`${object.kind} ${object.metadata?.name}: ${field} ${show(before)} → ${show(after)}${where}`);
    return true;
  }

  /** A value kvlab cannot know: `placeholder` stands in for it; asked once per placeholder. */
  ask(placeholder: string, question: string, candidates: readonly string[] = []): string {
    if (!this.unknowns.some((u) => u.placeholder === placeholder)) {
      this.unknowns.push({ placeholder, question, candidates: [...new Set(candidates)] });
    }
    return placeholder;
  }
}
