import type { MessageDetails, Views } from './types.ts';

/**
 * Reads Kubernetes-side names out of a message: RBAC denials (apiserver `forbiddenMessage`, docs/wire-notes.md §6.4),
 * Secrets named by container-config and sync errors, CSI driver registration errors, and a `kubectl` Status
 * reason. Compact view only, so wrapping and table borders do not matter.
 */

const FORBIDDEN = /user"([^"]{1,253})"cannot([a-z]{1,32}?)resource"([^"]{1,253})"/i;
// The same denial cut after the user: the resource is the `<resource>[.<group>] ["<name>"] is forbidden` prefix.
// A hand-retyped denial: `secrets is forbidden user system:serviceaccount:ns:name`.
const FORBIDDEN_LOOSE =
  /([a-z][a-z0-9-]{0,62})isforbidden:?user"?(system:serviceaccount:[a-z0-9-]{1,63}:[a-z0-9-]{1,253})/i;
const FORBIDDEN_PREFIX =
  /(?:^|[^a-z0-9.-])([a-z][a-z0-9-]{0,62})(?:\.[a-z0-9.-]{1,200}?)?(?:"[^"]{0,253}")?isforbidden:user"([^"]{1,253})"/i;
const SECRET_NOT_FOUND = /secrets?"([^"]{1,253})"notfound/i;
const MISSING_KEY = /couldn'tfindkey([^\s"]{1,253}?)insecret([^/"]{1,63})\/([a-z0-9.-]{1,253})/i;
const DRIVER_NAME = [
  /drivername([^\s"]{1,253}?)notfoundinthelistofregisteredcsidrivers/i,
  /notsupportedbydriver([^\s"]{1,253}?)\(nocsidriverobject\)/i,
  /csidrivers(?:\.storage\.k8s\.io)?"([^"]{1,253})"notfound/i,
];
// kubelet's CSI plugin (pkg/volume/csi, supportsVolumeLifecycleMode): the CSIDriver object exists, but its
// volumeLifecycleModes lack the mode the volume needs (`%q` of the list: `["Persistent"]`).
const LIFECYCLE_MODES = /volumemode"ephemeral"notsupportedbydriver([^\s"(]{1,253}?)\(onlysupports(\[[^\]]{0,200}\])\)/i;
const STATUS_REASON = /errorfromserver\((\w{1,40})\)/i;
const JSON_REASON = /"reason":"(\w{1,64})"/;
// Kind spelled as typed (`SecretsProviderClass`), `="name"` as retyped by hand.
const SPC_API_NOT_FOUND = /secrets?providerclass(?:es)?\.secrets-store\.csi\.x-k8s\.io=?"([^"]{1,253})"notfound/i;

/** Kubernetes names and RBAC fields found in the message. */
export function readKubernetesDetails(views: Views): MessageDetails {
  const c = views.compact;
  const details: MessageDetails = {};
  const forbidden = FORBIDDEN.exec(c);
  if (forbidden?.[1] && forbidden[2] && forbidden[3]) {
    details.kubernetesUser = forbidden[1];
    details.verb = forbidden[2];
    details.resource = forbidden[3];
  } else {
    const cut = FORBIDDEN_PREFIX.exec(c);
    const loose = cut ? null : FORBIDDEN_LOOSE.exec(c);
    const found = cut ?? loose;
    if (found?.[1] && found[2]) {
      details.resource = found[1].toLowerCase();
      details.kubernetesUser = found[2];
    }
  }
  const missingKey = MISSING_KEY.exec(c);
  if (missingKey?.[1] && missingKey[3]) {
    details.secretKey = missingKey[1];
    details.namespace = missingKey[2];
    details.secretName = missingKey[3];
  } else {
    const secret = SECRET_NOT_FOUND.exec(c)?.[1];
    if (secret) details.secretName = secret;
  }
  const modes = LIFECYCLE_MODES.exec(c);
  if (modes?.[1] && modes[2]) {
    details.driver = modes[1];
    details.lifecycleModes = modes[2];
  }
  for (const pattern of DRIVER_NAME) {
    if (details.driver) break;
    const driver = pattern.exec(c)?.[1];
    if (driver) {
      details.driver = driver;
      break;
    }
  }
  const spc = SPC_API_NOT_FOUND.exec(c)?.[1]?.trim();
  if (spc) details.secretProviderClass = spc;
  const reason = STATUS_REASON.exec(c)?.[1];
  if (reason) details.errorCode = reason;
  const eventReason = JSON_REASON.exec(c)?.[1];
  if (eventReason) details.eventReason = eventReason;
  return details;
}
