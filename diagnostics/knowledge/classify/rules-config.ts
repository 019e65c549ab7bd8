import type { Facts, Rule } from './types.ts';
import { firstHit, verdict } from './verdict.ts';

/**
 * Rules for failures that happen before any network call: template placeholders, the driver's own install
 * (registration, sockets, Kubernetes RBAC), the SecretProviderClass CRD and object, and the provider's
 * parameter validation (docs/wire-notes.md §1.1, §2.3). When one of these is present it is the error; anything
 * after it in the message is a consequence.
 */

const DRIVER_ACCOUNT = /^system:serviceaccount:[^:]{1,63}:.{0,80}(?:secrets-store|provider-azure)/i;

/**
 * The server answered about a real value: an AADSTS code, a Key Vault 401/403/404 or inner code, or a token
 * endpoint's HTTP status. Then placeholder-looking text is the poster's redaction (or was really sent and the
 * server's answer still says what to fix), so the answer decides, not the placeholder.
 */
export function serverAnswered(facts: Facts): boolean {
  const kv = facts.keyVault;
  return (
    facts.details.aadsts !== undefined ||
    kv.inner !== undefined ||
    kv.akv !== undefined ||
    (kv.status !== undefined && [401, 403, 404].includes(kv.status)) ||
    (kv.code !== undefined && /forbidden|notfound|unauthorized/i.test(kv.code)) ||
    facts.identity.status !== undefined
  );
}

/**
 * A lab template placeholder (`<KEY_VAULT_NAME>`) or an unexpanded `${VAR}` / `{{ … }}` reached a component, and
 * the failure is what a literal placeholder produces (validation, an unresolvable name), not a server's answer.
 */
export const placeholder: Rule = (facts) => {
  const found = facts.details.placeholder;
  if (!found || serverAnswered(facts)) return null;
  return verdict(
    'SPC_INVALID',
    'high',
    95,
    `template placeholder ${found} was sent as a real value: replace it with the value from your instructor`,
  );
};

/** Kubernetes RBAC denials: of the driver's own service account (install problem) or of someone else. */
export const kubernetesRbac: Rule = (facts) => {
  const { kubernetesUser: user, verb, resource } = facts.details;
  if (!user || !resource) return null;
  const what = `Kubernetes RBAC denied ${user}${verb ? ` "${verb}"` : ''} on "${resource}"`;
  if (DRIVER_ACCOUNT.test(user) && resource === 'secrets') {
    return verdict(
      'SYNC_SECRET_MISSING',
      'medium',
      72,
      `${what}: the sync controller cannot write the synced Secret (driver installed without syncSecret.enabled)`,
    );
  }
  if (DRIVER_ACCOUNT.test(user)) {
    return verdict(
      'CSI_DRIVER_UNHEALTHY',
      'high',
      82,
      `${what}: the driver's own ClusterRole is missing or broken (an install problem, not a Key Vault 403)`,
    );
  }
  return verdict('OTHER', 'medium', 50, `${what}: a cluster permission problem, not Key Vault and not the mount`);
};

/**
 * kubelet found the CSIDriver object, but its volumeLifecycleModes lack Ephemeral, so it refuses the pod's inline
 * CSI volume before calling the driver. For secrets-store.csi.k8s.io that is how the driver was installed (its
 * chart and manifests set Ephemeral); another driver's object means the pod names a driver for persistent volumes.
 */
export const driverLifecycleModes: Rule = (facts) => {
  const { driver, lifecycleModes: modes } = facts.details;
  if (!driver || !modes) return null;
  if (/secrets?-store/i.test(driver)) {
    return verdict(
      'CSI_DRIVER_UNHEALTHY',
      'high',
      86,
      `the CSIDriver object ${driver} allows only ${modes} volumes, not the inline (Ephemeral) volume the pod uses: the driver was installed without inline-volume support`,
    );
  }
  return verdict(
    'OTHER',
    'medium',
    50,
    `the pod's CSI volume names driver ${driver}, which serves only ${modes} volumes, not inline ones: a Key Vault volume uses driver secrets-store.csi.k8s.io`,
  );
};

