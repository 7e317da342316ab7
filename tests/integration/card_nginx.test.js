// The card sign-in behind Debian's nginx terminating TLS with the shipped
// card block (deploy/nginx/portier.conf; docs/operations.md): nginx asks for
// the card in the handshake, accepts any and forwards it escaped in
// X-Client-Cert; portier, on a plain listener that trusts nginx's address
// (server.trusted_proxies), judges the card itself against its own CA bundle
// and CRL. A client reaching that listener directly, or sending the header
// to nginx itself, names no card.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { Portier } from '../support/portier.js';
import { Browser } from '../support/browser.js';
import { Nginx, nginxInstalled, freePort } from '../support/nginx.js';
import { makeTestPki, nginxEscapedCert, rfc9440ClientCert } from '../support/pki.js';
import { testids } from './helpers.js';

const skip = nginxInstalled() ? false : 'Debian nginx is not installed';
let pki;
let nginx;
let portier;
let cardUpstream;  // portier's plain card listener, behind nginx
let cardUrl;       // nginx's TLS card host

before(async () => {
  if (skip) return;
  pki = await makeTestPki();
  const [mainPort, upstreamPort, nginxCardPort] = [await freePort(), await freePort(), await freePort()];
  cardUpstream = `http://127.0.0.1:${upstreamPort}`;
  cardUrl = `https://127.0.0.1:${nginxCardPort}`;
  portier = new Portier({
    toml: [
      // nginx reaches portier from 127.0.0.2 (tests/support/nginx.js).
      '[server]', `public_url = "http://127.0.0.1:${mainPort}"`, 'trusted_proxies = ["127.0.0.2"]',
      '[[server.listeners]]', `address = "127.0.0.1:${mainPort}"`,
      '[[server.listeners]]', `address = "127.0.0.1:${upstreamPort}"`,
      'client_certificates = "optional"', `client_ca = "${pki.caBundle}"`, `crl = ["${pki.crl}"]`,
      '[card]', 'enabled = true', `public_url = "${cardUrl}"`,
    ],
  });
  portier.addUser({ identifier: 'jdupont', email: 'jdupont@example.org', password: 'ruisseau-lanterne-hiver-42' });
  await portier.start();
  portier.sql(`UPDATE accounts SET rpps = '${pki.cards.valid.rpps}' WHERE identifier = 'jdupont'`);
  nginx = await new Nginx({ upstreams: [mainPort],
    card: { port: nginxCardPort, upstream: upstreamPort, cert: pki.server.cert, key: pki.server.key, clientCa: pki.caBundle } })
    .start();
});

after(async () => {
  await nginx?.cleanup();
  await portier?.cleanup();
});

// A browser holding `name`'s card (none: no card), over `version`.
function withCard(name, version = 'TLSv1.3') {
  const tls = { ca: readFileSync(pki.serverCa), minVersion: version, maxVersion: version };
  if (name) Object.assign(tls, { cert: readFileSync(pki.cards[name].pem), key: readFileSync(pki.cards[name].key) });
  return new Browser({ tls });
}

for (const version of ['TLSv1.2', 'TLSv1.3']) {
  test(`${version}: a card presented to nginx reaches portier, which recognises its holder`, { skip }, async () => {
    const page = await withCard('valid', version).get(cardUrl + '/carte-cps');
    assert.equal(page.status, 200, page.text.slice(0, 300));
    assert.equal(testids(page.text, 'card-link-start'), 1, 'first use: the holder is offered to link the card');
    assert.match(page.text, /JEAN DUPONT/);
  });
}

test('portier, not nginx, judges the card: a revoked or foreign card forwarded by nginx is refused', { skip }, async () => {
  // nginx refuses cards outside their dates itself (495): the shipped block
  // sends those to portier's card page too.
  for (const [name, reason] of [['revoked', 'revoked'], ['wrongCa', 'unknown_issuer'], ['expired', 'expired'],
    ['notYetValid', 'not_yet_valid']]) {
    const page = await withCard(name).get(cardUrl + '/carte-cps');
    assert.equal(page.status, 403, name);
    assert.match(page.text, new RegExp(`data-reason="${reason}"`), name);
  }
});

test('a certificate header sent by a client is believed neither through nginx nor directly', { skip }, async () => {
  const forged = { 'x-client-cert': nginxEscapedCert(pki.cards.valid), 'client-cert': rfc9440ClientCert(pki.cards.valid) };
  const throughNginx = await withCard(null).get(cardUrl + '/carte-cps', { headers: forged });
  assert.equal(throughNginx.status, 403);
  assert.match(throughNginx.text, /data-reason="no_card"/);
  // Straight to portier's card listener from 127.0.0.1, not a trusted proxy.
  const direct = await new Browser().get(cardUpstream + '/carte-cps', { headers: forged });
  assert.equal(direct.status, 403);
  assert.match(direct.text, /data-reason="no_card"/);
});
