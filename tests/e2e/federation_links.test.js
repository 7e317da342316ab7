// Journey: Mon espace's "Identités de connexion" in Chromium, in French,
// against the PSC mock (tests/support/psc_mock.js). Before any link the fold
// says how to link one; after a first use through Pro Santé Connect
// (confirmed with the password) it lists the identity; "Retirer" leads to a
// confirmation page, a wrong password gets the error summary linked to the
// field, the right one removes the link with a confirmation message. Axe on
// every page, the keyboard reaches the fold and its button, no JavaScript
// needed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier } from '../support/portier.js';
import { freePort } from '../support/nginx.js';
import { PscMock } from '../support/psc_mock.js';
import {
  launchBrowser, newContext, member, submitAndWait, expectNoAxeViolations, expectErrorSummaryLinked, screenshot,
  openFold, signIn,
} from './support/browser.js';

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
    toml: ['[[federation.providers]]', 'id = "psc"', 'preset = "psc-sandbox"',
      `discovery_url = "${psc.discoveryUrl}"`, `client_id = "${psc.clientId}"`, `client_secret = "${psc.clientSecret}"`],
  });
  portier.addUser(member);
  await portier.start();
  portier.sql(`UPDATE accounts SET rpps = '${psc.rpps}' WHERE identifier = '${member.identifier}'`);
});
after(async () => {
  await browser?.close();
  await portier?.cleanup();
  await psc?.stop();
});

async function loginAtPsc(page) {
  await page.locator('input[name="account"]').waitFor();
  await page.locator('input[name="account"]').fill(psc.practitioner.id);
  await page.locator('input[name="acr"]').fill('eidas1');
  await submitAndWait(page, page.locator('button'));
}

test('Mon espace lists the linked identity and removes it with the password', async () => {
  const context = await newContext(browser);
  const first = await context.newPage();
  try {
    // No identity yet: the fold says how to link one.
    await signIn(first, main, member.identifier, member.password);
    assert.equal(new URL(first.url()).pathname, '/mon-espace');
    await openFold(first, 'federation');
    await first.getByTestId('federation-how').waitFor();
    assert.match(await first.getByTestId('federation-how').innerText(), /Se connecter avec Pro Santé Connect/);
    await expectNoAxeViolations(first, 'Mon espace without an identity');
  } finally {
    await context.close();
  }

  // First use through the provider in a new browser, confirmed by signing in.
  const linking = await newContext(browser);
  const page = await linking.newPage();
  try {
    await page.goto(`${main}/connexion`);
    await submitAndWait(page, page.getByTestId('federation-entry-psc'));
    await loginAtPsc(page);
    await submitAndWait(page, page.getByTestId('federation-link-start'));
    await page.locator('#identifier').fill(member.identifier);
    await page.locator('#password').fill(member.password);
    await submitAndWait(page, page.getByTestId('sign-in-submit'));
    await submitAndWait(page, page.getByTestId('federation-link-confirm'));
    await submitAndWait(page, page.getByTestId('federation-continue'));
    assert.equal(new URL(page.url()).pathname, '/mon-espace');

    // The fold opens on the confirmation, with the identity listed.
    assert.equal(await page.locator('#federation-fold').evaluate((d) => d.open), true);
    const row = page.getByTestId('federation-row');
    assert.equal(await row.count(), 1);
    assert.match(await row.innerText(), /Pro Santé Connect/);
    assert.match(await row.innerText(), /Jeanne Dupont/);
    await expectNoAxeViolations(page, 'Mon espace with a linked identity');
    await screenshot(page, 'federation-espace-fr', { docs: true });

    // The keyboard reaches the button; it leads to the confirmation page.
    await page.getByTestId('federation-unlink').focus();
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    await page.getByTestId('federation-unlink-confirm').waitFor();
    await expectNoAxeViolations(page, 'removal confirmation');
    await screenshot(page, 'federation-unlink-fr', { docs: true });

    // A wrong password: the error summary, linked to the field.
    await page.locator('#current_password').fill('pas le bon');
    await submitAndWait(page, page.getByTestId('federation-unlink-confirm'));
    assert.deepEqual(await expectErrorSummaryLinked(page), ['#current_password']);
    await expectNoAxeViolations(page, 'removal with a wrong password');
    assert.equal(portier.sql('SELECT count(*) FROM federated_identities'), '1');

    await page.locator('#current_password').fill(member.password);
    await submitAndWait(page, page.getByTestId('federation-unlink-confirm'));
    assert.equal(new URL(page.url()).pathname, '/mon-espace');
    assert.match(await page.getByTestId('notice').innerText(), /L’identité a été retirée de votre compte/);
    assert.equal(await page.getByTestId('federation-row').count(), 0);
    assert.equal(portier.sql('SELECT count(*) FROM federated_identities'), '0');
    await expectNoAxeViolations(page, 'Mon espace after the removal');
  } finally {
    await linking.close();
  }
});
