import { describe, expect, it } from 'vitest';
import { classifyMessage, rankClassifications } from '../../../diagnostics/knowledge/classify/index.ts';

const SETUP =
  'MountVolume.SetUp failed for volume "secrets-store" : rpc error: code = Unknown desc = failed to mount secrets store objects for pod student-07/pod-keyvault, err: rpc error: code = Unknown desc = failed to mount objects, error: ';
const OBJECT = 'failed to get objectType:secret, objectName:db-password, objectVersion:: ';
const DASH = '-'.repeat(80);

function autorest403(message: string, inner?: string): string {
  const innerPart = inner ? ` InnerError={"code":"${inner}"}` : '';
  return `${SETUP}${OBJECT}keyvault.BaseClient#GetSecret: Failure responding to request: StatusCode=403 -- Original Error: autorest/azure: Service returned an error. Status=403 Code="Forbidden" Message="${message}"${innerPart}`;
}

function sdkResponse(status: string, code: string, body: object): string {
  return `${SETUP}${OBJECT}GET https://kv-kvlab-7f3a.vault.azure.net/secrets/db-password/\n${DASH}\nRESPONSE ${status}\nERROR CODE: ${code}\n${DASH}\n${JSON.stringify(body, null, 2)}\n${DASH}\n`;
}

