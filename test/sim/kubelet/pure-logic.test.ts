/**
 * Exact results of the simulated kubelet's pure parts: backoff series, the client-go event correlator (dedup,
 * combining, spam filter, seeding), the provider's parameter validation order and strings, and failure
 * signatures across provider generations (every recorded classroom FailedMount message has one).
 */
import { describe, expect, it } from 'vitest';
import { delaySeries, KUBELET_BACKOFF } from '../../../sim/kubelet/backoff.ts';
import { azcoreResponseError, providerFailure } from '../../../sim/kubelet/compose-message.ts';
import { COMBINED_PREFIX, EventCorrelator, type EventRequest } from '../../../sim/kubelet/event-correlator.ts';
import { failureSignature } from '../../../sim/kubelet/failure-signature.ts';
import { parseObjects, validateParameters } from '../../../sim/kubelet/provider-params.ts';
import { loadScenario } from '../../../sim/scenarios/load.ts';

describe('backoff', () => {
  it('doubles 500 ms to the 2m2s cap', () => {
    expect(delaySeries(10, KUBELET_BACKOFF)).toEqual([
      500, 1000, 2000, 4000, 8000, 16000, 32000, 64000, 122000, 122000,
    ]);
    expect(delaySeries(4, { initialMs: 10, maxMs: 25 })).toEqual([10, 20, 25, 25]);
  });
});

const request = (message: string, uid = 'u1'): EventRequest => ({
  involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: 'pod', uid },
  reason: 'FailedMount',
  message,
  type: 'Warning',
  source: { component: 'kubelet', host: 'node-0' },
});
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

describe('event correlator', () => {
  it('bumps count and lastTimestamp of the same event, keeping name and firstTimestamp', () => {
    const c = new EventCorrelator();
    const first = c.correlate(request('boom'), at(0));
    const second = c.correlate(request('boom'), at(5));
    expect(first).toMatchObject({ action: 'create', event: { count: 1, firstTimestamp: '2026-01-01T00:00:00Z' } });
    if (first.action === 'skip' || second.action === 'skip') throw new Error('skipped');
    expect(second).toMatchObject({
      action: 'patch',
      event: { name: first.event.name, count: 2, lastTimestamp: '2026-01-01T00:00:05Z' },
    });
    expect(first.event.name).toBe(`pod.${(BigInt(at(0).getTime()) * 1_000_000n).toString(16)}`);
    expect(c.correlate(request('boom', 'u2'), at(6))).toMatchObject({ action: 'create' });
  });

  it('combines the 10th distinct similar message and keeps bumping the combined Event', () => {
    const c = new EventCorrelator();
    const results = Array.from({ length: 12 }, (_, i) => c.correlate(request(`trace ${i}`), at(i)));
    expect(results.slice(0, 9).map((r) => r.action)).toEqual(Array(9).fill('create'));
    expect(results[9]).toMatchObject({ action: 'create', event: { message: `${COMBINED_PREFIX}trace 9`, count: 1 } });
    expect(results[11]).toMatchObject({ action: 'patch', event: { message: `${COMBINED_PREFIX}trace 11`, count: 3 } });
  });

  it('drops events past the burst of 25 and lets one through per 5 minutes, counting the dropped ones', () => {
    const c = new EventCorrelator();
    const actions = Array.from({ length: 27 }, () => c.correlate(request('same'), at(0)).action);
    expect(actions.filter((a) => a !== 'skip')).toHaveLength(25);
    expect(actions.slice(25)).toEqual(['skip', 'skip']);
    expect(c.correlate(request('same'), at(299)).action).toBe('skip');
    expect(c.correlate(request('same'), at(301))).toMatchObject({ action: 'patch', event: { count: 29 } });
  });

  it('seeded with recorded Events, re-emitting a recorded message patches that Event', () => {
    const c = new EventCorrelator();
    const recorded = {
      ...request('old failure'),
      metadata: { name: 'pod.abc' },
      count: 14,
      lastTimestamp: '2026-01-01T00:00:00Z',
    };
    const combined = {
      ...request(`${COMBINED_PREFIX}trace x`),
      metadata: { name: 'pod.def' },
      count: 7,
      lastTimestamp: '2026-01-01T00:00:00Z',
    };
    c.seed([recorded, { ...combined, involvedObject: { ...combined.involvedObject, uid: 'u2' } }]);
    expect(c.correlate(request('old failure'), at(10))).toMatchObject({
      action: 'patch',
      event: { name: 'pod.abc', count: 15 },
    });
    expect(c.correlate(request('trace y', 'u2'), at(10))).toMatchObject({
      action: 'patch',
      event: { name: 'pod.def', count: 8 },
    });
  });
});

