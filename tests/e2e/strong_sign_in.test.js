// Journey: an application that requires the health-professional card level
// (minimum_acr urn:portier:acr:cps) in Chromium, in French. The member has
// never used their card: the application sends them to portier, portier to
// the card listener (the only strong way configured), the card is linked
// after one password sign-in, the card then signs in and the member is back
// in the application with acr cps. And a support agent held to the card by
// security.strong_sign_in_roles gets the page offering it instead of a
// session. Axe on every portier page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as client from 'openid-client';
import { Portier } from '../support/portier.js';
import { freePort } from '../support/nginx.js';
import { makeTestPki } from '../support/pki.js';
import { launchBrowser, newContext, member, submitAndWait, expectNoAxeViolations, screenshot } from './support/browser.js';

let browser;
let pki;
let portier;
let main;
let card;
let app;
const agent = { identifier: 'agent.support', email: 'agent@example.org', password: 'ruisseau-lanterne-hiver-42', name: 'Agent Support', role: 'support' };

// A relying party requiring nothing itself: portier's minimum_acr does.
async function startApp() {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const r = portier.cli(['client', 'add', '--name', 'Dossier patient', '--redirect-uri', `${base}/cb`, '--trusted', '--minimum-acr', 'cps']);
  assert.equal(r.status, 0, r.stderr);
  const a = { base, id: r.stdout.match(/^client_id: (\S+)$/m)[1], secret: r.stdout.match(/^client_secret: (\S+)$/m)[1] };
  a.server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, base);
      a.config ??= await client.discovery(new URL(main), a.id, { redirect_uris: [`${base}/cb`] },
        client.ClientSecretBasic(a.secret), { execute: [client.allowInsecureRequests] });
      if (url.pathname === '/login') {
        const verifier = client.randomPKCECodeVerifier();
        a.pending = { verifier, state: client.randomState(), nonce: client.randomNonce() };
        const target = client.buildAuthorizationUrl(a.config, {
          redirect_uri: `${base}/cb`, scope: 'openid profile', state: a.pending.state, nonce: a.pending.nonce,
          code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
        res.writeHead(302, { location: target.href }).end();
      } else if (url.pathname === '/cb') {
        const tokens = await client.authorizationCodeGrant(a.config, url, {
          pkceCodeVerifier: a.pending.verifier, expectedState: a.pending.state, expectedNonce: a.pending.nonce });
        a.claims = tokens.claims();
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(`<!doctype html><html lang="fr"><title>Dossier</title><h1 id="hello">Bonjour (${a.claims.acr})</h1>`);
      } else {
        res.writeHead(404).end();
      }
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e?.stack || e));
    }
  });
  await new Promise((done) => a.server.listen(port, '127.0.0.1', done));
  return a;
}

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
    '[security]', 'strong_sign_in_roles = ["support"]',
    '[card]', 'enabled = true', `public_url = "${card}"`,
    '[oidc]', 'enabled = true',
  ] });
  portier.addUser(member);
  portier.addUser(agent);
  await portier.start();
  portier.sql(`UPDATE accounts SET rpps = '${pki.cards.valid.rpps}' WHERE identifier = '${member.identifier}'`);
  app = await startApp();
});
after(async () => {
  app?.server.close();
  await browser?.close();
  await portier?.cleanup();
});

// The second step's code, from the file outbox (no SMTP configured): an
// application whose minimum is above the password makes the sign-in insist on it.
async function mailedCode() {
  const dir = join(portier.dataDir, 'outbox');
  for (let i = 0; i < 100; i++) {
    let files = [];
    try { files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort(); } catch { /* not yet */ }
    for (const f of files.reverse()) {
      const m = readFileSync(join(dir, f), 'utf8').match(/^ {4}(\d{8})\r?$/m);
      if (m) return m[1];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no code mailed');
}

const cardContext = (name) => newContext(browser, {
  ignoreHTTPSErrors: true,
  clientCertificates: [{ origin: card, pfxPath: pki.cards[name].p12, passphrase: pki.p12Password }],
});

test('an application requiring the card: card listener, first link, card sign-in, back to the application', async () => {
  const context = await cardContext('valid');
  const page = await context.newPage();
  try {
    await page.goto(`${app.base}/login`);
    // Only the card is configured: straight to it, which offers the first link.
    assert.equal(new URL(page.url()).origin, card);
    await page.getByTestId('card-link-start').waitFor();
    await expectNoAxeViolations(page, 'first use of the card, from an application');
    await submitAndWait(page, page.getByTestId('card-link-start'));
    assert.equal(new URL(page.url()).pathname, '/connexion');
    await expectNoAxeViolations(page, 'sign-in page to link the card');
    await page.locator('#identifier').fill(member.identifier);
    await page.locator('#password').fill(member.password);
    await submitAndWait(page, page.getByTestId('sign-in-submit'));
    assert.equal(new URL(page.url()).pathname, '/connexion/code');
    await page.locator('#code').fill(await mailedCode());
    await submitAndWait(page, page.getByTestId('second-step-code-submit'));
    assert.equal(new URL(page.url()).pathname, '/carte-cps/liaison');
    await submitAndWait(page, page.getByTestId('card-link-confirm'));
    await page.getByTestId('card-continue').waitFor();
    await expectNoAxeViolations(page, 'card linked, on the way to the application');
    // The password session is below the application's minimum: the card signs in, then the application.
    await submitAndWait(page, page.getByTestId('card-continue'));
    await page.waitForURL(`${app.base}/cb**`);
    assert.equal(await page.locator('#hello').textContent(), 'Bonjour (urn:portier:acr:cps)');
    assert.deepEqual(app.claims.amr, ['hwk', 'pin', 'mfa']);
  } finally {
    await context.close();
  }
});

test('a role held to the card: the password sign-in ends on the page offering the card', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await page.goto(`${main}/connexion`);
    await page.locator('#identifier').fill(agent.identifier);
    await page.locator('#password').fill(agent.password);
    const response = page.waitForResponse((r) => new URL(r.url()).pathname === '/connexion' && r.request().method() === 'POST');
    await page.getByTestId('sign-in-submit').click();
    assert.equal((await response).status(), 403);
    await page.getByTestId('strong-sign-in').waitFor();
    assert.equal(await page.getByTestId('strong-sign-in').getAttribute('data-reason'), 'role');
    assert.equal(await page.getByTestId('strong-way-card').getAttribute('href'), `${card}/carte-cps`);
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    await expectNoAxeViolations(page, 'strong sign-in required by role');
    await screenshot(page, 'strong-role-fr', { docs: true });
    const cookies = await context.cookies(main);
    assert.equal(cookies.some((c) => c.name === 'portier_session'), false);
    // The page itself, as an application's request would show it with several ways.
    await page.goto(`${main}/connexion/carte-ou-psc?raison=application`);
    await expectNoAxeViolations(page, 'strong sign-in asked by an application');
  } finally {
    await context.close();
  }
});
