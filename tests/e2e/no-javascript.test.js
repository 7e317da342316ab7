// Journey 6: every page works without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newContext, startPortier, member, signIn } from './support/browser.js';

let browser;
let portier;
before(async () => {
  browser = await launchBrowser();
  portier = await startPortier({ users: [member] });
});
after(async () => {
  await browser?.close();
  await portier?.cleanup();
});

test('a browser without JavaScript signs in, reaches Mon espace and signs out', async () => {
  const context = await newContext(browser, { javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await signIn(page, portier.url, member.identifier, member.password);
    assert.match(page.url(), /\/mon-espace$/);
    assert.equal(await page.getByTestId('account-identifier').textContent(), member.identifier);
    assert.ok((await page.getByTestId('session-row').count()) >= 1);

    // The language switch is a plain link.
    await page.getByTestId('lang-switch').click();
    await page.waitForURL('**/mon-espace');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');

    await page.getByTestId('sign-out').click();
    await page.waitForURL('**/connexion?info=signed_out');
    await page.getByTestId('notice').waitFor();
  } finally {
    await context.close();
  }
});
