// The test PKI itself (tests/pki/README.md), before any portier test relies
// on it: the files are there with tight modes, the cards work as TLS client
// certificates for Node (what playwright-core's clientCertificates uses) and
// curl, over TLS 1.2 and 1.3, and openssl judges each card as the README says.
// No portier server here: a Node TLS server stands in for the listener.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { once } from 'node:events';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { makeTestPki, nginxEscapedCert, rfc9440ClientCert, rfc9440ClientCertChain } from '../support/pki.js';

const run = promisify(execFile);
let pki;
let server;
let port;
const seen = []; // { subject, authorized, protocol } per handshake, in order

before(async () => {
  pki = await makeTestPki();
  // Asks for a certificate and never fails the handshake for a missing or
  // refused one, as portier's card listener does.
  server = tls.createServer(
    {
      key: readFileSync(pki.server.key),
      cert: readFileSync(pki.server.cert),
      ca: readFileSync(pki.caBundle),
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    },
    (socket) => {
      const peer = socket.getPeerCertificate();
      seen.push({ subject: peer.subject ?? null, authorized: socket.authorized, protocol: socket.getProtocol() });
      socket.end('ok\n');
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = server.address().port;
});

after(() => server?.close());

function nodeClient(card, maxVersion) {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: readFileSync(pki.serverCa),
      maxVersion,
      ...(card ? { pfx: readFileSync(card.p12), passphrase: pki.p12Password } : {}),
    });
    let data = '';
    socket.on('data', (chunk) => (data += chunk));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

test('every file is there; keys and PKCS#12 files are owner-only', () => {
  for (const file of [pki.caBundle, pki.crl, pki.crlDer, pki.crlStale, pki.rootCrl, pki.serverCa, pki.server.chain]) {
    assert.equal(statSync(file).mode & 0o777, 0o644, file);
  }
  for (const card of Object.values(pki.cards)) {
    for (const file of [card.key, card.p12]) assert.equal(statSync(file).mode & 0o777, 0o600, file);
    assert.equal(statSync(card.pem).mode & 0o777, 0o644, card.pem);
  }
  assert.equal(statSync(pki.server.key).mode & 0o777, 0o600);
});

for (const maxVersion of ['TLSv1.2', 'TLSv1.3']) {
  test(`Node presents a card over ${maxVersion} and the server sees its CPS subject`, async () => {
    assert.equal(await nodeClient(pki.cards.valid, maxVersion), 'ok\n');
    const last = seen.at(-1);
    assert.equal(last.protocol, maxVersion);
    assert.equal(last.authorized, true);
    assert.equal(last.subject.title, 'Médecin');
    // The multi-valued RDN: Node lists its attributes as separate fields.
    assert.equal(last.subject.CN, '899700000013');
    assert.equal(last.subject.SN, 'DUPONT');
    assert.equal(last.subject.GN, 'JEAN');
  });
}

test('without a card, and with a foreign card, the handshake still succeeds', async () => {
  assert.equal(await nodeClient(null, 'TLSv1.3'), 'ok\n');
  assert.equal(seen.at(-1).subject, null);
  assert.equal(await nodeClient(pki.cards.wrongCa, 'TLSv1.2'), 'ok\n');
  assert.equal(seen.at(-1).authorized, false);
});

test('curl presents a card from its PKCS#12 file over TLS 1.2', async () => {
  const { stdout } = await run('curl', [
    '-sS', '--tlsv1.2', '--tls-max', '1.2', '--cacert', pki.serverCa,
    '--cert', `${pki.cards.second.p12}:${pki.p12Password}`, '--cert-type', 'P12',
    '--resolve', `localhost:${port}:127.0.0.1`, '--http0.9', `https://localhost:${port}/`,
  ]);
  assert.equal(stdout, 'ok\n');
  assert.equal(seen.at(-1).subject.SN, 'LEFÈVRE');
  assert.equal(seen.at(-1).protocol, 'TLSv1.2');
});

test('openssl judges every card as tests/pki/README.md says', async () => {
  const verdict = async (card, crl = pki.crl) => {
    const args = ['verify', '-CAfile', pki.caBundle, '-crl_check', '-CRLfile', crl, card.pem];
    try {
      await run('openssl', args);
      return 'ok';
    } catch (e) {
      return /error (\d+)/.exec(e.stdout + e.stderr)?.[1] ?? 'failed';
    }
  };
  for (const name of ['valid', 'second', 'unmapped', 'establishment', 'adeli', 'badCheckDigit']) {
    assert.equal(await verdict(pki.cards[name]), 'ok', name);
  }
  assert.equal(await verdict(pki.cards.expired), '10'); // X509_V_ERR_CERT_HAS_EXPIRED
  assert.equal(await verdict(pki.cards.notYetValid), '9'); // X509_V_ERR_CERT_NOT_YET_VALID
  assert.equal(await verdict(pki.cards.revoked), '23'); // X509_V_ERR_CERT_REVOKED
  assert.equal(await verdict(pki.cards.wrongCa), '20'); // X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
  assert.equal(await verdict(pki.cards.valid, pki.crlStale), '12'); // X509_V_ERR_CRL_HAS_EXPIRED
});

test('proxy header helpers encode the card', () => {
  const der = readFileSync(pki.cards.valid.der);
  assert.equal(rfc9440ClientCert(pki.cards.valid), `:${der.toString('base64')}:`);
  assert.equal(decodeURIComponent(nginxEscapedCert(pki.cards.valid)), readFileSync(pki.cards.valid.pem, 'utf8'));
  assert.doesNotMatch(nginxEscapedCert(pki.cards.valid), /[\s+/=]/);
  const chain = rfc9440ClientCertChain(pki.intermediateCa, pki.rootCa).split(', ');
  assert.equal(chain.length, 2);
  assert.match(chain[0], /^:[A-Za-z0-9+/]+=*:$/);
});
