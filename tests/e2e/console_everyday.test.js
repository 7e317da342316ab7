// Journey (issue 10, items 14, 15, 17): a support agent on the phone with a
// member whose sign-in is suspended. She finds her as "Dr Martin Claire",
// sees the phone as read aloud and the "suspendu" badge, opens the account:
// the banner says what stops the member and leads to the way out; she types
// her password once for a few minutes, issues a temporary password (which
// lifts the suspension) and spells it out group by group; the member types it
// in lower case without spaces. Then she imports the office's Excel file
// (Windows-1252, ";", French headers): the preview shows the bad value in its
// cell, she imports the valid lines and opens an account created. axe on
// every page, desktop and 375 px; screenshots for the docs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Client } from '../support/portier.js';
import {
  launchBrowser, newContext, member, mobile, signIn, submitAndWait, startPortier, expectNoAxeViolations,
  expectErrorSummaryLinked, screenshot, strings,
} from './support/browser.js';
import { newKeyPage } from '../support/app.js';

const AGENT = { identifier: 'sophie.support', email: 'sophie@example.org', name: 'Sophie Support', password: 'Lanterne-Garrigue-Phare-31', role: 'support' };
const LEVY = { identifier: 'helene.levy', email: 'helene.levy@example.org', name: 'Hélène Lévy', password: 'ruisseau-lanterne-hiver-43', phone: '+33698765432' };
let browser;
let portier;
let key;
const fr = { ...strings.fr };
// Text as shown: French non-breaking spaces as plain spaces.
const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ').trim();

const oathtool = (k, offset = 0) => execFileSync('oathtool',
  ['--totp', '-b', '-N', `@${Math.floor(Date.now() / 1000) + offset}`, k.replace(/\s+/g, '')], { encoding: 'utf8' }).trim();

before(async () => {
  browser = await launchBrowser();
  portier = await startPortier({ users: [AGENT, { ...member, phone: '+33612345678' }, LEVY], env: { PORTIER_SECOND_STEP: 'optional' } });
  const c = new Client(portier.url);
  await c.signIn(AGENT.identifier, AGENT.password);
  const page = await newKeyPage(c);
  key = page.text.match(/data-testid="totp-key"[^>]*>([A-Z2-7 ]+)</)[1];
  const csrf = page.text.match(/name="csrf" value="([^"]+)"/)[1];
  const r = await c.request('POST', '/mon-espace/application', { form: { csrf, code: oathtool(key), current_password: AGENT.password } });
  assert.equal(r.status, 200);
  // The member mistyped her password until her sign-in was suspended.
  for (let i = 0; i < 5; i++) await new Client(portier.url).signIn(member.identifier, `essai-${i}-faux`);
});
after(async () => {
  await browser?.close();
  await portier?.cleanup();
});

