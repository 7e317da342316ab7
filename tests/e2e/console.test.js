// Journey: a support agent, signed in with an authenticator app code, finds
// a member in the console, sends a reset link, forgets the reason once (the
// error summary leads to the field), issues a temporary password read out
// once, and the member signs in with it and must change it. axe on every
// console page; screenshots for the docs.
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
let browser;
let portier;
let key;

const oathtool = (k, offset = 0) => execFileSync('oathtool',
  ['--totp', '-b', '-N', `@${Math.floor(Date.now() / 1000) + offset}`, k.replace(/\s+/g, '')], { encoding: 'utf8' }).trim();

before(async () => {
  browser = await launchBrowser();
  portier = await startPortier({ users: [AGENT, member], env: { PORTIER_SECOND_STEP: 'optional' } });
  portier.cli(['user', 'add', '--identifier', 'jean.dupont', '--email', 'jean.dupont@example.org', '--name', 'Jean Dupont',
    '--rpps', '10001234567']);
  // The agent's app, enrolled over HTTP (tests/e2e/totp covers the page itself).
  const c = new Client(portier.url);
  await c.signIn(AGENT.identifier, AGENT.password);
  const page = await newKeyPage(c);
  key = page.text.match(/data-testid="totp-key"[^>]*>([A-Z2-7 ]+)</)[1];
  const csrf = page.text.match(/name="csrf" value="([^"]+)"/)[1];
  const r = await c.request('POST', '/mon-espace/application', { form: { csrf, code: oathtool(key), current_password: AGENT.password } });
  assert.equal(r.status, 200);
});
after(async () => {
  await browser?.close();
  await portier?.cleanup();
});

test('support console: find a member, send a reset, issue a temporary password; the member must change it', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const fr = strings.fr;
  let temporary;
  try {
    await signIn(page, portier.url, AGENT.identifier, AGENT.password);
    await page.locator('#app_code').fill(oathtool(key, 30));
    await submitAndWait(page, page.getByTestId('app-code-submit'));
    assert.match(page.url(), /\/mon-espace$/);

    await submitAndWait(page, page.getByTestId('nav-console'));
    assert.match(page.url(), /\/support$/);
    await page.getByLabel(fr.console_search_field, { exact: true }).fill('martin');
    await submitAndWait(page, page.getByTestId('console-search'));
    assert.equal(await page.getByTestId('console-result').count(), 1);
    await expectNoAxeViolations(page, 'console search');
    await screenshot(page, 'console-search-fr', { docs: true });

    await submitAndWait(page, page.getByTestId('console-result'));
    assert.match(page.url(), /\/support\/compte\?id=\d+$/);
    assert.equal((await page.getByTestId('console-identifier').textContent()).trim(), member.identifier);
    await expectNoAxeViolations(page, 'console account');

    // The actions are folded by group: open "Connexion et mot de passe".
    await page.getByTestId('group-acces').locator('summary').click();
    // A reset link: a reason is enough.
    await page.getByTestId('reset-reason').fill('Appel du membre, mot de passe oublié');
    let r = await submitAndWait(page, page.getByTestId('reset-submit'));
    assert.equal(r.status(), 303);
    assert.equal(await page.getByTestId('notice').textContent(), fr.console_notice_reset_sent);
    assert.equal(await page.getByTestId('console-message').count(), 1);

    // The temporary password without a reason: the summary leads to the field.
    await page.getByTestId('temp-agent-password').fill(AGENT.password);
    r = await submitAndWait(page, page.getByTestId('temp-submit'));
    assert.equal(r.status(), 422);
    assert.deepEqual(await expectErrorSummaryLinked(page), ['#temp-reason']);
    assert.match(await page.title(), /^Erreur/);
    await expectNoAxeViolations(page, 'console account with an error');
    await screenshot(page, 'console-account-error-fr');

    await page.getByTestId('temp-reason').fill('Appel du membre, identité vérifiée par RPPS');
    await page.getByTestId('temp-agent-password').fill(AGENT.password);
    r = await submitAndWait(page, page.getByTestId('temp-submit'));
    assert.equal(r.status(), 200);
    temporary = (await page.getByTestId('temporary-password').textContent()).trim();
    assert.match(temporary, /^[2-9A-Z]{4}( [2-9A-Z]{4}){3}$/);
    await expectNoAxeViolations(page, 'temporary password shown once');
    await screenshot(page, 'console-temporary-fr', { docs: true });

    await submitAndWait(page, page.getByTestId('console-back'));
    assert.equal(await page.locator(`text=${temporary}`).count(), 0, 'never shown again');
    await expectNoAxeViolations(page, 'console account after the actions');
    await screenshot(page, 'console-account-fr', { docs: true });

    // The CSV import: a check that finds a bad line.
    await submitAndWait(page, page.getByTestId('console-nav-import'));
    await expectNoAxeViolations(page, 'console import');
    await page.getByTestId('import-csv').fill('identifier,email,name,mobile,rpps\nanne.neuf,anne@example.org,Anne Neuf,,\nbernard,pas-une-adresse,Bernard,,\n');
    r = await submitAndWait(page, page.getByTestId('import-check'));
    assert.equal(r.status(), 422);
    assert.equal(await page.getByTestId('import-cell-error').count(), 1);
    await expectNoAxeViolations(page, 'console import with a bad line');
    await screenshot(page, 'console-import-fr', { docs: true });

    // The same session on a phone-sized screen (a new app code would wait for the next time step).
    const phone = await newContext(browser, { ...mobile, storageState: await context.storageState() });
    const small = await phone.newPage();
    try {
      await small.goto(`${portier.url}/support?q=10001234567`);
      assert.equal(await small.getByTestId('console-result').count(), 1);
      await submitAndWait(small, small.getByTestId('console-result'));
      await expectNoAxeViolations(small, 'console account, mobile');
      await screenshot(small, 'console-account-mobile-fr');
    } finally {
      await phone.close();
    }
  } finally {
    await context.close();
  }

  // The member, on the phone with the agent, signs in with it and must choose a new password.
  const memberContext = await newContext(browser);
  const memberPage = await memberContext.newPage();
  try {
    await signIn(memberPage, portier.url, member.identifier, temporary);
    assert.match(memberPage.url(), /\/connexion\/nouveau-mot-de-passe$/);
  } finally {
    await memberContext.close();
  }
});
