/**
 * FailedMount message layout, layer by layer, as kubelet v1.27, Secrets Store CSI driver and Azure provider
 * v1.5.x print them: kubelet's operation error `MountVolume.SetUp failed for volume "<vol>" : <err>`, the
 * driver's gRPC status `rpc error: code = Unknown desc = failed to mount secrets store objects for pod
 * <ns>/<pod>, err: <err>`, the provider's `rpc error: code = Unknown desc = failed to mount objects, error: …`,
 * and the Azure SDK for Go error texts (azcore ResponseError, azidentity AuthenticationFailedError: 80-dash
 * rules, `json.Indent` bodies, trailing newline). Pure string building.
 */
import { STATUS_CODES } from 'node:http';

const RULE = '-'.repeat(80);

export const setUpFailed = (volume: string, err: string) => `MountVolume.SetUp failed for volume "${volume}" : ${err}`;

export const newMounterFailed = (volume: string, err: string) =>
  `MountVolume.NewMounter initialization failed for volume "${volume}" : ${err}`;

/** A gRPC status error as Go's grpc-go prints it. */
export const rpcError = (code: 'Unknown' | 'Unavailable' | 'InvalidArgument', desc: string) =>
  `rpc error: code = ${code} desc = ${desc}`;

/** What the driver's NodePublishVolume returns when the provider (or talking to it) failed. */
export const driverMountFailed = (namespace: string, pod: string, err: string) =>
  rpcError('Unknown', `failed to mount secrets store objects for pod ${namespace}/${pod}, err: ${err}`);

/** What the Azure provider's gRPC server returns for a failed mount. */
export const providerMountFailed = (err: string) => rpcError('Unknown', `failed to mount objects, error: ${err}`);

/** The full kubelet message for an error raised inside the Azure provider. */
export const providerFailure = (volume: string, namespace: string, pod: string, providerError: string) =>
  setUpFailed(volume, driverMountFailed(namespace, pod, providerMountFailed(providerError)));

/** Go's `json.Indent(body, "", "  ")` of a JSON body (falls back to the raw text when it is not JSON). */
export function indentJson(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** `<code> <reason>` as Go's net/http prints a status. */
export const statusLine = (status: number) => `${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();

/** azcore `ResponseError.Error()` for a Key Vault reply (`ERROR CODE` is the top-level `error.code`). */
export function azcoreResponseError(method: string, url: string, status: number, body: string): string {
  let code = '';
  try {
    code = String((JSON.parse(body) as { error?: { code?: unknown } }).error?.code ?? '');
  } catch {
    code = '';
  }
  const lines = [`${method} ${url}`, RULE, `RESPONSE ${status}: ${statusLine(status)}`];
  lines.push(code ? `ERROR CODE: ${code}` : 'ERROR CODE UNAVAILABLE', RULE, indentJson(body), RULE, '');
  return lines.join('\n');
}

/** azidentity `AuthenticationFailedError.Error()` for a token endpoint reply. */
export function azidentityAuthFailed(credential: string, url: string, status: number, body: string): string {
  return [
    `${credential} authentication failed. `,
    `POST ${url}`,
    RULE,
    `RESPONSE ${status}: ${statusLine(status)}`,
    RULE,
    indentJson(body),
    RULE,
    '',
  ].join('\n');
}

/** Go's net/http client error for a request that never got a response (`Get "<url>": <err>`). */
export const goHttpError = (method: string, url: string, err: string) =>
  `${method[0]}${method.slice(1).toLowerCase()} ${JSON.stringify(url)}: ${err}`;

/** kubelet 1.27's pod-level event after each 2m3s wait for volumes that are still not mounted. */
export const volumeWaitTimedOut = (unmounted: string[]) =>
  `Unable to attach or mount volumes: unmounted volumes=[${unmounted.join(' ')}], unattached volumes=[], failed to process volumes=[]: timed out waiting for the condition`;
