import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../handlers/parse-command.ts';

describe('parsing /kvlab text', () => {
  it.each([
    ['diagnose pod-keyvault', { kind: 'diagnose', pod: 'pod-keyvault' }],
    ['  diagnose   pod-keyvault  -n student-07 ', { kind: 'diagnose', pod: 'pod-keyvault', namespace: 'student-07' }],
    ['diagnose -n student-07 pod-keyvault', { kind: 'diagnose', pod: 'pod-keyvault', namespace: 'student-07' }],
    [
      'diagnose pod-keyvault --namespace=student-07',
      { kind: 'diagnose', pod: 'pod-keyvault', namespace: 'student-07' },
    ],
    ['DIAGNOSE web.v2', { kind: 'diagnose', pod: 'web.v2' }],
    ['lint', { kind: 'lint' }],
    ['help', { kind: 'help' }],
    ['', { kind: 'help' }],
    ['status', { kind: 'status' }],
    ['status class-a', { kind: 'status', className: 'class-a' }],
  ])('reads %j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it('keeps the pasted explain text as typed, line breaks included', () => {
    expect(parseCommand('explain  MountVolume.SetUp failed\n  code = Unknown')).toEqual({
      kind: 'explain',
      text: 'MountVolume.SetUp failed\n  code = Unknown',
    });
  });

  it.each([
    ['diagnose', 'Name the pod'],
    ['diagnose a b', 'exactly one pod'],
    ['diagnose pod -n', '`-n` needs a namespace name'],
    ['diagnose pod --all', 'Unknown option `--all`'],
    ['diagnose Pod_1', 'not a valid pod name'],
    ['diagnose pod -n Student_07', 'not a valid namespace name'],
    [`diagnose pod -n ${'a'.repeat(64)}`, 'not a valid namespace name'],
    ['explain', 'Paste the error message'],
    ['lint my.yaml', 'takes no arguments'],
    ['status a b', 'Usage: `/kvlab status <class>`'],
    ['status Class_A', 'is not a class name'],
    ['frobnicate now', '"frobnicate" is not a kvlab command'],
  ])('answers %j with a usage message naming the problem', (text, message) => {
    const parsed = parseCommand(text);
    expect(parsed.kind).toBe('usage');
    expect(parsed.kind === 'usage' && parsed.message).toContain(message);
  });

  it('shows rejected words back with control characters escaped and long input cut', () => {
    const parsed = parseCommand(`${'x'.repeat(100)}\u0007`);
    expect(parsed.kind === 'usage' && parsed.message).toContain(`${'x'.repeat(60)}…`);
    expect(parseCommand('diagnose a\u0000b').kind === 'usage').toBe(true);
  });
});
