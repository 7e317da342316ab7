// The health-professional card level (urn:portier:acr:cps, docs/oidc.md):
// applications demanding it (a client's minimum_acr, or acr_values), sent to
// sign in with the CPS card and back, refresh and prompt=none below the
// minimum, and the operator's policy (security.strong_sign_in_roles)
// refusing a password sign-in while letting the first card link through.
// Over HTTP with the test PKI's cards, on either backend.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { Portier } from '../support/portier.js';
import { Browser } from '../support/browser.js';
import { Rp } from '../support/rp.js';
import { freePort } from '../support/nginx.js';
import { makeTestPki } from '../support/pki.js';
import { testids, waitFor } from './helpers.js';

const PASSWORD = 'ruisseau-lanterne-hiver-42';
const REDIRECT = 'http://127.0.0.1:9/cb';
const CPS = 'urn:portier:acr:cps';
let pki;
let portier;
let main;
let card;
let strict;   // an application with minimum_acr = cps
let open;     // an application without a minimum
let openId;

before(async () => {
  pki = await makeTestPki();
  const [mainPort, cardPort] = [await freePort(), await freePort()];
  main = `http://127.0.0.1:${mainPort}`;
  card = `https://127.0.0.1:${cardPort}`;
  portier = new Portier({
    toml: [
      '[server]', `public_url = "${main}"`,
      '[[server.listeners]]', `address = "127.0.0.1:${mainPort}"`,
      '[[server.listeners]]', `address = "127.0.0.1:${cardPort}"`,
      `tls_certificate = "${pki.server.cert}"`, `tls_key = "${pki.server.key}"`,
      'client_certificates = "optional"', `client_ca = "${pki.caBundle}"`, `crl = ["${pki.crl}"]`,
      '[security]', 'strong_sign_in_roles = ["support"]',
      '[card]', 'enabled = true', `public_url = "${card}"`,
      '[oidc]', 'enabled = true',
    ],
  });
  portier.addUser({ identifier: 'jdupont', email: 'jdupont@example.org', password: PASSWORD, name: 'Jean Dupont' });
  portier.addUser({ identifier: 'elefevre', email: 'elefevre@example.org', password: PASSWORD, name: 'Élodie Lefèvre', role: 'support' });
  const add = (name, ...more) => {
    const r = portier.cli(['client', 'add', '--name', name, '--redirect-uri', REDIRECT, '--trusted', ...more]);
    assert.equal(r.status, 0, r.stderr);
    return { clientId: r.stdout.match(/^client_id: (\S+)$/m)[1], clientSecret: r.stdout.match(/^client_secret: (\S+)$/m)[1] };
  };
  const s = add('Dossier patient', '--minimum-acr', 'cps');
  const o = add('Agenda');
  openId = o.clientId;
  await portier.start();
  await waitFor(() => /also listening on https/.test(portier.output), { what: 'the card listener' });
  portier.sql(`UPDATE accounts SET rpps = '${pki.cards.valid.rpps}' WHERE identifier = 'jdupont'`);
  portier.sql(`UPDATE accounts SET rpps = '${pki.cards.second.rpps}' WHERE identifier = 'elefevre'`);
  strict = await Rp.discover({ issuer: main, ...s, redirectUri: REDIRECT });
  open = await Rp.discover({ issuer: main, ...o, redirectUri: REDIRECT });
});

after(async () => {
  await portier?.cleanup();
});

function withCard(name) {
  const tls = { ca: readFileSync(pki.serverCa) };
  if (name) Object.assign(tls, { cert: readFileSync(pki.cards[name].pem), key: readFileSync(pki.cards[name].key) });
  return new Browser({ tls });
}
const path = (page) => new URL(page.url).pathname;
const count = (sql) => Number(portier.sql(sql));

async function passwordSignIn(browser, identifier) {
  const page = await browser.get(main + '/connexion');
  return browser.submitForm(page, { identifier, password: PASSWORD }, { action: '/connexion' });
}

