// Journey (issue 10, items 1, 18, 19): a member in Paris on a server that
// runs in New York time. She asks for a new password in French: the page
// names itself and the network in its title and gives the expiry in Paris
// time; the mail, read on a 375 px phone and on a desktop, names the network,
// says what happened in its subject and carries a button that leads where
// the text part's link does. The assistance form shows Paris opening hours.
// The favicon is served. Checked with axe; screenshots for the docs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { parisDateTime } from '../support/display_time.js';
import {
  launchBrowser, newContext, member, mobile, submitAndWait, expectNoAxeViolations, screenshot,
} from './support/browser.js';

const ORG = 'Réseau Santé Val-de-Loire';
let browser;
let smtp;
let portier;

before(async () => {
  browser = await launchBrowser();
  smtp = await new SmtpSink().start();
  portier = new Portier({ env: { TZ: 'America/New_York' }, toml: [
    '[server]', 'public_url = "http://portail.test"',
    '[portal]', `name = "${ORG}"`,
    '[mail]', `smtp_url = "${smtp.url}"`, 'smtp_tls = "none"', 'from_address = "no-reply@portail.test"',
    'outbox_poll_interval = 1',
    '[security]', 'robot_max_number = 20000',
  ] });
  portier.addUser(member);
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

test('forgot password: titles, Paris time and the mail button, on a desktop and a phone', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await page.goto(`${portier.url}/connexion`);
    assert.equal(await page.title(), `Connexion – ${ORG}`);
    const icon = await page.locator('link[rel="icon"][type="image/svg+xml"]').getAttribute('href');
    const served = await page.request.get(`${portier.url}${icon}`);
    assert.equal(served.status(), 200);
    assert.equal(served.headers()['content-type'], 'image/svg+xml');

    await submitAndWait(page, page.getByRole('link', { name: 'Mot de passe oublié ?' }));
    assert.equal(await page.title(), `Mot de passe oublié – ${ORG}`);
    await page.locator('#target').fill(member.identifier);
    await passRobotCheck(page);
    const asked = Date.now();
    const r = await submitAndWait(page, page.getByTestId('forgot-password-submit'));
    assert.equal(r.status(), 303);
    assert.equal(await page.title(), `Mot de passe oublié\u00a0: consultez votre messagerie – ${ORG}`);
    const shown = (await page.getByTestId('recovery-expires').textContent()).trim();
    const expected = [0, 1, 2, 3].map((s) => parisDateTime(new Date(asked + 3600_000 + s * 1000)));
    assert.ok(expected.includes(shown), `"${shown}" is one of ${expected.join(' / ')} (Paris time)`);
    await expectNoAxeViolations(page, 'message sent page');
    await screenshot(page, 'words-recovery-sent-fr', { docs: true });

    const mail = await smtp.waitFor((m) => m.to === member.email, 10000);
    assert.equal(mail.parsed.subject, `Choisissez un nouveau mot de passe – ${ORG}`);
    const textLink = mail.parsed.text.match(/(http:\/\/portail\.test\/mot-de-passe-oublie\/nouveau\?jeton=[\w-]+)/)[1];

    // The HTML part as a mail client shows it, on a phone then on a desktop.
    for (const [label, options] of [['375', mobile], ['desktop', {}]]) {
      const reader = await newContext(browser, options);
      const view = await reader.newPage();
      await view.setContent(mail.parsed.html);
      const button = view.getByRole('link', { name: 'Choisir un nouveau mot de passe' });
      assert.equal(await button.getAttribute('href'), textLink, 'the button leads where the text part leads');
      const box = await button.boundingBox();
      assert.ok(box.height >= 40, `the button is a comfortable target (${box.height}px high)`);
      assert.ok(box.x + box.width <= (options.viewport?.width ?? 1280), 'the button fits the screen');
      assert.ok(await view.getByText(ORG).first().isVisible(), 'the mail names the network');
      assert.equal(await view.locator(`a[href="${textLink}"]`).count(), 2, 'the address is written out below the button');
      await expectNoAxeViolations(view, `reset mail (${label})`);
      await screenshot(view, `words-mail-reset-${label}-fr`, { docs: label === '375' });
      await reader.close();
    }

    // The button's link opens the page to choose a new password.
    await page.goto(textLink.replace('http://portail.test', portier.url));
    assert.equal(await page.title(), `Choisir un nouveau mot de passe – ${ORG}`);
  } finally {
    await context.close();
  }
});

test('assistance on a phone: parts of days in Paris opening hours', async () => {
  const context = await newContext(browser, mobile);
  const page = await context.newPage();
  try {
    await page.goto(`${portier.url}/assistance`);
    assert.equal(await page.title(), `Assistance – ${ORG}`, 'French page');
    // Each box posts the first open slot of a part of a day, in Paris time.
    const first = page.locator('input[name="part"]').first();
    const at = new Date(Number(await first.getAttribute('value')) * 1000);
    const label = await page.locator(`label[for="${await first.getAttribute('id')}"]`).textContent();
    const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: 'numeric', hourCycle: 'h23' }).format(at));
    assert.ok(hour >= 9 && hour < 18, `${hour} h in Paris is within the opening hours`);
    assert.equal(label, hour < 12 ? 'Matin' : 'Après-midi');
    assert.doesNotMatch(await page.locator('body').textContent(), /\b(UTC|CET|CEST|EST)\b/);
    await expectNoAxeViolations(page, 'assistance form at 375 px');
    await screenshot(page, 'words-assistance-375-fr');
  } finally {
    await context.close();
  }
});
