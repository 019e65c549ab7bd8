import { aadstsMeaning } from './aadsts.ts';
import { isIdentityHost } from './extract-azure.ts';
import type { Facts, Rule } from './types.ts';
import { firstHit, verdict } from './verdict.ts';

/**
 * Rules for token acquisition: Entra ID (workload identity, service principal), aad-pod-identity's NMI and
 * IMDS (references 02 §4, 03). They run before the Key Vault rules because provider ≥ v1.5 raises the token
 * error lazily inside the per-object get, so `failed to get objectType:secret, objectName:x …` around an
 * AADSTS error is an authentication failure, not an answer about object x.
 */

const NMI_ENDPOINT = /(?:localhost|127\.0\.0\.1|\[::1\]):2579/;
const IMDS = /169\.254\.169\.254/;
// Managed-identity token endpoints other than IMDS: Cloud Shell and older App Service (localhost:50342), Azure Arc
// (localhost:40342), App Service's IDENTITY_ENDPOINT (…/msi/token).
const LOCAL_MSI = /localhost:(?:50342|40342)\/|\/msi\/token/;

function insideObjectGet(facts: Facts): string[] {
  const name = facts.details.objectName;
  return name ? [`raised inside the get of "${name}": it is about the identity, not about that object`] : [];
}

/** aad-pod-identity's NMI (localhost:2579) refuses connections: no token can be had on this node. */
export const podIdentityUnreachable: Rule = (facts, views) => {
  if (!NMI_ENDPOINT.test(views.lower) || facts.identity.status !== undefined) return null;
  if (!/connectionrefused|activelyrefused|nosuchfileordirectory/.test(views.lower)) return null;
  return verdict(
    'AUTH_FAILED',
    'high',
    80,
    'nothing listens on the pod-identity NMI endpoint (localhost:2579) on this node, so the provider got no token: aad-pod-identity is not running there, or the SPC sets usePodIdentity "true" on a cluster without it (pod identity is deprecated; workload identity uses clientID)',
  );
};

// NMI's request log (klog `reg.path`, logrus `req.path`): `status (404) took 80000192150 ns for req.method=GET reg.path=/host/token/`.
const NMI_TOKEN_STATUS =
  /status\((4\d\d)\)took\d{1,20}ns.{0,40}?re[qg]\.path=\/(?:metadata\/identity\/oauth2\/token|host\/token)/;
// MIC's error lines while it (un)assigns identities on a node's VM / scale set.
const MIC_FAILED = /mic\.go:\d{1,5}\]failedto(?:update|assign|get|apply|create|delete|list|remove)/;

/** aad-pod-identity's own logs: NMI found no identity for the pod or refused its token request, or MIC failed. */
export const podIdentityComponents: Rule = (_facts, views) => {
  const l = views.lower;
  if (
    /gettingassignedidentitiesforpod|checkmicpodlogsforidentityassignmenterrors|failedtogetmatchingidentitiesforpod|noazureassignedidentityfoundforpod/.test(
      l,
    )
  ) {
    return verdict(
      'AUTH_FAILED',
      'high',
      80,
      "NMI found no AzureAssignedIdentity for the pod: check the AzureIdentityBinding selector against the pod's aadpodidbinding label and the MIC logs",
    );
  }
  const nmiStatus = NMI_TOKEN_STATUS.exec(l)?.[1];
  if (nmiStatus) {
    return verdict(
      'AUTH_FAILED',
      'medium',
      74,
      `NMI answered ${nmiStatus} to a token request from a pod: it got no token (a 404 means no identity is assigned to the pod, a 400 a malformed request)`,
    );
  }
  if (MIC_FAILED.test(l)) {
    return verdict(
      'AUTH_FAILED',
      'medium',
      72,
      "MIC could not assign the identity to the node's VM or scale set (the error it quotes is from Azure Resource Manager, not Key Vault), so the pod gets no token: give the cluster identity Managed Identity Operator on the identity",
    );
  }
  if (/mic\.go:\d{1,5}\]ignoringazureidentity|ignoringazureidentity[^"]{0,200}invalidresourceid/.test(l)) {
    return verdict(
      'AUTH_FAILED',
      'high',
      78,
      'MIC ignored the AzureIdentity (its resourceID is invalid), so no identity is assigned to the pod',
    );
  }
  return null;
};

