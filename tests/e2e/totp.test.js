// Journey: a member sets up an authenticator app from Mon espace, in French,
// reading the key from the page as someone who cannot scan would, with codes
// from Debian's oathtool standing in for the phone; a wrong code first, then
// the right one, then the recovery codes shown once. axe on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  launchBrowser, newContext, member, signIn, submitAndWait, startPortier, expectNoAxeViolations,
  expectErrorSummaryLinked, screenshot, strings, openFold,
} from './support/browser.js';

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

let firstKey;  // the app the first journey sets up (the second one replaces it)
const oathtool = (key, offset = 0) => execFileSync('oathtool',
  ['--totp', '-b', '-N', `@${Math.floor(Date.now() / 1000) + offset}`, key.replace(/\s+/g, '')],
  { encoding: 'utf8' }).trim();

test('Mon espace: set up an authenticator app with the key in text, then keep the recovery codes', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const fr = strings.fr;
  try {
    await signIn(page, portier.url, member.identifier, member.password);
    assert.match(page.url(), /\/mon-espace$/);
    const section = page.getByTestId('totp-section');
    assert.equal(await section.getByRole('heading', { level: 2 }).textContent(), fr.account_totp_heading);
    await openFold(page, 'application');
    await submitAndWait(page, section.getByTestId('totp-setup'));
    assert.match(page.url(), /\/mon-espace\/application$/);
    // Opening the page draws nothing: the key is created by a button (a POST).
    assert.equal(await page.getByTestId('totp-key').count(), 0);
    await expectNoAxeViolations(page, 'authenticator enrolment before the key');
    await submitAndWait(page, page.getByTestId('totp-new-key'));

    // The QR code is an image with a name; the key is text, grouped by four.
    const qr = page.getByRole('img', { name: fr.totp_qr_label });
    assert.equal(await qr.count(), 1);
    const box = await qr.boundingBox();
    assert.ok(box.width >= 150 && Math.abs(box.width - box.height) < 2, `QR code is square and large enough: ${JSON.stringify(box)}`);
    const key = (await page.getByTestId('totp-key').textContent()).trim();
    firstKey = key;
    assert.match(key, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    await expectNoAxeViolations(page, 'authenticator enrolment');
    await screenshot(page, 'totp-enrolment-fr', { docs: true });

    // A wrong code: the error summary, the field marked, the same key kept.
    const wrong = String((Number(oathtool(key)) + 500000) % 1000000).padStart(6, '0');
    await page.locator('#totp_code').fill(wrong);
    await page.locator('#current_password').fill(member.password);
    let r = await submitAndWait(page, page.getByTestId('totp-submit'));
    assert.equal(r.status(), 422);
    assert.deepEqual(await expectErrorSummaryLinked(page), ['#totp_code']);
    assert.equal((await page.getByTestId('totp-key').textContent()).trim(), key);
    assert.match(await page.title(), /^Erreur/);
    await expectNoAxeViolations(page, 'authenticator enrolment with a wrong code');
    await screenshot(page, 'totp-enrolment-error-fr');

    // The right code, as the app would show it now.
    await page.locator('#totp_code').fill(oathtool(key));
    await page.locator('#current_password').fill(member.password);
    r = await submitAndWait(page, page.getByTestId('totp-submit'));
    assert.equal(r.status(), 200);
    const codes = (await page.getByTestId('recovery-codes').textContent()).trim().split(/\s+/);
    assert.equal(codes.length, 10);
    for (const c of codes) assert.match(c.trim(), /^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
    assert.equal(await page.getByTestId('notice').textContent(), fr.notice_totp_enrolled);
    await expectNoAxeViolations(page, 'recovery codes');
    await screenshot(page, 'totp-recovery-codes-fr', { docs: true });

    // Back in Mon espace: the app is there, with ten codes left.
    await submitAndWait(page, page.getByTestId('totp-codes-done'));
    assert.match(page.url(), /\/mon-espace#application$/);
    assert.equal(await page.getByTestId('totp-codes-left').textContent(), fr.totp_recovery_remaining.replace('{count}', '10'));
    await expectNoAxeViolations(page, 'Mon espace with an app');
    await screenshot(page, 'totp-account-fr');

    // A wrong password on the section's form: Mon espace again, the field marked.
    await page.getByTestId('totp-manage-password').fill('pas-le-bon-mot-de-passe');
    await page.getByTestId('totp-manage-app-code').fill(oathtool(key, 30));
    r = await submitAndWait(page, page.getByTestId('totp-regenerate'));
    assert.equal(r.status(), 422);
    assert.deepEqual(await expectErrorSummaryLinked(page), ['#totp_password']);
    await expectNoAxeViolations(page, 'Mon espace with a wrong password for the app');
  } finally {
    await context.close();
  }
});

test('without JavaScript: enrolment, new recovery codes and removal all work', async () => {
  const context = await newContext(browser, { javaScriptEnabled: false });
  const page = await context.newPage();
  const fr = strings.fr;
  try {
    await signIn(page, portier.url, member.identifier, member.password);
    await page.goto(`${portier.url}/mon-espace/application`);
    await submitAndWait(page, page.getByTestId('totp-new-key'));
    const key = (await page.getByTestId('totp-key').textContent()).trim();
    await page.locator('#totp_code').fill(oathtool(key));
    await page.locator('#current_password').fill(member.password);
    // Replacing the app of the journey above: a code of that app too.
    await page.locator('#current_app_code').fill(oathtool(firstKey, 30));
    let r = await submitAndWait(page, page.getByTestId('totp-submit'));
    assert.equal(r.status(), 200);
    const first = (await page.getByTestId('recovery-codes').textContent()).trim().split(/\s+/);
    assert.equal(first.length, 10);

    await page.goto(`${portier.url}/mon-espace#application`);
    await page.getByTestId('totp-manage-password').fill(member.password);
    await page.getByTestId('totp-manage-app-code').fill(first[0].trim());
    r = await submitAndWait(page, page.getByTestId('totp-regenerate'));
    assert.equal(r.status(), 200);
    const fresh = (await page.getByTestId('recovery-codes').textContent()).trim().split(/\s+/);
    assert.equal(fresh.length, 10);
    assert.equal(fresh.filter((c) => first.includes(c)).length, 0);
    assert.equal(await page.getByTestId('notice').textContent(), fr.notice_totp_codes_regenerated);

    // The second button of the same form posts to its own address (formaction).
    await page.goto(`${portier.url}/mon-espace#application`);
    await page.getByTestId('totp-manage-password').fill(member.password);
    await page.getByTestId('totp-manage-app-code').fill(fresh[0].trim());
    await submitAndWait(page, page.getByTestId('totp-remove'));
    assert.match(page.url(), /\/mon-espace\?info=totp_removed#application$/);
    assert.equal(await page.getByTestId('notice').textContent(), fr.notice_totp_removed);
    assert.equal(await page.getByTestId('totp-codes-left').count(), 0);
  } finally {
    await context.close();
  }
});
