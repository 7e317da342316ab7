// Journey: a health professional whom no account knows signs in through Pro
// Santé Connect in Chromium, in French, where the operator lets PSC's claims
// create accounts (create_accounts): the page shows what will be created,
// she confirms with the keyboard and lands in Mon espace, signed in. Axe on
// portier's pages (the mock's login form is not ours). The page is a plain
// form (no script), like every portier page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Portier } from '../support/portier.js';
import { freePort } from '../support/nginx.js';
import { PscMock } from '../support/psc_mock.js';
import { launchBrowser, newContext, submitAndWait, expectNoAxeViolations, screenshot } from './support/browser.js';

let browser;
let psc;
let portier;
let main;

before(async () => {
  browser = await launchBrowser();
  const port = await freePort();
  main = `http://127.0.0.1:${port}`;
  psc = await new PscMock({ redirectUri: `${main}/federation/psc/retour` }).start();
  portier = new Portier({
    env: { PORTIER_LISTEN: `127.0.0.1:${port}`, PORTIER_PUBLIC_URL: main },
    toml: ['[[federation.providers]]', 'id = "psc"', 'preset = "psc-sandbox"', 'create_accounts = true',
      `discovery_url = "${psc.discoveryUrl}"`, `client_id = "${psc.clientId}"`, 'client_secret_file = "SECRET"'],
  });
  const secretFile = join(portier.dataDir, 'psc.secret');
  writeFileSync(secretFile, `${psc.clientSecret}\n`);
  chmodSync(secretFile, 0o600);
  writeFileSync(portier.config, `[[federation.providers]]\nid = "psc"\npreset = "psc-sandbox"\ncreate_accounts = true\n`
    + `discovery_url = "${psc.discoveryUrl}"\nclient_id = "${psc.clientId}"\nclient_secret_file = "${secretFile}"\n`);
  await portier.start();
});
after(async () => {
  await browser?.close();
  await portier?.cleanup();
  await psc?.stop();
});

test('a person no account knows sees what will be created, confirms, and is signed in', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await page.goto(`${main}/connexion`);
    await submitAndWait(page, page.getByTestId('federation-entry-psc'));
    await page.locator('input[name="account"]').waitFor();
    await page.locator('input[name="account"]').fill(psc.practitioner.id);
    await page.locator('input[name="acr"]').fill('eidas1');
    await submitAndWait(page, page.locator('button'));

    assert.equal(new URL(page.url()).pathname, '/nouveau-compte');
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.match(await page.locator('h1').innerText(), /Créer votre compte/);
    assert.equal(await page.getByTestId('fedaccount-family-name').innerText(), 'Dupont');
    assert.equal(await page.getByTestId('fedaccount-email').innerText(), 'jeanne.dupont@example.org');
    assert.equal(await page.getByTestId('fedaccount-profession').innerText(), 'Médecin (10)');
    assert.equal(await page.getByTestId('fedaccount-rpps').innerText(), psc.rpps);
    await expectNoAxeViolations(page, 'account creation offer');
    await screenshot(page, 'federation-account-fr', { docs: true });

    // The keyboard: focus the confirmation and press Enter.
    await page.getByTestId('fedaccount-confirm').focus();
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.equal(new URL(page.url()).pathname, '/mon-espace');
    await expectNoAxeViolations(page, 'Mon espace after the account was created');
    assert.equal(portier.sql(`SELECT count(*) FROM accounts WHERE rpps = '${psc.rpps}'`), '1');
    assert.equal(portier.sql("SELECT count(*) FROM sessions WHERE auth_methods = 'psc'"), '1');
  } finally {
    await context.close();
  }
});

test('an offer that is gone gets a French page, axe-clean, with a way to sign in', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    const r = await page.goto(`${main}/nouveau-compte`);
    assert.equal(r.status(), 410);
    assert.equal(await page.getByTestId('federation-account-status').getAttribute('data-reason'), 'account_offer_expired');
    await expectNoAxeViolations(page, 'account offer expired');
    await submitAndWait(page, page.getByTestId('fedaccount-sign-in'));
    assert.equal(new URL(page.url()).pathname, '/connexion');
  } finally {
    await context.close();
  }
});