/** kubelet could not read the Secret named by nodePublishSecretRef: the service principal's credentials are missing. */
export const nodePublishSecretMissing: Rule = (facts, views) => {
  if (!views.lower.includes('fetchingnodepublishsecretref')) return null;
  const name = facts.details.secretName ? ` "${facts.details.secretName}"` : '';
  return verdict(
    'AUTH_FAILED',
    'high',
    82,
    `the Secret${name} named by the volume's nodePublishSecretRef (service principal clientid / clientsecret) does not exist in the pod's namespace`,
  );
};

/** An Entra ID AADSTS error number. */
export const aadstsError: Rule = (facts) => {
  const code = facts.details.aadsts;
  if (!code) return null;
  const meaning = aadstsMeaning(code);
  return verdict(
    'AUTH_FAILED',
    'high',
    meaning.known ? 92 : 88,
    `Entra ID AADSTS${code}: ${meaning.text}`,
    ...insideObjectGet(facts),
  );
};

/** aad-pod-identity's NMI answered with an HTTP error: it runs, but no identity is bound to the pod. */
export const nmiAnswered: Rule = (facts, views) => {
  if (!views.lower.includes('nmiresponsefailed')) return null;
  const status = facts.identity.status;
  const imds = views.lower.includes('identitynotfound') ? '; IMDS says the identity is not assigned to the node' : '';
  return verdict(
    'AUTH_FAILED',
    'high',
    84,
    `pod-identity NMI answered ${status ?? 'an error'}: no Azure identity is bound to this pod${imds}`,
  );
};

/** IMDS (VM managed identity) refused or could not be reached. */
export const imdsFailure: Rule = (facts, views) => {
  const l = views.lower;
  if (l.includes('identitynotfound')) {
    return verdict(
      'AUTH_FAILED',
      IMDS.test(l) ? 'high' : 'medium',
      IMDS.test(l) ? 85 : 76,
      IMDS.test(l)
        ? 'IMDS: the managed identity (userAssignedIdentityID) is not assigned to the node VM scale set'
        : 'the identity endpoint answered "Identity not found": the identity is not assigned to the node, or the SPC selects the wrong identity mode',
    );
  }
  if (IMDS.test(l) && facts.identity.status !== undefined) {
    return verdict('AUTH_FAILED', 'medium', 66, `IMDS (169.254.169.254) answered ${facts.identity.status}: no token`);
  }
  if (LOCAL_MSI.test(l) && facts.identity.status !== undefined) {
    return verdict(
      'AUTH_FAILED',
      'medium',
      64,
      `the local managed-identity endpoint answered ${facts.identity.status}: no token (the identity is not enabled or not assigned there)`,
    );
  }
  if (IMDS.test(l) && l.includes('connectionrefused')) {
    // IMDS always listens on AKS nodes; a refusal inside a pod means something intercepts it (pod-identity NMI
    // gone, a network policy): the pod cannot get a managed-identity token.
    return verdict(
      'AUTH_FAILED',
      'medium',
      60,
      'the managed-identity endpoint IMDS (169.254.169.254) refused the connection: no token for this pod',
    );
  }
  if (IMDS.test(l) && facts.transient) {
    return verdict(
      'TIMEOUT_OR_TRANSIENT',
      'medium',
      40,
      'could not reach the managed-identity endpoint IMDS (169.254.169.254) to get a token',
    );
  }
  return null;
};