// jdupont's card, linked once (a member: the role policy does not hold them).
async function linkValidCard() {
  if (count("SELECT count(*) FROM linked_cards l JOIN accounts a ON a.id = l.account_id WHERE a.identifier = 'jdupont'") > 0) return;
  const browser = withCard('valid');
  let page = await browser.follow(card + '/carte-cps?lier=1');
  page = await browser.submitForm(page, { identifier: 'jdupont', password: PASSWORD }, { action: '/connexion' });
  assert.equal(path(page), '/carte-cps/liaison');
  page = await browser.submitForm(page, { action: 'confirm' }, { action: '/carte-cps/liaison' });
  assert.equal(page.status, 200);
}

test('discovery names the card level above two factors', async () => {
  const d = await (await fetch(main + '/.well-known/openid-configuration')).json();
  assert.deepEqual(d.acr_values_supported, ['urn:portier:acr:pwd', 'urn:portier:acr:mfa', CPS]);
});

test('an application with minimum_acr cps sends the member straight to the card and gets cps', async () => {
  await linkValidCard();
  const shown = portier.cli(['client', 'show', strict.clientId]);
  assert.match(shown.stdout, /^minimum acr: +urn:portier:acr:cps$/m);
  const browser = withCard('valid');
  const stop = strict.atRedirectUri();
  const req = await strict.authorizationRequest({ scope: 'openid' });
  const first = await browser.get(req.url.href);
  // Only the card is configured: no page in between.
  assert.equal(first.status, 303);
  assert.equal(first.location, card + '/carte-cps');
  const done = await browser.follow(req.url.href, { stop });
  assert.ok(done.location && stop(new URL(done.location)), `${done.status} ${done.url} ${done.hops.join(' ')}`);
  const tokens = await strict.callback(done.location, req);
  assert.equal(tokens.claims().acr, CPS);
  assert.deepEqual(tokens.claims().amr, ['hwk', 'pin', 'mfa']);
  assert.ok(count("SELECT count(*) FROM audit_events WHERE event = 'oidc.strong_sign_in_asked'") >= 1);
});

test('a password session is not enough for the minimum, and prompt=none says login_required', async () => {
  const browser = withCard('valid');
  const page = await passwordSignIn(browser, 'jdupont');
  assert.equal(path(page), '/mon-espace');
  const req = await strict.authorizationRequest({ scope: 'openid' });
  const answer = await browser.get(req.url.href);
  assert.equal(answer.status, 303);
  assert.equal(answer.location, card + '/carte-cps');
  const none = await strict.authorizationRequest({ scope: 'openid', prompt: 'none' });
  const refused = await browser.get(none.url.href);
  assert.equal(refused.status, 303);
  const back = new URL(refused.location);
  assert.equal(back.searchParams.get('error'), 'login_required');
  assert.equal(back.searchParams.get('state'), none.state);
  // With the card, the same browser goes through.
  const done = await browser.follow(req.url.href, { stop: strict.atRedirectUri() });
  assert.ok(done.location, `${done.status} ${done.url} ${done.hops.join(' ')}\n${done.text.slice(0, 800)}`);
  const tokens = await strict.callback(done.location, req);
  assert.equal(tokens.claims().acr, CPS);
});

test('acr_values naming the card level are voluntary: asked once, then what was achieved is said', async () => {
  const browser = withCard('valid');
  await passwordSignIn(browser, 'jdupont');
  const stop = open.atRedirectUri();
  // A password session and acr_values=cps: sent to the card.
  const req = await open.authorizationRequest({ scope: 'openid', acr_values: CPS });
  const answer = await browser.get(req.url.href);
  assert.equal(answer.status, 303);
  assert.equal(answer.location, card + '/carte-cps');
  // prompt=none does not insist: the ID token says pwd.
  const none = await open.authorizationRequest({ scope: 'openid', acr_values: CPS, prompt: 'none' });
  const quiet = await browser.follow(none.url.href, { stop });
  const weak = await open.callback(quiet.location, none);
  assert.equal(weak.claims().acr, 'urn:portier:acr:pwd');
  // The card: cps.
  const done = await browser.follow(req.url.href, { stop });
  const tokens = await open.callback(done.location, req);
  assert.equal(tokens.claims().acr, CPS);
});

