// Journey: asking assistance to call back, in French, through the real
// robot-check widget: the form (a day, then the morning or the afternoon),
// its error state, the recap with the reference and the acknowledgement
// mail, at desktop width and on a 375 px phone (signed in: pre-filled). Then
// the console: the menu's count, the request with the account's state, take
// ("En cours"), a day and an hour picked (refused outside the opening hours),
// a new time, closing; the member is mailed each time. Axe on every page;
// screenshots for the docs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Portier, Client } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import {
  launchBrowser, newContext, member, mobile, submitAndWait, expectNoAxeViolations, expectErrorSummaryLinked, screenshot,
  signIn,
} from './support/browser.js';
import { newKeyPage } from '../support/app.js';

const agentUser = Object.freeze({
  identifier: 'agent.sophie', email: 'sophie@example.org', name: 'Sophie Agent', password: 'Lanterne-Garrigue-Phare-31',
  role: 'support',
});
const lea = Object.freeze({
  identifier: 'lea.petit', email: 'lea.petit@example.org', name: 'Léa Petit', password: 'Garrigue-Lanterne-Phare-77',
  phone: '+33611223344',
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
  portier.addUser(lea);
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

    // No phone, no message and no time: the form comes back with the summary.
    // The acknowledgement goes only to an address typed in the form.
    await page.locator('#target').fill(member.email);
    await passRobotCheck(page);
    let r = await submitAndWait(page, page.getByTestId('assistance-submit'));
    assert.equal(r.status(), 422);
    assert.deepEqual(await expectErrorSummaryLinked(page), ['#phone', '#message', '#slots']);
    assert.equal(await page.locator('#target').inputValue(), member.email, 'typed values are kept');
    await expectNoAxeViolations(page, 'assistance form with errors');
    await screenshot(page, 'assistance-error-fr', { docs: true });

    await page.locator('#name').fill(member.name);
    await page.locator('#phone').fill('06 12 34 56 78');
    await page.locator('#message').fill("Je ne reçois plus les codes par SMS depuis que j'ai changé de téléphone.");
    // A day, then the morning or the afternoon: two boxes a day, not one per slot.
    const days = page.getByTestId('assistance-day');
    assert.ok(await days.count() >= 4, 'the open days are offered');
    const second = days.nth(1);
    assert.deepEqual(await second.locator('label').allTextContents(), ['Matin', 'Après-midi']);
    const secondDay = (await second.locator('legend').textContent()).trim();
    await second.getByLabel('Matin').check();
    await days.nth(2).getByLabel('Après-midi').check();
    await passRobotCheck(page);
    r = await submitAndWait(page, page.getByTestId('assistance-submit'));
    assert.equal(r.status(), 200);
    await page.getByTestId('assistance-sent').waitFor();
    const reference = (await page.getByTestId('assistance-reference').textContent()).trim();
    assert.match(reference, /^A-[2-9A-HJKMNP-TV-Z]{4}$/);
    const recap = await page.getByTestId('assistance-recap').textContent();
    assert.match(recap, /06 12 34 56 78/);
    assert.ok(recap.includes(`${secondDay.charAt(0).toLowerCase()}${secondDay.slice(1)}, le matin`), recap);
    await expectNoAxeViolations(page, 'request received page');
    await screenshot(page, 'assistance-sent-fr', { docs: true });

    await smtp.waitFor(() => smtp.messages.some((m) => m.to === member.email), 10000);
    const mail = smtp.messages.find((m) => m.to === member.email);
    assert.match(mail.parsed.subject, new RegExp(`assistance ${reference}`));
    assert.equal((mail.parsed.text.match(/^\s+- /gm) ?? []).length, 2, 'both times are listed');
    assert.match(mail.parsed.text, /, le matin$/m);
    assert.equal(mail.parsed.replyTo.value[0].address, 'assistance@example.org');
  } finally {
    await context.close();
  }
});