describe('provider parameter validation (v1.5–v1.7 wording, in order)', () => {
  const ctx = { hasWorkloadIdentityToken: true, hasNodePublishSecret: false };
  const objects = 'array:\n  - |\n    objectName: db-password\n    objectType: secret\n';
  const ok = { keyvaultName: 'kv-kvlab-lab', tenantId: 't', clientID: 'c', objects };
  const error = (p: Record<string, string>, c = ctx) => {
    const v = validateParameters(p, c);
    return v.ok ? 'ok' : v.error;
  };
  it('reports the first failing check', () => {
    expect(error({ ...ok, usePodIdentity: 'yes' })).toBe(
      'failed to parse usePodIdentity flag, error: strconv.ParseBool: parsing "yes": invalid syntax',
    );
    expect(error({ ...ok, usePodIdentity: 'true', useVMManagedIdentity: 'true' })).toBe(
      'failed to create auth config, error: cannot enable both pod identity and user-assigned managed identity',
    );
    expect(error({ ...ok, keyvaultName: ' ', tenantId: '' })).toBe('keyvaultName is not set');
    expect(error({ ...ok, tenantId: '' })).toBe('tenantId is not set');
    expect(error({ ...ok, tenantID: 'x', tenantId: '' })).toBe('ok');
    expect(error(ok, { ...ctx, hasWorkloadIdentityToken: false })).toBe(
      'failed to parse workload identity tokens, error: service account tokens not found',
    );
    expect(error({ ...ok, clientID: '' })).toBe(
      'failed to create auth config, error: failed to get credentials, nodePublishSecretRef secret is not set',
    );
    expect(error({ ...ok, objects: '' })).toBe('objects is not set');
    expect(error({ ...ok, objects: objects.replace('secret\n', 'key\n    objectEncoding: base64\n') })).toBe(
      'failed to get objectType:key, objectName:db-password, objectVersion:: objectEncoding only supported for objectType: secret',
    );
    expect(error({ ...ok, keyvaultName: '<KEY_VAULT_NAME>' })).toBe(
      'failed to get vault: Invalid vault name: "<KEY_VAULT_NAME>", must match [-a-zA-Z0-9]{3,24}',
    );
    expect(error({ ...ok, keyvaultName: 'kv' })).toBe(
      'failed to get vault: Invalid vault name: "kv", must be between 3 and 24 chars',
    );
    expect(error({ ...ok, objects: 'array: []' })).toBe('ok');
  });
  it('parses the objects YAML as the provider does', () => {
    expect(parseObjects('- a')).toBe(
      'failed to yaml unmarshal objects, error: yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into types.StringArray',
    );
    expect(parseObjects('array:\n  - objectName: x\n')).toBe(
      'failed to yaml unmarshal objects, error: yaml: unmarshal errors:\n  line 2: cannot unmarshal !!map into string',
    );
    expect(parseObjects(objects)).toEqual([
      {
        objectName: 'db-password',
        objectType: 'secret',
        objectVersion: '',
        objectAlias: '',
        objectFormat: '',
        objectEncoding: '',
        objectVersionHistory: 0,
      },
    ]);
  });
  it('decodes objectVersionHistory as yaml.v3 decodes an int32, and says which line does not fit', () => {
    const withHistory = (value: string) =>
      parseObjects(
        `array:\n  - |\n    objectName: db-password\n    objectType: secret\n    objectVersionHistory: ${value}\n`,
      );
    const history = (value: string) => {
      const parsed = withHistory(value);
      return typeof parsed === 'string' ? parsed : parsed[0]?.objectVersionHistory;
    };
    const unmarshal = (tail: string) =>
      `unmarshal failed for keyVaultObjects at index 0, error: yaml: unmarshal errors:\n  line 3: cannot unmarshal ${tail}`;
    expect(history('5')).toBe(5);
    expect(history('2.9')).toBe(2);
    expect(history('~')).toBe(0);
    expect(history('"5" # quoted')).toBe(unmarshal('!!str `5` into int32'));
    expect(history('true')).toBe(unmarshal('!!bool `true` into int32'));
    expect(history('4294967296')).toBe(unmarshal('!!int `4294967296` into int32'));
    expect(history('42949672960')).toBe(unmarshal('!!int `4294967...` into int32'));
    expect(history('[1, 2]')).toBe(unmarshal('!!seq into int32'));
  });
});

describe('failure signatures', () => {
  it('names the same Key Vault failure alike in autorest and azcore wording', () => {
    const body = '{"error":{"code":"Forbidden","message":"no","innererror":{"code":"AccessDenied"}}}';
    const sdk = providerFailure(
      'v',
      'ns',
      'pod',
      `failed to get objectType:secret, objectName:db-password, objectVersion:: ${azcoreResponseError('GET', 'https://kv.vault.azure.net/secrets/db-password/', 403, body)}`,
    );
    const autorest =
      'MountVolume.SetUp failed for volume "v" : rpc error: code = Unknown desc = failed to mount secrets store objects for pod ns/pod, err: rpc error: code = Unknown desc = failed to mount objects, error: failed to get objectType:secret, objectName:db-password, objectVersion:: keyvault.BaseClient#GetSecret: Failure responding to request: StatusCode=403 -- Original Error: autorest/azure: Service returned an error. Status=403 Code="Forbidden" Message="no" InnerError={"code":"AccessDenied"}';
    expect(failureSignature(sdk)).toBe('keyvault:403 AccessDenied:secret/db-password/');
    expect(failureSignature(autorest)).toBe(failureSignature(sdk));
    expect(failureSignature(providerFailure('v', 'ns', 'pod', 'keyvaultName is not set'))).toBe(
      failureSignature(providerFailure('v', 'ns', 'pod', 'keyvaultName is not provided')),
    );
  });

  it('recognises every FailedMount message recorded in the scenarios', async () => {
    const unknown: string[] = [];
    for (const name of ['classroom', 'addon-missing', 'driver-not-ready', 'crd-missing']) {
      const s = await loadScenario(name);
      for (const e of s.objects as Array<Record<string, string>>) {
        if (e.kind === 'Event' && e.reason === 'FailedMount' && !failureSignature(e.message ?? ''))
          unknown.push(e.message ?? '');
      }
    }
    expect(unknown).toEqual([]);
  });
});
