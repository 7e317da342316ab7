// Journeys of issue 10, "Everyday use", items 3-6, 8-10, in French, on a
// desktop and a 375 px phone: a general practitioner signs in with her email
// address and lets the browser remember her identifier; she mistypes her
// password, is warned before the last attempt, then meets a suspension page
// in plain words; she gets her code by email, switches to SMS at once and
// watches the countdown; she asks "Première connexion" although her account
// is active; a colleague without JavaScript gets through the robot check.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { SmsGateway } from '../support/sms_gateway.js';
import {
  launchBrowser, newContext, mobile, signIn, submitAndWait, expectNoAxeViolations, screenshot,
} from './support/browser.js';

const PASSWORD = 'ruisseau-lanterne-hiver-42';
const people = {
  helene: { identifier: 'helene.robert', email: 'helene.robert@example.org', name: 'Hélène Robert', password: PASSWORD },
  marc: { identifier: 'marc.petit', email: 'marc.petit@example.org', name: 'Marc Petit', password: PASSWORD },
  sophie: { identifier: 'sophie.blanc', email: 'sophie.blanc@example.org', name: 'Sophie Blanc', password: PASSWORD },
  louis: { identifier: 'louis.garnier', email: 'louis.garnier@example.org', name: 'Louis Garnier', password: PASSWORD },
};

let browser;
let smtp;
let gateway;
let portier;

before(async () => {
  browser = await launchBrowser();
  smtp = await new SmtpSink().start();
  gateway = await new SmsGateway().start();
  // "optional": only members with a verified mobile (or an app) get the second step.
  portier = new Portier({ env: { PORTIER_SECOND_STEP: 'optional' }, toml: [
    ...smtp.mailConfig(),
    '[sms]', `gateway_url = "http://127.0.0.1:${gateway.port}/sms"`, 'body_format = "json"',
    'body_template = "{\\"to\\": \\"{{to}}\\", \\"text\\": \\"{{text}}\\"}"',
    '[security]', 'robot_max_number = 20000', 'robot_no_script_wait = 5',
    '[second_step]', 'resend_cooldown = 10',
  ] });
  for (const p of Object.values(people)) portier.addUser(p);
  await portier.start();
  portier.sql(`UPDATE accounts SET phone = '+33612345678', phone_verified_at = ${Portier.now()} WHERE identifier = 'sophie.blanc'`);
});
after(async () => {
  await browser?.close();
  await portier?.cleanup();
  await smtp?.stop();
  await gateway?.stop();
});

test('the sign-in page: identifier or email address, and the CPS card "bientôt disponible" (desktop and 375 px)', async () => {
  for (const [label, options] of [['desktop', {}], ['mobile', mobile]]) {
    const context = await newContext(browser, options);
    const page = await context.newPage();
    try {
      await page.goto(`${portier.url}/connexion`);
      assert.equal(await page.locator('label[for="identifier"]').textContent(), 'Identifiant ou adresse e-mail');
      const hint = await page.locator('#identifier').getAttribute('aria-describedby');
      assert.match(hint, /identifier-hint/);
      const card = page.getByTestId('smart-card-soon');
      assert.match(await card.textContent(), /Connexion par carte CPS\u00a0: bientôt disponible/);
      assert.equal(await page.locator('a[href="/carte-cps"]').count(), 0, 'no link to a dead end');
      assert.equal(await page.locator('#remember_identifier').isChecked(), false, 'off by default');
      await expectNoAxeViolations(page, `sign-in page (${label})`);
      await screenshot(page, `sign-in-everyday-${label}-fr`, { docs: label === 'desktop' });
      // Old bookmarks still get a clear page.
      const old = await page.goto(`${portier.url}/carte-cps`);
      assert.equal(old.status(), 200);
      await expectNoAxeViolations(page, `/carte-cps (${label})`);
    } finally {
      await context.close();
    }
  }
});

