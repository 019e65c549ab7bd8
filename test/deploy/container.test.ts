/**
 * The container image and the compose stack as documented: Node 24 slim, production dependencies only, a non-root
 * user, a health check; Redis with AOF on a volume; kvlab split into receiver, worker and watcher, each healthy-
 * checked and started only after Redis is healthy; the simulated classroom behind a profile.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '../..');

describe('Dockerfile', () => {
  const text = readFileSync(join(root, 'Dockerfile'), 'utf8');
  it('builds on Node 24 slim with production dependencies only, as a non-root user, with a health check', () => {
    expect(text).toMatch(/^FROM node:24-slim AS base$/m);
    expect(text).toMatch(/npm ci --omit=dev/);
    expect(text).toMatch(/^USER 1000:1000$/m);
    expect(text).toMatch(/^HEALTHCHECK .*/m);
    expect(text).toContain('/healthz');
  });

  it('leaves the simulators out of the product image (the last, default stage); only the sim target has them', () => {
    const stages = text.split(/^FROM /m).slice(1);
    const last = stages.at(-1) ?? '';
    expect(last).toMatch(/^node:24-slim AS app|^base AS app/);
    expect(stages.filter((s) => /^COPY sim \.\/sim$/m.test(s)).map((s) => s.split(/\s/)[2])).toEqual(['sim']);
    expect(last).toMatch(/^CMD \["serve", "--role", "all"\]$/m);
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, Record<string, unknown>>;
    volumes: Record<string, unknown>;
  };
  it('runs Redis with AOF persistence on a named volume', () => {
    const redis = compose.services.redis as { command: string[]; volumes: string[]; healthcheck: unknown };
    expect(redis.command.join(' ')).toContain('--appendonly yes');
    expect(redis.volumes).toContain('redis-data:/data');
    expect(compose.volumes).toHaveProperty('redis-data');
    expect(redis.healthcheck).toBeDefined();
  });

  it.each(['receiver', 'worker', 'watcher'])('runs the %s role with a health check, after Redis is healthy', (role) => {
    const service = compose.services[role] as {
      command: string[];
      healthcheck?: { test: string[] };
      depends_on: Record<string, { condition: string }>;
      read_only?: boolean;
    };
    expect(service.command).toEqual(['serve', '--role', role]);
    expect(service.healthcheck?.test.join(' ')).toContain('/readyz');
    expect(service.depends_on.redis?.condition).toBe('service_healthy');
    expect(service.read_only).toBe(true);
  });

  it('runs the simulated classroom behind the sim profile', () => {
    const sim = compose.services.sim as { profiles: string[]; command: string[]; build: unknown };
    expect(sim.profiles).toEqual(['sim']);
    expect(sim.command.slice(0, 2)).toEqual(['sim', '--bot']);
    expect(sim.build).toEqual({ context: '.', target: 'sim' });
  });
});
