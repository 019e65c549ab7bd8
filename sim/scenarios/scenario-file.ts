/**
 * Reads and validates `scenario.yaml`: the scenario's name, description, capture time, the cluster it dumps
 * (name and service-account issuer), the bearer tokens the simulated API server accepts, and for a variant
 * the base it `extends` plus the objects it `remove`s. Errors name the file and the offending line.
 */
import { z } from 'zod';
import { ScenarioError } from './scenario-error.ts';
import { parseYamlDocument } from './yaml-source.ts';

const TokenSchema = z.strictObject({
  token: z.string().min(1),
  user: z.string().min(1),
  groups: z.array(z.string().min(1)).optional(),
});

const RemoveSchema = z.strictObject({
  kind: z.string().min(1),
  namespace: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
});

const ScenarioFileSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][-a-z0-9]*$/, 'expected a lower-case name (letters, digits, dashes)'),
  description: z.string().min(1),
  capturedAt: z.iso.datetime({ offset: true }),
  cluster: z.strictObject({ name: z.string().min(1), issuer: z.url({ protocol: /^https$/ }) }).optional(),
  tokens: z.array(TokenSchema).optional(),
  extends: z.string().min(1).optional(),
  remove: z.array(RemoveSchema).optional(),
});

/** scenario.yaml as validated (cluster and tokens may be inherited by a variant). */
export type ScenarioFile = z.infer<typeof ScenarioFileSchema>;

/** Parses a scenario.yaml text; a scenario that extends nothing must define `cluster` and `tokens`. */
export function parseScenarioFile(text: string, file: string): ScenarioFile {
  const doc = parseYamlDocument(text, file);
  const result = ScenarioFileSchema.safeParse(doc.value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path ?? [];
    const where = path.length > 0 ? ` at ${path.join('.')}` : '';
    throw new ScenarioError(`${file}:${doc.lineOf(path)}: invalid scenario file${where}: ${issue?.message}.`);
  }
  const scenario = result.data;
  if (scenario.extends === undefined) {
    for (const field of ['cluster', 'tokens'] as const) {
      if (scenario[field] === undefined) {
        throw new ScenarioError(`${file}:1: ${field} is required unless the scenario extends another one.`);
      }
    }
  }
  if (scenario.remove !== undefined && scenario.extends === undefined) {
    throw new ScenarioError(
      `${file}:${doc.lineOf(['remove'])}: remove only applies to a scenario that extends another.`,
    );
  }
  return scenario;
}