test('signing in with the email address; the browser remembers the identifier until "Ce n’est pas moi"', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const { helene } = people;
  try {
    await page.goto(`${portier.url}/connexion`);
    await page.locator('#identifier').fill(helene.email);
    await page.locator('#password').fill(helene.password);
    await page.locator('#remember_identifier').check();
    await submitAndWait(page, page.getByTestId('sign-in-submit'));
    assert.match(page.url(), /\/mon-espace$/);
    const cookie = (await context.cookies()).find((c) => c.name === 'portier_identifiant');
    assert.equal(cookie.value, helene.identifier);
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');

    await page.getByTestId('sign-out').click();
    await page.waitForURL('**/connexion?info=signed_out');
    assert.doesNotMatch(page.url(), /helene/, 'never in the URL');
    assert.equal(await page.locator('#identifier').inputValue(), helene.identifier);
    assert.equal(await page.locator('#remember_identifier').isChecked(), true);
    await expectNoAxeViolations(page, 'sign-in page with a remembered identifier');
    await screenshot(page, 'sign-in-remembered-fr', { docs: true });

    await submitAndWait(page, page.getByTestId('sign-in-not-me'));
    assert.equal(await page.locator('#identifier').inputValue(), '');
    assert.equal(await page.getByTestId('sign-in-not-me').count(), 0);
    assert.equal((await context.cookies()).some((c) => c.name === 'portier_identifiant'), false);
  } finally {
    await context.close();
  }
});

test('a warning before the last attempt, then a suspension page in plain words (desktop and 375 px)', async () => {
  for (const [label, options, who] of [['desktop', {}, people.marc], ['mobile', mobile, people.louis]]) {
    const context = await newContext(browser, options);
    const page = await context.newPage();
    try {
      for (let i = 1; i <= 3; i++) assert.equal((await signIn(page, portier.url, who.identifier, `mauvais-${i}-mdp`)).status(), 401);
      assert.equal(await page.getByTestId('last-attempt-warning').count(), 0, 'no warning too early');
      // The fourth failure, typed as the email address: the same account's count.
      assert.equal((await signIn(page, portier.url, who.email, 'mauvais-4-mdp')).status(), 401);
      const warning = page.getByTestId('last-attempt-warning');
      assert.match(await warning.textContent(), /encore une erreur et la connexion à ce compte sera suspendue pendant une heure/);
      await expectNoAxeViolations(page, `sign-in, last attempt warning (${label})`);
      await screenshot(page, `sign-in-last-attempt-${label}-fr`, { docs: label === 'desktop' });

      assert.equal((await signIn(page, portier.url, who.identifier, 'mauvais-5-mdp')).status(), 429);
      const box = page.getByTestId('sign-in-error');
      const words = await box.textContent();
      assert.match(words, /Connexion suspendue/);
      assert.match(words, /mal saisi trop de fois de suite/);
      assert.match(words, /jusqu’au .*\d/);
      assert.doesNotMatch(words, /depuis ce navigateur/);
      assert.match(words, /Ce que vous pouvez faire maintenant/);
      assert.equal(await page.getByTestId('suspended-assistance').getAttribute('href'), '/assistance');
      await expectNoAxeViolations(page, `sign-in suspended (${label})`);
      await screenshot(page, `sign-in-suspended-plain-${label}-fr`, { docs: label === 'desktop' });
      await submitAndWait(page, page.getByTestId('suspended-reset'));
      assert.match(page.url(), /\/mot-de-passe-oublie$/);
    } finally {
      await context.close();
    }
  }
});

test('second step: SMS pre-selected as preferred, switch to email at once, a countdown on "Renvoyer le code" (375 px)', async () => {
  const { sophie } = people;
  portier.sql("UPDATE accounts SET code_channel = 'sms' WHERE identifier = 'sophie.blanc'");
  const context = await newContext(browser, mobile);
  const page = await context.newPage();
  try {
    await signIn(page, portier.url, sophie.identifier, sophie.password);
    assert.match(page.url(), /\/connexion\/code$/);
    assert.ok(await page.locator('#via-sms').isChecked(), 'her preferred channel');
    const before = gateway.requests.length;
    await submitAndWait(page, page.getByTestId('second-step-send'));
    await gateway.waitFor(() => gateway.requests.length > before, 10000);

    const resend = page.getByTestId('second-step-resend');
    assert.ok(await resend.isDisabled());
    assert.match(await resend.textContent(), /Renvoyer le code \(dans \d+\u00a0s\)/);
    const switchToEmail = page.getByTestId('second-step-switch');
    assert.ok(await switchToEmail.isEnabled(), 'the other channel at once');
    await expectNoAxeViolations(page, 'second step, countdown (375 px)');
    await screenshot(page, 'second-step-countdown-mobile-fr', { docs: true });

    // The script counts down; the text changes without a reload.
    const first = await resend.textContent();
    await page.waitForFunction((t) => document.querySelector('[data-testid="second-step-resend"]').textContent !== t, first);

    const mails = smtp.messages.length;
    await submitAndWait(page, switchToEmail);
    const mail = await smtp.waitFor((m) => m.to === sophie.email && /\b\d{8}\b/.test(m.parsed.text), 10000);
    assert.ok(smtp.messages.length > mails);
    assert.match(await page.getByTestId('second-step-sent').textContent(), /e-mail/);

    // The countdown ends: the SMS button comes back on its own.
    const smsAgain = page.locator('button[name="via"][value="sms"]');
    await page.waitForFunction(() => !document.querySelector('button[name="via"][value="sms"]').disabled, null, { timeout: 15000 });
    assert.match(await smsAgain.textContent(), /SMS/);

    await page.locator('#code').fill(mail.parsed.text.match(/\b(\d{8})\b/)[1]);
    await submitAndWait(page, page.getByTestId('second-step-code-submit'));
    assert.match(page.url(), /\/mon-espace$/);
  } finally {
    await context.close();
  }
});