test('a minimum raised after the sign-in stops the refresh token', async () => {
  const browser = new Browser();
  const { tokens } = await open.signIn(browser, {
    scope: 'openid',
    authenticate: (page, b, stop) => b.submitForm(page, { identifier: 'jdupont', password: PASSWORD }, { action: '/connexion', stop }),
  });
  assert.equal(tokens.claims().acr, 'urn:portier:acr:pwd');
  assert.ok(tokens.refresh_token);
  const refreshed = await open.refresh(tokens.refresh_token);
  const r = portier.cli(['client', 'update', openId, '--minimum-acr', 'cps']);
  assert.equal(r.status, 0, r.stderr);
  try {
    await assert.rejects(open.refresh(refreshed.refresh_token), (e) => e.error === 'invalid_grant');
  } finally {
    assert.equal(portier.cli(['client', 'update', openId, '--minimum-acr', '']).status, 0);
  }
  assert.equal(portier.cli(['client', 'update', openId, '--minimum-acr', 'eidas1']).status, 2);
});

test('the role policy refuses a password sign-in: no session, a page offering the card, an audit event', async () => {
  const browser = new Browser();
  const before = count('SELECT count(*) FROM sessions');
  const page = await passwordSignIn(browser, 'elefevre');
  assert.equal(page.status, 403);
  assert.match(page.text, /data-testid="strong-sign-in" data-reason="role"/);
  assert.equal(testids(page.text, 'strong-way-card'), 1);
  assert.equal(testids(page.text, 'strong-password-way'), 0);
  assert.equal(count('SELECT count(*) FROM sessions'), before);
  assert.equal(count("SELECT count(*) FROM audit_events WHERE event = 'sign_in.strong_required'"), 1);
  const espace = await browser.get(main + '/mon-espace');
  assert.equal(espace.status, 303);
  assert.equal(new URL(espace.location, main).pathname, '/connexion');
});

test('the role policy lets the first card link through, and nothing else', async () => {
  const browser = withCard('second');
  let page = await browser.follow(card + '/carte-cps?lier=1');
  assert.equal(path(page), '/connexion');
  page = await browser.submitForm(page, { identifier: 'elefevre', password: PASSWORD }, { action: '/connexion' });
  assert.equal(path(page), '/carte-cps/liaison');
  assert.equal(count("SELECT count(*) FROM audit_events WHERE event = 'sign_in.link_only'"), 1);
  // The session reaches the link page only.
  const espace = await browser.get(main + '/mon-espace');
  assert.equal(espace.status, 303);
  assert.equal(new URL(espace.location, main).pathname, '/connexion');
  const req = await open.authorizationRequest({ scope: 'openid', prompt: 'none' });
  const none = await browser.get(req.url.href);
  assert.equal(new URL(none.location).searchParams.get('error'), 'login_required');
  // Confirming links the card, ends the password session and offers the card.
  page = await browser.get(main + '/carte-cps/liaison');
  page = await browser.submitForm(page, { action: 'confirm' }, { action: '/carte-cps/liaison' });
  assert.equal(page.status, 200);
  const onward = page.text.match(/href="([^"]+)" class="button" data-testid="card-continue"/)[1].replaceAll('&amp;', '&').replaceAll('&#x3D;', '=').replaceAll('&#61;', '=');
  assert.equal(onward, '/connexion/carte-ou-psc?raison=liee');
  const offer = await browser.get(main + onward);
  assert.match(offer.text, /data-reason="liee"/);
  assert.equal(count(`SELECT count(*) FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE a.identifier = 'elefevre'`), 0);
  // Now the card alone.
  const alone = await withCard('second').follow(card + '/carte-cps');
  assert.equal(path(alone), '/mon-espace', alone.hops.join(' '));
});
