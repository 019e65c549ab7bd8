/**
 * The classroom console in a real browser (system Chromium through playwright-core) against the real bot: what a
 * newcomer does after `npm start`. Screenshots go to test-artifacts/console/ (gitignored).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS,
  browserPath,
  type ConsoleFixture,
  NO_BROWSER,
  openAs,
  startConsoleFixture,
} from './console-fixture.ts';

const hasBrowser = browserPath() !== undefined;
if (!hasBrowser) console.warn(`test/console skipped: ${NO_BROWSER}`);

describe.skipIf(!hasBrowser)('the classroom console in Chromium', { timeout: 90_000 }, () => {
  let fx: ConsoleFixture;
  beforeAll(async () => {
    fx = await startConsoleFixture();
  });
  afterAll(() => fx?.close());

  it('a student types /kvlab diagnose pod-keyvault and reads the threaded answer naming the cause', async () => {
    const page = await openAs(fx, 'U0STUDENT17');
    await page.getByRole('textbox', { name: /^Message/ }).fill('/kvlab diagnose pod-keyvault');
    await page.keyboard.press('Enter');
    // The acknowledgement first, only for the student; then the answer, edited from progress to the verdict.
    await expect
      .poll(() => page.locator('#messages .msg.ephemeral').innerText(), { timeout: 10_000 })
      .toMatch(/Only visible to you[\s\S]*Diagnosing/);
    const answer = page.locator('#messages .msg:not(.ephemeral)', { hasText: 'student-17/pod-keyvault' }).last();
    await expect.poll(() => answer.innerText(), { timeout: 45_000 }).toMatch(/is broken: db-passwd is not in vault/);
    await expect.poll(() => answer.innerText()).toContain('(edited)');
    await answer.getByRole('button', { name: /\d+ repl/ }).click({ timeout: 45_000 });
    const thread = page.getByRole('complementary', { name: /^Thread/ });
    await expect
      .poll(() => thread.innerText(), { timeout: 10_000 })
      .toMatch(/Root cause: db-passwd is not in vault kv-kvlab-lab/);
    expect(await thread.innerText()).toContain('SECRET_NOT_FOUND');
    // mrkdwn rendered, not shown raw: code spans and bold are elements, no literal asterisks or backticks.
    expect(await thread.locator('code.mk-code', { hasText: 'SECRET_NOT_FOUND' }).count()).toBeGreaterThan(0);
    expect(await thread.innerText()).not.toMatch(/`SECRET_NOT_FOUND`|\*Root cause/);
    await page.screenshot({ path: `${ARTIFACTS}/diagnose.png` });
  });

  it('the instructor runs /kvlab status class-a and finds the summary in their DM with the app', async () => {
    const page = await openAs(fx, 'U0INSTRUCT');
    await page.getByRole('textbox', { name: /^Message/ }).fill('/kvlab status class-a');
    await page.getByRole('button', { name: 'Send' }).click();
    const dm = page.getByRole('navigation').getByRole('button', { name: /kvlab \(app\)/ });
    await dm.click({ timeout: 45_000 });
    await expect.poll(() => page.locator('#conv-title').innerText()).toMatch(/kvlab \(app\)/);
    await expect
      .poll(() => page.locator('#messages').innerText(), { timeout: 45_000 })
      .toMatch(/class-a[\s\S]*(22 students|students)/i);
    await page.screenshot({ path: `${ARTIFACTS}/status-dm.png` });
  });

  it('"break" makes the pod fail and an alert appear in the alert channel; "fix" turns the alert ✅', async () => {
    const page = await openAs(fx, 'U0INSTRUCT', 'C0ALERTS01');
    await expect.poll(() => page.locator('#conv-title').innerText()).toMatch(/kvlab-alerts/);
    const row = page.locator('tr[data-namespace="student-01"]');
    await expect.poll(() => row.innerText()).toContain('Running');
    await page.getByRole('button', { name: 'Break: Typo the object name in student-01' }).click();
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).toMatch(/Pending[\s\S]*FailedMount/);
    const alert = page.locator('#messages .msg', { hasText: 'student-01' }).last();
    // Its own alert, or a line of the budget summary when the start-up storm spent the channel's budget.
    await expect.poll(() => alert.innerText(), { timeout: 45_000 }).toMatch(/student-01\/pod-keyvault/);
    expect(await alert.innerText()).toContain('SECRET_NOT_FOUND');
    await page.screenshot({ path: `${ARTIFACTS}/alert-firing.png` });
    await page.getByRole('button', { name: 'Fix: Fix the object name in student-01' }).click();
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).toMatch(/Running/);
    await expect.poll(() => alert.innerText(), { timeout: 45_000 }).toMatch(/✅ (?:Fixed: )?student-01\/pod-keyvault/);
    await page.screenshot({ path: `${ARTIFACTS}/alert-resolved.png` });
  });

  it('a <!channel> in an event message shows as text, not as a mention of everyone', async () => {
    const { store } = fx.classroom.k8s;
    const pod = store.get({ apiVersion: 'v1', kind: 'Pod', namespace: 'student-16', name: 'pod-keyvault' }) as {
      metadata: { uid: string };
    };
    const hostile =
      'MountVolume.SetUp failed for volume "secrets-store" : <!channel> <@U0INSTRUCT> <https://evil.example|click me> & *not bold*';
    store.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'pod-keyvault.hostile', namespace: 'student-16' },
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Pod',
        name: 'pod-keyvault',
        namespace: 'student-16',
        uid: pod.metadata.uid,
      },
      reason: 'FailedMount',
      message: hostile,
      type: 'Warning',
      count: 1,
      firstTimestamp: '2099-01-01T00:00:00Z',
      lastTimestamp: '2099-01-01T00:00:00Z',
      source: { component: 'kubelet' },
    });
    const page = await openAs(fx, 'U0STUDENT16');
    // The classroom panel shows the event as the cluster has it.
    const row = page.locator('tr[data-namespace="student-16"]');
    await expect.poll(() => row.innerText(), { timeout: 10_000 }).toContain('<!channel> <@U0INSTRUCT>');
    await page.getByRole('textbox', { name: /^Message/ }).fill('/kvlab diagnose pod-keyvault');
    await page.keyboard.press('Enter');
    const answer = page.locator('#messages .msg:not(.ephemeral)', { hasText: 'student-16/pod-keyvault' }).last();
    await answer.getByRole('button', { name: /\d+ repl/ }).click({ timeout: 45_000 });
    const thread = page.getByRole('complementary', { name: /^Thread/ });
    await expect.poll(() => thread.innerText(), { timeout: 10_000 }).toContain('<!channel>');
    expect(await thread.innerText()).toContain('<@U0INSTRUCT>');
    // No mention, link or markup was made from it, anywhere on the page.
    expect(await page.locator('.mention-broadcast').count()).toBe(0);
    expect(await page.locator('a[href*="evil.example"]').count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/hostile-event.png` });
  });
});
