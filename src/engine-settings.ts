/**
 * The engine's settings (`kvlab diagnose`, `kvlab status` and the workers), parsed and validated once from the
 * environment. Checked by hand rather than with zod (src/config.ts, the bot's settings): a new CLI process would
 * otherwise spend ~25 ms evaluating zod before its first Kubernetes request, for nine variables. An empty variable
 * means "not set"; an error names the setting and what it must be, never its value.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../diagnostics/errors.ts';

type Spec =
  | { kind: 'text' | 'url' }
  | { kind: 'choice'; values: readonly string[]; default: string }
  | { kind: 'integer'; min: number; max: number; default: number };

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

const SETTINGS = {
  KUBECONFIG: { kind: 'text' },
  AZURE_AUTHORITY_HOST: { kind: 'url' },
  KVLAB_KEYVAULT_ENDPOINT: { kind: 'url' },
  KVLAB_ENTRA_ENDPOINT: { kind: 'url' },
  KVLAB_CA_FILE: { kind: 'text' },
  KVLAB_REPLAY: { kind: 'choice', values: ['replay', 'off'], default: 'replay' },
  KVLAB_READ_TIMEOUT_MS: { kind: 'integer', min: 100, max: 60_000, default: 5_000 },
  /** The classroom roster YAML; `kvlab status` reads the class's namespaces from it. */
  KVLAB_CONFIG: { kind: 'text' },
  KVLAB_REPLAY_TIMEOUT_MS: { kind: 'integer', min: 500, max: 120_000, default: 20_000 },
  LOG_LEVEL: { kind: 'choice', values: LOG_LEVELS, default: 'info' },
} as const satisfies Record<string, Spec>;

export interface EnvConfig {
  KUBECONFIG?: string;
  AZURE_AUTHORITY_HOST?: string;
  KVLAB_KEYVAULT_ENDPOINT?: string;
  KVLAB_ENTRA_ENDPOINT?: string;
  KVLAB_CA_FILE?: string;
  KVLAB_REPLAY: 'replay' | 'off';
  KVLAB_READ_TIMEOUT_MS: number;
  KVLAB_CONFIG?: string;
  KVLAB_REPLAY_TIMEOUT_MS: number;
  LOG_LEVEL: (typeof LOG_LEVELS)[number];
  /** The contents of KVLAB_CA_FILE. */
  caPem?: string;
}

/** One setting's value, or why it is not acceptable (without the value). */
function parseOne(spec: Spec, raw: string | undefined): { value?: string | number; problem?: string } {
  if (raw === undefined || raw === '') return 'default' in spec ? { value: spec.default } : {};
  switch (spec.kind) {
    case 'text':
      return { value: raw };
    case 'url':
      return URL.canParse(raw) ? { value: raw } : { problem: 'must be a URL, e.g. https://login.microsoftonline.com' };
    case 'choice':
      return spec.values.includes(raw) ? { value: raw } : { problem: `must be one of ${spec.values.join(', ')}` };
    case 'integer': {
      const n = raw.trim() === '' ? Number.NaN : Number(raw);
      return Number.isInteger(n) && n >= spec.min && n <= spec.max
        ? { value: n }
        : { problem: `must be a whole number from ${spec.min} to ${spec.max}` };
    }
  }
}

export function loadEnv(env: NodeJS.ProcessEnv): EnvConfig {
  const config: Record<string, string | number> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(SETTINGS) as Array<[string, Spec]>) {
    const { value, problem } = parseOne(spec, env[name]);
    if (problem) problems.push(`${name}: ${problem}`);
    else if (value !== undefined) config[name] = value;
  }
  if (problems.length > 0) {
    throw new ConfigError(`invalid settings in the environment — ${problems.join('; ')}. See README "Configuration".`);
  }
  const result = config as unknown as EnvConfig;
  if (result.KVLAB_CA_FILE) result.caPem = readCaFile(result.KVLAB_CA_FILE);
  return result;
}

function readCaFile(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `KVLAB_CA_FILE names a file that cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): ${path}`,
    );
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError(`KVLAB_CA_FILE is not a PEM certificate bundle: ${path}`);
  }
  return pem;
}
