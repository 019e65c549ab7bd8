/**
 * bin/kvlab.js on a Node.js older than 24 (a `kvlab` linked onto PATH runs on whatever `node` comes first there):
 * the command runs on the Node 24 that `npm ci` installed for the project, with the same output, exit code and
 * stdin, and a SIGTERM to the process the user started reaches the command; without that Node (a production
 * install) it says what to do. Needs an older `node` on the machine, as the development machine and CI have.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/kvlab.js');

/** The first `node` on PATH older than 24, if any. */
function olderNode(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'node');
    try {
      const major = Number(
        execFileSync(candidate, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }),
      );
      if (major < 24) return candidate;
    } catch {
      // not there, or not a node
    }
  }
  return undefined;
}
const OLD = olderNode();

function run(node: string, args: string[], input?: string) {
  return new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(node, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** The pids of `pid`'s children (ps exits 1 when there are none). */
function childrenOf(pid: number): string[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .trim()
      .split(/\s+/);
  } catch {
    return [];
  }
}

describe.skipIf(!OLD)(`kvlab on an older Node.js (${OLD ?? 'none on PATH'})`, () => {
  const old = OLD as string;

  it('runs the command on the project Node 24: same output and exit code', async () => {
    const message = 'AADSTS70021: No matching federated identity record found for presented assertion.';
    const r = await run(old, [BIN, 'explain', '--json', message]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).category).toBe('AUTH_FAILED');
    expect(r).toEqual(await run(process.execPath, [BIN, 'explain', '--json', message]));
    expect(r.code).toBe(1); // a problem recognised
    const unknown = await run(old, [BIN, 'no-such-command']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "no-such-command"/);
  }, 30_000);

  it('hands it stdin', async () => {
    const r = await run(
      old,
      [BIN, 'lint', '--json', '-'],
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\n',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ errors: 0 });
  }, 30_000);

  it('passes a SIGTERM on and ends by it, leaving no process behind', async () => {
    const parent = spawn(old, [BIN, 'lint', '-'], { stdio: ['pipe', 'ignore', 'ignore'] });
    const ended = new Promise<string | null>((resolve) => parent.on('exit', (_code, signal) => resolve(signal)));
    let children: string[] = [];
    for (let i = 0; i < 200 && children.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
      children = childrenOf(parent.pid as number);
    }
    expect(children).toHaveLength(1);
    parent.kill('SIGTERM');
    expect(await ended).toBe('SIGTERM');
    const gone = () => {
      try {
        process.kill(Number(children[0]), 0);
        return false;
      } catch {
        return true;
      }
    };
    for (let i = 0; i < 200 && !gone(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(gone()).toBe(true);
  }, 30_000);

  it('says what to do when the checkout has no Node 24 (a production install)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kvlab-bare-'));
    try {
      await mkdir(join(dir, 'bin'));
      await copyFile(BIN, join(dir, 'bin', 'kvlab.js'));
      await writeFile(join(dir, 'package.json'), '{"type": "module"}');
      const r = await run(old, [join(dir, 'bin', 'kvlab.js'), 'help']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^kvlab needs Node\.js 24 or newer \(this is v\d+\.[\d.]+\)\.\nRun `npm ci` in the kvlab checkout/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
