/**
 * Validates what a user asks to diagnose before anything reaches the cluster: namespace and pod names must
 * be DNS-1123 (a label for namespaces, a subdomain for pods), as the API server itself requires.
 */
import { UserInputError } from './errors.ts';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Whether `name` is a DNS-1123 label (at most 63 characters), as namespace names and other Kubernetes names must be. */
export function isDns1123Label(name: string): boolean {
  return name.length <= 63 && DNS1123_LABEL.test(name);
}

/** Whether `name` is a DNS-1123 subdomain (at most 253 characters), as pod names must be. */
export function isDns1123Subdomain(name: string): boolean {
  return name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
}

export interface Target {
  namespace: string;
  pod: string;
}

/** Throws UserInputError with a message saying what is wrong and what a valid name looks like. */
export function validateTarget(namespace: string, pod: string): Target {
  if (!isDns1123Label(namespace)) {
    throw new UserInputError(
      `"${printable(namespace)}" is not a valid namespace name: use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit (e.g. student-07).`,
    );
  }
  if (!isDns1123Subdomain(pod)) {
    throw new UserInputError(
      `"${printable(pod)}" is not a valid pod name: use at most 253 lowercase letters, digits, "-" and ".", starting and ending with a letter or digit (e.g. pod-keyvault).`,
    );
  }
  return { namespace, pod };
}

/** Shows a rejected name safely: control characters escaped, long input cut. */
function printable(s: string): string {
  const cut = s.length > 80 ? `${s.slice(0, 80)}…` : s;
  return JSON.stringify(cut).slice(1, -1);
}
