/**
 * Settings from the environment, parsed and validated once (STYLE.md "Config"). Only entry points call
 * `loadEnv(process.env)`; everything else receives the typed result. Errors name the setting, never its value.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../diagnostics/errors.ts';

const Env = z.object({
  KUBECONFIG: z.string().optional(),
  AZURE_AUTHORITY_HOST: z.string().url().optional(),
  KVLAB_KEYVAULT_ENDPOINT: z.string().url().optional(),
  KVLAB_CA_FILE: z.string().min(1).optional(),
  KVLAB_REPLAY: z.enum(['replay', 'off']).default('replay'),
  KVLAB_READ_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  KVLAB_REPLAY_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(20_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type EnvConfig = z.infer<typeof Env> & { caPem?: string };

export function loadEnv(env: NodeJS.ProcessEnv): EnvConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid settings in the environment — ${problems}. See README "Configuration".`);
  }
  const config: EnvConfig = { ...parsed.data };
  if (config.KVLAB_CA_FILE) {
    try {
      config.caPem = readFileSync(config.KVLAB_CA_FILE, 'utf8');
    } catch (err) {
      throw new ConfigError(
        `KVLAB_CA_FILE names a file that cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): ${config.KVLAB_CA_FILE}`,
      );
    }
    if (!config.caPem.includes('-----BEGIN CERTIFICATE-----')) {
      throw new ConfigError(`KVLAB_CA_FILE is not a PEM certificate bundle: ${config.KVLAB_CA_FILE}`);
    }
  }
  return config;
}
