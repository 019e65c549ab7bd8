import {
  readAzureDetails,
  readDns,
  readIdentity,
  readKeyVault,
  readKeyVaultOperation,
  readListedObject,
} from './extract-azure.ts';
import { readKubernetesDetails } from './extract-kubernetes.ts';
import { readLayers } from './layers.ts';
import type { Facts, MessageDetails, Views } from './types.ts';

/**
 * Collects every fact the rules decide on, before any decision: wrappers, Key Vault and Entra answers, DNS
 * failures, Kubernetes names, and whether a transient network failure is visible anywhere.
 */

// Tokens of Go net/http, gRPC, Node and .NET transient failures, matched on the compact lower-case view.
const TRANSIENT =
  /contextdeadlineexceeded|code=deadlineexceeded|timedoutwaitingforthecondition|i\/otimeout|connectionresetbypeer|contextcanceled|tlshandshaketimeout|brokenpipe|unexpectedeof|client\.timeoutexceeded|timeoutexceededwhileawaitingheaders|etimedout|econnreset|econnrefused|connectionrefused|actively(?:refused|rejected)|code=unavailable|servermisbehaving|streamerrorwhenreadingresponsebody|maybecausedbyclosedconnection|transientfailure|temporaryfailureinnameresolution|eai_again|toomanyrequests|serviceunavailable|gatewaytimeout|badgateway|operationtimedout|connectiontimedout|[:"]eof(?:$|[^a-z])/;

// kubelet's pod-level wait clause: its "timed out waiting" is a follow-up, not evidence of a network timeout.
const WAIT_CLAUSE =
  /unabletoattachormountvolumes:unmountedvolumes=\[[^\]]{0,2000}\],unattachedvolumes=\[[^\]]{0,2000}\]:timedoutwaitingforthecondition/g;

// The lab's own placeholders, and unexpanded shell / Helm templates. Other `<…>` text is often a user's redaction.
const LAB_PLACEHOLDER = /<(?:KEY_?VAULT_NAME|IDENTITY_CLIENT_ID|TENANT_ID|SERVICE_ACCOUNT_NAME)>/i;
const TEMPLATE_PLACEHOLDER = /\$\{[A-Za-z_][A-Za-z0-9_]{0,63}\}|\{\{[^{}]{1,100}\}\}|\$\([A-Za-z_][A-Za-z0-9_]{0,63}\)/;

const MODES: readonly (readonly [RegExp, NonNullable<MessageDetails['identityMode']>])[] = [
  [
    /nmiresponse|:2579|gettingassignedidentitiesforpod|azureidentity|aadpodid|mic\.go:\d|failedtogetmatchingidentitiesforpod|noazureassignedidentityfoundforpod|status\(\d{3}\)took\d{1,20}ns.{0,40}?re[qg]\.path=/,
    'pod-identity',
  ],
  [
    /169\.254\.169\.254|imds|msiendpoint|identitynotfound|managedidentitycredential|localhost:(?:50342|40342)\/|\/msi\/token/,
    'managed-identity',
  ],
  [/nodepublishsecretref|aadsts7000215|aadsts7000222|clientcredentialstoken|clientsecret/, 'service-principal'],
  [/fromassertion|clientassertion|azureadtokenexchange|workloadidentitycredential|aadsts7002/, 'workload-identity'],
];

/** The identity mode a message's structure shows, if any. */
function identityModeOf(lower: string): MessageDetails['identityMode'] {
  return MODES.find(([pattern]) => pattern.test(lower))?.[1];
}

function merge(target: MessageDetails, source: MessageDetails): void {
  for (const [key, value] of Object.entries(source) as [keyof MessageDetails, MessageDetails[keyof MessageDetails]][]) {
    if (value !== undefined && target[key] === undefined) (target as Record<string, unknown>)[key] = value;
  }
}

/** Reads all facts out of one normalised message. */
export function extractFacts(views: Views): Facts {
  const layerInfo = readLayers(views);
  const keyVault = readKeyVault(views);
  const identity = readIdentity(views);
  const dns = readDns(views);
  const details: MessageDetails = { ...layerInfo.details };
  merge(details, readAzureDetails(views));
  merge(details, readKubernetesDetails(views));
  const placeholder = LAB_PLACEHOLDER.exec(views.compact)?.[0] ?? TEMPLATE_PLACEHOLDER.exec(views.compact)?.[0];
  if (placeholder) details.placeholder = placeholder;
  const mode = identityModeOf(views.lower);
  if (mode) details.identityMode = mode;
  if (/mic\.go:\d/.test(views.lower)) details.podIdentityComponent = 'mic';
  const listed = details.objectName === undefined ? readListedObject(views) : undefined;
  if (listed) merge(details, listed);
  const operation = readKeyVaultOperation(views, keyVault, details.objectType);
  if (operation) details.keyVaultOperation = operation;
  return {
    details,
    keyVault,
    identity,
    ...(dns ? { dns } : {}),
    layers: layerInfo.layers,
    wrapped: layerInfo.wrapped,
    transient: TRANSIENT.test(views.lower.replace(WAIT_CLAUSE, '')),
  };
}
