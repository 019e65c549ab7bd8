/**
 * The one error the scenario loader throws: bad YAML, a document that is not a Kubernetes object, an unknown
 * scenario, an `extends` cycle. Its message names the file and line (where there is one), says what is wrong
 * and what to do, so callers print `err.message` and never a stack trace.
 */
export class ScenarioError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ScenarioError';
  }
}
