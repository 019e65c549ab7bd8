import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../diagnostics/errors.ts';
import { loadEnv } from '../../../src/engine-settings.ts';

const errorOf = (env: NodeJS.ProcessEnv): Error => {
  try {
    loadEnv(env);
  } catch (err) {
    return err as Error;
  }
  throw new Error('loadEnv accepted the settings');
};

describe('engine settings', () => {
  it('fills the defaults, and treats empty variables as unset', () => {
    expect(loadEnv({ KVLAB_READ_TIMEOUT_MS: '', LOG_LEVEL: '' })).toEqual({
      KVLAB_REPLAY: 'replay',
      KVLAB_READ_TIMEOUT_MS: 5_000,
      KVLAB_REPLAY_TIMEOUT_MS: 20_000,
      LOG_LEVEL: 'info',
    });
  });

  it('reads every setting it knows and ignores the rest of the environment', () => {
    expect(
      loadEnv({
        KUBECONFIG: '/k',
        AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us',
        KVLAB_KEYVAULT_ENDPOINT: 'https://127.0.0.1:8443',
        KVLAB_REPLAY: 'off',
        KVLAB_READ_TIMEOUT_MS: '100',
        KVLAB_CONFIG: '/roster.yaml',
        KVLAB_REPLAY_TIMEOUT_MS: '120000',
        LOG_LEVEL: 'silent',
        HOME: '/root',
      }),
    ).toEqual({
      KUBECONFIG: '/k',
      AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us',
      KVLAB_KEYVAULT_ENDPOINT: 'https://127.0.0.1:8443',
      KVLAB_REPLAY: 'off',
      KVLAB_READ_TIMEOUT_MS: 100,
      KVLAB_CONFIG: '/roster.yaml',
      KVLAB_REPLAY_TIMEOUT_MS: 120_000,
      LOG_LEVEL: 'silent',
    });
  });

  it('names every bad setting and what it must be, never the value', () => {
    const error = errorOf({
      AZURE_AUTHORITY_HOST: 'login-host-7f3a',
      KVLAB_REPLAY: 'sometimes-7f3a',
      KVLAB_READ_TIMEOUT_MS: '99',
      KVLAB_REPLAY_TIMEOUT_MS: '1.5e3x',
    });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      'invalid settings in the environment — AZURE_AUTHORITY_HOST: must be a URL, e.g. https://login.microsoftonline.com; ' +
        'KVLAB_REPLAY: must be one of replay, off; KVLAB_READ_TIMEOUT_MS: must be a whole number from 100 to 60000; ' +
        'KVLAB_REPLAY_TIMEOUT_MS: must be a whole number from 500 to 120000. See README "Configuration".',
    );
    expect(error.message).not.toContain('7f3a');
  });

  it('takes whole numbers only, within their bounds', () => {
    expect(errorOf({ KVLAB_READ_TIMEOUT_MS: '60001' }).message).toContain('KVLAB_READ_TIMEOUT_MS');
    expect(errorOf({ KVLAB_READ_TIMEOUT_MS: '250.5' }).message).toContain('KVLAB_READ_TIMEOUT_MS');
    expect(errorOf({ KVLAB_READ_TIMEOUT_MS: ' ' }).message).toContain('KVLAB_READ_TIMEOUT_MS');
    expect(loadEnv({ KVLAB_READ_TIMEOUT_MS: '60000' }).KVLAB_READ_TIMEOUT_MS).toBe(60_000);
  });

  it('reads the CA file, and refuses one that is missing or not PEM', () => {
    expect(() => loadEnv({ KVLAB_CA_FILE: '/nonexistent/ca.pem' })).toThrow(
      'KVLAB_CA_FILE names a file that cannot be read (ENOENT): /nonexistent/ca.pem',
    );
    expect(() => loadEnv({ KVLAB_CA_FILE: import.meta.filename })).toThrow(
      `KVLAB_CA_FILE is not a PEM certificate bundle: ${import.meta.filename}`,
    );
  });
});
