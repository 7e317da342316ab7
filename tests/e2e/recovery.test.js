// Journeys 6-8: getting back in, as a member does it in French: the forgot
// password link read on a phone, the code typed on the PC, the forgotten
// identifier; each through the real robot-check widget and real mail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import {
  launchBrowser, newContext, member, signIn, submitAndWait, expectNoAxeViolations, expectErrorSummaryLinked, screenshot,
} from './support/browser.js';

const NEW_PASSWORD = 'colline-aurore-sentier-58';
// The member's password changes along the journeys: a copy of the frozen fixture.
const claire = { ...member };
let browser;
let smtp;
let portier;

before(async () => {
  browser = await launchBrowser();
  smtp = await new SmtpSink().start();
  portier = new Portier({ toml: [
    '[mail]', `smtp_url = "${smtp.url}"`, 'smtp_tls = "none"', 'from_address = "no-reply@portail.test"',
    'outbox_poll_interval = 1',
    '[security]', 'robot_max_number = 20000',
  ] });
  portier.addUser(claire);
  await portier.start();
});
after(async () => {
  await browser?.close();
  await portier?.cleanup();
  await smtp?.stop();
});

// Ticks "Je ne suis pas un robot" with the keyboard and waits for the widget
// to finish its proof of work.
async function passRobotCheck(page) {
  const box = page.locator('altcha-widget input[type="checkbox"]');
  await box.focus();
  await page.keyboard.press('Space');
  await page.waitForFunction(() => {
    const field = document.querySelector('input[name="altcha"]');
    return field && field.value.length > 20;
  }, null, { timeout: 15000 });
}

const mailTo = (address, n) => smtp.waitFor(() => smtp.messages.filter((m) => m.to === address).length >= n, 10000)
  .then(() => smtp.messages.filter((m) => m.to === address)[n - 1]);

test('forgot password: the link from the mail sets a new password, then the member signs in', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await page.goto(`${portier.url}/connexion`);
    await submitAndWait(page, page.getByRole('link', { name: 'Mot de passe oublié ?' }));
    assert.match(page.url(), /\/mot-de-passe-oublie$/);
    await expectNoAxeViolations(page, 'forgot password form');
    await screenshot(page, 'forgot-password-fr', { docs: true });

    // Submitting without the robot check brings the form back with a message.
    await page.locator('#target').fill(claire.identifier);
    let r = await submitAndWait(page, page.getByTestId('forgot-password-submit'));
    assert.equal(r.status(), 422);
    await page.getByTestId('error-summary').waitFor();
    assert.equal(await page.locator('#target').inputValue(), claire.identifier, 'what was typed is kept');
    await expectNoAxeViolations(page, 'forgot password form with the robot error');
    await screenshot(page, 'forgot-password-robot-error-fr');

    await passRobotCheck(page);
    await screenshot(page, 'forgot-password-robot-passed-fr');
    r = await submitAndWait(page, page.getByTestId('forgot-password-submit'));
    assert.equal(r.status(), 303);
    assert.match(page.url(), /\/mot-de-passe-oublie\/code$/);
    await page.getByTestId('recovery-expires').waitFor();
    await expectNoAxeViolations(page, 'message sent page');
    await screenshot(page, 'recovery-sent-fr', { docs: true });

    // The claire reads the mail on a phone: another browser opens the link.
    const mail = await mailTo(claire.email, 1);
    const link = mail.parsed.text.match(/(http:\/\/\S+\/mot-de-passe-oublie\/nouveau\?jeton=[\w-]+)/)[1]
      .replace(/^http:\/\/[^/]+/, portier.url);
    const phone = await newContext(browser, { viewport: { width: 375, height: 812 }, isMobile: true });
    const mobile = await phone.newPage();
    await mobile.goto(link);
    assert.equal(await mobile.getByTestId('reset-identifier').inputValue(), claire.identifier);
    await expectNoAxeViolations(mobile, 'new password page');
    await screenshot(mobile, 'recovery-new-password-fr', { docs: true });

    await mobile.locator('#new_password').fill('court');
    await mobile.locator('#confirm_password').fill('court');
    r = await submitAndWait(mobile, mobile.getByTestId('reset-submit'));
    assert.equal(r.status(), 422);
    assert.deepEqual(await expectErrorSummaryLinked(mobile), ['#new_password']);
    await expectNoAxeViolations(mobile, 'new password page with an error');

    await mobile.locator('#new_password').fill(NEW_PASSWORD);
    await mobile.locator('#confirm_password').fill(NEW_PASSWORD);
    await submitAndWait(mobile, mobile.getByTestId('reset-submit'));
    assert.match(mobile.url(), /\/connexion\?info=password_reset$/);
    await mobile.getByTestId('notice').waitFor();

    // The link is spent.
    await mobile.goto(link);
    await mobile.getByTestId('link-invalid').waitFor();
    await expectNoAxeViolations(mobile, 'used link page');
    await screenshot(mobile, 'recovery-link-used-fr');
    await phone.close();

    const notice = await mailTo(claire.email, 2);
    assert.match(notice.parsed.subject, /mot de passe a été changé/);

    await signIn(page, portier.url, claire.identifier, NEW_PASSWORD);
    assert.match(page.url(), /\/mon-espace$/);
    claire.password = NEW_PASSWORD;
  } finally {
    await context.close();
  }
});

