/**
 * Errors the ports raise, so the engine can tell "forbidden" from "not served" from "unreachable" without
 * knowing any vendor client. Adapters translate client-node / Azure SDK errors into these at the boundary.
 */
export abstract class AppError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The caller's own identity may not read this (Kubernetes RBAC 403). */
export class ForbiddenError extends AppError {
  readonly code = 'forbidden';
}

/** The API (resource type) is not served by this cluster, e.g. a CRD is missing. */
export class NotServedError extends AppError {
  readonly code = 'not_served';
}

/** A dependency could not be reached or answered with a server error. Retrying later may help. */
export class DependencyError extends AppError {
  readonly code = 'unavailable';
}

/** A read did not finish within its deadline. */
export class DeadlineError extends AppError {
  readonly code = 'timeout';
}

/** Bad input from a user: names, sizes, arguments. */
export class UserInputError extends AppError {
  readonly code = 'user_input';
}

/** Bad configuration found at start-up. */
export class ConfigError extends AppError {
  readonly code = 'config';
}
