/**
 * The paper cuts a newcomer meets first: every command's own --help, kvlab's own message for an unknown option,
 * a closed stdout, a second `kvlab sim` on the same state dir, and slack-send's text rendering of Block Kit.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mrkdwnToText, renderMessageText } from '../../src/cli/render-blocks.ts';
import { diagnoseTarget } from '../../src/cli/slack-send-command.ts';
import { COMMAND_USAGE } from '../../src/cli/usage.ts';

const BIN = join(import.meta.dirname, '../../bin/kvlab.js');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kvlab-newcomer-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function kvlab(args: string[], shell?: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = shell
      ? spawn('sh', ['-c', shell], { env: { ...process.env, KVLAB: `${process.execPath} ${BIN}` } })
      : spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', HOME: dir } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('kvlab <command> --help', () => {
  it.each(Object.keys(COMMAND_USAGE))('%s --help prints its own usage and exits 0', async (command) => {
    for (const flag of command === 'diagnose' ? ['--help', '-h'] : ['--help']) {
      const { code, stdout } = await kvlab([command, flag]);
      expect(code).toBe(0);
      expect(stdout).toContain(`Usage: kvlab ${command}`);
    }
  });

  it('names an unknown option in its own words and points at the command’s --help', async () => {
    const { code, stderr } = await kvlab(['sim', '--env-fil', 'x']);
    expect(code).toBe(2);
    expect(stderr).toBe('kvlab sim: unknown option --env-fil.\nRun `kvlab sim --help` for its usage.\n');
  });

  it('says which option needs a value', async () => {
    const { code, stderr } = await kvlab(['serve', '--role']);
    expect(code).toBe(2);
    expect(stderr).toContain('option --role needs a value.');
  });

  it('ends quietly when stdout is closed early (| head)', async () => {
    const files = Array.from({ length: 400 }, () =>
      join(import.meta.dirname, '../fixtures/manifests/lab/broken-spc.yaml'),
    );
    const { stdout, stderr } = await kvlab([], `$KVLAB lint --json ${files.join(' ')} | head -c 20`);
    expect(stdout).toHaveLength(20);
    expect(stderr).toBe('');
  });
});

describe('kvlab sim state dir', () => {
  it('refuses a second sim on a state dir whose sim is alive', async () => {
    await writeFile(join(dir, 'sim.pid'), `${process.pid}\n`); // this test process: alive
    const refused = await kvlab(['sim', '--state-dir', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`another kvlab sim (pid ${process.pid}) is running with the state dir ${dir}`);
  });
});

describe('slack-send text rendering', () => {
  it('unescapes entities and makes mentions and links readable', () => {
    expect(mrkdwnToText('&lt;nil&gt; &amp; <@U0ANN> <#C1|lab> <!here> <https://x.example/d|docs>')).toBe(
      '<nil> & @U0ANN #lab @here docs (https://x.example/d)',
    );
  });

  it('renders sections, context and buttons in order', () => {
    const text = renderMessageText({
      text: 'fallback',
      blocks: [
        { type: 'section', text: { text: '*broken*: `a&amp;b`' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'row 5' }] },
        { type: 'actions', elements: [{ type: 'button', text: { text: 'Re-run' } }] },
      ],
    });
    expect(text).toBe('*broken*: `a&b`\nrow 5\n[Re-run]');
    expect(renderMessageText({ text: 'only &gt; text' })).toBe('only > text');
  });

  it('reads the target of a diagnose command', () => {
    expect(diagnoseTarget('/kvlab diagnose pod-keyvault -n student-04')).toEqual({
      pod: 'pod-keyvault',
      namespace: 'student-04',
    });
    expect(diagnoseTarget('/kvlab explain x')).toBeUndefined();
  });
});
