/**
 * `kvlab sim` writes a fresh Redis prefix and cluster name into its env file on every start, so a new simulated
 * classroom never inherits an older one's incidents (alerts live under `<prefix>:alert:<cluster>:…`).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBotEnv } from '../../src/config.ts';
import { loadWatcherSettings } from '../../src/watcher/settings.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kvlab-sim-prefix-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts `kvlab sim`, reads the env file it wrote once ready, stops it. */
async function envOfOneStart(): Promise<Record<string, string>> {
  const sim = spawn(process.execPath, ['bin/kvlab.js', 'sim', '--scenario', 'crd-missing', '--state-dir', dir], {
    env: { ...process.env, HOME: dir, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`kvlab sim did not get ready:\n${output}`)), 20_000);
      sim.stdout?.on('data', (d) => {
        output += d;
        if (output.includes('kvlab sim ready\n')) {
          clearTimeout(timer);
          resolve();
        }
      });
      sim.stderr?.on('data', (d) => (output += d));
      sim.once('exit', (code) => reject(new Error(`kvlab sim exited ${code}:\n${output}`)));
    });
    const text = await readFile(join(dir, 'env'), 'utf8');
    return Object.fromEntries(
      text
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
  } finally {
    const exited = new Promise((resolve) => sim.once('exit', resolve));
    sim.kill('SIGTERM');
    await exited;
  }
}

describe('kvlab sim', () => {
  it('writes a new KVLAB_REDIS_PREFIX and KVLAB_CLUSTER_NAME on each start, valid for kvlab serve', async () => {
    const first = await envOfOneStart();
    const second = await envOfOneStart();
    expect(first.KVLAB_REDIS_PREFIX).toMatch(/^kvlab-sim-[0-9a-f]{8}$/);
    expect(second.KVLAB_REDIS_PREFIX).toMatch(/^kvlab-sim-[0-9a-f]{8}$/);
    expect(second.KVLAB_REDIS_PREFIX).not.toBe(first.KVLAB_REDIS_PREFIX);
    expect(second.KVLAB_CLUSTER_NAME).not.toBe(first.KVLAB_CLUSTER_NAME);
    // Both pass the settings validators of the bot and the watcher.
    expect(
      loadBotEnv({ ...second, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'x' }, 'worker').KVLAB_REDIS_PREFIX,
    ).toBe(second.KVLAB_REDIS_PREFIX);
    expect(loadWatcherSettings(second).cluster).toBe(second.KVLAB_CLUSTER_NAME);
  }, 45_000);
});
