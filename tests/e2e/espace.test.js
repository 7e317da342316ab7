// Journeys of issue 10, items 7, 11 and 12, in French: Mon espace as a
// summary with folded settings and confirmations where the action happened
// (a mobile number saved, the channel chosen, the number removed, a wrong
// SMS code named as such); choosing a password with the rules ticked as she
// types, a "show password" button, every error at once and the refused word
// named; an authenticator app whose key survives a reload, whose confirming
// code opens the console without signing in again, and whose recovery codes
// can be printed, copied and downloaded. Desktop and 375 px, axe on each page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Portier } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { SmsGateway } from '../support/sms_gateway.js';
import { oathtool } from '../support/app.js';
import {
  launchBrowser, newContext, member, mobile, signIn, submitAndWait, expectNoAxeViolations, expectErrorSummaryLinked,
  screenshot, strings, openFold,
} from './support/browser.js';

const AGENT = { identifier: 'paul.support', email: 'paul@example.org', name: 'Paul Assistance', password: 'Lanterne-Garrigue-Phare-31', role: 'support' };
const fr = { ...strings.fr, ...JSON.parse(readFileSync(new URL('../../templates/i18n/espace.fr.json', import.meta.url), 'utf8')) };
let browser;
let smtp;
let gateway;
let portier;

before(async () => {
  browser = await launchBrowser();
  smtp = await new SmtpSink().start();
  gateway = await new SmsGateway().start();
  portier = new Portier({ env: { PORTIER_SECOND_STEP: 'optional' }, toml: ['[mail]', `smtp_url = "${smtp.url}"`, 'smtp_tls = "none"', 'outbox_poll_interval = 1',
    '[sms]', `gateway_url = "http://127.0.0.1:${gateway.port}/sms"`, 'body_format = "json"',
    'body_template = "{\\"to\\": \\"{{to}}\\", \\"text\\": \\"{{text}}\\"}"'] });
  portier.addUser(member);
  portier.addUser(AGENT);
  await portier.start();
});
after(async () => {
  await browser?.close();
  await portier?.cleanup();
  await smtp?.stop();
  await gateway?.stop();
});

const smsCode = async (n) => {
  await gateway.waitFor(() => gateway.requests.length >= n, 10000);
  return gateway.requests[n - 1].json.text.match(/\b(\d{8})\b/)[1];
};
// The confirmation takes the focus once the page has loaded (static/js/espace.js).
const focusedTestId = async (page) => {
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'notice', null, { timeout: 3000 })
    .catch(() => {});
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
};

test('Mon espace opens on a summary; each setting is folded until opened (desktop and 375 px)', async () => {
  for (const viewport of ['desktop', 'mobile']) {
    const context = await newContext(browser, viewport === 'mobile' ? mobile : {});
    const page = await context.newPage();
    try {
      await signIn(page, portier.url, member.identifier, member.password);
      assert.match(page.url(), /\/mon-espace$/);
      const summary = page.getByTestId('account-summary');
      assert.equal(await summary.getByRole('heading', { level: 2, name: fr.espace_me_heading }).count(), 1);
      assert.equal(await summary.getByRole('heading', { level: 2, name: fr.espace_how_heading }).count(), 1);
      assert.equal(await summary.getByRole('heading', { level: 2, name: fr.espace_state_heading }).count(), 1);
      assert.equal((await page.getByTestId('summary-name').textContent()).trim(), member.name);
      assert.match(await page.getByTestId('summary-channel').textContent(), /par e-mail/);
      assert.match(await page.getByTestId('summary-sessions').textContent(), /sessions? ouvertes?/);
      for (const fold of ['profil', 'mot-de-passe', 'codes', 'application', 'sessions', 'activite'])
        assert.equal(await page.locator(`#${fold}-fold`).evaluate((d) => d.open), false, `${fold} is folded`);
      await screenshot(page, viewport === 'desktop' ? 'account-summary-fr' : 'account-summary-375-fr', { docs: true });
      const size = await page.evaluate(() => ({ height: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth }));
      if (viewport === 'desktop') assert.ok(size.height < 1800, `a summary, not a long form: ${size.height} px`);
      else assert.ok(size.width <= 375, `no sideways scrolling at 375 px: ${size.width} px`);
      await expectNoAxeViolations(page, `Mon espace summary (${viewport})`);

      // The summary's links open the setting they name (the old anchors too).
      await page.locator('a[href="#mot-de-passe"]').first().click();
      await page.locator('#new_password').waitFor();
      assert.equal(await page.locator('#mot-de-passe-fold').evaluate((d) => d.open), true);
    } finally {
      await context.close();
    }
  }
});

