// Journey 1: a member signs in with the keyboard only, changes the password in
// Mon espace, signs out, is refused with the old password, gets in with the new one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newContext, startPortier, member, tabTo, signIn, focusedSelector } from './support/browser.js';

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

test('a member signs in by keyboard, changes the password, signs out and back in', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await page.goto(`${portier.url}/connexion`);

    // The first Tab reaches the skip link.
    await page.keyboard.press('Tab');
    assert.ok(await page.locator('.skip-link').evaluate((el) => el === document.activeElement), 'skip link first');

    // Following it, the next Tab reaches the identifier, past the header links.
    await page.keyboard.press('Enter');
    await tabTo(page, '#identifier', 1);
    await page.keyboard.type(member.identifier);
    await page.keyboard.press('Tab');
    assert.equal(await focusedSelector(page), '#password', 'Tab goes from the identifier to the password');
    await page.keyboard.type(member.password);
    await Promise.all([page.waitForURL('**/mon-espace'), page.keyboard.press('Enter')]);

    assert.equal(await page.getByTestId('account-identifier').textContent(), member.identifier);
    assert.equal(await page.getByRole('heading', { level: 1 }).count(), 1);

    // Changer mon mot de passe.
    const newPassword = 'colline-mistral-aurore-17';
    const section = page.locator('#mot-de-passe');
    // The setting is folded: its summary opens it from the keyboard.
    await page.locator('#mot-de-passe-fold > summary').focus();
    await page.keyboard.press('Enter');
    await section.locator('#current_password').fill(member.password);
    await section.locator('#new_password').fill(newPassword);
    await section.locator('#confirm_password').fill(newPassword);
    await Promise.all([page.waitForURL('**/mon-espace?info=password_changed'), page.getByTestId('password-submit').click()]);
    await page.getByTestId('notice').waitFor();

    // Sign out with the header button.
    await Promise.all([page.waitForURL('**/connexion?info=signed_out'), page.getByTestId('sign-out').click()]);
    await page.getByTestId('notice').waitFor();
    assert.equal(await page.getByTestId('sign-out').count(), 0, 'no sign-out button once signed out');

    // The old password no longer works.
    const refused = await signIn(page, portier.url, member.identifier, member.password);
    assert.equal(refused.status(), 401);
    assert.match(page.url(), /\/connexion$/);
    await page.getByTestId('sign-in-error').waitFor();
    assert.equal(await page.getByTestId('account-identifier').count(), 0);
    // The identifier typed is kept, the password is not.
    assert.equal(await page.locator('#identifier').inputValue(), member.identifier);
    assert.equal(await page.locator('#password').inputValue(), '');

    // The new one does.
    await signIn(page, portier.url, member.identifier, newPassword);
    assert.match(page.url(), /\/mon-espace$/);
    assert.equal(await page.getByTestId('account-identifier').textContent(), member.identifier);
  } finally {
    await context.close();
  }
});
