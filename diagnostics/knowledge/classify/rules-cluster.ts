import type { Rule } from './types.ts';
import { firstHit, verdict } from './verdict.ts';

/**
 * Rules for Kubernetes-side failures after or beside the mount: the sync controller's Secret
 * (`FailedToCreateSecret`, docs/wire-notes.md §1.6), containers referencing a Secret that does not exist yet,
 * the CSI volume's own spec, and failures outside the mount (image pull, scheduling, crashes).
 */

const SYNC: readonly (readonly [RegExp, string])[] = [
  [
    /failedtogetdatainspc/,
    'the sync controller found no mounted file for a secretObjects entry: data[].objectName must equal the file name (objectAlias or objectName)',
  ],
  [/failedtogetmountedfiles/, 'the sync controller found no mounted files: no pod has mounted the SPC volume yet'],
  [/failedtocreatesecret/, 'the sync controller could not create the synced Kubernetes Secret'],
  [
    /failedto(?:watch|list)\*v1\.secret.{0,80}?secretsisforbidden/,
    "the driver's Secret informer may not list or watch Secrets: the driver was installed without syncSecret.enabled=true",
  ],
  [
    /secretoperationfailedwithforbiddenerror/,
    'the sync controller may not write Secrets: the driver was installed without syncSecret.enabled=true (its RBAC for Secrets)',
  ],
];

/** Errors of the driver's sync controller. */
export const syncController: Rule = (facts, views) => {
  const hit = firstHit(views.lower, SYNC);
  if (!hit) return null;
  const name = facts.details.secretName ? ` (Secret ${facts.details.secretName})` : '';
  return verdict('SYNC_SECRET_MISSING', 'high', 80, `${hit}${name}`);
};

/** A container or volume references a Secret (or a key) that does not exist yet. */
export const secretReference: Rule = (facts, views) => {
  const { secretName, secretKey } = facts.details;
  if (secretName && secretKey) {
    return verdict(
      'SYNC_SECRET_MISSING',
      'medium',
      64,
      `Secret ${secretName} has no key ${secretKey}: check secretObjects data[].key in the SPC`,
    );
  }
  if (secretName && /secrets?"[^"]{1,253}"notfound/.test(views.lower)) {
    return verdict(
      'SYNC_SECRET_MISSING',
      'medium',
      62,
      `Secret ${secretName} does not exist: a synced Secret appears only after a pod mounts the SPC volume, under secretObjects.secretName`,
    );
  }
  if (/createcontainerconfigerror.{0,40}?secrets?(?:"[^"]{1,253}")?notfound/.test(views.lower)) {
    return verdict(
      'SYNC_SECRET_MISSING',
      'medium',
      55,
      'a container references a Secret that does not exist: a synced Secret appears only after a pod mounts the SPC volume, under secretObjects.secretName',
    );
  }
  return null;
};

const OUTSIDE: readonly (readonly [RegExp, string, number])[] = [
  [
    /failedcallingwebhook|failedtocallwebhook/,
    "the API server could not call an admission webhook, so the pod was never created and nothing was mounted: check the webhook's pods and service (kubectl get pods,endpoints -n <webhook namespace>), not Key Vault",
    45,
  ],
  [/readonlyisnottrueinrequest/, "the pod's CSI volume must set readOnly: true", 55],
  [
    /errimagepull|imagepullbackoff|failedtopullimage|pullaccessdenied|manifestunknown/,
    'the container image could not be pulled: unrelated to Key Vault',
    50,
  ],
  [
    /failedscheduling|\d{1,5}\/\d{1,5}nodesareavailable|insufficient(?:cpu|memory)|untoleratedtaint/,
    'the pod could not be scheduled: unrelated to Key Vault',
    50,
  ],
  [
    /x509:certificate|tls:failedtoverifycertificate/,
    'TLS verification failed: usually a proxy or firewall intercepting HTTPS on the way to Azure',
    35,
  ],
  [
    /crashloopbackoff|back-offrestartingfailedcontainer/,
    'the container starts and crashes: the volume mounted; read kubectl logs --previous',
    40,
  ],
];

/** Failures outside the taxonomy's mount problems. */
export const outsideMount: Rule = (_facts, views) => {
  for (const [pattern, signal, specificity] of OUTSIDE) {
    if (pattern.test(views.lower)) return verdict('OTHER', 'medium', specificity, signal);
  }
  return null;
};

/** Cluster rules in precedence order. */
export const clusterRules: readonly Rule[] = [syncController, secretReference, outsideMount];