test('a mobile number saved, the channel chosen, the number removed: each confirmation on the page she lands on', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await signIn(page, portier.url, member.identifier, member.password);
    await openFold(page, 'codes');
    await page.locator('#new_phone').fill('06 12 34 56 78');
    await page.locator('#phone_password').fill(member.password);
    const sent = gateway.requests.length;
    await submitAndWait(page, page.getByTestId('phone-submit'));
    assert.match(page.url(), /\/mon-espace\/mobile$/);

    // A wrong texted code is named as one, never as a code "reçu par e-mail".
    await page.locator('#code').fill('00000000');
    const wrong = await submitAndWait(page, page.getByTestId('phone-code-submit'));
    assert.equal(wrong.status(), 422);
    assert.deepEqual(await expectErrorSummaryLinked(page), ['#code']);
    const said = await page.getByTestId('error-summary').textContent();
    assert.ok(said.includes(fr.espace_field_sms_code), said);
    assert.ok(!said.includes(fr.field_code), `not labelled ${fr.field_code}`);
    await expectNoAxeViolations(page, 'phone verification with a wrong code');
    await screenshot(page, 'phone-verify-wrong-code-fr');

    await page.locator('#code').fill(await smsCode(sent + 1));
    await submitAndWait(page, page.getByTestId('phone-code-submit'));
    // The number proved, texts are offered in one click; she keeps e-mail here.
    assert.match(page.url(), /\/mon-espace\/mobile\/verifie$/);
    await submitAndWait(page, page.getByTestId('sms-offer-decline'));
    assert.match(page.url(), /info=phone_saved#codes$/);
    assert.equal(await page.getByTestId('notice').textContent(), fr.notice_phone_saved);
    assert.equal(await focusedTestId(page), 'notice', 'the confirmation has the focus, so it is read out');
    assert.equal(await page.locator('#codes-fold').evaluate((d) => d.open), true, 'the setting changed is open');
    assert.match(await page.getByTestId('summary-phone').textContent(), /78/);
    await expectNoAxeViolations(page, 'Mon espace, number saved');
    await screenshot(page, 'account-phone-saved-fr', { docs: true });

    await page.locator('#channel-sms').check();
    await page.locator('#channel_password').fill(member.password);
    await submitAndWait(page, page.getByTestId('channel-submit'));
    assert.equal(await page.getByTestId('notice').textContent(), fr.notice_channel_saved);
    assert.equal(await focusedTestId(page), 'notice');
    assert.match(await page.getByTestId('summary-channel').textContent(), /par SMS/);

    await page.locator('#remove_password').fill(member.password);
    await submitAndWait(page, page.getByTestId('phone-remove'));
    assert.equal(await page.getByTestId('notice').textContent(), fr.notice_phone_removed);
    assert.equal(await page.locator('#codes-fold').evaluate((d) => d.open), true);
    assert.match(await page.getByTestId('summary-channel').textContent(), /par e-mail/);
    await expectNoAxeViolations(page, 'Mon espace, number removed');
  } finally {
    await context.close();
  }
});