describe('precedence between evidence layers', () => {
  it('lets the inner code decide over the top-level 403', () => {
    const message = 'Client address is not authorized and caller is not a trusted service.';
    expect(classifyMessage(autorest403(message, 'ForbiddenByFirewall')).category).toBe('FIREWALL');
    expect(classifyMessage(autorest403('Access denied.', 'ForbiddenByRbac')).category).toBe('ACCESS_DENIED');
    expect(classifyMessage(autorest403('Operation get is not allowed.', 'SecretDisabled')).category).toBe(
      'SECRET_DISABLED',
    );
  });

  it('reads a 403 without an inner code as an access denial with medium confidence', () => {
    const result = classifyMessage(autorest403('Access denied.'));
    expect(result).toMatchObject({ category: 'ACCESS_DENIED', confidence: 'medium' });
    const withInner = classifyMessage(autorest403('Access denied.', 'AccessDenied'));
    expect(withInner.confidence).toBe('high');
    expect(withInner.specificity).toBeGreaterThan(result.specificity);
  });

  it('treats an AADSTS error inside a per-object get as an authentication failure, not about the object', () => {
    const text = `${SETUP}${OBJECT}ClientAssertionCredential authentication failed. \nPOST https://login.microsoftonline.com/8d3b1f2e-6a4c-4b9d-a1e7-2c5f9e0b3d61/oauth2/v2.0/token\n${DASH}\nRESPONSE 401: 401 Unauthorized\n${DASH}\n{"error":"invalid_client","error_description":"AADSTS700213: No matching federated identity record found for presented assertion subject 'system:serviceaccount:student-07:default'."}\n${DASH}\n`;
    const result = classifyMessage(text);
    expect(result.category).toBe('AUTH_FAILED');
    expect(result.details).toMatchObject({ aadsts: '700213', objectName: 'db-password', statusCode: 401 });
    expect(result.signals.join(' ')).toContain('not about that object');
  });

  it('lets a status number decide over contradicting prose', () => {
    const body = {
      error: { code: 'Forbidden', message: 'A secret with (name/id) x was not found in this key vault.' },
    };
    expect(classifyMessage(sdkResponse('403: 403 Forbidden', 'Forbidden', body)).category).toBe('ACCESS_DENIED');
    const notFound = { error: { code: 'SecretNotFound', message: 'caller does not have secrets get permission' } };
    expect(classifyMessage(sdkResponse('404: 404 Not Found', 'SecretNotFound', notFound)).category).toBe(
      'SECRET_NOT_FOUND',
    );
  });

  it('falls back to prose only when there is no status, with lower specificity', () => {
    const prose = classifyMessage('A secret with (name/id) db-password was not found in this key vault.');
    const coded = classifyMessage(
      sdkResponse('404: 404 Not Found', 'SecretNotFound', { error: { code: 'SecretNotFound' } }),
    );
    expect(prose).toMatchObject({ category: 'SECRET_NOT_FOUND', confidence: 'medium' });
    expect(coded.specificity).toBeGreaterThan(prose.specificity);
  });

  it('prefers a Key Vault answer over the DeadlineExceeded wrapper around it', () => {
    const text = autorest403('Access denied.', 'AccessDenied').replace('code = Unknown', 'code = DeadlineExceeded');
    expect(classifyMessage(text).category).toBe('ACCESS_DENIED');
  });

  it('does not read a pod-identity NMI 403 as a Key Vault denial', () => {
    const text = `${SETUP}failed to get keyvault client: failed to get authorizer for keyvault client: nmi response failed with status code: 403, response body: Identity not found`;
    expect(classifyMessage(text)).toMatchObject({ category: 'AUTH_FAILED', details: { statusCode: 403 } });
  });

  it('blames the vault name for a vault DNS failure but not for an Entra ID DNS failure', () => {
    const lookup = (host: string) =>
      `${SETUP}${OBJECT}Get "https://${host}/x": dial tcp: lookup ${host} on 10.0.0.10:53: no such host`;
    expect(classifyMessage(lookup('kv-typo.vault.azure.net')).category).toBe('VAULT_NOT_FOUND');
    const login = classifyMessage(lookup('login.microsoftonline.com'));
    expect(login.category).not.toBe('VAULT_NOT_FOUND');
    expect(login.details.host).toBe('login.microsoftonline.com');
  });

  it('reads a resolver timeout as transient, not as a missing vault', () => {
    const text = `${SETUP}${OBJECT}dial tcp: lookup kv-kvlab-7f3a.vault.azure.net on 10.0.0.10:53: read udp 10.224.0.33:41234->10.0.0.10:53: i/o timeout`;
    expect(classifyMessage(text).category).toBe('TIMEOUT_OR_TRANSIENT');
  });

  it("lets Entra's answer decide over a lab placeholder, and says both", () => {
    const text = `${SETUP}${OBJECT}AADSTS700016: Application with identifier '<IDENTITY_CLIENT_ID>' was not found in the directory 'Lab'.`;
    const result = classifyMessage(text);
    expect(result).toMatchObject({ category: 'AUTH_FAILED', details: { placeholder: '<IDENTITY_CLIENT_ID>' } });
    expect(result.signals.some((s) => s.startsWith('<IDENTITY_CLIENT_ID> looks like a template placeholder'))).toBe(
      true,
    );
  });

  it('keeps a placeholder decisive when the failure is what a literal placeholder produces', () => {
    const text = `${SETUP}failed to get vault: Invalid vault name: "<KEY_VAULT_NAME>", must match [-a-zA-Z0-9]{3,24}`;
    expect(classifyMessage(text).category).toBe('SPC_INVALID');
  });

  it('reads a Key Vault 403 around a redacted tenant as access denied', () => {
    const text = `${SETUP}${OBJECT}StatusCode=403 -- Original Error: autorest/azure: Service returned an error. Status=403 Code="Forbidden" Message="The user, group or application 'appid=xxxx;oid=xxxx;iss=https://sts.windows.net/<TENANT_ID>/' does not have secrets get permission on key vault 'kv;location=westeurope'."`;
    expect(classifyMessage(text).category).toBe('ACCESS_DENIED');
  });

  it("does not mistake a user's redaction for a placeholder", () => {
    const text = `${SETUP}${OBJECT}AADSTS700016: Application with identifier '<client-id>' was not found in the directory '<redacted>'.`;
    expect(classifyMessage(text).category).toBe('AUTH_FAILED');
  });

  it("reads the driver's own Kubernetes 403 as a driver install problem, not a Key Vault denial", () => {
    const text =
      'failed to get secretproviderclass student-07/x, error: secretproviderclasses.secrets-store.csi.x-k8s.io "x" is forbidden: User "system:serviceaccount:kube-system:secrets-store-csi-driver" cannot get resource "secretproviderclasses" in API group "secrets-store.csi.x-k8s.io" in the namespace "student-07"';
    expect(classifyMessage(text).category).toBe('CSI_DRIVER_UNHEALTHY');
  });

  it('answers a wrapped but unknown error honestly', () => {
    const result = classifyMessage(`${SETUP}something nobody has seen before`);
    expect(result).toMatchObject({ category: 'OTHER', confidence: 'low' });
    expect(result.signals[0]).toContain('no known cause');
    expect(classifyMessage('the quick brown fox')).toMatchObject({
      category: 'OTHER',
      confidence: 'low',
      specificity: 0,
    });
  });
});

