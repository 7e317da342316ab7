// The smart-card (CPS) sign-in over real TLS (docs/card.md): a plain main
// listener (cookies, sessions) and a card listener that asks for client
// certificates (client_ca = the test PKI's IGC-Santé-like chain, its CRL),
// reached with Node's https and the test PKI's cards, over TLS 1.2 and 1.3.
// First use linking, sign-in by the card alone, every refusal, a ticket
// spent once, a card linked only to its holder's account, and an OpenID
// Connect authorization request completed by the card.
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
let pki;
let portier;
let main;      // http://127.0.0.1:<port>: server.public_url
let card;      // https://127.0.0.1:<port>: card.public_url
let stale;     // a second card listener whose CRL is past its next update
let rp;

before(async () => {
  pki = await makeTestPki();
  const [mainPort, cardPort, stalePort] = [await freePort(), await freePort(), await freePort()];
  main = `http://127.0.0.1:${mainPort}`;
  card = `https://127.0.0.1:${cardPort}`;
  stale = `https://127.0.0.1:${stalePort}`;
  const cardListener = (port, crl) => [
    '[[server.listeners]]', `address = "127.0.0.1:${port}"`,
    `tls_certificate = "${pki.server.cert}"`, `tls_key = "${pki.server.key}"`,
    'client_certificates = "optional"', `client_ca = "${pki.caBundle}"`, `crl = ["${crl}"]`,
  ];
  portier = new Portier({
    toml: [
      '[server]', `public_url = "${main}"`,
      '[[server.listeners]]', `address = "127.0.0.1:${mainPort}"`,
      ...cardListener(cardPort, pki.crl),
      ...cardListener(stalePort, pki.crlStale),
      '[card]', 'enabled = true', `public_url = "${card}"`,
      '[oidc]', 'enabled = true',
    ],
  });
  portier.addUser({ identifier: 'jdupont', email: 'jdupont@example.org', password: PASSWORD, name: 'Jean Dupont' });
  portier.addUser({ identifier: 'elefevre', email: 'elefevre@example.org', password: PASSWORD, name: 'Élodie Lefèvre' });
  const r = portier.cli(['client', 'add', '--name', 'Agenda', '--redirect-uri', REDIRECT, '--trusted']);
  assert.equal(r.status, 0, r.stderr);
  await portier.start();
  await waitFor(() => (portier.output.match(/also listening on https/g) ?? []).length === 2, { what: 'the card listeners' });
  portier.sql(`UPDATE accounts SET rpps = '${pki.cards.valid.rpps}' WHERE identifier = 'jdupont'`);
  portier.sql(`UPDATE accounts SET rpps = '${pki.cards.second.rpps}' WHERE identifier = 'elefevre'`);
  rp = await Rp.discover({ issuer: main, clientId: r.stdout.match(/^client_id: (\S+)$/m)[1],
    clientSecret: r.stdout.match(/^client_secret: (\S+)$/m)[1], redirectUri: REDIRECT });
});

after(async () => {
  await portier?.cleanup();
});

// A browser holding `name`'s card (none: no card), over TLS 1.2 or 1.3.
function withCard(name, version = 'TLSv1.3') {
  const tls = { ca: readFileSync(pki.serverCa), minVersion: version, maxVersion: version };
  if (name) Object.assign(tls, { cert: readFileSync(pki.cards[name].pem), key: readFileSync(pki.cards[name].key) });
  return new Browser({ tls });
}
const path = (page) => new URL(page.url).pathname;
const count = (sql) => Number(portier.sql(sql));

test('every refused card gets its page, a 4xx and an audit event, over TLS 1.2 and 1.3', async () => {
  const cases = [
    [null, 'no_card'], ['expired', 'expired'], ['notYetValid', 'not_yet_valid'], ['revoked', 'revoked'],
    ['wrongCa', 'unknown_issuer'], ['wrongUsage', 'wrong_usage'], ['noSignature', 'wrong_usage'],
    ['unmapped', 'unmapped'], ['establishment', 'unmapped'], ['adeli', 'unmapped'], ['badCheckDigit', 'unmapped'],
  ];
  for (const version of ['TLSv1.2', 'TLSv1.3']) {
    for (const [name, reason] of cases) {
      const before = count("SELECT count(*) FROM audit_events WHERE event = 'card.refused'");
      const page = await withCard(name, version).get(card + '/carte-cps');
      assert.equal(page.status, 403, `${name} ${version}: ${page.status}`);
      assert.match(page.text, new RegExp(`data-reason="${reason}"`), `${name} ${version}`);
      assert.equal(count("SELECT count(*) FROM audit_events WHERE event = 'card.refused'"), before + 1, `${name}`);
    }
  }
  // Revocation that cannot be checked (the CRL is past its next update): refused.
  const page = await withCard('valid').get(stale + '/carte-cps');
  assert.equal(page.status, 403);
  assert.match(page.text, /data-reason="revocation_unknown"/);
  assert.equal(count('SELECT count(*) FROM sessions'), 0);
});

