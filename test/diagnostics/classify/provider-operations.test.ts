/**
 * Messages `kvlab explain` used to answer wrongly: a 403 on listing versions called a "get" problem, a denial of keys
 * or certificates given the secrets text, a CSIDriver without inline-volume support and a certificate content type
 * the provider cannot convert answered OTHER. Each message is built from the component's own format string:
 *
 * - version listing (objectVersionHistory > 1, Azure/secrets-store-csi-driver-provider-azure pkg/provider
 *   provider.go resolveObjectVersions): provider v1.2–v1.4 wraps the autorest error of
 *   `keyvault.BaseClient#GetSecretVersions` in `failed to get objectType:…` (commit 5c39064b, #834); v1.5+ returns the
 *   azure-sdk-for-go error of the pager unwrapped (`GET …/secrets/<name>/versions`, azcore response_error.go);
 *   the autorest text and Key Vault's denial are as observed in public logs ("does not have secrets list permission
 *   on key vault '…;location=westus2'", InnerError={"code":"AccessDenied"});
 * - kubelet pkg/volume/csi supportsVolumeLifecycleMode: `volume mode %q not supported by driver %s (only supports
 *   %q)`, under `MountVolume.NewMounter initialization failed for volume "%s" : %v`;
 * - provider getSecret: `failed to get certificate. unknown content type '%s'`, wrapped per object.
 */
import { describe, expect, it } from 'vitest';
import { explainMessage } from '../../../diagnostics/explain.ts';
import { classifyMessage } from '../../../diagnostics/knowledge/classify/index.ts';
import { variantDetailOf, variantOf } from '../../../diagnostics/knowledge/variant-of.ts';

const MOUNT =
  'MountVolume.SetUp failed for volume "secrets-store01-inline" : rpc error: code = Unknown desc = failed to mount secrets store objects for pod student-13/pod-keyvault, err: rpc error: code = Unknown desc = failed to mount objects, error: ';
const CALLER =
  'appid=248b3285-aa4c-436f-b0da-8ab35ba2d14a;oid=bfcf34d4-cde4-48dd-b7d7-6c3db4ff884c;iss=https://sts.windows.net/2e319086-9a26-46a3-865f-615bed576786/';
const RULE = '-'.repeat(80);
const FWLINK = 'For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287';

/** Provider ≤ v1.4: the object wrapper around autorest's error (access-policy denial). */
const autorestDenial = (type: string, name: string, method: string, collection: string, verb: string) =>
  `${MOUNT}failed to get objectType:${type}, objectName:${name}, objectVersion:: keyvault.BaseClient#${method}: Failure responding to request: StatusCode=403 -- Original Error: autorest/azure: Service returned an error. Status=403 Code="Forbidden" Message="The user, group or application '${CALLER}' does not have ${collection} ${verb} permission on key vault 'kv-westus2-aks;location=westus2'. ${FWLINK}" InnerError={"code":"AccessDenied"}`;

/** Provider ≥ v1.5: azcore's ResponseError text for a request, its JSON body pretty-printed. */
function sdkError(path: string, inner: string, message: string, prefix = MOUNT): string {
  const body = JSON.stringify({ error: { code: 'Forbidden', message, innererror: { code: inner } } }, null, 2);
  return [
    `${prefix}GET https://kv-kvlab-lab.vault.azure.net${path}`,
    RULE,
    'RESPONSE 403: 403 Forbidden',
    'ERROR CODE: Forbidden',
    RULE,
    body,
    RULE,
    '',
  ].join('\n');
}
const rbacText = (action: string, resource: string) =>
  [
    'Caller is not authorized to perform action on resource.',
    'If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.',
    `Caller: ${CALLER}`,
    `Action: '${action}'`,
    `Resource: '/subscriptions/3c9e1f00-1111-4222-8333-444455556666/resourcegroups/rg-kvlab/providers/microsoft.keyvault/vaults/kv-kvlab-lab/${resource}'`,
    'Assignment: (not found)',
    'DenyAssignmentId: null',
    "DecisionReason: 'DeniedWithNoValidRBAC' ",
    'Vault: kv-kvlab-lab;location=westeurope',
    '',
  ].join('\r\n');
const policyText = (collection: string, verb: string) =>
  `The user, group or application '${CALLER}' does not have ${collection} ${verb} permission on key vault 'kv-kvlab-lab;location=westeurope'. ${FWLINK}`;

