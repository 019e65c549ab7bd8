import { describe, expect, it } from 'vitest';
import { normalizeMessage } from '../../../diagnostics/knowledge/classify/index.ts';
import { boxBordered, describeRow, hardWrap, jsonEscaped, klogJson } from './manglers.ts';

const LINE =
  'MountVolume.SetUp failed for volume "secrets-store" : rpc error: code = Unknown desc = failed to get secretproviderclass student-07/azure-kv-secrets, error: SecretProviderClass.secrets-store.csi.x-k8s.io "azure-kv-secrets" not found';

describe('normalizeMessage', () => {
  it('leaves a clean message unchanged', () => {
    expect(normalizeMessage(LINE)).toBe(LINE);
  });

  it('re-joins lines hard-wrapped at a fixed width', () => {
    expect(normalizeMessage(hardWrap(LINE, 80))).toBe(LINE);
    expect(normalizeMessage(hardWrap(LINE, 33))).toBe(LINE);
  });

  it('keeps genuine line structure that is not a fixed-width wrap', () => {
    const multiLine =
      'GET https://kv.vault.azure.net/secrets/x/\n' +
      '-'.repeat(80) +
      '\nRESPONSE 404: 404 Not Found\nERROR CODE: SecretNotFound';
    expect(normalizeMessage(multiLine)).toBe(multiLine);
  });

  it('strips table borders and box-drawing characters', () => {
    expect(normalizeMessage(boxBordered(`${LINE}\nsecond line`))).toBe(`${LINE}\nsecond line`);
    expect(normalizeMessage(`| ${LINE} |`)).toBe(LINE);
    expect(normalizeMessage('\u2577\n\u2502 Error: x\n\u2575')).toBe('Error: x');
  });

  it('drops kubectl describe columns and headers, and the combined-events prefix', () => {
    expect(normalizeMessage(describeRow(`(combined from similar events): ${LINE}`))).toBe(LINE);
    const getEvents = `5m   Warning   FailedMount   pod/pod-keyvault   ${LINE}`;
    expect(normalizeMessage(getEvents)).toBe(LINE);
  });

  it("undoes JSON escaping, including Go's \\u003c and double escaping", () => {
    const text = 'error: Invalid vault name: "<KEY_VAULT_NAME>"\nsecond "line"';
    expect(normalizeMessage(jsonEscaped(text))).toBe(text);
    expect(normalizeMessage(klogJson(text))).toContain('Invalid vault name: "<KEY_VAULT_NAME>"');
  });

  it('removes ANSI colours, CRLF, control bytes and chat typography', () => {
    expect(normalizeMessage('\x1b[31mrpc error\x1b[0m: code\r\n= Unknown')).toBe('rpc error: code\n= Unknown');
    expect(normalizeMessage('[0;33mwarning[0m')).toBe('warning');
    expect(normalizeMessage('for volume \u201cx\u201d : it\u2019s\u00a0here \u2013 ok\u2026')).toBe(
      'for volume "x" : it\'s here - ok...',
    );
    expect(normalizeMessage('a\u0000b\u200bc')).toBe('a bc');
  });
});
