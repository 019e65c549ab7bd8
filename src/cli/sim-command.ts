/**
 * `kvlab sim`: starts the simulated classroom (Kubernetes API, Entra ID, Key Vault, Slack) on loopback, writes a kubeconfig, the CA bundle and an env file
 * holding every setting the product needs to use the simulators, prints the endpoints, then `kvlab sim ready`,
 * and runs until SIGINT/SIGTERM. `env $(cat <env-file>) kvlab …` then runs the product against it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../../diagnostics/errors.ts';
import { startClassroom } from '../../sim/classroom.ts';
import { MAX_CLASS_SIZE } from '../../sim/scenarios/generate-class.ts';
import { listScenarios } from '../../sim/scenarios/load.ts';
import { EXIT, parseCommandArgs, UsageError } from './usage.ts';

export async function runSimCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    scenario: { type: 'string', default: 'classroom' },
    'state-dir': { type: 'string', default: '.kvlab/sim' },
    kubeconfig: { type: 'string' },
    // Not `--env-file`: Node takes a script's `--env-file` as its own option and exits before kvlab runs.
    'env-out': { type: 'string' },
    bot: { type: 'boolean', default: false },
    'audit-log': { type: 'string' },
    latency: { type: 'string' },
    'class-size': { type: 'string' },
  });
  const latencyMs = values.latency === undefined ? 0 : Number(values.latency);
  if (!Number.isInteger(latencyMs) || latencyMs < 0) {
    throw new UsageError(`--latency takes a whole number of milliseconds, not "${values.latency}".`);
  }
  const classSize = values['class-size'] === undefined ? undefined : Number(values['class-size']);
  if (classSize !== undefined && !(Number.isInteger(classSize) && classSize >= 1 && classSize <= MAX_CLASS_SIZE)) {
    throw new UsageError(
      `--class-size takes a whole number from 1 to ${MAX_CLASS_SIZE}, not "${values['class-size']}".`,
    );
  }
  const scenarios = listScenarios();
  if (!scenarios.includes(values.scenario)) {
    throw new UsageError(`unknown scenario "${values.scenario}". Available: ${scenarios.join(', ')}.`);
  }
  const stateDir = resolve(values['state-dir']);
  const kubeconfigPath = resolve(values.kubeconfig ?? join(stateDir, 'kubeconfig'));
  const envFilePath = resolve(values['env-out'] ?? join(stateDir, 'env'));
  const caPath = join(stateDir, 'ca.pem');

  // One running sim per state dir: a second one would overwrite the env file and kubeconfig the first one serves.
  const lock = await lockStateDir(stateDir);
  const classroom = await startClassroom({
    scenario: values.scenario,
    kubelet: true,
    // The classroom console delivers to the bot where `--bot` / `kvlab serve` listens: http://127.0.0.1:$PORT.
    console: { botUrl: `http://127.0.0.1:${process.env.PORT || '3000'}/slack/events` },
    ...(values['audit-log'] ? { auditLog: resolve(values['audit-log']) } : {}),
    ...(latencyMs > 0 ? { latencyMs } : {}),
    // A generated class's roster goes beside the env file, which names it as KVLAB_CONFIG.
    ...(classSize !== undefined ? { classSize, rosterPath: join(stateDir, 'roster.yaml') } : {}),
  });
  let bot: { close(): Promise<void> } | undefined;
  const stop = async () => {
    await bot?.close();
    await classroom.close();
    await lock.release();
    process.exit(EXIT.ok);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  const simId = `kvlab-sim-${randomBytes(4).toString('hex')}`;
  const settings: Record<string, string> = {
    KUBECONFIG: kubeconfigPath,
    KVLAB_CA_FILE: caPath,
    NODE_EXTRA_CA_CERTS: caPath,
    ...classroom.settings,
    // Where `kvlab serve` listens and `kvlab slack-send` delivers (http://127.0.0.1:$PORT/slack/events).
    PORT: process.env.PORT ?? '3000',
    // Fresh on every start: a new simulated classroom never inherits an older one's alerts, jobs or messages
    // from Redis, and its incidents carry their own cluster name (docs/alerts.md "Redis keys").
    KVLAB_REDIS_PREFIX: simId,
    KVLAB_CLUSTER_NAME: simId,
  };
  for (const path of [caPath, kubeconfigPath, envFilePath]) await mkdir(dirname(path), { recursive: true });
  await writeFile(caPath, classroom.caPem, { mode: 0o644 });
  // The kubeconfig carries the bot's least-privilege token; `--context admin` has the cluster-admin one.
  await writeFile(kubeconfigPath, classroom.kubeconfigYaml, { mode: 0o600 });
  await writeFile(
    envFilePath,
    `${Object.entries(settings)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
    { mode: 0o600 },
  );

  // Someone blocked, to try the bot as: U0STUDENT07, or in a generated class a copy of student-07 (or the first).
  const generated = classroom.scenario.generatedClass?.students;
  const student = generated
    ? (generated.find((s) => s.template === 'student-07' && s.stage === 'copy') ?? generated[0])?.user
    : 'U0STUDENT07';
  const botLine = values.bot
    ? await startBotAgainst(settings).then(
        (started) => {
          bot = started;
          return `bot          kvlab serve (receiver + worker + watcher) on http://127.0.0.1:${settings.PORT}/slack/events; try  env $(cat ${envFilePath}) npx kvlab slack-send --as ${student} --channel ${classroom.slack.channel} "/kvlab diagnose pod-keyvault"`;
        },
        (err: Error) => `bot          not started: ${err.message}`,
      )
    : `bot          env $(cat ${envFilePath}) kvlab serve   then   env $(cat ${envFilePath}) kvlab slack-send --as ${student} --channel ${classroom.slack.channel} "/kvlab diagnose pod-keyvault"`;
  const out = [
    `scenario     ${classroom.scenario.name}: ${classroom.scenario.description}`,
    `kubernetes   ${classroom.k8s.httpsUrl} (https)  ${classroom.k8s.httpUrl} (http)`,
    `entra id     ${classroom.entra.authorityHost} (reached as login.microsoftonline.com)`,
    `key vault    ${classroom.keyvault.endpoint} (vault names resolve through the simulator's DNS on the same port)`,
    `slack        ${classroom.slack.server.apiUrl} (class channel ${classroom.slack.channel}, instructor ${classroom.slack.instructor})`,
    ...(generated
      ? [`class        ${generated.length} generated students, roster ${join(stateDir, 'roster.yaml')}`]
      : []),
    `kubeconfig   ${kubeconfigPath}  (contexts: kvlab-bot, admin)`,
    `env file     ${envFilePath}`,
    `try          KUBECONFIG=${kubeconfigPath} kubectl --context admin get pods -A`,
    botLine,
    `kvlab console: ${classroom.console?.url ?? '(not started)'}`,
    'kvlab sim ready',
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  await new Promise(() => {}); // until a signal arrives
  return EXIT.ok;
}

/**
 * `--bot`: runs `kvlab serve --role all` in this process against the simulators. Needs Redis (REDIS_URL,
 * default 127.0.0.1:6379); without it the classroom still runs and the reason is printed.
 */