test('first use: the card is linked after one ordinary sign-in, then the card alone signs in', async () => {
  const browser = withCard('valid', 'TLSv1.2');
  const offer = await browser.get(card + '/carte-cps');
  assert.equal(offer.status, 200);
  assert.equal(testids(offer.text, 'card-link-start'), 1);
  assert.match(offer.text, /Médecin JEAN DUPONT/);
  // Linking: the card is read again, handed over, and the member signs in.
  let page = await browser.follow(card + '/carte-cps?lier=1');
  assert.equal(path(page), '/connexion');
  assert.equal(page.hops[1].startsWith(main + '/carte-cps/suite?ticket='), true, page.hops.join(' '));
  page = await browser.submitForm(page, { identifier: 'jdupont', password: PASSWORD }, { action: '/connexion' });
  assert.equal(path(page), '/carte-cps/liaison');
  assert.match(page.text, /TEST AC IGC-SANTE FORT PERSONNES/);
  page = await browser.submitForm(page, { action: 'confirm' }, { action: '/carte-cps/liaison' });
  assert.equal(page.status, 200);
  assert.equal(testids(page.text, 'card-continue'), 1);
  assert.equal(count("SELECT count(*) FROM linked_cards"), 1);
  assert.equal(count("SELECT count(*) FROM audit_events WHERE event = 'card.linked'"), 1);
  await waitFor(() => count("SELECT count(*) FROM outbox WHERE kind = 'card.linked'") === 1, { what: 'the notice' });

  // Afterwards, a browser with the card and nothing else.
  for (const version of ['TLSv1.2', 'TLSv1.3']) {
    const alone = withCard('valid', version);
    const espace = await alone.follow(card + '/carte-cps');
    assert.equal(path(espace), '/mon-espace', espace.hops.join(' '));
    assert.equal(espace.status, 200);
    assert.equal(testids(espace.text, 'card-row'), 1);
  }
  assert.equal(count("SELECT count(*) FROM sessions WHERE auth_methods = 'card'"), 2);
  assert.notEqual(portier.sql('SELECT last_used_at FROM linked_cards'), '');
});

test('a ticket is spent once and carries nothing but itself', async () => {
  const browser = withCard('valid');
  const handOver = await browser.get(card + '/carte-cps');
  assert.equal(handOver.status, 303);
  const ticketUrl = handOver.location;
  assert.match(ticketUrl, new RegExp(`^${main}/carte-cps/suite\\?ticket=[\\w-]+$`));
  const first = await new Browser().get(ticketUrl);
  assert.equal(first.status, 303);
  const again = await new Browser().get(ticketUrl);
  assert.equal(again.status, 403);
  assert.match(again.text, /data-reason="ticket_invalid"/);
});

test('a card is linked only to its holder’s account', async () => {
  const browser = withCard('second');
  let page = await browser.follow(card + '/carte-cps?lier=1');
  assert.equal(path(page), '/connexion');
  page = await browser.submitForm(page, { identifier: 'jdupont', password: PASSWORD }, { action: '/connexion' });
  assert.equal(path(page), '/carte-cps/liaison');
  page = await browser.submitForm(page, { action: 'confirm' }, { action: '/carte-cps/liaison' });
  assert.equal(page.status, 403);
  assert.match(page.text, /data-reason="wrong_account"/);
  assert.equal(count(`SELECT count(*) FROM linked_cards l JOIN accounts a ON a.id = l.account_id
    WHERE a.identifier = 'jdupont'`), 1);
  assert.equal(count("SELECT count(*) FROM audit_events WHERE event = 'card.refused' AND detail LIKE 'wrong_account%'"), 1);
});

test('an application’s authorization request completes after a card sign-in', async () => {
  const browser = withCard('valid');
  const stop = rp.atRedirectUri();
  const req = await rp.authorizationRequest({ scope: 'openid' });
  const signInPage = await browser.follow(req.url.href, { stop });
  assert.equal(path(signInPage), '/connexion');
  // The member chooses "Carte CPS" on the sign-in page.
  const entry = signInPage.text.match(/<a href="([^"]+)" class="entry" data-testid="smart-card-entry">/)[1];
  assert.equal(entry, card + '/carte-cps');
  const done = await browser.follow(entry, { stop });
  assert.ok(done.location && stop(new URL(done.location)), `${done.status} ${done.url} ${done.hops.join(' ')}`);
  const tokens = await rp.callback(done.location, req);
  assert.deepEqual(tokens.claims().amr, ['hwk', 'pin', 'mfa']);
  assert.equal(tokens.claims().acr, 'urn:portier:acr:cps');
});
