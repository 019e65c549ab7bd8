/**
 * What a fix is, as data: the corrected manifests (complete, ready for `kubectl apply -f -`), the commands in the
 * order to run them, one line per changed field, and the values kvlab cannot know. Built by build-patch.ts from the
 * live objects of a diagnosis; kvlab never applies a patch itself.
 */
import type { ProblemOwner } from '../knowledge/kb-types.ts';

/** A value the patch needs but kvlab cannot know (which of two secrets did they mean?). */
export interface PatchUnknown {
  /** The text standing in for the value in `manifests` or `commands`, e.g. `<KEY_VAULT_NAME>`. */
  placeholder: string;
  /** What it is and where it comes from, in one sentence. */
  question: string;
  /** Values that exist and fit (names in the vault, SPCs in the namespace, federated ServiceAccounts…). */
  candidates: string[];
}

export interface Patch {
  /** Who runs the commands: the student in their namespace, or the instructor (Azure, add-on). */
  owner: ProblemOwner;
  /** Multi-document YAML of the corrected objects, `''` when the fix is commands only. */
  manifests: string;
  /** Shell commands in order; `kubectl apply -f -` reads `manifests` on stdin. */
  commands: string[];
  /** What the patch changes, one line per field, with the old and new value. */
  changes: string[];
  /** Values to fill in before applying; empty when the patch is complete. */
  unknowns: PatchUnknown[];
}