async function startBotAgainst(settings: Record<string, string>): Promise<{ close(): Promise<void> }> {
  Object.assign(process.env, settings);
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  await assertRedisAnswers(redisUrl);
  const { startServe } = await import('../serve.ts');
  // Loopback only, like the simulators: the sandbox bot is not meant to be reachable from the network.
  const { bot, log } = await startServe(process.env, 'all', { host: '127.0.0.1' });
  const { installProcessGuards } = await import('../process-guards.ts');
  installProcessGuards({ log, shutdown: () => bot.close(), graceMs: 25_000 });
  return {
    async close() {
      await bot.close();
      log.flush();
    },
  };
}

async function assertRedisAnswers(url: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new Error(
      `Redis at ${url} did not answer (${(err as Error).message}); start Redis and run kvlab serve yourself`,
    );
  } finally {
    redis.disconnect();
  }
}

/**
 * Takes `<stateDir>/sim.pid` (created exclusively). A lock whose process is gone is stale and taken over; a live
 * one refuses (exit 2) naming the pid and the way out.
 */
async function lockStateDir(stateDir: string): Promise<{ release(): Promise<void> }> {
  const { open, readFile, rm } = await import('node:fs/promises');
  const path = join(stateDir, 'sim.pid');
  await mkdir(stateDir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o644);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return { release: () => rm(path, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new ConfigError(
        `another kvlab sim (pid ${pid}) is running with the state dir ${stateDir}: stop it first, or start this one ` +
          'with `--state-dir <another dir>` (and another PORT for --bot).',
      );
    }
    await rm(path, { force: true }); // stale: its process is gone
  }
  throw new ConfigError(`could not lock ${path}; is another kvlab sim starting with the same --state-dir?`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