test('forgot password: the code typed on the page that is still open', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await page.goto(`${portier.url}/mot-de-passe-oublie`);
    await page.locator('#target').fill(claire.email);
    await passRobotCheck(page);
    await submitAndWait(page, page.getByTestId('forgot-password-submit'));
    const mail = await mailTo(claire.email, 3);
    const code = mail.parsed.text.match(/\b([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})\b/)[1];

    await page.locator('#code').fill('2222-3333-4444-5555');
    let r = await submitAndWait(page, page.getByTestId('recovery-code-submit'));
    assert.equal(r.status(), 422);
    assert.deepEqual(await expectErrorSummaryLinked(page), ['#code']);
    await expectNoAxeViolations(page, 'message sent page with a wrong code');
    await screenshot(page, 'recovery-wrong-code-fr');

    await page.locator('#code').fill(code.toLowerCase());
    r = await submitAndWait(page, page.getByTestId('recovery-code-submit'));
    assert.equal(r.status(), 200);
    const chosen = 'horizon-galet-mistral-91';
    await page.locator('#new_password').fill(chosen);
    await page.locator('#confirm_password').fill(chosen);
    await submitAndWait(page, page.getByTestId('reset-submit'));
    assert.match(page.url(), /\/connexion\?info=password_reset$/);
    await signIn(page, portier.url, claire.identifier, chosen);
    assert.match(page.url(), /\/mon-espace$/);
    claire.password = chosen;
  } finally {
    await context.close();
  }
});

test('forgot identifier: the identifier arrives by mail and opens the sign-in', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await page.goto(`${portier.url}/connexion`);
    await submitAndWait(page, page.getByRole('link', { name: 'Identifiant oublié ?' }));
    await expectNoAxeViolations(page, 'forgot identifier form');
    await screenshot(page, 'forgot-identifier-fr', { docs: true });
    await page.locator('#target').fill(claire.email);
    await passRobotCheck(page);
    const r = await submitAndWait(page, page.getByTestId('forgot-identifier-submit'));
    assert.equal(r.status(), 200);
    await page.getByTestId('identifier-sent').waitFor();
    await expectNoAxeViolations(page, 'identifier sent page');
    await screenshot(page, 'identifier-sent-fr');

    const mail = await smtp.waitFor((m) => m.to === claire.email && /identifiant/i.test(m.parsed.subject), 10000);
    assert.match(mail.parsed.text, new RegExp(claire.identifier.replace('.', '\\.')));
    await signIn(page, portier.url, claire.identifier, claire.password);
    assert.match(page.url(), /\/mon-espace$/);
  } finally {
    await context.close();
  }
});
