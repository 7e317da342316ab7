// Journeys 10-13: the second step as a member meets it, in French: a code by
// email, adding a mobile number in Mon espace (proved by an SMS code), then a
// code by SMS, and a code from an authenticator app. SMS reach a local stub
// of a gateway; app codes come from Debian's oathtool.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Portier } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { SmsGateway } from '../support/sms_gateway.js';
import {
  launchBrowser, newContext, member, signIn, submitAndWait, expectNoAxeViolations, expectErrorSummaryLinked, screenshot, openFold,
} from './support/browser.js';

let browser;
let smtp;
let gateway;
let portier;

before(async () => {
  browser = await launchBrowser();
  smtp = await new SmtpSink().start();
  gateway = await new SmsGateway().start();
  portier = new Portier({ env: { PORTIER_SECOND_STEP: 'required' }, toml: ['[mail]', `smtp_url = "${smtp.url}"`, 'smtp_tls = "none"', 'outbox_poll_interval = 1',
    '[sms]', `gateway_url = "http://127.0.0.1:${gateway.port}/sms"`, 'body_format = "json"',
    'body_template = "{\\"to\\": \\"{{to}}\\", \\"text\\": \\"{{text}}\\"}"'] });
  portier.addUser(member);
  await portier.start();
});
after(async () => {
  await browser?.close();
  await portier?.cleanup();
  await smtp?.stop();
  await gateway?.stop();
});

// The code is in the body only: subjects show on lock screens.
const codeMails = () => smtp.messages.filter((m) => m.to === member.email && /code de connexion|sign-in code/i.test(m.parsed.subject));
const mailCode = async (n) => {
  await smtp.waitFor(() => codeMails().length >= n, 10000);
  return codeMails()[n - 1].parsed.text.match(/^ {4}(\d{8})$/m)[1];
};
const smsCode = async (n) => {
  await gateway.waitFor(() => gateway.requests.length >= n, 10000);
  return gateway.requests[n - 1].json.text.match(/\b(\d{8})\b/)[1];
};

test('sign-in with a code by email', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await signIn(page, portier.url, member.identifier, member.password);
    assert.match(page.url(), /\/connexion\/code$/);
    // Email is the only channel: the code went at once, no "send" click.
    await page.getByTestId('second-step-sent').waitFor();
    assert.equal(await page.getByTestId('second-step-send').count(), 0);
    assert.ok(await page.getByTestId('second-step-resend').isDisabled(), 'send again waits for the cooldown');
    await expectNoAxeViolations(page, 'second step, code sent at once');
    await screenshot(page, 'second-step-choose-fr', { docs: true });
    const code = await mailCode(1);
    await page.locator('#code').fill('00000000');
    let r = await submitAndWait(page, page.getByTestId('second-step-code-submit'));
    assert.equal(r.status(), 422);
    assert.deepEqual(await expectErrorSummaryLinked(page), ['#code']);
    await expectNoAxeViolations(page, 'second step with a wrong code');
    await screenshot(page, 'second-step-code-fr', { docs: true });
    await page.locator('#code').fill(code);
    await submitAndWait(page, page.getByTestId('second-step-code-submit'));
    assert.match(page.url(), /\/mon-espace$/);
  } finally {
    await context.close();
  }
});

test('[en] the second-step page in English', async () => {
  const context = await newContext(browser, { locale: 'en-GB' });
  const page = await context.newPage();
  try {
    await signIn(page, portier.url, member.identifier, member.password);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.match(await page.locator('h1').textContent(), /Two-step verification/);
    await expectNoAxeViolations(page, 'second step (en)');
    await screenshot(page, 'second-step-choose-en');
  } finally {
    await context.close();
  }
});

