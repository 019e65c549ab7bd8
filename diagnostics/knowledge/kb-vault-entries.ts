/**
 * Knowledge about reading Key Vault once signed in (docs/wire-notes.md §4): permissions, network rules, vault and object
 * names, disabled objects. Part of the one table in knowledge-base.ts. Steps that need Azure rights say
 * "Instructor": in the lab, students only have their namespace.
 */
import type { Category } from '../categories.ts';
import type { KbEntry } from './kb-types.ts';

const VAULT_ID = '$(az keyvault show --name {vault} --query id -o tsv)';
const SECRETS_USER = `az role assignment create --role "Key Vault Secrets User" --assignee {clientId} --scope ${VAULT_ID}`;
const SET_POLICY = 'az keyvault set-policy --name {vault} --object-id {objectId} --secret-permissions get';
/** Shown only while the object ID is unknown (knowledge-base.ts `UNLESS_KNOWN`). */
const OBJECT_ID =
  '{unless:objectId}The object ID is: az identity show --name {identityName} --resource-group {resourceGroup} --query principalId -o tsv';
const APPLY_SPC = 'kubectl apply -f secret-provider-class.yaml -n {namespace}';
const ABOUT_SECRETS = 'https://learn.microsoft.com/azure/key-vault/secrets/about-secrets';
const ABOUT_KEYS = 'https://learn.microsoft.com/azure/key-vault/keys/about-keys';
const ABOUT_CERTIFICATES = 'https://learn.microsoft.com/azure/key-vault/certificates/about-certificates';
const LIST_MOUNT = 'kubectl exec {pod} -n {namespace} -- ls /mnt/secrets/';
const RBAC_GUIDE = 'https://learn.microsoft.com/azure/key-vault/general/rbac-guide';
const ROLE = (role: string) => `az role assignment create --role "${role}" --assignee {clientId} --scope ${VAULT_ID}`;
const POLICY = (flag: string, permissions = 'get') =>
  `az keyvault set-policy --name {vault} --object-id {objectId} --${flag} ${permissions}`;
/** Why a listing is asked for at all: the object's objectVersionHistory (the provider lists only above 1). */
const HISTORY =
  'objectVersionHistory of {objectName} in {spc} is above 1, so the provider first lists its versions (GET /{collection}/{objectName}/versions) and then gets each of them';
const ONE_VERSION = `Or, if the pod needs only the current version: remove objectVersionHistory from {objectName} in {spc}, then: ${APPLY_SPC}`;
/** An access-policy denial of the version listing (provider resolveObjectVersions) for one collection. */
const LIST_POLICY = (collection: string, flag: string) => ({
  cause: `Key Vault {vault} uses access policies, and none gives the identity (object ID {objectId}) list on ${collection} (inner error AccessDenied: "does not have ${collection} list permission"). ${HISTORY.replace('{collection}', collection)}: that needs ${collection} list as well as get.`,
  fix: [`Instructor: ${POLICY(flag, 'get list')}`, OBJECT_ID, ONE_VERSION],
  verify: [
    `az keyvault show --name {vault} --query "properties.accessPolicies[?objectId=='{objectId}'].permissions.${collection}" -o tsv`,
    'kubectl describe pod {pod} -n {namespace}',
  ],
  docs: 'https://learn.microsoft.com/azure/key-vault/general/assign-access-policy',
});
/** The SPC asks for one objectType, the vault holds the name as another: the provider gets objects by type. */
const WRONG_TYPE = (kind: string, type: string, show: string, mounts: string) => ({
  title: `{objectName} in vault {vault} is a ${kind}, not a {objectType}`,
  cause: `Vault {vault} has no {objectType} named {objectName}, but it has a ${kind} by that name: {spc} asks for objectType {objectType}, and the provider fetches each object by its type (secret: get secret, key: get key, cert: get certificate), so the lookup answers 404.`,
  fix: [`Set objectType of {objectName} in {spc} to ${type} (${mounts}), then: ${APPLY_SPC}`],
  verify: [show, LIST_MOUNT],
});