/** The Secrets Store CSI driver or the Azure provider is not registered on the node. */
export const driverNotInstalled: Rule = (facts, views) => {
  const { driver, provider } = facts.details;
  if (driver) {
    if (driver === 'secrets-store.csi.k8s.io') {
      return verdict('CSI_DRIVER_NOT_INSTALLED', 'high', 86, `kubelet has no CSI driver "${driver}" registered`);
    }
    if (/secrets?-store/i.test(driver)) {
      return verdict(
        'CSI_DRIVER_NOT_INSTALLED',
        'medium',
        70,
        `no CSI driver "${driver}" is registered; the Secrets Store driver registers as secrets-store.csi.k8s.io`,
      );
    }
    return verdict('OTHER', 'medium', 45, `CSI driver "${driver}" is not registered (not the Secrets Store driver)`);
  }
  if (
    provider &&
    /providernotfound|failedtofindproviderbinary|secrets-store-csi-providers\/[a-z0-9-]{1,100}\/provider-/.test(
      views.lower,
    )
  ) {
    if (provider === 'azure') {
      return verdict(
        'CSI_DRIVER_NOT_INSTALLED',
        'medium',
        70,
        'the driver found no socket for provider "azure" on this node: the Azure provider is not installed or not running there',
      );
    }
    if (!/az|akv|keyvault|vault$/i.test(provider) || /^vault$/i.test(provider)) {
      return verdict(
        'CSI_DRIVER_NOT_INSTALLED',
        'medium',
        66,
        `the driver found no provider "${provider}" on this node: that provider is not installed or not running there (an SPC for provider "${provider}", not Azure)`,
      );
    }
    return verdict(
      'SPC_INVALID',
      'high',
      88,
      `the SPC names provider "${provider}"; the Azure Key Vault provider is called "azure"`,
    );
  }
  return null;
};

const UNHEALTHY: readonly (readonly [RegExp, string])[] = [
  [
    /dialunix[^"]{0,200}?\.sock[^"]{0,40}?(?:connectionrefused|nosuchfileordirectory)/,
    'a driver or provider socket refuses connections: its pod is not running on this node',
  ],
  [
    /transport:errorwhiledialing|errorwhiledialingdialunix/,
    'gRPC could not dial the driver or provider socket: its pod is not ready on this node',
  ],
  [
    /stillconnectingtounix:\/\/\/csi\/csi\.sock/,
    "node-driver-registrar cannot reach the driver's socket: the driver container is not serving on this node",
  ],
  [
    /failedtoestablishconnectiontocsidriver/,
    "the CSI livenessprobe sidecar cannot reach the driver's socket, so kubelet restarts the driver: it is not serving on this node",
  ],
  [/podinformationisnotavailable/, 'the CSIDriver object lacks podInfoOnMount: true (driver install problem)'],
];
const CRASHING =
  /crashloopbackoff|back-offrestartingfailedcontainer|oomkilled|readinessprobefailed|livenessprobefailed/;
const DRIVER_POD = /secrets-store|provider-azure/;

/** Driver or provider pods exist but do not serve (sockets, CSIDriver options, crash loops). */
export const driverUnhealthy: Rule = (_facts, views) => {
  const hit = firstHit(views.lower, UNHEALTHY);
  if (hit) return verdict('CSI_DRIVER_UNHEALTHY', 'high', 74, hit);
  if (CRASHING.test(views.lower) && DRIVER_POD.test(views.lower)) {
    return verdict('CSI_DRIVER_UNHEALTHY', 'medium', 60, 'a Secrets Store driver or provider container is crashing');
  }
  return null;
};

