// Journey 3: a temporary password from the command line leads to the forced
// change page, then to Mon espace with a notice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newContext, startPortier, member, temporaryPassword, signIn } from './support/browser.js';

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

test('a temporary password must be replaced at sign-in', async () => {
  const temporary = temporaryPassword(portier, member.identifier);
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await signIn(page, portier.url, member.identifier, temporary);
    assert.match(page.url(), /\/connexion\/nouveau-mot-de-passe$/);
    assert.equal(await page.getByRole('heading', { level: 1 }).count(), 1);
    // Mon espace stays closed until a new password is chosen.
    assert.equal(await page.getByTestId('sign-out').count(), 0);

    const chosen = 'phare-garrigue-tilleul-35';
    await page.locator('#new_password').fill(chosen);
    await page.locator('#confirm_password').fill(chosen);
    await Promise.all([page.waitForURL('**/mon-espace?info=password_changed'),
      page.getByTestId('required-change-submit').click()]);
    await page.getByTestId('notice').waitFor();
    assert.equal(await page.getByTestId('account-identifier').textContent(), member.identifier);

    // The temporary password is spent; the chosen one works.
    await page.getByTestId('sign-out').click();
    await page.waitForURL('**/connexion?info=signed_out');
    await signIn(page, portier.url, member.identifier, temporary);
    await page.getByTestId('sign-in-error').waitFor();
    await signIn(page, portier.url, member.identifier, chosen);
    assert.match(page.url(), /\/mon-espace$/);
  } finally {
    await context.close();
  }
});
