import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, browserPath, type ConsoleFixture, NO_BROWSER, openAs, startConsoleFixture } from './console-fixture.ts';

const hasBrowser = browserPath() !== undefined;
if (!hasBrowser) console.warn(`test/console skipped: ${NO_BROWSER}`);

describe.skipIf(!hasBrowser)('the classroom console in Chromium', () => {
  let fx: ConsoleFixture;
  beforeAll(async () => {
    fx = await startConsoleFixture();
  });
  afterAll(() => fx?.close());

  it('a student types /kvlab diagnose pod-keyvault and reads the threaded answer naming the cause', async () => {
    const page = await openAs(fx, 'U0STUDENT17');
    await page.getByRole('textbox', { name: /^Message/ }).fill('/kvlab diagnose pod-keyvault');
    await page.getByRole('button', { name: 'Send' }).click();
    const answer = page.locator('#messages .msg', { hasText: 'student-17/pod-keyvault' }).last();
    await answer.getByRole('button', { name: /repl/ }).click({ timeout: 20_000 });
    const thread = page.getByRole('complementary', { name: /^Thread/ });
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `${ARTIFACTS}/diagnose.png` });
    console.log(await thread.innerText());
    console.log(await page.locator('#messages').innerText());
  });
});
