// Journey: first connection, as a member does it in French. The network
// created the account without a password; the invitation mail's link leads to
// the password form, and the member then signs in. Also "Première connexion"
// (a lost invitation sent again, through the real robot-check widget) and the
// code typed on its own page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import {
  launchBrowser, newContext, mobile as mobileDevice, signIn, submitAndWait, expectNoAxeViolations, expectErrorSummaryLinked,
  screenshot,
} from './support/browser.js';

const PASSWORD = 'garrigue-phare-tilleul-77';
let browser;
let smtp;
let portier;

before(async () => {
  browser = await launchBrowser();
  smtp = await new SmtpSink().start();
  portier = new Portier({ env: { PORTIER_SECOND_STEP: 'off' }, toml: [
    '[mail]', `smtp_url = "${smtp.url}"`, 'smtp_tls = "none"', 'from_address = "no-reply@portail.test"',
    'outbox_poll_interval = 1',
    '[security]', 'robot_max_number = 20000',
  ] });
  // No password: the account is pending and its invitation is queued.
  portier.addUser({ identifier: 'claire.martin', email: 'claire@example.org', name: 'Claire Martin' });
  portier.addUser({ identifier: 'paul.durand', email: 'paul@example.org', name: 'Paul Durand' });
  await portier.start();
});
after(async () => {
  await browser?.close();
  await portier?.cleanup();
  await smtp?.stop();
});

const mailTo = (address, n) => smtp.waitFor(() => smtp.messages.filter((m) => m.to === address).length >= n, 10000)
  .then(() => smtp.messages.filter((m) => m.to === address)[n - 1]);
const localLink = (mail) => mail.parsed.text.match(/(http:\/\/\S+\/premiere-connexion\/activer\?jeton=[\w-]+)/)[1]
  .replace(/^http:\/\/[^/]+/, portier.url);

async function passRobotCheck(page) {
  const box = page.locator('altcha-widget input[type="checkbox"]');
  await box.focus();
  await page.keyboard.press('Space');
  await page.waitForFunction(() => {
    const field = document.querySelector('input[name="altcha"]');
    return field && field.value.length > 20;
  }, null, { timeout: 15000 });
}

test('first connection: the invitation link activates the account, then the member signs in', async () => {
  const mail = await mailTo('claire@example.org', 1);
  assert.match(mail.parsed.subject, /Activez votre compte/);
  const context = await newContext(browser, mobileDevice);
  const page = await context.newPage();
  try {
    await page.goto(localLink(mail));
    assert.equal(await page.getByTestId('activation-identifier').inputValue(), 'claire.martin');
    await expectNoAxeViolations(page, 'activation password page');
    await screenshot(page, 'activation-fr', { docs: true });

    await page.locator('#new_password').fill('court');
    await page.locator('#confirm_password').fill('court');
    let r = await submitAndWait(page, page.getByTestId('activation-submit'));
    assert.equal(r.status(), 422);
    assert.deepEqual(await expectErrorSummaryLinked(page), ['#new_password']);
    await expectNoAxeViolations(page, 'activation password page with an error');
    await screenshot(page, 'activation-error-fr');

    await page.locator('#new_password').fill(PASSWORD);
    await page.locator('#confirm_password').fill(PASSWORD);
    await submitAndWait(page, page.getByTestId('activation-submit'));
    assert.match(page.url(), /\/connexion\?info=account_activated$/);
    await page.getByTestId('notice').waitFor();
    await expectNoAxeViolations(page, 'sign-in page after activation');
    await screenshot(page, 'activation-done-fr', { docs: true });

    await signIn(page, portier.url, 'claire.martin', PASSWORD);
    assert.match(page.url(), /\/mon-espace$/);

    // The invitation is spent.
    await page.goto(localLink(mail));
    await page.getByTestId('invitation-invalid').waitFor();
    await expectNoAxeViolations(page, 'used invitation page');
    await screenshot(page, 'activation-invalid-fr');
  } finally {
    await context.close();
  }
});

test('Première connexion: a lost invitation is sent again and its code typed on the page', async () => {
  await mailTo('paul@example.org', 1);
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await page.goto(`${portier.url}/connexion`);
    await submitAndWait(page, page.locator('a[href="/premiere-connexion"]').first());
    assert.match(page.url(), /\/premiere-connexion$/);
    await expectNoAxeViolations(page, 'first connection form');
    await screenshot(page, 'first-connection-fr', { docs: true });

    let r = await submitAndWait(page, page.getByTestId('first-connection-submit'));
    assert.equal(r.status(), 422);
    await page.getByTestId('error-summary').waitFor();
    await expectNoAxeViolations(page, 'first connection form with errors');

    await page.locator('#target').fill('paul@example.org');
    await passRobotCheck(page);
    r = await submitAndWait(page, page.getByTestId('first-connection-submit'));
    assert.equal(r.status(), 200);
    await page.getByTestId('activation-sent').waitFor();
    await expectNoAxeViolations(page, 'invitation sent page');
    await screenshot(page, 'first-connection-sent-fr', { docs: true });

    const mail = await mailTo('paul@example.org', 2);
    const code = mail.parsed.text.match(/\b([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})\b/)[1];
    await page.locator('#code').fill('2222-3333-4444-5555');
    r = await submitAndWait(page, page.getByTestId('activation-code-submit'));
    assert.equal(r.status(), 422);
    assert.deepEqual(await expectErrorSummaryLinked(page), ['#code']);
    await expectNoAxeViolations(page, 'code page with a wrong code');
    await page.locator('#code').fill(code);
    await submitAndWait(page, page.getByTestId('activation-code-submit'));
    assert.equal(await page.getByTestId('activation-identifier').inputValue(), 'paul.durand');
    await page.locator('#new_password').fill(PASSWORD);
    await page.locator('#confirm_password').fill(PASSWORD);
    await submitAndWait(page, page.getByTestId('activation-submit'));
    assert.match(page.url(), /\/connexion\?info=account_activated$/);
    await signIn(page, portier.url, 'paul.durand', PASSWORD);
    assert.match(page.url(), /\/mon-espace$/);
  } finally {
    await context.close();
  }
});