test('adding a mobile number in Mon espace, then a code by SMS', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await signIn(page, portier.url, member.identifier, member.password);
    await page.locator('#code').fill(await mailCode(3)); // sent at once (the English journey had the 2nd)
    await submitAndWait(page, page.getByTestId('second-step-code-submit'));

    await openFold(page, 'codes');
    await page.locator('#new_phone').fill('06 12 34 56 78');
    await page.locator('#phone_password').fill(member.password);
    const sent = gateway.requests.length;
    await submitAndWait(page, page.getByTestId('phone-submit'));
    assert.match(page.url(), /\/mon-espace\/mobile$/);
    await expectNoAxeViolations(page, 'phone verification');
    await screenshot(page, 'phone-verify-fr', { docs: true });
    await page.locator('#code').fill(await smsCode(sent + 1));
    await submitAndWait(page, page.getByTestId('phone-code-submit'));
    // The confirmation offers SMS as the preferred channel, in one click.
    assert.match(page.url(), /\/mon-espace\/mobile\/verifie$/);
    await expectNoAxeViolations(page, 'phone verified, SMS offered');
    await screenshot(page, 'phone-verified-offer-fr', { docs: true });
    await submitAndWait(page, page.getByTestId('sms-offer-accept'));
    assert.match(page.url(), /\/mon-espace\?info=channel_saved#codes$/);
    assert.match(await page.getByTestId('phone-status').textContent(), /78/);
    await expectNoAxeViolations(page, 'Mon espace with a verified number');
    await screenshot(page, 'account-codes-fr', { docs: true });
    await page.getByTestId('sign-out').click();
    await page.waitForURL('**/connexion?info=signed_out');

    await signIn(page, portier.url, member.identifier, member.password);
    assert.ok(await page.locator('#via-sms').isChecked(), 'the preferred channel is pre-selected');
    const before = gateway.requests.length;
    await submitAndWait(page, page.getByTestId('second-step-send'));
    await gateway.waitFor(() => gateway.requests.length > before, 10000);
    const req = gateway.requests.at(-1);
    assert.equal(req.method, 'POST');
    assert.equal(req.json.to, '+33612345678');
    await page.locator('#code').fill(req.json.text.match(/\b(\d{8})\b/)[1]);
    await submitAndWait(page, page.getByTestId('second-step-code-submit'));
    assert.match(page.url(), /\/mon-espace$/);
  } finally {
    await context.close();
  }
});

test('sign-in with a code from an authenticator app', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const oathtool = (key, offset = 0) => execFileSync('oathtool',
    ['--totp', '-b', '-N', `@${Math.floor(Date.now() / 1000) + offset}`, key.replace(/\s+/g, '')], { encoding: 'utf8' }).trim();
  try {
    // Signed in with an SMS code (previous journey set SMS as the channel).
    await signIn(page, portier.url, member.identifier, member.password);
    const before = gateway.requests.length;
    await submitAndWait(page, page.getByTestId('second-step-send'));
    await page.locator('#code').fill(await smsCode(before + 1));
    await submitAndWait(page, page.getByTestId('second-step-code-submit'));

    await page.goto(`${portier.url}/mon-espace/application`);
    await submitAndWait(page, page.getByTestId('totp-new-key'));
    const key = (await page.getByTestId('totp-key').textContent()).trim();
    await page.getByTestId('totp-code').fill(oathtool(key));
    await page.getByTestId('totp-password').fill(member.password);
    await submitAndWait(page, page.getByTestId('totp-submit'));
    await page.getByTestId('recovery-codes').waitFor();
    await page.goto(`${portier.url}/mon-espace`);
    await page.getByTestId('sign-out').click();
    await page.waitForURL('**/connexion?info=signed_out');

    await signIn(page, portier.url, member.identifier, member.password);
    // The app comes first once set up.
    await page.locator('#app_code').waitFor();
    await expectNoAxeViolations(page, 'second step with an app');
    await screenshot(page, 'second-step-app-fr', { docs: true });
    // The enrolment spent the current time step; the app's next code is within the ±1 window.
    await page.locator('#app_code').fill(oathtool(key, 30));
    await submitAndWait(page, page.getByTestId('app-code-submit'));
    assert.match(page.url(), /\/mon-espace$/);
  } finally {
    await context.close();
  }
});
