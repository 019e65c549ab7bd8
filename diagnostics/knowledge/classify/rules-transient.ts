import type { Rule } from './types.ts';
import { verdict } from './verdict.ts';

/**
 * Last rules: timeouts and resets when nothing more specific was found, then an honest fallback.
 */

const WAIT_LAYER = 'kubelet: gave up waiting';

/** kubelet's pod-level "Unable to attach or mount volumes … timed out": a follow-up, never the cause. */
export const volumeWaitTimeout: Rule = (facts, views) => {
  if (!views.lower.includes('unabletoattachormountvolumes')) return null;
  if (facts.layers.some((layer) => !layer.startsWith(WAIT_LAYER))) return null;
  return verdict(
    'TIMEOUT_OR_TRANSIENT',
    'low',
    10,
    "kubelet's generic follow-up after about 2 minutes of waiting; the MountVolume.SetUp event carries the cause",
  );
};

/** A deadline, reset, refused connection or 5xx with nothing more specific around it. */
export const transientNetwork: Rule = (facts) => {
  if (!facts.transient) return null;
  const grpc = facts.details.grpcCode === 'DeadlineExceeded' ? ' (gRPC DeadlineExceeded)' : '';
  return verdict(
    'TIMEOUT_OR_TRANSIENT',
    'medium',
    facts.wrapped ? 26 : 22,
    `a timeout or dropped connection${grpc} and no more specific cause in the message`,
  );
};

/** Nothing recognised: say so rather than guess. */
export const fallback: Rule = (facts) => {
  if (facts.wrapped) {
    // A failing mount row outranks kubelet's generic wait follow-up (10) even when its cause was cut off.
    const mountRow = facts.layers.some((layer) => !layer.startsWith(WAIT_LAYER));
    return verdict('OTHER', 'low', mountRow ? 12 : 5, 'recognised the mount wrappers but no known cause inside them');
  }
  return verdict('OTHER', 'low', 0, 'no known error structure (codes, wrappers, status numbers) in the message');
};

/** Transient rules in precedence order; `fallback` always answers. */
export const transientRules: readonly Rule[] = [volumeWaitTimeout, transientNetwork, fallback];