/** A key or certificate the vault holds under no type at all: the `az keyvault <group>` commands to find the name. */
const MISSING_OF_TYPE = (kind: string, code: string, none: string, group: string, query: string, docs: string) => ({
  cause: `Key Vault {vault} answered 404 (${code}) for the ${kind} {objectName}: ${none} in the vault has that name as far as the identity may list. Names must match exactly, and Key Vault names use "-" where you may expect "_".`,
  fix: [
    `az keyvault ${group} list --vault-name {vault} --query "[].name" -o tsv`,
    `Set objectName in {spc} to the exact name, then: ${APPLY_SPC}`,
  ],
  verify: [`az keyvault ${group} show --vault-name {vault} --name {objectName} --query ${query} -o tsv`, LIST_MOUNT],
  docs,
});

export const VAULT_ENTRIES = {
  ACCESS_DENIED: {
    commonProblem: 5,
    owner: 'instructor',
    title: 'Identity {clientId} may not read {objectName} in vault {vault}',
    cause:
      'Signing in worked, but Key Vault {vault} answered 403 Forbidden: the managed identity (client ID {clientId}) has no permission to get the {objectType} {objectName} (or to list its versions, which the provider does when the object sets objectVersionHistory above 1). A vault uses either access policies or Azure RBAC, and the fix depends on which.',
    fix: [
      'az keyvault show --name {vault} --query properties.enableRbacAuthorization -o tsv',
      `If false (access policies), instructor: ${SET_POLICY}`,
      `If true (Azure RBAC), instructor: ${SECRETS_USER}`,
      OBJECT_ID,
    ],
    verify: [
      `az role assignment list --assignee {clientId} --scope ${VAULT_ID} -o table`,
      'kubectl describe pod {pod} -n {namespace}',
    ],
    docs: 'https://learn.microsoft.com/azure/key-vault/general/troubleshooting-access-issues',
    variants: {
      'access-policy': {
        cause:
          'Key Vault {vault} uses access policies, and none gives the identity (object ID {objectId}) get on secrets (inner error AccessDenied: "does not have secrets get permission").',
        fix: [`Instructor: ${SET_POLICY}`, OBJECT_ID],
        verify: [
          'az keyvault show --name {vault} --query "properties.accessPolicies[].objectId" -o tsv',
          'kubectl describe pod {pod} -n {namespace}',
        ],
        docs: 'https://learn.microsoft.com/azure/key-vault/general/assign-access-policy',
      },
      rbac: {
        cause:
          'Key Vault {vault} uses Azure RBAC, and the identity (client ID {clientId}) has no role that allows reading secrets (inner error ForbiddenByRbac). Role assignments can take a few minutes to apply.',
        fix: [
          `Instructor: ${SECRETS_USER}`,
          'Wait a few minutes for the assignment to propagate; kubelet retries the mount.',
        ],
        docs: 'https://learn.microsoft.com/azure/key-vault/general/rbac-guide',
      },
      policy: {
        cause:
          'Key Vault {vault} refused the request because of a policy (inner error ForbiddenByPolicy), not because the identity lacks a role or access policy.',
        fix: [`Instructor: az policy assignment list --scope ${VAULT_ID} -o table`],
      },
      'list-access-policy': LIST_POLICY('secrets', 'secret-permissions'),
      'list-rbac': {
        cause: `Key Vault {vault} uses Azure RBAC, and no role of the identity (client ID {clientId}) allows listing secret versions (inner error ForbiddenByRbac, action Microsoft.KeyVault/vaults/secrets/readMetadata/action). ${HISTORY.replace('{collection}', 'secrets')}: a role that only gets secrets (getSecret/action, e.g. a custom role) is not enough; Key Vault Secrets User allows both. Role assignments can take a few minutes to apply.`,
        fix: [
          `Instructor: ${SECRETS_USER}`,
          'Wait a few minutes for the assignment to propagate; kubelet retries the mount.',
          ONE_VERSION,
        ],
        docs: RBAC_GUIDE,
      },
      'keys-list-access-policy': LIST_POLICY('keys', 'key-permissions'),
      'certificates-list-access-policy': LIST_POLICY('certificates', 'certificate-permissions'),
      'keys-access-policy': {
        cause:
          'Key Vault {vault} uses access policies, and none gives the identity (object ID {objectId}) get on keys (inner error AccessDenied: "does not have keys get permission"). For objectType key the provider gets the key itself, so secrets get alone is not enough.',
        fix: [`Instructor: ${POLICY('key-permissions')}`, OBJECT_ID],
        verify: [
          'az keyvault show --name {vault} --query "properties.accessPolicies[?objectId==\'{objectId}\'].permissions.keys" -o tsv',
          'kubectl describe pod {pod} -n {namespace}',
        ],
        docs: 'https://learn.microsoft.com/azure/key-vault/general/assign-access-policy',
      },
      'certificates-access-policy': {
        cause:
          'Key Vault {vault} uses access policies, and none gives the identity (object ID {objectId}) get on certificates (inner error AccessDenied: "does not have certificates get permission"). For objectType cert the provider gets the certificate itself, so secrets get alone is not enough.',
        fix: [`Instructor: ${POLICY('certificate-permissions')}`, OBJECT_ID],
        verify: [
          'az keyvault show --name {vault} --query "properties.accessPolicies[?objectId==\'{objectId}\'].permissions.certificates" -o tsv',
          'kubectl describe pod {pod} -n {namespace}',
        ],
        docs: 'https://learn.microsoft.com/azure/key-vault/general/assign-access-policy',
      },
      'keys-rbac': {
        cause:
          'Key Vault {vault} uses Azure RBAC, and the identity (client ID {clientId}) has no role that allows reading keys (inner error ForbiddenByRbac, action Microsoft.KeyVault/vaults/keys/read: getting a key and listing its versions for objectVersionHistory both need it). Key Vault Secrets User covers secrets only. Role assignments can take a few minutes to apply.',
        fix: [
          `Instructor: ${ROLE('Key Vault Crypto User')}`,
          'Wait a few minutes for the assignment to propagate; kubelet retries the mount.',
        ],
        docs: RBAC_GUIDE,
      },
      'certificates-rbac': {
        cause:
          'Key Vault {vault} uses Azure RBAC, and the identity (client ID {clientId}) has no role that allows reading certificates (inner error ForbiddenByRbac, action Microsoft.KeyVault/vaults/certificates/read: getting a certificate and listing its versions for objectVersionHistory both need it). Key Vault Secrets User covers secrets only. Role assignments can take a few minutes to apply.',
        fix: [
          `Instructor: ${ROLE('Key Vault Certificate User')}`,
          'Wait a few minutes for the assignment to propagate; kubelet retries the mount.',
        ],
        docs: RBAC_GUIDE,
      },
    },
  },
  FIREWALL: {
    commonProblem: null,
    owner: 'instructor',
    title: 'The network rules of vault {vault} block the cluster',
    cause:
      'Key Vault {vault} refused the request because of its network rules, not because of permissions (inner error ForbiddenByFirewall or ForbiddenByConnection): the address or subnet of the cluster nodes is not allowed, or public access is off and the request did not come through the private endpoint.',
    fix: [
      'az keyvault show --name {vault} --query "properties.networkAcls"',
      "Instructor: allow the cluster's node subnet (az keyvault network-rule add --name {vault} --resource-group {resourceGroup} --subnet with the subnet resource ID) or its outbound IP (--ip-address).",
    ],
    verify: ['kubectl describe pod {pod} -n {namespace}'],
    docs: 'https://learn.microsoft.com/azure/key-vault/general/network-security',
    variants: {
      firewall: {
        cause:
          'The Key Vault firewall of {vault} does not allow the outbound address of the cluster nodes ("Client address is not authorized and caller is not a trusted service").',
      },
      'public-access-disabled': {
        cause:
          'Public network access to {vault} is disabled and the request did not arrive through its private endpoint ("Public network access is disabled and request is not from a trusted service nor via an approved private link"), often because {vault}.vault.azure.net does not resolve to the private address inside the cluster.',
        fix: [
          `az network private-endpoint-connection list --id ${VAULT_ID} -o table`,
          'kubectl run dns-check -n {namespace} --rm -it --restart=Never --image=busybox -- nslookup {vault}.vault.azure.net',
          "Instructor: link the vault's private DNS zone (privatelink.vaultcore.azure.net) to the cluster's virtual network.",
        ],
        docs: 'https://learn.microsoft.com/azure/key-vault/general/private-link-diagnostics',
      },
    },
  },
  VAULT_NOT_FOUND: {
    commonProblem: null,
    owner: 'student',
    title: 'Vault {vault} does not exist',
    cause:
      'The name {vault} does not resolve to a Key Vault ({vault}.vault.azure.net: no such host): keyvaultName in {spc} is misspelt, is a URL instead of a name, or the vault was deleted.',
    fix: [
      'az keyvault list --query "[].name" -o tsv',
      `Set keyvaultName in {spc} to the exact name (the name, not the URL), then: ${APPLY_SPC}`,
      'If it was deleted recently, instructor: az keyvault list-deleted --query "[].name" -o tsv',
    ],
    verify: ['nslookup {vault}.vault.azure.net', 'kubectl describe pod {pod} -n {namespace}'],
    docs: 'https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates',
  },
  SECRET_NOT_FOUND: {
    commonProblem: 4,
    owner: 'student',
    title: '{objectName} is not in vault {vault}',
    cause:
      'Key Vault {vault} answered 404 for the {objectType} {objectName}: the objectName in {spc} does not match a name in the vault. Names must match exactly, and Key Vault names use "-" where you may expect "_".',
    fix: [
      'az keyvault secret list --vault-name {vault} --query "[].name" -o tsv',
      `Set objectName in {spc} to the exact name, then: ${APPLY_SPC}`,
    ],
    verify: [
      'az keyvault secret show --vault-name {vault} --name {objectName} --query id -o tsv',
      'kubectl exec {pod} -n {namespace} -- ls /mnt/secrets/',
    ],
    docs: ABOUT_SECRETS,
    variants: {
      'spc/object-version': {
        cause:
          'objectVersion {objectVersion} of {objectName} in {spc} is not a Key Vault version id (32 hex digits), so vault {vault} has no such version.',
        fix: [
          'az keyvault secret list-versions --vault-name {vault} --name {objectName} --query "[].id" -o tsv',
          `Set objectVersion in {spc} to one of them, or remove it to get the latest: ${APPLY_SPC}`,
        ],
      },
      'missing-version': {
        title: 'Version {objectVersion} of {objectName} is not in vault {vault}',
        cause:
          'Vault {vault} has the {objectType} {objectName}, but not the version {objectVersion} that {spc} pins with objectVersion: it was never created there, or was copied from another vault or object.',
        fix: [
          'az keyvault secret list-versions --vault-name {vault} --name {objectName} --query "[].id" -o tsv (for a key: az keyvault key list-versions; for a cert: az keyvault certificate list-versions)',
          `Set objectVersion in {spc} to one of them, or remove it to get the latest: ${APPLY_SPC}`,
        ],
      },
      'exists-as-secret': WRONG_TYPE(
        'secret',
        'secret',
        'az keyvault secret show --vault-name {vault} --name {objectName} --query id -o tsv',
        'the mount then holds its value',
      ),
      'exists-as-key': WRONG_TYPE(
        'key',
        'key',
        'az keyvault key show --vault-name {vault} --name {objectName} --query key.kid -o tsv',
        'the mount then holds its public key as PEM',
      ),
      'exists-as-cert': WRONG_TYPE(
        'certificate',
        'cert',
        'az keyvault certificate show --vault-name {vault} --name {objectName} --query id -o tsv',
        'the certificate as PEM; or objectType secret for its private key with the certificate',
      ),
      'missing-key': MISSING_OF_TYPE(
        'key',
        'KeyNotFound',
        'no key, secret or certificate',
        'key',
        'key.kid',
        ABOUT_KEYS,
      ),
      'missing-cert': MISSING_OF_TYPE(
        'certificate',
        'CertificateNotFound',
        'no certificate, secret or key',
        'certificate',
        'id',
        ABOUT_CERTIFICATES,
      ),
    },
  },
  SECRET_DISABLED: {
    commonProblem: null,
    owner: 'student',
    title: '{objectName} in vault {vault} cannot be used',
    cause:
      '{objectName} exists in vault {vault} but is disabled, expired or not yet valid; Key Vault refuses to return a disabled secret ("Operation get is not allowed on a disabled secret").',
    fix: [
      'az keyvault secret show --vault-name {vault} --name {objectName} --query attributes',
      'Instructor: az keyvault secret set-attributes --vault-name {vault} --name {objectName} --enabled true',
    ],
    verify: ['az keyvault secret show --vault-name {vault} --name {objectName} --query attributes.enabled'],
    docs: ABOUT_SECRETS,
    variants: {
      disabled: {
        cause: '{objectName} in vault {vault} is disabled ("Operation get is not allowed on a disabled secret").',
      },
      expired: {
        cause: 'The current version of {objectName} in vault {vault} is past its expiry date.',
        fix: [
          'Instructor: store a new value (a new version), or move the expiry to a later date, e.g.: az keyvault secret set-attributes --vault-name {vault} --name {objectName} --expires 2030-01-01T00:00:00Z',
        ],
      },
      'not-yet-valid': {
        cause: 'The current version of {objectName} in vault {vault} has an activation date in the future.',
        fix: [
          'Instructor: move the activation date to the past, e.g.: az keyvault secret set-attributes --vault-name {vault} --name {objectName} --not-before 2020-01-01T00:00:00Z',
        ],
      },
      'key-disabled': {
        cause:
          'The key {objectName} in vault {vault} is disabled ("Operation get is not allowed on a disabled key"), so the provider cannot get its public part.',
        fix: [
          'az keyvault key show --vault-name {vault} --name {objectName} --query attributes',
          'Instructor: az keyvault key set-attributes --vault-name {vault} --name {objectName} --enabled true',
        ],
        verify: ['az keyvault key show --vault-name {vault} --name {objectName} --query attributes.enabled'],
        docs: ABOUT_KEYS,
      },
      'key-expired': {
        cause:
          'The current version of the key {objectName} in vault {vault} is past its expiry date: the mount still gets its public part, but Key Vault refuses to use the key after that date.',
        fix: [
          'Instructor: rotate the key (az keyvault key rotate --vault-name {vault} --name {objectName}), or move the expiry: az keyvault key set-attributes --vault-name {vault} --name {objectName} --expires 2030-01-01T00:00:00Z',
        ],
        verify: ['az keyvault key show --vault-name {vault} --name {objectName} --query attributes.expires'],
        docs: ABOUT_KEYS,
      },
      'key-not-yet-valid': {
        cause: 'The current version of the key {objectName} in vault {vault} has an activation date in the future.',
        fix: [
          'Instructor: az keyvault key set-attributes --vault-name {vault} --name {objectName} --not-before 2020-01-01T00:00:00Z',
        ],
        verify: ['az keyvault key show --vault-name {vault} --name {objectName} --query attributes.notBefore'],
        docs: ABOUT_KEYS,
      },
      'unknown-content-type': {
        title: '{objectName} in vault {vault} is a certificate the provider cannot convert',
        cause:
          'Key Vault returned the secret {objectName}, but it belongs to a certificate whose content type is neither application/x-pkcs12 nor application/x-pem-file, so the provider cannot turn it into PEM and fails the mount ("failed to get certificate. unknown content type"). With objectType secret the provider converts only those two types.',
        fix: [
          'az keyvault secret show --vault-name {vault} --name {objectName} --query contentType -o tsv',
          `If the pod needs only the certificate, not its private key: set objectType of {objectName} in {spc} to cert, then: ${APPLY_SPC}`,
          'Otherwise, instructor: import the certificate again as PKCS#12 or PEM (az keyvault certificate import --vault-name {vault} --name {objectName} --file <certificate.pfx or .pem>), so that its secret gets a content type the provider converts.',
        ],
        verify: [
          'az keyvault secret show --vault-name {vault} --name {objectName} --query contentType -o tsv',
          LIST_MOUNT,
        ],
        docs: ABOUT_CERTIFICATES,
      },
      'key-type-unsupported': {
        title: '{objectName} in vault {vault} is a key the provider cannot mount',
        cause:
          'Key Vault returned the key {objectName}, but it is neither an RSA nor an EC key: for objectType key the provider writes the public part as PEM, and a symmetric key (JSON Web Key type oct or oct-HSM, from a Managed HSM) has no public part, so the mount fails ("failed to get key. key type ... currently not supported").',
        fix: [
          'az keyvault key show --vault-name {vault} --name {objectName} --query key.kty -o tsv',
          `If the pod needs a public key: instructor: create an RSA or EC key (az keyvault key create --vault-name {vault} --name <new key name> --kty RSA), set objectName in {spc} to it, then: ${APPLY_SPC}`,
          'If the application uses the symmetric key itself: remove {objectName} from {spc}; the key never leaves the vault, so the application calls Key Vault to wrap, unwrap or encrypt with it.',
        ],
        verify: ['az keyvault key show --vault-name {vault} --name {objectName} --query key.kty -o tsv', LIST_MOUNT],
        docs: ABOUT_KEYS,
      },
      'cert-disabled': {
        cause:
          'The certificate {objectName} in vault {vault} is disabled: Key Vault still returns the certificate, so objectType cert mounts, but its secret (the private key, objectType secret) is refused, and a renewal will not be used until it is enabled.',
        fix: [
          'az keyvault certificate show --vault-name {vault} --name {objectName} --query attributes',
          'Instructor: az keyvault certificate set-attributes --vault-name {vault} --name {objectName} --enabled true',
        ],
        verify: ['az keyvault certificate show --vault-name {vault} --name {objectName} --query attributes.enabled'],
        docs: ABOUT_CERTIFICATES,
      },
      'cert-expired': {
        cause:
          'The current version of the certificate {objectName} in vault {vault} has expired: the mount writes it, but clients that check it (TLS) will refuse it.',
        fix: [
          'Instructor: renew it with a new version: az keyvault certificate create --vault-name {vault} --name {objectName} --policy "$(az keyvault certificate get-default-policy)" (or import the renewed certificate)',
        ],
        verify: ['az keyvault certificate show --vault-name {vault} --name {objectName} --query attributes.expires'],
        docs: ABOUT_CERTIFICATES,
      },
      'cert-not-yet-valid': {
        cause:
          'The current version of the certificate {objectName} in vault {vault} is not valid yet (its notBefore is in the future).',
        fix: ['Instructor: wait for its start date, or import a certificate that is already valid as a new version.'],
        verify: ['az keyvault certificate show --vault-name {vault} --name {objectName} --query attributes.notBefore'],
        docs: ABOUT_CERTIFICATES,
      },
    },
  },
} as const satisfies Partial<Record<Category, KbEntry>>;