test('choosing a password: the rules ticked as she types, shown on demand, every error at once, her name named', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await signIn(page, portier.url, member.identifier, member.password);
    await openFold(page, 'mot-de-passe');
    const rules = page.getByTestId('password-checklist');
    const rule = (name) => rules.locator(`[data-rule="${name}"]`);
    await page.locator('#new_password').fill('court');
    assert.match(await rule('length').getAttribute('class'), /rule-unmet/);
    await page.locator('#new_password').fill('Martin des bois tranquilles');
    assert.match(await rule('length').getAttribute('class'), /rule-met/);
    assert.match(await rule('context').getAttribute('class'), /rule-unmet/);
    assert.match(await rule('context').textContent(), /«\s*Martin\s*»/);
    await page.locator('#confirm_password').fill('Martin des bois');
    assert.match(await rule('match').getAttribute('class'), /rule-unmet/);

    // The show-password button: a toggle with a name, for both fields.
    const reveal = page.getByRole('button', { name: fr.espace_show_password });
    assert.equal(await reveal.getAttribute('aria-pressed'), 'false');
    await reveal.click();
    assert.equal(await reveal.getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator('#new_password').getAttribute('type'), 'text');
    assert.equal(await page.locator('#confirm_password').getAttribute('type'), 'text');
    await expectNoAxeViolations(page, 'password being chosen, shown');
    await screenshot(page, 'password-checklist-fr', { docs: true });
    await reveal.click();
    assert.equal(await page.locator('#new_password').getAttribute('type'), 'password');

    // Too short AND a different confirmation: both in the summary at once.
    await page.locator('#current_password').fill(member.password);
    await page.locator('#new_password').fill('court');
    await page.locator('#confirm_password').fill('autre');
    let r = await submitAndWait(page, page.getByTestId('password-submit'));
    assert.equal(r.status(), 422);
    assert.deepEqual(await expectErrorSummaryLinked(page), ['#new_password', '#confirm_password']);
    await expectNoAxeViolations(page, 'password errors at once');

    // Her name is refused, and named.
    await page.locator('#current_password').fill(member.password);
    await page.locator('#new_password').fill('Martin des bois tranquilles');
    await page.locator('#confirm_password').fill('Martin des bois tranquilles');
    r = await submitAndWait(page, page.getByTestId('password-submit'));
    assert.equal(r.status(), 422);
    const said = await page.getByTestId('error-summary').textContent();
    assert.ok(said.includes(fr.problem_contains_name.replace('{word}', 'Martin')), said);
    await screenshot(page, 'password-name-refused-fr');
  } finally {
    await context.close();
  }

  // At 375 px the checklist and the button fit the screen.
  const phone = await newContext(browser, mobile);
  const small = await phone.newPage();
  try {
    await signIn(small, portier.url, member.identifier, member.password);
    await openFold(small, 'mot-de-passe');
    await small.locator('#new_password').fill('court');
    assert.ok(await small.evaluate(() => document.documentElement.scrollWidth <= 375));
    await expectNoAxeViolations(small, 'password checklist at 375 px');
    await screenshot(small, 'password-checklist-375-fr', { docs: true });
  } finally {
    await phone.close();
  }
});