describe('ranking the events of one pod', () => {
  const events = [
    'Unable to attach or mount volumes: unmounted volumes=[secrets-store], unattached volumes=[secrets-store kube-api-access-x]: timed out waiting for the condition',
    'MountVolume.SetUp failed for volume "secrets-store" : rpc error: code = DeadlineExceeded desc = context deadline exceeded',
    autorest403('Access denied.', 'ForbiddenByRbac'),
    'Unable to attach or mount volumes: unmounted volumes=[secrets-store], unattached volumes=[secrets-store kube-api-access-x]: context deadline exceeded',
  ].map((message, id) => ({ id, classification: classifyMessage(message) }));

  it('puts the Key Vault 403 with an inner code first and the generic wait timeout last', () => {
    const ranked = rankClassifications(events);
    expect(ranked.map((e) => e.id)).toEqual([2, 1, 0, 3]);
  });

  it("ranks a mount row whose cause was cut off above kubelet's wait follow-up, without calling it a timeout", () => {
    const table = [
      '  Warning  FailedMount  44m (x988 over 7d23h)  kubelet  Unable to attach or mount volumes: unmounted volumes=[secrets-store], unattached volumes=[secrets-store kube-api-access-x]: timed out waiting for the condition',
      '  Warning  FailedMount  3m (x5657 over 7d23h)  kubelet  MountVolume.SetUp failed for volume "secrets-store" : rpc error: code = Unknown desc = failed to get secretproviderclass default/x, error: Get https://10.0.0.1:443/apis/secrets-store.csi.x-k8s.io/v1/namespaces/defa',
    ].join('\n');
    expect(classifyMessage(table)).toMatchObject({ category: 'OTHER', confidence: 'low' });
    // The same rows merged into one segment (a paste that lost the row break) must not turn kubelet's wait into a cause.
    expect(classifyMessage(table.replace('\n', ' ')).category).toBe('OTHER');
  });

  it('returns a new array, keeps input order for ties and leaves the input alone', () => {
    const before = events.map((e) => e.id);
    const ranked = rankClassifications(events);
    expect(ranked).not.toBe(events);
    expect(events.map((e) => e.id)).toEqual(before);
    expect(rankClassifications([])).toEqual([]);
  });

  it('answers an events table for its most specific row', () => {
    const table = [
      '  Type     Reason       Age                 From     Message',
      '  ----     ------       ----                ----     -------',
      '  Warning  FailedMount  2m (x5 over 10m)    kubelet  Unable to attach or mount volumes: unmounted volumes=[secrets-store], unattached volumes=[secrets-store]: timed out waiting for the condition',
      `  Warning  FailedMount  30s (x8 over 11m)   kubelet  ${autorest403('Access denied.', 'AccessDenied')}`,
    ].join('\n');
    const result = classifyMessage(table);
    expect(result).toMatchObject({ category: 'ACCESS_DENIED', details: { eventReason: 'FailedMount' } });
    expect(result.signals.join(' ')).toContain('2 rows');
  });

  it('reads a whole kubectl describe pod output through its events', () => {
    const describe = [
      'Name:             pod-keyvault',
      'Namespace:        student-07',
      'Service Account:  workload-identity-sa',
      'Status:           Pending',
      'Containers:',
      '  app:',
      '    Image:          busybox',
      '    State:          Waiting',
      '      Reason:       ContainerCreating',
      '    Environment:',
      '      AZURE_AUTHORITY_HOST:        https://login.microsoftonline.com/',
      'Volumes:',
      '  secrets-store:',
      '    Type:              CSI (a Container Storage Interface (CSI) volume source)',
      '    Driver:            secrets-store.csi.k8s.io',
      '    VolumeAttributes:      secretProviderClass=azure-kv-secrets',
      'Events:',
      '  Type     Reason       Age                From               Message',
      '  ----     ------       ----               ----               -------',
      '  Normal   Scheduled    5m                 default-scheduler  Successfully assigned student-07/pod-keyvault to aks-nodepool1-1234-vmss000000',
      `  Warning  FailedMount  60s (x10 over 5m)  kubelet            ${SETUP}${OBJECT}AADSTS700213: No matching federated identity record found for presented assertion subject 'system:serviceaccount:student-07:default'.`,
      '  Warning  FailedMount  50s (x2 over 3m)   kubelet            Unable to attach or mount volumes: unmounted volumes=[secrets-store], unattached volumes=[secrets-store kube-api-access-x]: context deadline exceeded',
    ].join('\n');
    expect(classifyMessage(describe)).toMatchObject({ category: 'AUTH_FAILED', details: { aadsts: '700213' } });
  });

  it('keeps a log line pasted before a generic event as evidence of its own', () => {
    const text = [
      `E0311 09:14:27.123456       1 server.go:58] "failed to process mount request" err="${OBJECT}keyvaultName is not provided"`,
      '  Warning  FailedMount  2m (x5 over 10m)  kubelet  Unable to attach or mount volumes: unmounted volumes=[secrets-store], unattached volumes=[secrets-store]: timed out waiting for the condition',
    ].join('\n');
    expect(classifyMessage(text).category).toBe('SPC_INVALID');
  });

  it("reads the provider's decode failure of an objectEncoding as the SPC's mistake, not an unknown error", () => {
    for (const tail of ['illegal base64 data at input byte 5', 'encoding/hex: odd length hex string']) {
      const result = classifyMessage(`${SETUP}${tail}`);
      expect(result.category, tail).toBe('SPC_INVALID');
      expect(result.signals.join(' '), tail).toMatch(/objectEncoding/);
    }
    // The same Go error outside a mount is not about an SPC.
    expect(classifyMessage('illegal base64 data at input byte 5').category).not.toBe('SPC_INVALID');
  });
});
