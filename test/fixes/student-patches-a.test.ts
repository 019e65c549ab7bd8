/** Issue 14's proof for the first half of the student-owned scenarios (see prove-student-patches.ts). */
import { provePatches, STUDENT_OWNED } from './prove-student-patches.ts';

provePatches(STUDENT_OWNED.slice(0, 8));