function explained(message: string) {
  const c = classifyMessage(message);
  return { ...explainMessage(message), variant: variantOf(c.category, variantDetailOf(c.details)) };
}

describe('a 403 names the permission of the operation that failed', () => {
  it('a version listing refused by an access policy (provider ≤ v1.4, autorest) asks for secrets list', () => {
    const e = explained(autorestDenial('secret', 'db-password', 'GetSecretVersions', 'secrets', 'list'));
    expect([e.category, e.variant]).toEqual(['ACCESS_DENIED', 'list-access-policy']);
    expect(e.details.keyVaultOperation).toBe('secrets list');
    expect(e.fix[0]).toBe(
      'Instructor: az keyvault set-policy --name kv-westus2-aks --object-id bfcf34d4-cde4-48dd-b7d7-6c3db4ff884c --secret-permissions get list',
    );
    expect(e.cause).toContain('does not have secrets list permission');
    expect(e.cause).toContain('GET /secrets/db-password/versions');
    expect(e.fix.at(-1)).toMatch(/^Or, if the pod needs only the current version: remove objectVersionHistory/);
  });

  it('a version listing refused by RBAC (provider ≥ v1.5, unwrapped) asks for a role that may read metadata', () => {
    const message = sdkError(
      '/secrets/db-password/versions',
      'ForbiddenByRbac',
      rbacText('Microsoft.KeyVault/vaults/secrets/readMetadata/action', 'secrets/db-password'),
    );
    const e = explained(message);
    expect([e.category, e.variant]).toEqual(['ACCESS_DENIED', 'list-rbac']);
    expect(e.details).toMatchObject({ objectName: 'db-password', objectType: 'secret', vault: 'kv-kvlab-lab' });
    expect(e.cause).toContain('action Microsoft.KeyVault/vaults/secrets/readMetadata/action');
    expect(e.fix[0]).toMatch(/^Instructor: az role assignment create --role "Key Vault Secrets User" --assignee /);
  });

  it('keys and certificates: list and get each name their own collection', () => {
    const keysList = explained(sdkError('/keys/signing-key/versions', 'AccessDenied', policyText('keys', 'list')));
    expect([keysList.category, keysList.variant]).toEqual(['ACCESS_DENIED', 'keys-list-access-policy']);
    expect(keysList.fix[0]).toBe(
      'Instructor: az keyvault set-policy --name kv-kvlab-lab --object-id bfcf34d4-cde4-48dd-b7d7-6c3db4ff884c --key-permissions get list',
    );
    const certsList = explained(
      sdkError(
        '/certificates/tls-cert/versions',
        'AccessDenied',
        policyText('certificates', 'list'),
        'failed to mount objects, error: ',
      ),
    );
    expect(certsList.variant).toBe('certificates-list-access-policy');
    expect(certsList.fix[0]).toMatch(/--certificate-permissions get list$/);

    const keyGet = explained(
      sdkError(
        '/keys/signing-key/',
        'AccessDenied',
        policyText('keys', 'get'),
        `${MOUNT}failed to get objectType:key, objectName:signing-key, objectVersion:: `,
      ),
    );
    expect(keyGet.variant).toBe('keys-access-policy');
    expect(keyGet.fix[0]).toMatch(/--key-permissions get$/);
    const certRbac = explained(
      sdkError(
        '/certificates/tls-cert/versions',
        'ForbiddenByRbac',
        rbacText('Microsoft.KeyVault/vaults/certificates/read', 'certificates/tls-cert'),
      ),
    );
    expect([certRbac.variant, certRbac.details.keyVaultOperation]).toEqual(['certificates-rbac', 'certificates list']);
    expect(certRbac.fix[0]).toMatch(/--role "Key Vault Certificate User"/);
  });

  it('a get refused is still the get text, with the get permission', () => {
    const rbac = explained(
      sdkError(
        '/secrets/db-password/',
        'ForbiddenByRbac',
        rbacText('Microsoft.KeyVault/vaults/secrets/getSecret/action', 'secrets/db-password'),
        `${MOUNT}failed to get objectType:secret, objectName:db-password, objectVersion:: `,
      ),
    );
    expect([rbac.category, rbac.variant, rbac.details.keyVaultOperation]).toEqual([
      'ACCESS_DENIED',
      'rbac',
      'secrets get',
    ]);
    const policy = explained(autorestDenial('secret', 'db-password', 'GetSecret', 'secrets', 'get'));
    expect(policy.variant).toBe('access-policy');
    expect(policy.fix[0]).toBe(
      'Instructor: az keyvault set-policy --name kv-westus2-aks --object-id bfcf34d4-cde4-48dd-b7d7-6c3db4ff884c --secret-permissions get',
    );
  });

  it('reads no operation out of a 403 that is not about a permission', () => {
    const firewall = sdkError(
      '/secrets/db-password/',
      'ForbiddenByFirewall',
      'Client address is not authorized and caller is not a trusted service.\r\nClient address: 20.10.0.4',
    );
    const c = classifyMessage(firewall);
    expect(c.category).toBe('FIREWALL');
    expect(c.details.keyVaultOperation).toBeUndefined();
  });
});