test('on a 375 px phone, a signed-in member finds her details filled in and sends a request', async () => {
  const context = await newContext(browser, mobile);
  const page = await context.newPage();
  try {
    await signIn(page, portier.url, lea.identifier, lea.password);
    await page.goto(`${portier.url}/assistance`);
    assert.equal(await page.locator('#target').inputValue(), lea.identifier);
    assert.equal(await page.locator('#name').inputValue(), lea.name);
    assert.equal(await page.locator('#phone').inputValue(), '06 11 22 33 44', 'her number, as she would type it');
    await expectNoAxeViolations(page, 'assistance form (375 px)');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow} px)`);
    await page.locator('#message').fill('Mon application ne donne plus de code depuis le changement de téléphone.');
    await page.getByTestId('assistance-day').first().locator('input').first().check();
    await screenshot(page, 'assistance-form-mobile-fr', { docs: true });
    await passRobotCheck(page);
    const r = await submitAndWait(page, page.getByTestId('assistance-submit'));
    assert.equal(r.status(), 200);
    await page.getByTestId('assistance-reference').waitFor();
    await expectNoAxeViolations(page, 'request received page (375 px)');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(wide <= 0, `no sideways scrolling on the recap (${wide} px)`);
    await screenshot(page, 'assistance-sent-mobile-fr', { docs: true });
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

// A slot start as the date and time fields take it, in the zone of this
// process, which the server shares.
function dateTime(date) {
  const two = (n) => String(n).padStart(2, '0');
  return { date: `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`,
    time: `${two(date.getHours())}:${two(date.getMinutes())}` };
}

test('support staff take the request ("en cours"), pick a day and an hour, move it, close it', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const mailsTo = (to) => smtp.messages.filter((m) => m.to === to);
  try {
    await agentSession(context);
    await page.goto(`${portier.url}/support`);
    // The menu counts the two new requests of the journeys above.
    // What a screen reader says: "Demandes (2 nouvelles)"; the eye sees "Demandes (2)".
    assert.equal((await page.getByTestId('console-nav-requests').textContent()).replace(/\s+/g, ' '), 'Demandes (2 nouvelles)');
    assert.equal(await page.getByTestId('console-nav-requests-count').evaluate((e) => e.firstChild.textContent), '(2');
    await submitAndWait(page, page.getByTestId('console-nav-requests'));
    await expectNoAxeViolations(page, 'assistance queue');
    await screenshot(page, 'support-requests-fr', { docs: true });
    // Léa's request: her account's state is on the request's page.
    await submitAndWait(page, page.getByTestId('requests').getByRole('link').last());
    await page.getByTestId('request-account-state').waitFor();
    assert.equal(await page.getByTestId('request-account-status').textContent(), 'actif');
    assert.equal(await page.getByTestId('request-status').textContent(), 'Nouvelle');
    await submitAndWait(page, page.getByTestId('request-take'));
    assert.equal(await page.getByTestId('request-status').textContent(), 'En cours');
    assert.match(await page.getByTestId('console-nav-requests').textContent(), /Demandes \(1 nouvelle\)/);
    // The member's first choice is filled in; the hint names the opening hours.
    const date = page.getByTestId('request-date');
    const time = page.getByTestId('request-time');
    assert.match(await date.inputValue(), /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(await time.getAttribute('step'), '3600');
    assert.match(await page.locator('#slot-hint').textContent(), /entre 08:00 et 17:00, par tranches de 60 minutes/);
    await expectNoAxeViolations(page, 'assistance request');
    await screenshot(page, 'support-request-fr', { docs: true });

    // 19:00 is after closing: refused, with the reason by the fields.
    await time.fill('19:00');
    let r = await submitAndWait(page, page.getByTestId('request-schedule'));
    assert.equal(r.status(), 422);
    assert.deepEqual(await expectErrorSummaryLinked(page), ['#slot']);
    assert.match(await page.locator('#slot-error').textContent(), /heures d’ouverture/);
    assert.equal(await page.getByTestId('request-time').inputValue(), '19:00', 'what the agent typed stays');
    await expectNoAxeViolations(page, 'assistance request with an error');
    await screenshot(page, 'support-request-error-fr');

    // Tomorrow at 10:00 (every day is open, 08:00 to 18:00).
    const tomorrow = new Date();
    tomorrow.setDate(tomorrow.getDate() + 1);
    tomorrow.setHours(10, 0, 0, 0);
    const first = dateTime(tomorrow);
    await page.getByTestId('request-date').fill(first.date);
    await page.getByTestId('request-time').fill(first.time);
    await submitAndWait(page, page.getByTestId('request-schedule'));
    await page.getByTestId('request-scheduled').waitFor();
    assert.equal(await page.getByTestId('request-status').textContent(), 'Planifiée');
    await smtp.waitFor(() => mailsTo(lea.email).some((m) => /Rappel confirmé/.test(m.parsed.subject)), 10000);

    // A new time: the form says so, and so does the member's mail.
    assert.match(await page.getByTestId('request-schedule').textContent(), /Changer l’heure du rappel/);
    await page.getByTestId('request-time').fill('15:00');
    await submitAndWait(page, page.getByTestId('request-schedule'));
    await smtp.waitFor(() => mailsTo(lea.email).some((m) => /Nouvelle heure de rappel.*15/.test(m.parsed.subject)), 10000);

    await page.locator('#note').fill('Rappelée : application réinstallée, codes à nouveau reçus.');
    await submitAndWait(page, page.getByTestId('request-close'));
    assert.equal(await page.getByTestId('request-status').textContent(), 'Terminée');
    await smtp.waitFor(() => mailsTo(lea.email).some((m) => /est close/.test(m.parsed.subject)), 10000);
    const closed = mailsTo(lea.email).find((m) => /est close/.test(m.parsed.subject));
    assert.doesNotMatch(closed.parsed.text, /réinstallée/, 'the note stays in the console');
    await expectNoAxeViolations(page, 'closed request');
  } finally {
    await context.close();
  }
});
