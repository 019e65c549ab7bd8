/**
 * What failure a FailedMount message reports, independent of the provider generation that worded it
 * (go-autorest ≤ v1.4, Azure SDK for Go ≥ v1.5, v1.7 "is not set" / v1.8 "is not provided"): an AADSTS code,
 * a Key Vault status + error code for one object, a DNS miss, a validation failure, a driver prerequisite.
 * Two messages with the same signature are the same failure; the kubelet then keeps re-emitting the message
 * already recorded for the pod, so a namespace keeps its generation's wording and its Event's count grows.
 */
import { COMBINED_PREFIX } from './event-correlator.ts';

const OBJECT = /objectType:([^,]*), objectName:([^,]*), objectVersion:([^:\s]*): /;

/** The signature of a kubelet FailedMount message, or undefined for messages it does not recognise. */
export function failureSignature(message: string): string | undefined {
  const text = message.startsWith(COMBINED_PREFIX) ? message.slice(COMBINED_PREFIX.length) : message;
  const object = OBJECT.exec(text);
  const objectRef = object ? `${object[1]}/${object[2]}/${object[3]}` : '';
  const rules: Array<[RegExp, (m: RegExpExecArray) => string]> = [
    [/^Unable to attach or mount volumes: /, () => 'volume-wait-timeout'],
    [/\(no CSIDriver object\)/, () => 'no-csidriver'],
    [/not found in the list of registered CSI drivers/, () => 'driver-not-registered'],
    [/dial unix \/var\/lib\/kubelet\/plugins\/csi-secrets-store\/csi\.sock/, () => 'driver-unavailable'],
    [/secrets-store-csi-providers\/([\w-]+)\.sock/, (m) => `provider-unavailable:${m[1]}`],
    [/failed to get service acc\w* token attributes: (.*)$/, (m) => `token-request:${m[1]}`],
    [/Readonly is not true in request/, () => 'readonly'],
    [/secretProviderClass is not set/, () => 'spc-attribute-missing'],
    [/failed to get secretproviderclass [^/]+\/([^,]+), error: .*not found/, (m) => `spc-not-found:${m[1]}`],
    [/provider not set in /, () => 'spc-provider-missing'],
    [/parameters not set in /, () => 'spc-parameters-missing'],
    [/error connecting to provider "([^"]*)": provider not found/, (m) => `provider-not-found:${m[1]}`],
    [/missing object versions/, () => 'missing-object-versions'],
    [/failed to parse (\w+) flag/, (m) => `flag:${m[1]}`],
    [/cannot enable both pod identity|only one identity mode can be enabled/, () => 'identity-modes'],
    [/keyvaultName is not (?:set|provided)/, () => 'keyvaultName-missing'],
    [/tenantId is not (?:set|provided)/, () => 'tenantId-missing'],
    [/cloudName (\S+) is not valid/, (m) => `cloud:${m[1]}`],
    [/service account tokens not found|token for audience \S+ not found/, () => 'sa-token-missing'],
    [/nodePublishSecretRef secret is not set/, () => 'node-publish-secret-missing'],
    [/objects is not set/, () => 'objects-missing'],
    [/failed to yaml unmarshal objects|unmarshal failed for keyVaultObjects/, () => 'objects-unparsable'],
    [/Invalid vault name: "([^"]*)"/, (m) => `vault-name:${m[1]}`],
    [/Invalid vaultObjectTypes/, () => `object-type:${objectRef}`],
    [/localhost:2579/, () => 'pod-identity-nmi'],
    [/AADSTS(\d+)/, (m) => `aadsts:${m[1]}`],
    [/lookup (\S+?)(?: on \S+)?: no such host/, (m) => `dns:${m[1]}:${objectRef}`],
  ];
  for (const [pattern, name] of rules) {
    const m = pattern.exec(text);
    if (m) return name(m);
  }
  const keyVault = keyVaultStatus(text);
  if (keyVault) return `keyvault:${keyVault}:${objectRef}`;
  if (OBJECT.test(text))
    return `object-invalid:${objectRef}:${text.slice((object?.index ?? 0) + (object?.[0].length ?? 0))}`;
  return undefined;
}

/** `<status> <innererror.code ?? error.code>` from a go-autorest or an azcore Key Vault error text. */
function keyVaultStatus(text: string): string | undefined {
  const autorest = /Status=(\d{3}) Code="(\w+)" Message="(?:[^"\\]|\\.)*"(?: InnerError=\{"code":"(\w+)"\})?/.exec(
    text,
  );
  if (autorest) return `${autorest[1]} ${autorest[3] ?? autorest[2]}`;
  const sdk = /RESPONSE (\d{3}): [^\n]*\n(?:ERROR CODE[^\n]*\n)?-{80}\n([\s\S]*?)\n-{80}/.exec(text);
  if (!sdk) return undefined;
  try {
    const { error } = JSON.parse(sdk[2] ?? '{}') as { error?: { code?: string; innererror?: { code?: string } } };
    return `${sdk[1]} ${error?.innererror?.code ?? error?.code ?? ''}`.trim();
  } catch {
    return sdk[1];
  }
}
