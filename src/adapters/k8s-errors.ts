/**
 * Translates @kubernetes/client-node failures into the engine's errors at the boundary (docs/architecture.md "Conventions"): a Status 404 means "does not exist" (null), a plain-text 404 means the API is not served, 403 is
 * kvlab's own RBAC, anything else is a dependency problem. The raw response body stops here.
 * An HTTP answer is recognised by its shape (numeric `code`, `body`) — client-node's ApiException and the lean
 * transport's K8sHttpError alike — so this module does not load client-node (half a second of a CLI's start).
 */
import { DependencyError, ForbiddenError, NotServedError } from '../../diagnostics/errors.ts';

/** An error carrying the API server's answer: client-node's ApiException or src/adapters/k8s-lean-transport.ts's. */
interface HttpAnswer extends Error {
  code: number;
  body: unknown;
}

function isHttpAnswer(err: unknown): err is HttpAnswer {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'number' && 'body' in err;
}

interface Status {
  kind?: string;
  message?: string;
  reason?: string;
}

function statusOf(body: unknown): Status | undefined {
  if (typeof body === 'object' && body !== null) return body as Status;
  if (typeof body !== 'string') return undefined;
  try {
    const parsed = JSON.parse(body) as Status;
    return parsed?.kind === 'Status' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves to null for "object not found"; throws the engine's error for everything else. */
export async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (err) {
    if (isHttpAnswer(err) && err.code === 404 && statusOf(err.body)?.reason === 'NotFound') return null;
    throw translate(err);
  }
}

export async function orThrow<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    throw translate(err);
  }
}

export function translate(err: unknown): Error {
  if (!isHttpAnswer(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return new DependencyError(`the Kubernetes API could not be reached (${message})`, { cause: err });
  }
  const status = statusOf(err.body);
  const message =
    status?.message ?? (typeof err.body === 'string' ? err.body.trim().slice(0, 200) : `HTTP ${err.code}`);
  if (err.code === 403) return new ForbiddenError(message);
  if (err.code === 404) return new NotServedError(`the server could not find the requested resource (${message})`);
  if (err.code === 401) {
    return new DependencyError(
      "the Kubernetes API rejected kvlab's credentials (401 Unauthorized): check the kubeconfig or service account token",
    );
  }
  return new DependencyError(`the Kubernetes API answered ${err.code}: ${message}`);
}