test('console on the phone: find by words, banner, password once, temporary password spelled out, office CSV import', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  let temporary;
  try {
    await signIn(page, portier.url, AGENT.identifier, AGENT.password);
    await page.locator('#app_code').fill(oathtool(key, 30));
    await submitAndWait(page, page.getByTestId('app-code-submit'));
    await submitAndWait(page, page.getByTestId('nav-console'));

    // 14. Words in any order, with a title, without accents.
    await page.getByLabel(fr.console_search_field, { exact: true }).fill('Dr Martin Claire');
    await submitAndWait(page, page.getByTestId('console-search'));
    assert.deepEqual(await page.getByTestId('console-result').allTextContents(), [member.identifier]);
    assert.equal(await page.getByTestId('console-badge-suspended').textContent(), 'suspendu');
    assert.equal(await page.getByTestId('console-result-phone').textContent(), '06 12 34 56 78');
    assert.equal(await page.getByTestId('console-result-phone').getAttribute('href'), 'tel:+33612345678');
    await expectNoAxeViolations(page, 'console search by words');
    await screenshot(page, 'console-search-words-fr', { docs: true });
    await page.getByLabel(fr.console_search_field, { exact: true }).fill('helene levy');
    await submitAndWait(page, page.getByTestId('console-search'));
    assert.deepEqual(await page.getByTestId('console-result').allTextContents(), [LEVY.identifier]);
    assert.equal(await page.getByTestId('console-badge-suspended').count(), 0);

    // 15. The banner names the suspension and leads to lifting it.
    await page.getByLabel(fr.console_search_field, { exact: true }).fill('martin');
    await submitAndWait(page, page.getByTestId('console-search'));
    await submitAndWait(page, page.getByTestId('console-result'));
    const banner = plain(await page.getByTestId('console-banner').textContent());
    assert.match(banner, /Connexion suspendue jusqu’au .+ – lever la suspension/);
    assert.equal(await page.getByTestId('group-acces').getAttribute('open'), null, 'actions folded until used');
    assert.match(plain(await page.getByTestId('console-created').textContent()), /par la ligne de commande du serveur/);
    await expectNoAxeViolations(page, 'console account with a banner');
    await screenshot(page, 'console-account-banner-fr', { docs: true });
    await submitAndWait(page, page.getByTestId('console-banner-action').first());
    assert.match(page.url(), /ouvrir=acces#unlock-heading$/);
    assert.notEqual(await page.getByTestId('group-acces').getAttribute('open'), null);
    assert.ok(await page.getByTestId('unlock-reason').isVisible());

    // The password once: a mistake first, then the right one.
    await page.getByTestId('confirm-agent-password').fill('pas le bon');
    let r = await submitAndWait(page, page.getByTestId('confirm-submit'));
    assert.equal(r.status(), 422);
    assert.deepEqual(await expectErrorSummaryLinked(page), ['#confirm-agent_password']);
    await expectNoAxeViolations(page, 'console confirmation refused');
    await page.getByTestId('confirm-agent-password').fill(AGENT.password);
    r = await submitAndWait(page, page.getByTestId('confirm-submit'));
    assert.equal(r.status(), 303);
    assert.equal(plain(await page.getByTestId('notice').textContent()), 'Mot de passe confirmé.');
    assert.match(plain(await page.getByTestId('console-confirmed').textContent()), /^Mot de passe confirmé jusqu’au/);
    assert.equal(await page.getByTestId('temp-agent-password').count(), 0, 'no password field within the period');

    // The temporary password: the form says it lifts the suspension.
    await page.getByTestId('group-acces').locator('summary').click();
    assert.match(plain(await page.getByTestId('temp-lifts').textContent()), /lève aussi la suspension/);
    await page.getByTestId('temp-reason').fill('Appel de la membre, identité vérifiée par son RPPS');
    r = await submitAndWait(page, page.getByTestId('temp-submit'));
    assert.equal(r.status(), 200);
    temporary = await page.getByTestId('temporary-password').getAttribute('aria-label');
    assert.match(temporary, /^[2-9A-Z]{4}( [2-9A-Z]{4}){3}$/);
    const spelled = await page.getByTestId('temporary-spelling').locator('tbody tr').count();
    assert.equal(spelled, 4, 'one row per group');
    const letters = temporary.replace(/[^A-Z]/g, '');
    if (letters) assert.match(await page.getByTestId('temporary-spelling').textContent(), new RegExp(`${letters[0]} comme `));
    await expectNoAxeViolations(page, 'temporary password spelled out');
    await screenshot(page, 'console-temporary-spelled-fr', { docs: true });
    await submitAndWait(page, page.getByTestId('console-back'));
    const after = plain(await page.getByTestId('console-banner').textContent());
    assert.match(after, /Mot de passe temporaire en attente/);
    assert.doesNotMatch(after, /Connexion suspendue/);

    // The same console on a 375 px phone.
    const phone = await newContext(browser, { ...mobile, storageState: await context.storageState() });
    const small = await phone.newPage();
    try {
      await small.goto(`${portier.url}/support?q=${encodeURIComponent('Lévy Hélène')}`);
      assert.equal(await small.getByTestId('console-result').count(), 1);
      await expectNoAxeViolations(small, 'console search, 375 px');
      await screenshot(small, 'console-search-words-mobile-fr');
      await submitAndWait(small, small.getByTestId('console-result'));
      await small.getByTestId('group-acces').locator('summary').click();
      await expectNoAxeViolations(small, 'console account, 375 px');
      await screenshot(small, 'console-account-banner-mobile-fr');
      const width = await small.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `no horizontal scroll at 375 px (${width})`);
    } finally {
      await phone.close();
    }

    // 17. The office's file, as Excel saves it on a French Windows.
    await submitAndWait(page, page.getByTestId('console-nav-import'));
    await expectNoAxeViolations(page, 'console import');
    const csv = Buffer.from('Nom;Pr\xe9nom;Adresse e-mail;T\xe9l\xe9phone;RPPS\r\n'
      + 'Durand;Am\xe9lie;amelie.durand@example.org;06 11 22 33 44;10001234567\r\n'
      + 'Faure;Bruno;bruno.faure-at-example.org;;\r\n'
      + 'Roux;Zo\xe9;zoe.roux@example.org;;\r\n', 'latin1');
    await page.getByTestId('import-file').setInputFiles({ name: 'membres.csv', mimeType: 'text/csv', buffer: csv });
    r = await submitAndWait(page, page.getByTestId('import-check'));
    assert.equal(r.status(), 422);
    assert.match(plain(await page.getByTestId('import-read-as').textContent()), /Windows-1252, séparateur « ; »/);
    const bad = page.getByTestId('import-cell-error');
    assert.equal(await bad.count(), 1);
    assert.match(await bad.textContent(), /bruno\.faure-at-example\.org/);
    assert.match(await page.getByTestId('import-preview').textContent(), /Amélie/);
    await expectNoAxeViolations(page, 'console import preview');
    await screenshot(page, 'console-import-preview-fr', { docs: true });
    assert.equal(plain(await page.getByTestId('import-apply').textContent()), 'Importer les 2 lignes valides');
    r = await submitAndWait(page, page.getByTestId('import-apply'));
    assert.equal(r.status(), 200);
    assert.deepEqual(await page.getByTestId('import-created').allTextContents(), ['amelie.durand', 'zoe.roux']);
    await expectNoAxeViolations(page, 'console import done');
    await screenshot(page, 'console-import-done-fr', { docs: true });
    await submitAndWait(page, page.getByTestId('import-created').first());
    assert.match(plain(await page.getByTestId('console-created').textContent()), /par sophie\.support \(import CSV\)/);
    assert.equal(await page.getByTestId('console-phone-call').getAttribute('href'), 'tel:+33611223344');
  } finally {
    await context.close();
  }

  // The member types what she heard: lower case, no spaces.
  const memberContext = await newContext(browser);
  const memberPage = await memberContext.newPage();
  try {
    await signIn(memberPage, portier.url, member.identifier, temporary.toLowerCase().replace(/ /g, ''));
    assert.match(memberPage.url(), /\/connexion\/nouveau-mot-de-passe$/);
  } finally {
    await memberContext.close();
  }
});
