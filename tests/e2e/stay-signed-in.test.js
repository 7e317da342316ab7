// Shared PCs: the session cookie lasts the browser session unless the member
// ticks "Rester connecté sur cet ordinateur"; and a form left open in another
// tab before signing in asks plainly for a reload (its CSRF token belonged
// to the signed-out browser).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  launchBrowser, newContext, startPortier, member, submitAndWait, expectNoAxeViolations, tabTo,
} from './support/browser.js';

const safety = JSON.parse(readFileSync(new URL('../../templates/i18n/session_safety.fr.json', import.meta.url), 'utf8'));

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

const sessionCookie = async (context) => (await context.cookies()).find((c) => c.name === 'portier_session');

test('the session cookie ends with the browser unless "stay signed in" is ticked (by keyboard)', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await page.goto(`${portier.url}/connexion`);
    const box = page.getByTestId('sign-in-remember');
    assert.equal(await box.isChecked(), false, 'unticked by default');
    await expectNoAxeViolations(page, 'sign-in page');
    await page.locator('#identifier').fill(member.identifier);
    await page.locator('#password').fill(member.password);
    await submitAndWait(page, page.getByTestId('sign-in-submit'));
    assert.match(page.url(), /\/mon-espace$/);
    assert.equal((await sessionCookie(context)).expires, -1, 'a browser-session cookie');
    await submitAndWait(page, page.getByTestId('sign-out'));

    await page.locator('#identifier').fill(member.identifier);
    await page.locator('#password').fill(member.password);
    // From the password, Tab reaches the box; Space ticks it.
    await page.locator('#password').focus();
    await tabTo(page, '#remember', 1);
    await page.keyboard.press('Space');
    assert.equal(await box.isChecked(), true);
    await expectNoAxeViolations(page, 'sign-in page, box ticked');
    const before = Date.now() / 1000;
    await submitAndWait(page, page.getByTestId('sign-in-submit'));
    assert.match(page.url(), /\/mon-espace$/);
    const expires = (await sessionCookie(context)).expires;
    assert.ok(Math.abs(expires - (before + 12 * 3600)) < 60, `expires in 12 h: ${expires - before} s`);
  } finally {
    await context.close();
  }
});

test('a form opened in another tab before signing in asks for a reload, then works', async () => {
  const context = await newContext(browser);
  const first = await context.newPage();
  const second = await context.newPage();
  try {
    await second.goto(`${portier.url}/connexion`);
    await first.goto(`${portier.url}/connexion`);
    await first.locator('#identifier').fill(member.identifier);
    await first.locator('#password').fill(member.password);
    await submitAndWait(first, first.getByTestId('sign-in-submit'));
    assert.match(first.url(), /\/mon-espace$/);

    // The second tab's form was shown to a signed-out browser.
    await second.locator('#identifier').fill(member.identifier);
    await second.locator('#password').fill(member.password);
    const refused = await submitAndWait(second, second.getByTestId('sign-in-submit'));
    assert.equal(refused.status(), 403);
    assert.equal(await second.getByTestId('error-message').textContent(), safety.error_csrf_session);
    await expectNoAxeViolations(second, 'stale form page');
    // Reloading the sign-in page: already signed in, so straight to Mon espace,
    // whose forms carry the signed-in token.
    await second.goto(`${portier.url}/connexion`);
    assert.match(second.url(), /\/mon-espace$/);
    await submitAndWait(second, second.getByTestId('sign-out'));
    assert.match(second.url(), /\/connexion\?info=signed_out$/);
  } finally {
    await context.close();
  }
});
