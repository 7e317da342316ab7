// Journey: a member changes their email address in French. In Mon espace
// they ask for the new address with their password; the old address is told
// at once (with "pas moi"); the new mailbox's link, opened in another
// browser, shows a confirmation form; its button makes the switch; the old
// address then gets a notice naming the assistance. Axe on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import {
  launchBrowser, newContext, member, signIn, submitAndWait, expectNoAxeViolations, expectErrorSummaryLinked, screenshot,
} from './support/browser.js';

const NEW_ADDRESS = 'claire.cabinet@example.org';
let browser;
let smtp;
let portier;

before(async () => {
  browser = await launchBrowser();
  smtp = await new SmtpSink().start();
  portier = new Portier({ env: { PORTIER_SECOND_STEP: 'optional' }, toml: [
    '[mail]', `smtp_url = "${smtp.url}"`, 'smtp_tls = "none"', 'from_address = "no-reply@portail.test"',
    'outbox_poll_interval = 1',
  ] });
  portier.addUser(member);
  await portier.start();
});
after(async () => {
  await browser?.close();
  await portier?.cleanup();
  await smtp?.stop();
});

test('changing the email address: asked in Mon espace, confirmed from the new mailbox, the old one told', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const phone = await (await newContext(browser)).newPage();  // the new mailbox, read elsewhere
  try {
    await signIn(page, portier.url, member.identifier, member.password);
    await page.getByTestId('email-change-link').click();
    await page.waitForURL(/\/mon-espace\/courriel$/);
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    await expectNoAxeViolations(page, 'email change form');
    await screenshot(page, 'email-change-fr');

    // Without the password: the form comes back with the error linked.
    await page.locator('#new_email').fill(NEW_ADDRESS);
    let r = await submitAndWait(page, page.getByTestId('email-change-submit'));
    assert.equal(r.status(), 422);
    assert.deepEqual(await expectErrorSummaryLinked(page), ['#email_password']);
    await expectNoAxeViolations(page, 'email change form with errors');

    await page.locator('#email_password').fill(member.password);
    r = await submitAndWait(page, page.getByTestId('email-change-submit'));
    assert.equal(r.status(), 303);
    await page.getByTestId('email-change-pending').waitFor();
    assert.equal(await page.getByTestId('current-email').textContent(), member.email, 'nothing changed yet');
    await expectNoAxeViolations(page, 'email change pending');
    await screenshot(page, 'email-change-pending-fr');

    const told = await smtp.waitFor((m) => m.to === member.email && /Changement d.adresse e-mail/.test(m.parsed.subject), 10000);
    assert.match(told.parsed.text, /\/changement-courriel\/pas-moi\?jeton=/);
    const mail = await smtp.waitFor((m) => m.to === NEW_ADDRESS, 10000);
    const link = mail.parsed.text.match(/(http\S+\/changement-courriel\/confirmer\?jeton=[\w-]+)/)[1];

    const { pathname, search } = new URL(link);
    await phone.goto(`${portier.url}${pathname}${search}`);
    await phone.getByTestId('email-change-link-submit').waitFor();
    await expectNoAxeViolations(phone, 'email change confirmation link');
    await screenshot(phone, 'email-change-confirm-fr');
    r = await submitAndWait(phone, phone.getByTestId('email-change-link-submit'));
    assert.equal(r.status(), 200);
    await phone.getByTestId('email-change-result').waitFor();
    await expectNoAxeViolations(phone, 'email changed');

    const notice = await smtp.waitFor((m) => m.to === member.email && /a été modifiée/.test(m.parsed.subject), 10000);
    assert.match(notice.parsed.text, /assistance/);

    await page.goto(`${portier.url}/mon-espace`);
    assert.match(await page.getByTestId('account-email').textContent(), new RegExp(NEW_ADDRESS.replace('.', '\\.')));
  } finally {
    await context.close();
    await phone.context().close();
  }
});
