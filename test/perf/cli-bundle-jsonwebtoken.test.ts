/**
 * scripts/build-cli.ts gives msal-node a jsonwebtoken whose `sign` loads the real one on first use: a diagnosis
 * never signs (federated credentials), so a new process no longer evaluates jsonwebtoken and semver. Bundled here
 * with the same plugin: msal-node's certificate assertion still signs a valid RS256 JWT through it, and nothing in
 * the output requires jsonwebtoken at load.
 */
import { constants, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonWebTokenOnFirstUse } from '../../scripts/build-cli.ts';

const ROOT = join(import.meta.dirname, '../..');
const ENTRY = `
import { ClientAssertion } from './node_modules/@azure/msal-node/dist/client/ClientAssertion.mjs';
export function certificateAssertion(key) {
  const assertion = ClientAssertion.fromCertificateWithSha256Thumbprint('aa'.repeat(32), key);
  return assertion.getJwt({ createNewGuid: () => '00000000-0000-4000-8000-000000000000' }, 'client-id', 'https://login.example/token');
}`;

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('jsonwebtoken in the bundled CLI', () => {
  it('is evaluated only when msal-node signs, and signs as before', async () => {
    const outdir = await mkdtemp(join(tmpdir(), 'kvlab-jwt-bundle-'));
    dirs.push(outdir);
    await esbuild.build({
      stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'js' },
      bundle: true,
      format: 'esm',
      platform: 'node',
      outdir,
      logLevel: 'error',
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      plugins: [jsonWebTokenOnFirstUse()],
    });
    const [file] = await readdir(outdir);
    const text = await readFile(join(outdir, file as string), 'utf8');
    expect(text).toContain('require_jsonwebtoken()');
    expect(text).not.toMatch(/=\s*__toESM\(require_jsonwebtoken\(\)/); // the eager import msal-node had

    const { certificateAssertion } = await import(pathToFileURL(join(outdir, file as string)).href);
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwt = certificateAssertion(privateKey.export({ type: 'pkcs8', format: 'pem' })) as string;
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString());
    expect(json(header)).toMatchObject({ alg: 'PS256', typ: 'JWT' });
    expect(json(payload)).toMatchObject({ iss: 'client-id', sub: 'client-id', aud: 'https://login.example/token' });
    const signed = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
      Buffer.from(signature, 'base64url'),
    );
    expect(signed).toBe(true);
  });
});
