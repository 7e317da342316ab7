// Journey: a health professional signs in with their CPS card in Chromium,
// in French. Chromium presents the test PKI's card (playwright-core's
// clientCertificates) to the card listener. First use from the sign-in
// page's "Carte CPS" entry: the card is offered linking, the member signs in
// once and confirms; Mon espace lists the card; then the card alone signs
// in from the same entry. A revoked card gets its page. Axe on every page,
// a screenshot of each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier } from '../support/portier.js';
import { freePort } from '../support/nginx.js';
import { makeTestPki } from '../support/pki.js';
import {
  launchBrowser, newContext, member, submitAndWait, expectNoAxeViolations, screenshot, openFold,
} from './support/browser.js';

let browser;
let pki;
let portier;
let main;
let card;

before(async () => {
  browser = await launchBrowser();
  pki = await makeTestPki();
  const [mainPort, cardPort] = [await freePort(), await freePort()];
  main = `http://127.0.0.1:${mainPort}`;
  card = `https://127.0.0.1:${cardPort}`;
  portier = new Portier({ toml: [
    '[server]', `public_url = "${main}"`,
    '[[server.listeners]]', `address = "127.0.0.1:${mainPort}"`,
    '[[server.listeners]]', `address = "127.0.0.1:${cardPort}"`,
    `tls_certificate = "${pki.server.cert}"`, `tls_key = "${pki.server.key}"`,
    'client_certificates = "optional"', `client_ca = "${pki.caBundle}"`, `crl = ["${pki.crl}"]`,
    '[card]', 'enabled = true', `public_url = "${card}"`,
  ] });
  portier.addUser(member);
  await portier.start();
  portier.sql(`UPDATE accounts SET rpps = '${pki.cards.valid.rpps}' WHERE identifier = '${member.identifier}'`);
});
after(async () => {
  await browser?.close();
  await portier?.cleanup();
});

// A context whose browser holds `name`'s card for the card listener (the
// test server's CA is not the system's: its certificate errors are ignored).
const cardContext = (name) => newContext(browser, {
  ignoreHTTPSErrors: true,
  clientCertificates: [{ origin: card, pfxPath: pki.cards[name].p12, passphrase: pki.p12Password }],
});

test('first use links the card after one sign-in; then the card alone signs in', async () => {
  const context = await cardContext('valid');
  const page = await context.newPage();
  try {
    await page.goto(`${main}/connexion`);
    await expectNoAxeViolations(page, 'sign-in page with the card entry');
    await submitAndWait(page, page.getByTestId('smart-card-entry'));
    assert.equal(new URL(page.url()).origin, card);
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    await page.getByTestId('card-link-start').waitFor();
    await expectNoAxeViolations(page, 'first use of the card');
    await screenshot(page, 'card-first-use-fr', { docs: true });

    await submitAndWait(page, page.getByTestId('card-link-start'));
    assert.equal(new URL(page.url()).pathname, '/connexion');
    await page.locator('#identifier').fill(member.identifier);
    await page.locator('#password').fill(member.password);
    await submitAndWait(page, page.getByTestId('sign-in-submit'));
    assert.equal(new URL(page.url()).pathname, '/carte-cps/liaison');
    await expectNoAxeViolations(page, 'card link confirmation');
    await screenshot(page, 'card-link-fr', { docs: true });

    await submitAndWait(page, page.getByTestId('card-link-confirm'));
    await page.getByTestId('card-continue').waitFor();
    await expectNoAxeViolations(page, 'card linked');
    await screenshot(page, 'card-linked-fr');
    await submitAndWait(page, page.getByTestId('card-continue'));
    assert.equal(new URL(page.url()).pathname, '/mon-espace');
    await openFold(page, 'cards');
    assert.equal(await page.getByTestId('card-row').count(), 1);
    await expectNoAxeViolations(page, 'Mon espace with a card');
    await screenshot(page, 'card-espace-fr', { docs: true });
  } finally {
    await context.close();
  }

  // Another browser with the card: the entry signs in at once.
  const alone = await cardContext('valid');
  const next = await alone.newPage();
  try {
    await next.goto(`${main}/connexion`);
    await submitAndWait(next, next.getByTestId('smart-card-entry'));
    await next.waitForURL(`${main}/mon-espace`);
  } finally {
    await alone.close();
  }
});

test('a revoked card gets a page saying what to do', async () => {
  const context = await cardContext('revoked');
  const page = await context.newPage();
  try {
    const r = await page.goto(`${card}/carte-cps`);
    assert.equal(r.status(), 403);
    assert.equal(await page.getByTestId('card-status').getAttribute('data-reason'), 'revoked');
    await expectNoAxeViolations(page, 'revoked card');
    await screenshot(page, 'card-revoked-fr', { docs: true });
  } finally {
    await context.close();
  }
});
