// Journey 9: a member on a new computer mistypes the password five times,
// sees that sign-in is suspended and until when, resets the password from
// the link on that page, and signs in at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import {
  launchBrowser, newContext, member, signIn, submitAndWait, expectNoAxeViolations, screenshot,
} from './support/browser.js';
import { FRENCH_DATE_TIME } from '../support/display_time.js';

let browser;
let smtp;
let portier;

before(async () => {
  browser = await launchBrowser();
  smtp = await new SmtpSink().start();
  portier = new Portier({ toml: ['[mail]', `smtp_url = "${smtp.url}"`, 'smtp_tls = "none"', 'outbox_poll_interval = 1',
    '[security]', 'robot_max_number = 20000'] });
  portier.addUser(member);
  await portier.start();
});
after(async () => {
  await browser?.close();
  await portier?.cleanup();
  await smtp?.stop();
});

test('a suspended member resets the password and signs in at once', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    for (let i = 1; i <= 4; i++) {
      const r = await signIn(page, portier.url, member.identifier, `mauvais-mot-de-passe-${i}`);
      assert.equal(r.status(), 401);
    }
    const r = await signIn(page, portier.url, member.identifier, 'mauvais-mot-de-passe-5');
    assert.equal(r.status(), 429);
    const error = page.getByTestId('sign-in-error');
    assert.match(await error.textContent(), new RegExp(`suspendue jusqu’au ${FRENCH_DATE_TIME}`));
    await expectNoAxeViolations(page, 'sign-in page, suspended');
    await screenshot(page, 'sign-in-suspended-fr', { docs: true });

    const notice = await smtp.waitFor((m) => m.to === member.email && /suspendue/.test(m.parsed.subject), 10000);
    assert.match(notice.parsed.text, /navigateurs inconnus/);

    // The page's own link leads to the reset.
    await submitAndWait(page, page.getByTestId('suspended-reset'));
    await page.locator('#target').fill(member.identifier);
    const box = page.locator('altcha-widget input[type="checkbox"]');
    await box.focus();
    await page.keyboard.press('Space');
    await page.waitForFunction(() => (document.querySelector('input[name="altcha"]')?.value ?? '').length > 20, null,
      { timeout: 15000 });
    await submitAndWait(page, page.getByTestId('forgot-password-submit'));
    const mail = await smtp.waitFor((m) => m.to === member.email && /jeton=/.test(m.parsed.text), 10000);
    const code = mail.parsed.text.match(/\b([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})\b/)[1];
    await page.locator('#code').fill(code);
    await submitAndWait(page, page.getByTestId('recovery-code-submit'));
    const chosen = 'sentier-bruyere-falaise-64';
    await page.locator('#new_password').fill(chosen);
    await page.locator('#confirm_password').fill(chosen);
    await submitAndWait(page, page.getByTestId('reset-submit'));
    assert.match(page.url(), /\/connexion\?info=password_reset$/);

    const ok = await signIn(page, portier.url, member.identifier, chosen);
    assert.equal(ok.status(), 303, 'the reset lifted the suspension');
    assert.match(page.url(), /\/mon-espace$/);
  } finally {
    await context.close();
  }
});
