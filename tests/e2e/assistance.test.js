// Journey: asking assistance to call back, in French, through the real
// robot-check widget: the form, its error state, the confirmation page and
// the acknowledgement mail. Checked with axe; screenshots for the docs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Portier, Client } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import {
  launchBrowser, newContext, member, submitAndWait, expectNoAxeViolations, expectErrorSummaryLinked, screenshot,
} from './support/browser.js';
import { newKeyPage } from '../support/app.js';

const agentUser = Object.freeze({
  identifier: 'agent.sophie', email: 'sophie@example.org', name: 'Sophie Agent', password: 'Lanterne-Garrigue-Phare-31',
  role: 'support',
});
let browser;
let smtp;
let portier;

before(async () => {
  browser = await launchBrowser();
  smtp = await new SmtpSink().start();
  // "optional": the agent's sign-in asks for the app code once it has one ("pwd+app").
  portier = new Portier({ env: { PORTIER_SECOND_STEP: 'optional' }, toml: [
    '[mail]', `smtp_url = "${smtp.url}"`, 'smtp_tls = "none"', 'from_address = "no-reply@portail.test"',
    'outbox_poll_interval = 1',
    '[security]', 'robot_max_number = 20000',
    // Every day, so that the journey finds slots whenever it runs; five days
    // keep the screenshot readable.
    '[assistance]', 'days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]', 'opening = "08:00"',
    'closing = "18:00"', 'slot_minutes = 60', 'days_ahead = 5',
  ] });
  portier.addUser(member);
  portier.addUser(agentUser);
  await portier.start();
});
after(async () => {
  await browser?.close();
  await portier?.cleanup();
  await smtp?.stop();
});

async function passRobotCheck(page) {
  const box = page.locator('altcha-widget input[type="checkbox"]');
  await box.focus();
  await page.keyboard.press('Space');
  await page.waitForFunction(() => {
    const field = document.querySelector('input[name="altcha"]');
    return field && field.value.length > 20;
  }, null, { timeout: 15000 });
}

test('a visitor asks to be called back: form, errors, confirmation and acknowledgement', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await page.goto(`${portier.url}/connexion`);
    await submitAndWait(page, page.locator('a[href="/assistance"]').first());
    assert.match(page.url(), /\/assistance$/);
    // The address stays visible: without JavaScript the form cannot pass.
    await page.getByTestId('assistance-write').waitFor();
    await expectNoAxeViolations(page, 'assistance form');
    await screenshot(page, 'assistance-form-fr', { docs: true });

    // No message and no slot: the form comes back with the summary.
    // The acknowledgement goes only to an address typed in the form.
    await page.locator('#target').fill(member.email);
    await passRobotCheck(page);
    let r = await submitAndWait(page, page.getByTestId('assistance-submit'));
    assert.equal(r.status(), 422);
    assert.deepEqual(await expectErrorSummaryLinked(page), ['#message', '#slots']);
    assert.equal(await page.locator('#target').inputValue(), member.email, 'typed values are kept');
    await expectNoAxeViolations(page, 'assistance form with errors');
    await screenshot(page, 'assistance-error-fr', { docs: true });

    await page.locator('#name').fill(member.name);
    await page.locator('#phone').fill('06 12 34 56 78');
    await page.locator('#message').fill("Je ne reçois plus les codes par SMS depuis que j'ai changé de téléphone.");
    const slots = page.getByTestId('assistance-slots').locator('input[type="checkbox"]');
    await slots.nth(0).check();
    await slots.nth(2).check();
    await passRobotCheck(page);
    r = await submitAndWait(page, page.getByTestId('assistance-submit'));
    assert.equal(r.status(), 200);
    await page.getByTestId('assistance-sent').waitFor();
    await expectNoAxeViolations(page, 'request received page');
    await screenshot(page, 'assistance-sent-fr', { docs: true });

    await smtp.waitFor(() => smtp.messages.some((m) => m.to === member.email), 10000);
    const mail = smtp.messages.find((m) => m.to === member.email);
    assert.match(mail.parsed.subject, /assistance/);
    assert.equal((mail.parsed.text.match(/^\s+- /gm) ?? []).length, 2, 'both slots are listed');
  } finally {
    await context.close();
  }
});

function oathtool(key, offset = 0) {
  const at = `@${Math.floor(Date.now() / 1000) + offset}`;
  return execFileSync('oathtool', ['--totp', '-b', '-N', at, key.replace(/\s+/g, '')], { encoding: 'utf8' }).trim();
}

// The agent enrols an app and signs in with it over HTTP (the TOTP pages
// have their own journey); the browser then takes the session cookie.
async function agentSession(context) {
  const csrfOf = (html) => html.match(/name="csrf" value="([^"]+)"/)[1];
  let c = new Client(portier.url);
  await c.signIn(agentUser.identifier, agentUser.password);
  const page = await newKeyPage(c);
  const key = page.text.match(/data-testid="totp-key"[^>]*>([A-Z2-7 ]+)</)[1];
  await c.request('POST', '/mon-espace/application',
    { form: { csrf: csrfOf(page.text), code: oathtool(key), current_password: agentUser.password } });
  c = new Client(portier.url);
  await c.signIn(agentUser.identifier, agentUser.password);
  const r = await c.submit('/connexion/code', '/connexion/code', { method: 'app', code: oathtool(key, 30) });
  assert.equal(r.status, 303);
  await context.addCookies([...c.cookies].map(([name, value]) => ({ name, value, url: portier.url })));
}

test('support staff take the request and confirm a slot', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await agentSession(context);
    await page.goto(`${portier.url}/support/demandes`);
    await expectNoAxeViolations(page, 'assistance queue');
    await screenshot(page, 'support-requests-fr', { docs: true });
    await submitAndWait(page, page.getByTestId('requests').getByRole('link').first());
    await submitAndWait(page, page.getByTestId('request-take'));
    await page.getByTestId('request-schedule-form').waitFor();
    await expectNoAxeViolations(page, 'assistance request');
    await screenshot(page, 'support-request-fr', { docs: true });
    await page.getByTestId('request-schedule-form').locator('input[type="radio"]').first().check();
    await submitAndWait(page, page.getByTestId('request-schedule'));
    await page.getByTestId('request-scheduled').waitFor();
    await smtp.waitFor(() => smtp.messages.filter((m) => m.to === member.email).length >= 2, 10000);
  } finally {
    await context.close();
  }
});