test('without JavaScript: no show-password button, the rules as a list, the change still goes through', async () => {
  const context = await newContext(browser, { javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await signIn(page, portier.url, member.identifier, member.password);
    await page.goto(`${portier.url}/mon-espace#mot-de-passe`);
    await openFold(page, 'mot-de-passe');
    assert.equal(await page.getByTestId('password-reveal').count(), 0);
    assert.match(await page.getByTestId('password-checklist').textContent(), /12/);
    const next = 'colline-mistral-aurore-17';
    await page.locator('#current_password').fill(member.password);
    await page.locator('#new_password').fill(next);
    await page.locator('#confirm_password').fill(next);
    await submitAndWait(page, page.getByTestId('password-submit'));
    assert.match(page.url(), /info=password_changed/);
    // Back to the journeys' password for the tests that follow.
    await openFold(page, 'mot-de-passe');
    await page.locator('#current_password').fill(next);
    await page.locator('#new_password').fill(member.password);
    await page.locator('#confirm_password').fill(member.password);
    await submitAndWait(page, page.getByTestId('password-submit'));
    assert.match(page.url(), /info=password_changed/);
  } finally {
    await context.close();
  }
});

test('authenticator app: one key across reloads, cancel, the confirming code opens the console; codes printed, copied, downloaded', async () => {
  const context = await newContext(browser, { acceptDownloads: true, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  try {
    await signIn(page, portier.url, AGENT.identifier, AGENT.password);
    assert.match(page.url(), /\/mon-espace$/);
    // Signed in with a password only: the console asks for the app.
    const refused = await page.goto(`${portier.url}/support`);
    assert.equal(refused.status(), 403);

    await page.goto(`${portier.url}/mon-espace`);
    await openFold(page, 'application');
    await submitAndWait(page, page.getByTestId('totp-setup'));
    await submitAndWait(page, page.getByTestId('totp-new-key'));
    const key = (await page.getByTestId('totp-key').textContent()).trim();
    await page.reload();
    assert.equal((await page.getByTestId('totp-key').textContent()).trim(), key, 'a reload shows the same key');
    assert.match(await page.getByTestId('totp-key-lifetime').textContent(), /15 minutes/);
    await expectNoAxeViolations(page, 'enrolment with its key');

    // Cancelled: the key is forgotten, the next one differs.
    await submitAndWait(page, page.getByTestId('totp-cancel'));
    assert.match(page.url(), /info=totp_cancelled#application$/);
    assert.equal(await page.getByTestId('notice').textContent(), fr.notice_totp_cancelled);
    await page.goto(`${portier.url}/mon-espace/application`);
    assert.equal(await page.getByTestId('totp-key').count(), 0);
    await submitAndWait(page, page.getByTestId('totp-new-key'));
    const second = (await page.getByTestId('totp-key').textContent()).trim();
    assert.notEqual(second, key);

    await page.locator('#totp_code').fill(oathtool(second));
    await page.locator('#current_password').fill(AGENT.password);
    const r = await submitAndWait(page, page.getByTestId('totp-submit'));
    assert.equal(r.status(), 200);
    const codes = (await page.getByTestId('recovery-codes').textContent()).trim().split(/\s+/);
    assert.equal(codes.length, 10);

    // Copy: the clipboard holds the ten codes.
    await page.getByTestId('codes-copy').click();
    await page.getByTestId('codes-status').filter({ hasText: fr.espace_codes_copied }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.deepEqual(copied.trim().split(/\s+/), codes);
    // Download: a text file made in the page from the codes on screen.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('codes-download').click()]);
    assert.equal(download.suggestedFilename(), `codes-de-secours-${AGENT.identifier}.txt`);
    const file = readFileSync(await download.path(), 'utf8');
    for (const c of codes) assert.ok(file.includes(c), `${c} in the file`);
    assert.ok(file.startsWith(fr.espace_codes_file_heading));
    // Print: a button, and a print layout without the site's chrome.
    assert.equal(await page.getByTestId('codes-print').isVisible(), true);
    await expectNoAxeViolations(page, 'recovery codes with their buttons');
    await screenshot(page, 'totp-recovery-codes-actions-fr', { docs: true });
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.site-header').isVisible(), false);
    assert.equal(await page.getByTestId('codes-copy').isVisible(), false);
    await screenshot(page, 'totp-recovery-codes-print-fr');
    await page.emulateMedia({ media: 'screen' });

    // The confirming code was the app step: the console opens at once.
    const console = await page.goto(`${portier.url}/support`);
    assert.equal(console.status(), 200);
  } finally {
    await context.close();
  }

  // At 375 px the codes and their buttons fit.
  const phone = await newContext(browser, mobile);
  const small = await phone.newPage();
  try {
    await signIn(small, portier.url, member.identifier, member.password);
    await small.goto(`${portier.url}/mon-espace/application`);
    await submitAndWait(small, small.getByTestId('totp-new-key'));
    const key = (await small.getByTestId('totp-key').textContent()).trim();
    assert.ok(await small.evaluate(() => document.documentElement.scrollWidth <= 375));
    await screenshot(small, 'totp-enrolment-375-fr');
    await small.locator('#totp_code').fill(oathtool(key));
    await small.locator('#current_password').fill(member.password);
    await submitAndWait(small, small.getByTestId('totp-submit'));
    await small.getByTestId('codes-download').waitFor();
    assert.ok(await small.evaluate(() => document.documentElement.scrollWidth <= 375));
    await expectNoAxeViolations(small, 'recovery codes at 375 px');
    await screenshot(small, 'totp-recovery-codes-375-fr');
  } finally {
    await phone.close();
  }
});
