/**
 * The bot in Socket Mode, as `kvlab serve` runs it with `SLACK_APP_TOKEN` and no signing secret: it connects to the
 * simulated Slack over a WebSocket instead of listening on a port, a student's `/kvlab diagnose pod-keyvault`
 * arrives as an envelope, the ack payload is the ephemeral "Diagnosing …" note, and the worker's answer appears as
 * a parent message with a thread in the class channel. A wrong app-level token stops start-up with a clear error.
 * Real Redis under a key prefix unique to this file, deleted afterwards.
 */
import { randomUUID } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Classroom, startClassroom } from '../../sim/classroom.ts';
import { createSocketDriver, type SocketDriver } from '../../sim/slack/socket-driver.ts';
import { loadBotEnv, loadEnv } from '../../src/config.ts';
import { createEngine } from '../../src/engine.ts';
import { createLogger } from '../../src/logger.ts';
import type { DiagnosisJob } from '../../src/ports/diagnosis-queue.ts';
import { jobIdFor } from '../../src/queue/bullmq-diagnosis-queue.ts';
import { DIAGNOSIS_QUEUE } from '../../src/queue/redis.ts';
import { createNamespaceFacts } from '../../src/slack-app/namespace-facts.ts';
import { type RunningBot, startBot } from '../../src/slack-app/start-bot.ts';
import { deleteKeys, readable, redisUrl } from './bot-fixture.ts';

let classroom: Classroom;
let bot: RunningBot;
let driver: SocketDriver;
let redis: Redis;
let queue: Queue<DiagnosisJob>;
let env: Record<string, string>;
const prefix = `kvlab-test-${randomUUID()}`;
const logLines: string[] = [];

/** Starts the bot (receiver + worker) against the classroom with these settings. */
async function start(settings: Record<string, string>): Promise<RunningBot> {
  const log = createLogger({ level: 'info', destination: { write: (line: string) => void logLines.push(line) } });
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromString(classroom.kubeconfigYaml);
  kubeconfig.setCurrentContext('kvlab-bot');
  const engine = createEngine(
    { ...loadEnv({ ...settings, KVLAB_REPLAY: 'replay' }), caPem: classroom.caPem },
    kubeconfig,
  );
  return startBot({
    config: loadBotEnv(settings, 'all'),
    log,
    roster: classroom.slack.roster,
    engine: { ports: engine.ports, gather: engine.gather },
    namespaceFacts: createNamespaceFacts(kubeconfig, classroom.slack.roster),
    host: '127.0.0.1',
  });
}

/** The cause the scenario plants in a namespace (its `kvlab.io/expect` annotation). */
function expectedCause(namespace: string): string {
  const cause = classroom.scenario.objects
    .filter((o) => o.kind === 'Namespace')
    .map((o) => o.metadata as { name: string; annotations?: Record<string, string> })
    .find((m) => m.name === namespace)?.annotations?.['kvlab.io/expect'];
  if (!cause) throw new Error(`the scenario plants no kvlab.io/expect in ${namespace}`);
  return cause;
}

async function settled(jobId: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await queue.getJobState(jobId);
    if (state === 'completed' || state === 'failed') return state;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  const url = redisUrl();
  classroom = await startClassroom({ slackRateLimits: false });
  const withoutSigningSecret = Object.entries(classroom.settings).filter(([k]) => k !== 'SLACK_SIGNING_SECRET');
  env = {
    ...Object.fromEntries(withoutSigningSecret),
    SLACK_APP_TOKEN: classroom.slack.server.workspace.appToken,
    REDIS_URL: url,
    KVLAB_REDIS_PREFIX: prefix,
    PORT: '0',
    KVLAB_SLACK_PACE_MS: '0',
    KVLAB_JOB_BACKOFF_MS: '200',
    LOG_LEVEL: 'info',
  };
  bot = await start(env);
  driver = createSocketDriver(classroom.slack.server);
  redis = new Redis(url);
  queue = new Queue<DiagnosisJob>(DIAGNOSIS_QUEUE, { connection: { url }, prefix });
});
afterAll(async () => {
  await bot?.close();
  await queue?.close();
  if (redis) {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  }
  await classroom?.close();
});

describe('the bot over Socket Mode', () => {
  it('starts without a signing secret, listens on no port and holds one Socket Mode connection', async () => {
    await driver.waitForApp();
    expect(env.SLACK_SIGNING_SECRET).toBeUndefined();
    expect(bot.port).toBeUndefined();
    expect(classroom.slack.server.socketMode.stats.open).toBe(1);
    expect(logLines.some((l) => l.includes('"mode":"socket"') && l.includes('receiver started'))).toBe(true);
  });

  it('answers a student’s /kvlab diagnose with an ephemeral ack, then a threaded answer in the channel', async () => {
    const channel = classroom.slack.channel;
    const student = classroom.slack.roster.classes
      .flatMap((c) => c.students)
      .find((s) => s.namespace === 'student-03')?.user;
    expect(student).toBeDefined();
    const res = await driver.slashCommandOverSocket({
      user: student as string,
      channel,
      text: 'diagnose pod-keyvault',
    });
    expect(res).toMatchObject({ delivered: true, timedOut: false });
    expect(res.ackMs).toBeLessThan(3000);
    expect(res.payload?.response_type).toBe('ephemeral');
    expect(String(res.payload?.text)).toContain('Diagnosing `student-03/pod-keyvault`');
    const shown = classroom.slack.server.store.ephemerals(student as string).filter((m) => m.via === 'ack');
    expect(shown.map((m) => m.text).join('\n')).toContain('student-03/pod-keyvault');

    expect(await settled(jobIdFor('cmd', res.triggerId))).toBe('completed');
    const bot = classroom.slack.server.workspace.bot.userId;
    const parents = classroom.slack.server.store
      .messages(channel)
      .filter(
        (m) => m.user === bot && m.subtype !== 'thread_broadcast' && readable(m).includes('student-03/pod-keyvault'),
      );
    expect(parents).toHaveLength(1);
    expect(readable(parents[0] ?? {})).toContain(`\`${expectedCause('student-03')}\``);
    // The verdict is posted first and the job completes; the thread follows in the channel's turn (the pacer).
    const firstReply = () => readable(classroom.slack.server.store.thread(channel, parents[0]?.ts ?? '')[1] ?? {});
    await expect.poll(firstReply, { timeout: 15_000 }).toContain('1. Root cause');
  });

  it('refuses to start with an app-level token Slack does not know, saying which setting to check', async () => {
    const wrong = { ...env, SLACK_APP_TOKEN: `xapp-1-A0KVLABAPP-1234567890123-${'0'.repeat(64)}` };
    const err = await start(wrong).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.name).toBe('ConfigError');
    expect(err?.message).toContain('apps.connections.open: invalid_auth');
    expect(err?.message).toContain('SLACK_APP_TOKEN');
    expect(classroom.slack.server.socketMode.stats.opened).toBe(1);
  });
});