test('second step: a refusal is a warning, never a success', async () => {
  const { sophie } = people;
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await signIn(page, portier.url, sophie.identifier, sophie.password);
    await page.locator('#via-email').check();
    await submitAndWait(page, page.getByTestId('second-step-send'));
    await page.goto(`${portier.url}/connexion/code?info=too_soon`);
    const refusal = page.getByTestId('second-step-refusal');
    assert.equal(await refusal.getAttribute('role'), 'alert');
    assert.match(await refusal.getAttribute('class'), /notice-warning/);
    const colour = await refusal.evaluate((el) => getComputedStyle(el).borderLeftColor);
    assert.notEqual(colour, 'rgb(0, 112, 60)', 'not the success green');
    await expectNoAxeViolations(page, 'second step, refusal');
  } finally {
    await context.close();
  }
});

test('"Première connexion" for an active account: the same page, and a mail with links to sign in and to reset', async () => {
  const { helene } = people;
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await page.goto(`${portier.url}/premiere-connexion`);
    await page.locator('#target').fill(helene.email);
    await page.locator('altcha-widget input[type="checkbox"]').focus();
    await page.keyboard.press('Space');
    await page.waitForFunction(() => (document.querySelector('input[name="altcha"]')?.value ?? '').length > 20, null, { timeout: 15000 });
    await submitAndWait(page, page.getByTestId('first-connection-submit'));
    assert.match(page.url(), /\/premiere-connexion$/);
    await expectNoAxeViolations(page, 'first connection, sent');
    const mail = await smtp.waitFor((m) => m.to === helene.email && /déjà actif/.test(m.parsed.subject), 10000);
    const link = mail.parsed.html.match(/href="([^"]+\/connexion)"/)[1];
    assert.match(mail.parsed.html, /href="[^"]+\/mot-de-passe-oublie"/);
    await page.goto(link.replace(/^https?:\/\/[^/]+/, portier.url));
    assert.equal(await page.locator('h1').count(), 1);
    assert.equal(await page.locator('#identifier').count(), 1, 'the link leads to the sign-in form');
  } finally {
    await context.close();
  }
});

test('without JavaScript the robot check says so and waits a few seconds instead', async () => {
  const context = await newContext(browser, { javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await page.goto(`${portier.url}/mot-de-passe-oublie`);
    const note = page.getByTestId('robot-check-noscript');
    assert.match(await note.textContent(), /a besoin de JavaScript/);
    assert.match(await note.textContent(), /patientez 5\u00a0secondes/);
    assert.equal(await note.locator('a').getAttribute('href'), '/assistance');
    // axe needs scripts in the page: the page itself is checked with JavaScript by tests/e2e/recovery.
    await screenshot(page, 'robot-check-no-javascript-fr', { docs: true });

    // Too early: refused with the reason, the wait is not started again.
    await page.locator('#target').fill(people.marc.identifier);
    const early = await submitAndWait(page, page.getByTestId('forgot-password-submit'));
    assert.equal(early.status(), 422);
    assert.match(await page.locator('#robot-check').textContent(), /le délai d’attente n’est pas écoulé/);

    await page.waitForTimeout(5200); // the wait is what is being tested (robot_no_script_wait = 5)
    await page.locator('#target').fill(people.marc.identifier);
    const ok = await submitAndWait(page, page.getByTestId('forgot-password-submit'));
    assert.equal(ok.status(), 303);
    assert.match(page.url(), /\/mot-de-passe-oublie\/code$/);
  } finally {
    await context.close();
  }
});