const CRD: readonly (readonly [RegExp, string])[] = [
  [/nomatchesforkind"secretproviderclass"/, 'the API server has no kind SecretProviderClass: CRD not installed'],
  [
    /nomatchesforkind"secretproviderclasspodstatus"/,
    "the API server has no kind SecretProviderClassPodStatus: the driver's CRDs are not installed",
  ],
  [/theserverdoesn'thavearesourcetype"secretproviderclass/, 'the API server has no resource secretproviderclasses'],
  [
    /customresourcedefinitions\.apiextensions\.k8s\.io"secretproviderclasses\.secrets-store\.csi\.x-k8s\.io"notfound/,
    'the SecretProviderClass CRD does not exist',
  ],
  [
    /theservercouldnotfindtherequestedresource[^"]{0,120}secretproviderclass/,
    'the secrets-store.csi.x-k8s.io API group is not served',
  ],
  [
    /secretproviderclass[^"]{0,200}theservercouldnotfindtherequestedresource/,
    'the secrets-store.csi.x-k8s.io API group is not served',
  ],
  [
    /404pagenotfound[^"]{0,200}secrets-store\.csi\.x-k8s\.io|secrets-store\.csi\.x-k8s\.io[^"]{0,200}404pagenotfound/,
    'the secrets-store.csi.x-k8s.io API group is not served',
  ],
];

/** The SecretProviderClass CRD / API group is not served. */
export const crdMissing: Rule = (_facts, views) => {
  const hit = firstHit(views.lower, CRD);
  if (hit) return verdict('CRD_MISSING', 'high', 86, hit);
  if (views.lower.includes('theservercouldnotfindtherequestedresource')) {
    return verdict(
      'CRD_MISSING',
      'medium',
      55,
      'the API server does not serve the requested resource type (for this lab, usually the SecretProviderClass CRD)',
    );
  }
  return null;
};

/** The SPC named by the pod's volume does not exist in the pod's namespace. */
export const spcNotFound: Rule = (facts, views) => {
  const l = views.lower;
  if (/secrets?providerclass(?:es)?\.secrets-store\.csi\.x-k8s\.io=?"[^"]{1,253}"notfound/.test(l)) {
    const where = facts.details.namespace ? ` in namespace ${facts.details.namespace}` : '';
    const name = facts.details.secretProviderClass ?? '?';
    return verdict('SPC_NOT_FOUND', 'high', 88, `SecretProviderClass "${name}" does not exist${where}`);
  }
  if (l.includes('secretproviderclassisnotset')) {
    return verdict('SPC_NOT_FOUND', 'medium', 60, "the pod's CSI volume sets no volumeAttributes.secretProviderClass");
  }
  if (l.includes('secretproviderclassnotfound')) {
    return verdict(
      'SPC_NOT_FOUND',
      'medium',
      50,
      'the wording says the SecretProviderClass was not found (no name given)',
    );
  }
  return null;
};

const PROVIDER_VALIDATION: readonly (readonly [RegExp, string])[] = [
  [/keyvaultnameisnot(?:set|provided)/, 'the SPC has no keyvaultName parameter'],
  [/tenantidisnot(?:set|provided)/, 'the SPC has no tenantId parameter'],
  [/invalidtenantid/, 'tenantId is not a valid tenant id (a GUID or a domain name)'],
  [
    /objectsisnotset|objectsarrayisempty|missingobjectversions?(?![a-z])/,
    'the SPC objects parameter is missing or lists no objects',
  ],
  [
    /failedtoyamlunmarshalobjects|unmarshalfailedforkeyvaultobjectsatindex/,
    'the SPC objects parameter is not valid YAML in the array-of-strings shape',
  ],
  [
    /failedtoloadsecretproviderclass:/,
    "the provider could not parse the SPC's objects parameter (not the shape that provider expects)",
  ],
  [/invalidvaultobjecttypes/, 'an objectType is not secret, key or cert'],
  [/invalidvaultname:/, 'keyvaultName is not a valid vault name (3-24 letters, digits, hyphens)'],
  [
    /failedtoparse(?:usepodidentity|usevmmanagedidentity|useazuretokenproxy)flag/,
    'an identity flag is not "true" or "false"',
  ],
  [
    /onlyoneidentitymodecanbeenabled|cannotenablebothpodidentityanduser-assignedmanagedidentity/,
    'more than one identity mode is enabled in the SPC',
  ],
  [/providernotsetin|parametersnotsetin/, 'the SPC has no provider or no parameters'],
  [
    /invalidobjectformat|pfxformatonlysupported|objectencodingonlysupported|invalidobjectencoding/,
    'an object has an invalid objectFormat or objectEncoding',
  ],
  [/filenamemust(?:notbeempty|bearelativepath|notcontain)/, 'an objectAlias is not a valid relative file name'],
  [/cloudname[^"]{0,80}?isnotvalid|failedtosetazure_environment_filepath/, 'cloudName / cloudEnvFileName is invalid'],
  [/clientidisrequiredforidentitybinding/, 'identity binding needs clientID in the SPC'],
  [
    /secretproviderclass"[^"]{0,253}"isinvalid|validationerror\(secretproviderclass/,
    'the API server rejected the SecretProviderClass manifest (schema)',
  ],
];
const OBJECT_TYPES = new Set(['secret', 'key', 'cert']);

/** The provider's parameter validation failed, or an object's type is not one the provider knows. */
export const spcInvalid: Rule = (facts, views) => {
  const hit = firstHit(views.lower, PROVIDER_VALIDATION);
  if (hit) return verdict('SPC_INVALID', 'high', 88, hit);
  if (/failedtogetobjecttype:[^,]{0,64},objectname:,/.test(views.lower)) {
    return verdict(
      'SPC_INVALID',
      'high',
      84,
      'an object in the SPC objects array has no objectName (the provider asked Key Vault for an empty name)',
    );
  }
  if (
    /failedtomountobjects,error:/.test(views.lower) &&
    /illegalbase64dataatinputbyte\d|encoding\/hex:(?:oddlengthhexstring|invalidbyte)/.test(views.lower)
  ) {
    // getContentBytes decodes the fetched value by objectEncoding (base64 / hex) before the file is written.
    return verdict(
      'SPC_INVALID',
      'high',
      84,
      "an object's objectEncoding (base64 or hex) does not match the value stored in Key Vault: the provider could not decode it",
    );
  }
  if (facts.wrapped && views.lower.includes('invalidpath:')) {
    // The driver's own check of the file paths a provider returns; they come from the SPC's object names or aliases.
    return verdict(
      'SPC_INVALID',
      'medium',
      70,
      'the driver rejected an object file path (empty, absolute or with ".."): check objectName / objectAlias in the SPC objects',
    );
  }
  const type = facts.details.objectType;
  if (type && !OBJECT_TYPES.has(type)) {
    return verdict('SPC_INVALID', 'high', 86, `objectType "${type}" is not secret, key or cert`);
  }
  return null;
};

/** Configuration rules in precedence order. */
export const configRules: readonly Rule[] = [
  kubernetesRbac,
  driverLifecycleModes,
  driverNotInstalled,
  driverUnhealthy,
  crdMissing,
  spcNotFound,
  spcInvalid,
];
