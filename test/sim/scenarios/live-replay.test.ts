/**
 * Replays each student's mount against the running simulators (TokenRequest for the pod's service account →
 * client-assertion exchange at Entra ID → GET of each SPC object from Key Vault), the way the provider does,
 * and checks the live answer is the one the dumped events recorded. Raw HTTPS keeps the check independent of
 * the product's adapters.
 */
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Classroom, startClassroom } from '../../../sim/classroom.ts';
import { find, type Obj, spcNameOf } from './mount-oracle.ts';
import { NOW, studentNamespaces } from './scenario-set.ts';

let classroom: Classroom;
beforeAll(async () => {
  classroom = await startClassroom({ scenario: 'classroom', now: () => NOW });
});
afterAll(async () => {
  await classroom?.close();
});

interface Reply {
  status: number;
  json: Obj;
}

function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; host?: string }) {
  return new Promise<Reply>((resolve, reject) => {
    const u = new URL(url);
    const headers = { ...init.headers, ...(init.host ? { host: init.host } : {}) };
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: init.method ?? 'GET',
        headers,
        ca: classroom.caPem,
        servername: init.host?.split(':')[0],
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString() || '{}') }),
        );
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** What the provider would see for this namespace, live: an AADSTS code, a Key Vault error, or all 200s. */
async function replay(ns: string, sa: string, params: Record<string, string>): Promise<string> {
  const tokenRequest = await call(`${classroom.k8s.httpsUrl}/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`, {
    method: 'POST',
    headers: { authorization: `Bearer ${classroom.tokens.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { audiences: ['api://AzureADTokenExchange'] },
    }),
  });
  const form = new URLSearchParams({
    client_id: params.clientID ?? '',
    scope: 'https://vault.azure.net/.default',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: tokenRequest.json.status?.token ?? '',
    grant_type: 'client_credentials',
  });
  const token = await call(`${classroom.entra.authorityHost}/${params.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  if (!token.json.access_token) return `AADSTS${token.json.error_codes?.[0]}`;
  for (const block of (params.objects ?? '').split('- |').slice(1)) {
    const name = /objectName: (\S+)/.exec(block)?.[1];
    const version = /objectVersion: (\S+)/.exec(block)?.[1] ?? '';
    const answer = await call(`${classroom.keyvault.endpoint}/secrets/${name}/${version}?api-version=7.5`, {
      headers: { authorization: `Bearer ${token.json.access_token}` },
      host: `${params.keyvaultName}.vault.azure.net:${classroom.keyvault.port}`,
    });
    if (answer.status !== 200)
      return `${answer.status} ${answer.json.error?.innererror?.code ?? answer.json.error?.code}`;
  }
  return 'mounted';
}

/** The outcome the recorded FailedMount events show, in the same form as `replay`. */
function recorded(messages: string[]): string | undefined {
  const text = messages.join('\n');
  const aadsts = /AADSTS(\d+)/.exec(text);
  if (aadsts) return `AADSTS${aadsts[1]}`;
  // go-autorest (provider <= v1.4): Status=403 Code="Forbidden" Message="..." InnerError={"code":"AccessDenied"}
  const autorest = /Status=(\d{3}) Code="(\w+)" Message="(?:[^"\\]|\\.)*"(?: InnerError=\{"code":"(\w+)"\})?/.exec(
    text,
  );
  if (autorest) return `${autorest[1]} ${autorest[3] ?? autorest[2]}`;
  // azcore ResponseError (provider >= v1.5): RESPONSE 403: ... then the pretty-printed body between dashes.
  const sdk = /RESPONSE (\d{3}): [^\n]*\nERROR CODE: \w+\n-{80}\n([\s\S]*?)\n-{80}/.exec(text);
  if (!sdk) return undefined;
  const { error } = JSON.parse(sdk[2] ?? '{}');
  return `${sdk[1]} ${error.innererror?.code ?? error.code}`;
}

describe('live replay against the simulators', () => {
  it('meets the same Entra and Key Vault answers the events recorded, and mounts what is healthy', async () => {
    const checked: string[] = [];
    for (const st of studentNamespaces(classroom.scenario)) {
      const spc = find(classroom.scenario, 'SecretProviderClass', st.name, spcNameOf(st.pod!) ?? '');
      const params = spc?.spec.parameters ?? {};
      const vaultKnown = classroom.scenario.azure.vaults.some((v) => v.name === params.keyvaultName);
      const expected = ['healthy', 'SYNC_SECRET_MISSING'].includes(st.expect)
        ? 'mounted'
        : recorded(st.events.filter((e) => e.reason === 'FailedMount').map((e) => e.message));
      if (!expected || !vaultKnown) continue;
      const live = await replay(st.name, st.pod?.spec.serviceAccountName, params);
      expect(live, `${st.name} (${st.expect})`).toBe(expected);
      checked.push(st.expect);
    }
    expect(new Set(checked)).toEqual(
      new Set([
        'healthy',
        'AUTH_FAILED',
        'ACCESS_DENIED',
        'FIREWALL',
        'SECRET_NOT_FOUND',
        'SECRET_DISABLED',
        'SYNC_SECRET_MISSING',
      ]),
    );
  });
});
