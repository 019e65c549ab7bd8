/**
 * Fills a patch's unknowns with answers (what the instructor told the student), giving the patch as it will be
 * applied. Also used to check that a patch lints clean once answered, with stand-in values of the right shape.
 */
import type { Patch } from './patch-types.ts';

/** Well-formed stand-ins for each placeholder a fixer may ask, used only to lint a patch before it is answered. */
export const STAND_INS: Readonly<Record<string, string>> = {
  '<KEY_VAULT_NAME>': 'kv-answer',
  '<IDENTITY_CLIENT_ID>': '8b2f4c6e-1a3d-4e5f-9a7b-0c1d2e3f4a5b',
  '<TENANT_ID>': '3c5e7a9b-2d4f-4a6c-8e0b-1d3f5a7c9e2b',
  '<SECRET_NAME>': 'answer-secret',
  '<OBJECT_TYPE>': 'secret',
  '<MOUNTED_FILE>': 'answer-file',
  '<SECRET_PROVIDER_CLASS>': 'answer-spc',
  '<SERVICE_ACCOUNT_NAME>': 'answer-sa',
};

/** `patch` with every answered placeholder replaced; unanswered ones stay listed. */
export function answerUnknowns(patch: Patch, answers: Readonly<Record<string, string>>): Patch {
  const fill = (text: string) =>
    Object.entries(answers).reduce((t, [placeholder, value]) => t.split(placeholder).join(value), text);
  return {
    ...patch,
    manifests: fill(patch.manifests),
    commands: patch.commands.map(fill),
    unknowns: patch.unknowns.filter((u) => answers[u.placeholder] === undefined),
  };
}