/** The token endpoint itself was unreachable (DNS or network): not a vault problem and not a federation one. */
export const tokenEndpointUnreachable: Rule = (facts, views) => {
  const dnsHost = facts.dns && isIdentityHost(facts.dns.host) ? facts.dns.host : undefined;
  const netToLogin =
    facts.transient && facts.identity.status === undefined && /login\.microsoftonline/.test(views.lower);
  if (!dnsHost && !netToLogin) return null;
  return verdict(
    'TIMEOUT_OR_TRANSIENT',
    'medium',
    40,
    `could not reach Entra ID (${dnsHost ?? 'login.microsoftonline.com'}) to get a token: node DNS or egress problem, not the vault name`,
  );
};

const TOKEN_CONFIG: readonly (readonly [RegExp, string])[] = [
  [
    /failedtoparseworkloadidentitytokens/,
    'no service-account token for api://AzureADTokenExchange reached the provider (CSIDriver tokenRequests, or the pod does not run as the federated service account)',
  ],
  [
    /serviceaccounttokensarerequiredforidentitybinding/,
    'identity binding needs the service-account token, which did not reach the provider',
  ],
  [
    /nodepublishsecretrefsecretisnot(?:set|provided)/,
    'no workload identity (clientID empty or no service-account token), so the provider fell back to a service principal, and the pod has no nodePublishSecretRef',
  ],
  [
    /(?:serviceaccount|identity-)token[^"]{0,80}?nosuchfileordirectory/,
    'the projected service-account token file does not exist in the pod (workload identity label / service account missing, so no token volume)',
  ],
  [
    /azure_(?:client_id|tenant_id|federated_token_file)(?:environmentvariable)?(?:is)?(?:notset|notfound|empty|missing)|noclientidspecified/,
    'the pod has no AZURE_CLIENT_ID / AZURE_TENANT_ID / AZURE_FEDERATED_TOKEN_FILE: the workload identity webhook did not mutate it (pod label azure.workload.identity/use: "true", service account annotation azure.workload.identity/client-id)',
  ],
  [/couldnotfindclient(?:id|secret)insecrets/, 'the nodePublishSecretRef Secret lacks clientid / clientsecret'],
  [/failedtogetnodepublishsecret/, 'the nodePublishSecretRef Secret could not be read'],
];

/** The provider could not even build a credential from the SPC and the pod. */
export const tokenConfig: Rule = (_facts, views) => {
  const hit = firstHit(views.lower, TOKEN_CONFIG);
  return hit ? verdict('AUTH_FAILED', 'medium', 76, hit) : null;
};

const LEGACY_TOKEN =
  /fromassertion\(\)|failedtoacquiretoken|failedtorefreshthetoken|adal:refreshrequestfailed|failedtogetkeyvaulttoken|failedtogetauthorizer/;
const OAUTH_ERRORS = new Set([
  'invalid_client',
  'unauthorized_client',
  'invalid_grant',
  'invalid_request',
  'invalid_tenant',
  'invalid_scope',
  'invalid_resource',
]);

/** A credential reported failure without an AADSTS number (status, OAuth error or a legacy token wrapper). */
export const credentialFailed: Rule = (facts, views) => {
  const { credential, status, code } = facts.identity;
  const oauth = code && OAUTH_ERRORS.has(code) ? code : undefined;
  if (!credential && !oauth && !LEGACY_TOKEN.test(views.lower)) return null;
  const who = credential ?? 'the token request';
  if (facts.transient && status === undefined && !oauth) {
    return verdict('TIMEOUT_OR_TRANSIENT', 'medium', 38, `${who} failed on the network while getting a token`);
  }
  const answer = [status, oauth].filter(Boolean).join(' ');
  return verdict(
    'AUTH_FAILED',
    credential || oauth ? 'medium' : 'low',
    credential || oauth ? 72 : 62,
    `${who} could not get a token${answer ? ` (${answer})` : ''}`,
    ...insideObjectGet(facts),
  );
};

/** Identity rules in precedence order. */
export const identityRules: readonly Rule[] = [
  podIdentityUnreachable,
  aadstsError,
  nmiAnswered,
  podIdentityComponents,
  nodePublishSecretMissing,
  imdsFailure,
  tokenEndpointUnreachable,
  tokenConfig,
  credentialFailed,
];
