/**
 * The console under test: the simulated classroom with its kubelet and console, the bot started the way
 * `kvlab sim --bot` starts it (`startServe(env, 'all')`: receiver, worker and alert watcher) on real Redis under a
 * key prefix of its own (deleted afterwards, never FLUSHALL), and a real Chromium driven by playwright-core with a
 * fresh profile and everything that would reach the network switched off. `browserPath()` is undefined when no
 * Chromium is installed; the tests then skip and say how to install one.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { type Classroom, startClassroom } from '../../sim/classroom.ts';
import { deleteKeysWithPrefix } from '../../src/queue/redis.ts';
import { startServe } from '../../src/serve.ts';
import type { RunningBot } from '../../src/slack-app/start-bot.ts';
import { redisUrl } from '../bot/bot-fixture.ts';

export const ARTIFACTS = resolve('test-artifacts/console');

const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];

/** The system Chromium, or undefined when none is installed. */
export function browserPath(): string | undefined {
  return CANDIDATES.find((p): p is string => Boolean(p && existsSync(p)));
}

export const NO_BROWSER =
  'no Chromium found (looked at $CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser, /usr/bin/google-chrome): ' +
  'install it with `apt-get install -y chromium` to run the console tests';

export interface ConsoleFixture {
  classroom: Classroom;
  bot: RunningBot;
  url: string;
  browser: BrowserContext;
  page: Page;
  prefix: string;
  close(): Promise<void>;
}

export async function startConsoleFixture(env: Record<string, string> = {}): Promise<ConsoleFixture> {
  const executablePath = browserPath();
  if (!executablePath) throw new Error(NO_BROWSER);
  const dir = await mkdtemp(join(tmpdir(), 'kvlab-console-'));
  const classroom = await startClassroom({
    kubelet: { backoff: { initialMs: 200, maxMs: 2_000 } },
    console: true,
    slackRateLimits: false,
  });
  const kubeconfig = join(dir, 'kubeconfig');
  const ca = join(dir, 'ca.pem');
  await writeFile(kubeconfig, classroom.kubeconfigYaml, { mode: 0o600 });
  await writeFile(ca, classroom.caPem);
  const prefix = `kvlab-test-${randomUUID()}`;
  const settings: Record<string, string> = {
    ...classroom.settings,
    KUBECONFIG: kubeconfig,
    KVLAB_CA_FILE: ca,
    REDIS_URL: redisUrl(),
    KVLAB_REDIS_PREFIX: prefix,
    PORT: '0',
    LOG_LEVEL: 'warn',
    KVLAB_SLACK_PACE_MS: '0',
    // The watcher diagnoses every pod that fails at start-up; enough workers that a visitor's command is not queued behind them.
    KVLAB_WORKER_CONCURRENCY: '8',
    KVLAB_ALERT_GRACE_SECONDS: '1',
    KVLAB_ALERT_UPDATE_SECONDS: '0.3',
    KVLAB_WATCHER_TICK_MS: '100',
    KVLAB_LEASE_DURATION_SECONDS: '2',
    KVLAB_LEASE_RENEW_SECONDS: '1.5',
    KVLAB_LEASE_RETRY_SECONDS: '0.3',
    ...env,
  };
  // startServe reads the kubeconfig the way `kvlab serve` does: from $KUBECONFIG.
  process.env.KUBECONFIG = kubeconfig;
  const { bot } = await startServe(settings, 'all', { host: '127.0.0.1' });
  classroom.console?.setBotUrl(`http://127.0.0.1:${bot.port}/slack/events`);
  const browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  // Script errors on the page fail loudly in the test output.
  page.on('pageerror', (err) => console.error(`console page error: ${err.message}`));
  const url = classroom.console?.url ?? '';
  await mkdir(ARTIFACTS, { recursive: true });
  return {
    classroom,
    bot,
    url,
    browser,
    page,
    prefix,
    async close() {
      await browser.close().catch(() => undefined);
      await bot.close().catch(() => undefined);
      const redis = new Redis(redisUrl());
      await deleteKeysWithPrefix(redis, prefix);
      redis.disconnect();
      await classroom.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Opens the console as `user` in `conversation` and waits for the first live snapshot. */
export async function openAs(fx: ConsoleFixture, user: string, conversation = 'C0CLASSA01'): Promise<Page> {
  await fx.page.goto('about:blank');
  await fx.page.goto(`${fx.url}#as=${user}&c=${conversation}`);
  await fx.page.locator('body[data-ready="true"]').waitFor();
  return fx.page;
}
