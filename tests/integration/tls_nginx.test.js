// Debian's nginx terminating TLS for the card host with the shipped block
// (deploy/nginx/portier.conf, "card sign-in"): it asks for a client
// certificate in the handshake, accepts any (optional_no_ca) and forwards it
// escaped in X-Client-Cert; a certificate header a client sends itself is
// never passed on. The upstream here records what nginx sends; that portier
// believes X-Client-Cert from a trusted proxy only is
// tests/unit/http/server_tls_test.cpp, and with portier behind it,
// tests/integration/card_nginx.test.js.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';

import { Nginx, nginxInstalled } from '../support/nginx.js';
import { makeTestPki } from '../support/pki.js';

const skip = nginxInstalled() ? false : 'Debian nginx is not installed';
let nginx;
let upstream;
let pki;
let server;
let card;
const seen = [];

before(async () => {
  if (skip) return;
  pki = await makeTestPki();
  server = pki.server;
  card = { ...pki.cards.valid, cert: pki.cards.valid.pem, ca: pki.caBundle };
  upstream = http.createServer((req, res) => {
    seen.push(req.headers);
    res.end('ok');
  });
  await new Promise((r) => upstream.listen(0, '127.0.0.1', r));
  const port = upstream.address().port;
  nginx = await new Nginx({ upstreams: [port], card: { upstream: port, cert: server.cert, key: server.key, clientCa: card.ca } })
    .start();
});

after(async () => {
  await nginx?.cleanup();
  upstream?.close();
});

function get({ cert, key, headers = {}, minVersion, maxVersion }) {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: '127.0.0.1', port: nginx.card.port, path: '/carte-cps', ca: readFileSync(pki.serverCa),
      cert: cert && readFileSync(cert), key: key && readFileSync(key), headers, minVersion, maxVersion, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, headers: seen.at(-1) }));
    });
    req.on('error', reject);
  });
}

for (const version of ['TLSv1.2', 'TLSv1.3']) {
  test(`${version}: nginx forwards the presented card as escaped PEM, with the client's address`, { skip }, async () => {
    const r = await get({ cert: card.cert, key: card.key, minVersion: version, maxVersion: version });
    assert.equal(r.status, 200);
    const forwarded = decodeURIComponent(r.headers['x-client-cert']);
    assert.equal(forwarded.trim(), readFileSync(card.cert, 'utf8').trim());
    assert.equal(r.headers['x-forwarded-proto'], 'https');
    assert.equal(r.headers['x-forwarded-for'], '127.0.0.1');
  });
}

test('without a card the handshake still succeeds and no certificate header is sent', { skip }, async () => {
  const r = await get({});
  assert.equal(r.status, 200);
  assert.equal(r.headers['x-client-cert'], undefined);
});

test('certificate headers a client sends itself are never passed on', { skip }, async () => {
  const forged = { 'x-client-cert': encodeURIComponent(readFileSync(card.cert, 'utf8')), 'client-cert': ':MIIB:',
    'client-cert-chain': ':MIIB:' };
  const without = await get({ headers: forged });
  assert.equal(without.headers['x-client-cert'], undefined);
  assert.equal(without.headers['client-cert'], undefined);
  assert.equal(without.headers['client-cert-chain'], undefined);
  // With a real card, nginx's value replaces the client's.
  const other = { cert: pki.cards.second.pem, key: pki.cards.second.key };
  const replaced = await get({ cert: other.cert, key: other.key, headers: forged });
  assert.equal(decodeURIComponent(replaced.headers['x-client-cert']).trim(), readFileSync(other.cert, 'utf8').trim());
});
