// Journey: a health professional signs in through Pro Santé Connect in
// Chromium, in French, against the PSC mock (tests/support/psc_mock.js). From
// the sign-in page's "Se connecter avec Pro Santé Connect" button to the
// mock's login form; back on portier the identity is not linked yet: the
// first-use page sends her to sign in once with her password, then she
// confirms the link; afterwards the button and the mock's login alone sign
// her in. Axe on every portier page (the mock's login form is not ours),
// the keyboard reaches the button, and nothing needs JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Portier } from '../support/portier.js';
import { freePort } from '../support/nginx.js';
import { PscMock } from '../support/psc_mock.js';
import {
  launchBrowser, newContext, member, submitAndWait, expectNoAxeViolations, screenshot, tabTo,
} from './support/browser.js';

let browser;
let psc;
let portier;
let main;

before(async () => {
  browser = await launchBrowser();
  const port = await freePort();
  main = `http://127.0.0.1:${port}`;
  psc = await new PscMock({
    redirectUri: `${main}/federation/psc/retour`, postLogoutRedirectUri: `${main}/federation/psc/deconnexion`,
  }).start();
  portier = new Portier({
    env: { PORTIER_LISTEN: `127.0.0.1:${port}`, PORTIER_PUBLIC_URL: main },
    toml: ['[[federation.providers]]', 'id = "psc"', 'preset = "psc-sandbox"',
      `discovery_url = "${psc.discoveryUrl}"`, `client_id = "${psc.clientId}"`, 'client_secret_file = "SECRET"'],
  });
  const secretFile = join(portier.dataDir, 'psc.secret');
  writeFileSync(secretFile, `${psc.clientSecret}\n`);
  chmodSync(secretFile, 0o600);
  writeFileSync(portier.config, `[[federation.providers]]\nid = "psc"\npreset = "psc-sandbox"\n`
    + `discovery_url = "${psc.discoveryUrl}"\nclient_id = "${psc.clientId}"\nclient_secret_file = "${secretFile}"\n`);
  portier.addUser(member);
  await portier.start();
  portier.sql(`UPDATE accounts SET rpps = '${psc.rpps}' WHERE identifier = '${member.identifier}'`);
});
after(async () => {
  await browser?.close();
  await portier?.cleanup();
  await psc?.stop();
});

// The mock's login form: who signs in, at which level.
async function loginAtPsc(page) {
  await page.locator('input[name="account"]').waitFor();
  await page.locator('input[name="account"]').fill(psc.practitioner.id);
  await page.locator('input[name="acr"]').fill('eidas1');
  await submitAndWait(page, page.locator('button'));
}

test('first use links the identity after one sign-in; then Pro Santé Connect alone signs in', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await page.goto(`${main}/connexion`);
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    const button = page.getByTestId('federation-entry-psc');
    assert.match(await button.innerText(), /Se connecter avec Pro Santé Connect/);
    await expectNoAxeViolations(page, 'sign-in page with the Pro Santé Connect button');
    await screenshot(page, 'federation-sign-in-fr');
    // The keyboard reaches it (a plain link).
    assert.ok(await tabTo(page, '[data-testid="federation-entry-psc"]', 40), 'the button is reachable by Tab');

    await submitAndWait(page, button);
    assert.equal(new URL(page.url()).origin, psc.walletOrigin);
    await loginAtPsc(page);
    assert.equal(new URL(page.url()).pathname, '/federation/psc/retour');
    await page.getByTestId('federation-link-start').waitFor();
    assert.match(await page.locator('h1').innerText(), /Lier votre identité Pro Santé Connect à votre compte/);
    await expectNoAxeViolations(page, 'first use of the identity');
    await screenshot(page, 'federation-first-use-fr', { docs: true });

    await submitAndWait(page, page.getByTestId('federation-link-start'));
    assert.equal(new URL(page.url()).pathname, '/connexion');
    await expectNoAxeViolations(page, 'sign-in page asked to link');
    await page.locator('#identifier').fill(member.identifier);
    await page.locator('#password').fill(member.password);
    await submitAndWait(page, page.getByTestId('sign-in-submit'));
    assert.equal(new URL(page.url()).pathname, '/federation/liaison');
    await expectNoAxeViolations(page, 'link confirmation');
    await screenshot(page, 'federation-link-fr', { docs: true });

    await submitAndWait(page, page.getByTestId('federation-link-confirm'));
    await page.getByTestId('federation-continue').waitFor();
    await expectNoAxeViolations(page, 'identity linked');
    await submitAndWait(page, page.getByTestId('federation-continue'));
    assert.equal(new URL(page.url()).pathname, '/mon-espace');
    assert.equal(portier.sql('SELECT count(*) FROM federated_identities'), '1');
  } finally {
    await context.close();
  }

  // A new browser: the button and the provider's login, nothing else.
  const alone = await newContext(browser);
  const second = await alone.newPage();
  try {
    await second.goto(`${main}/connexion`);
    await submitAndWait(second, second.getByTestId('federation-entry-psc'));
    await loginAtPsc(second);
    assert.equal(new URL(second.url()).pathname, '/mon-espace');
    await expectNoAxeViolations(second, 'Mon espace after Pro Santé Connect');
    assert.equal(portier.sql("SELECT count(*) FROM sessions WHERE auth_methods = 'psc'"), '1');
  } finally {
    await alone.close();
  }
});

test('a refused answer gets a French page, axe-clean, with a way back', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    psc.misbehave('wrong-nonce');
    await page.goto(`${main}/connexion`);
    await submitAndWait(page, page.getByTestId('federation-entry-psc'));
    await loginAtPsc(page);
    assert.equal(await page.getByTestId('federation-status').getAttribute('data-reason'), 'failed');
    await expectNoAxeViolations(page, 'refused sign-in');
    await screenshot(page, 'federation-refused-fr', { docs: true });
    await submitAndWait(page, page.getByTestId('federation-sign-in-page'));
    assert.equal(new URL(page.url()).pathname, '/connexion');
  } finally {
    psc.misbehave(null);
    await context.close();
  }
});

test('signing out after Pro Santé Connect ends the PSC session too; the return page says so, axe-clean', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await page.goto(`${main}/connexion`);
    await submitAndWait(page, page.getByTestId('federation-entry-psc'));
    await loginAtPsc(page);
    assert.equal(new URL(page.url()).pathname, '/mon-espace');
    const ended = psc.logouts;
    // "Se déconnecter": portier's session ends, the browser goes to PSC,
    // which confirms at once (the mock; PSC itself may ask), then comes back.
    psc.confirmLogout = true;
    await page.getByTestId('sign-out').click();
    await page.waitForURL((url) => url.pathname === '/federation/psc/deconnexion');
    await page.waitForLoadState('load');
    assert.equal(new URL(page.url()).pathname, '/federation/psc/deconnexion');
    assert.equal(psc.logouts, ended + 1);
    assert.equal(psc.endSessionRequests.at(-1).hintValid, true, 'the ID token PSC issued, as id_token_hint');
    assert.equal(await page.getByTestId('federation-logout').getAttribute('data-ended'), 'true');
    assert.match(await page.locator('main').innerText(), /déconnecté de .* et de Pro Santé Connect/);
    await expectNoAxeViolations(page, 'signed out of portier and of Pro Santé Connect');
    await screenshot(page, 'federation-logout-fr', { docs: true });
    // Signed out of portier.
    await page.goto(`${main}/mon-espace`);
    assert.equal(new URL(page.url()).pathname, '/connexion');
  } finally {
    await context.close();
  }
});