describe('kubelet refuses an inline volume: the CSIDriver object lacks Ephemeral', () => {
  const message = (driver: string) =>
    `MountVolume.NewMounter initialization failed for volume "secrets-store01-inline" : volume mode "Ephemeral" not supported by driver ${driver} (only supports ["Persistent"])`;

  it('for the Secrets Store driver: an install problem, with the fix that recreates the CSIDriver', () => {
    const e = explained(message('secrets-store.csi.k8s.io'));
    expect([e.category, e.variant, e.confidence]).toEqual(['CSI_DRIVER_UNHEALTHY', 'no-ephemeral-mode', 'high']);
    expect(e.details).toMatchObject({ driver: 'secrets-store.csi.k8s.io', lifecycleModes: '["Persistent"]' });
    expect(e.title).toBe('The CSIDriver object secrets-store.csi.k8s.io does not allow inline volumes');
    expect(e.fix[0]).toBe('kubectl get csidriver secrets-store.csi.k8s.io -o yaml');
    expect(e.fix.join('\n')).toContain('volumeLifecycleModes cannot be changed in place');
    expect(e.commonProblem).toBe(1);
  });

  it('a paste wrapped by the terminal reads the same; another driver is not the Key Vault mount', () => {
    const wrapped = explained(
      message('secrets-store.csi.k8s.io').replace('not supported by driver', 'not supp\norted by\n driver'),
    );
    expect([wrapped.variant, wrapped.details.lifecycleModes]).toEqual(['no-ephemeral-mode', '["Persistent"]']);
    const disk = explained(message('disk.csi.azure.com'));
    expect(disk.category).toBe('OTHER');
    expect(disk.signals[0]).toMatch(/names driver disk\.csi\.azure\.com, which serves only \["Persistent"\]/);
  });

  it('without a CSIDriver object it stays "not installed"', () => {
    const e = explained(
      message('secrets-store.csi.k8s.io').replace('(only supports ["Persistent"])', '(no CSIDriver object)'),
    );
    expect(e.category).toBe('CSI_DRIVER_NOT_INSTALLED');
  });
});

describe("a certificate's secret in a content type the provider cannot convert", () => {
  it('is the object being unusable, with the objectType cert way out and the re-import', () => {
    const e = explained(
      `${MOUNT}failed to get objectType:secret, objectName:tls-cert, objectVersion:: failed to get certificate. unknown content type 'application/pkix-cert'`,
    );
    expect([e.category, e.variant]).toEqual(['SECRET_DISABLED', 'unknown-content-type']);
    expect(e.details).toMatchObject({
      objectName: 'tls-cert',
      objectType: 'secret',
      contentType: 'application/pkix-cert',
    });
    expect(e.title).toBe('tls-cert in vault <vault name> is a certificate the provider cannot convert');
    expect(e.fix[1]).toBe(
      'If the pod needs only the certificate, not its private key: set objectType of tls-cert in <SecretProviderClass name> to cert, then: kubectl apply -f secret-provider-class.yaml -n student-13',
    );
  });

  it('an empty content type is read too', () => {
    const c = classifyMessage(
      `${MOUNT}failed to get objectType:secret, objectName:tls-cert, objectVersion:: failed to get certificate. unknown content type ''`,
    );
    expect([c.category, c.details.contentType]).toEqual(['SECRET_DISABLED', '']);
  });
});
