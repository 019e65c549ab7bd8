/**
 * The pod's identity for the mount: with workload identity the provider exchanges a token of the pod's
 * ServiceAccount, so the pod must run as the federated ServiceAccount (subject system:serviceaccount:<ns>:<name>);
 * the default ServiceAccount can be federated too, so `pod/service-account` is a lab-profile warning (the lab
 * federates only the ServiceAccount it names). The
 * azure.workload.identity/use label is not needed by the CSI mount itself (docs/wire-notes.md §2.4), only by the
 * workload-identity webhook for the app's own Azure calls, so only a misplaced or wrong label is reported.
 */
import { isPlaceholder, placeholderIssues } from '../placeholders.ts';
import { recordAt, stringAt } from '../values.ts';
import { containersOf, type PodRule, serviceAccountOf } from './pod-target.ts';

const USE_LABEL = 'azure.workload.identity/use';

export const serviceAccountRule: PodRule = (pod) => {
  if (pod.volumes.length === 0) return [];
  const account = serviceAccountOf(pod);
  if (isPlaceholder(account.name)) return [];
  if (account.name !== '' && account.name !== 'default') return [];
  return [
    {
      rule: 'pod/service-account',
      at: account.at,
      message: `The pod runs as the ${account.name === '' ? 'default ServiceAccount (serviceAccountName is not set)' : '"default" ServiceAccount'}; its token subject system:serviceaccount:<namespace>:default has no federated credential, so Entra ID refuses the exchange (AADSTS70021/700213).`,
    },
  ];
};

export const workloadIdentityLabelRule: PodRule = (pod) => {
  const labels = recordAt(pod.podMeta.labels);
  const annotations = recordAt(pod.podMeta.annotations);
  const label = labels[USE_LABEL];
  if (label !== undefined && label !== 'true') {
    return [
      {
        rule: 'pod/workload-identity-label',
        at: [...pod.podMetaAt, 'labels', USE_LABEL],
        message: `Label ${USE_LABEL} is ${JSON.stringify(label)}; the workload-identity webhook acts only on the exact string "true".`,
        fix: `Set the label to "true" (quoted): ${USE_LABEL}: "true".`,
      },
    ];
  }
  if (label === undefined && annotations[USE_LABEL] !== undefined) {
    return [
      {
        rule: 'pod/workload-identity-label',
        at: [...pod.podMetaAt, 'annotations', USE_LABEL],
        message: `${USE_LABEL} is set as an annotation; the webhook reads it as a label.`,
        fix: `Move it to metadata.labels: ${USE_LABEL}: "true".`,
      },
    ];
  }
  return [];
};

export const podPlaceholdersRule: PodRule = (pod, profile) => {
  const roots = [
    { value: pod.spec.serviceAccountName, at: [...pod.specAt, 'serviceAccountName'] },
    { value: pod.spec.serviceAccount, at: [...pod.specAt, 'serviceAccount'] },
    { value: pod.spec.volumes, at: [...pod.specAt, 'volumes'] },
    ...containersOf(pod).flatMap(({ container, at }) => [
      { value: stringAt(container.image), at: [...at, 'image'] },
      { value: container.volumeMounts, at: [...at, 'volumeMounts'] },
    ]),
  ];
  return placeholderIssues(roots, { lab: 'pod/lab-placeholder', template: 'pod/placeholder' }, profile);
};
