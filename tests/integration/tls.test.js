// portier's own HTTPS: a plain and a TLS listener in one process
// ([[server.listeners]]), TLS 1.2 and 1.3 only, resumption, ALPN, HSTS,
// SIGHUP certificate reload under load, and start-up refusing bad files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import https from 'node:https';
import tls from 'node:tls';
import { join } from 'node:path';

import { Portier } from '../support/portier.js';
import { makeTestPki } from '../support/pki.js';
import { freePort } from '../support/nginx.js';
import { waitFor } from './helpers.js';

let portier;
let dir;
let tlsPort;
let ca;
// The files the listener reads; SIGHUP tests copy other leaves over them.
let certFile;
let keyFile;
const leaves = {};

before(async () => {
  // The test PKI's two server certificates: same names, different keys.
  const pki = await makeTestPki();
  ca = pki.serverCa;
  leaves.first = pki.server;
  leaves.second = pki.server2;
  dir = mkdtempSync(join(tmpdir(), 'portier-tls-'));
  certFile = join(dir, 'live.pem');
  keyFile = join(dir, 'live.key');
  install('first');
  tlsPort = await freePort();
  portier = new Portier({
    toml: [
      '[server]', `public_url = "https://127.0.0.1:${tlsPort}"`, 'shutdown_grace = 1',
      '[[server.listeners]]', 'address = "127.0.0.1:0"',
      '[[server.listeners]]', `address = "127.0.0.1:${tlsPort}"`,
      `tls_certificate = "${certFile}"`, `tls_key = "${keyFile}"`,
    ],
  });
  await portier.start();
  await waitFor(() => /also listening on https:\/\/127\.0\.0\.1:\d+/.test(portier.output), { what: 'the TLS listener' });
});

after(async () => {
  await portier?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// SHA-256 fingerprint as tls.TLSSocket#getPeerCertificate().fingerprint256 gives it.
const fingerprint = (certFile) => new X509Certificate(readFileSync(certFile)).fingerprint256;

function install(name) {
  copyFileSync(leaves[name].cert, certFile);
  copyFileSync(leaves[name].key, keyFile);
  chmodSync(keyFile, 0o600);
}

// One GET over a fresh TLS connection with the options given; resolves with
// what the handshake and the answer were.
function raw(options, path = '/connexion') {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port: tlsPort, ca: [readCa()], ...options }, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    let session;
    socket.on('session', (s) => { session = s; });
    socket.on('data', (d) => { data += d; });
    socket.on('error', reject);
    socket.on('end', () => resolve({
      status: Number(data.slice(9, 12)), head: data.slice(0, data.indexOf('\r\n\r\n')),
      protocol: socket.getProtocol(), alpn: socket.alpnProtocol, cipher: socket.getCipher(),
      reused: socket.isSessionReused(), fingerprint: socket.getPeerCertificate().fingerprint256, session,
    }));
  });
}
let caText;
const readCa = () => (caText ??= readFileSync(ca, 'utf8'));

test('HTTPS with curl: the page, HSTS and the plain listener beside it', () => {
  const r = spawnSync('curl', ['-sS', '-D', '-', '-o', '/dev/null', '--cacert', ca, `https://127.0.0.1:${tlsPort}/connexion`],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^HTTP\/1\.1 200/);
  assert.match(r.stdout, /strict-transport-security: max-age=31536000; includeSubDomains/i);
  const plain = spawnSync('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', `${portier.url}/connexion`], { encoding: 'utf8' });
  assert.equal(plain.stdout, '200');
});

for (const version of ['TLSv1.2', 'TLSv1.3']) {
  test(`${version} forced: handshake, ALPN http/1.1, a modern cipher, and a resumed session`, async () => {
    const first = await raw({ minVersion: version, maxVersion: version, ALPNProtocols: ['h2', 'http/1.1'] });
    assert.equal(first.status, 200);
    assert.equal(first.protocol, version);
    assert.equal(first.alpn, 'http/1.1', 'h2 is not spoken: http/1.1 is chosen');
    if (version === 'TLSv1.2') assert.match(first.cipher.name, /^ECDHE-(ECDSA|RSA)-(AES\d+-GCM-SHA\d+|CHACHA20-POLY1305)$/);
    assert.ok(first.session, 'a session (ticket) to resume');
    const again = await raw({ minVersion: version, maxVersion: version, session: first.session });
    assert.equal(again.status, 200);
    assert.equal(again.reused, true, 'the session was resumed');
  });
}

test('TLS 1.0 and 1.1 are refused by the server', () => {
  for (const flag of ['-tls1', '-tls1_1']) {
    // SECLEVEL=0: the client may offer them; the refusal must be the server's.
    const r = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${tlsPort}`, flag, '-cipher', 'DEFAULT@SECLEVEL=0'],
      { input: '', encoding: 'utf8' });
    assert.notEqual(r.status, 0, `${flag} must fail`);
    const said = r.stdout + r.stderr;
    assert.doesNotMatch(said, /no protocols available/, 'the client did offer the version');
    assert.match(said, /alert protocol version|unsupported protocol|wrong version number/, said);
  }
});

test('SIGHUP: a new certificate for new handshakes while requests run, none failing', async () => {
  const before = fingerprint(leaves.first.cert);
  const after = fingerprint(leaves.second.cert);
  assert.equal((await raw({})).fingerprint, before);
  const keepAlive = new https.Agent({ keepAlive: true, maxSockets: 4, ca: readCa() });
  const get = (agent) => new Promise((resolve) => {
    const req = https.get({ host: '127.0.0.1', port: tlsPort, path: '/connexion', agent, ca: readCa() }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode }));
    });
    req.on('error', (e) => resolve({ error: e.message }));
  });
  const answers = [];
  let running = true;
  // Two workers on kept-alive connections, two opening a connection per request.
  const workers = [keepAlive, keepAlive, false, false].map(async (agent) => {
    while (running) answers.push(await get(agent));
  });
  await waitFor(() => answers.length >= 20, { what: 'requests under way' });
  install('second');
  portier.proc.kill('SIGHUP');
  await waitFor(() => /SIGHUP: certificates of the .* listener .* reloaded/.test(portier.output), { what: 'the reload' });
  const mark = answers.length;
  await waitFor(() => answers.slice(mark).length >= 20, { what: 'requests after the reload' });
  running = false;
  await Promise.all(workers);
  keepAlive.destroy();
  const failed = answers.filter((a) => a.error || a.status !== 200);
  assert.deepEqual(failed, [], 'no request failed across the reload');
  assert.equal((await raw({})).fingerprint, after, 'a new handshake sees the new certificate');
});

test('SIGHUP with a broken certificate keeps the previous one and says why', async () => {
  const current = (await raw({})).fingerprint;
  writeFileSync(certFile, 'not a certificate\n');
  portier.proc.kill('SIGHUP');
  await waitFor(() => /SIGHUP: kept the previous certificates of the .* listener/.test(portier.output), { what: 'the refusal' });
  const r = await raw({});
  assert.equal(r.status, 200);
  assert.equal(r.fingerprint, current);
  install('second');
});

test('start-up refuses a key that is not the certificate\'s, a world-readable key, and a missing client_ca', async () => {
  const broken = (lines) => {
    const p = new Portier({ toml: ['[server]', '[[server.listeners]]', 'address = "127.0.0.1:0"', ...lines] });
    const r = p.cli(['serve']);
    p.cleanup();
    return r;
  };
  const mismatched = broken([`tls_certificate = "${leaves.first.cert}"`, `tls_key = "${leaves.second.key}"`]);
  assert.notEqual(mismatched.status, 0);
  assert.match(mismatched.stderr + mismatched.stdout, /is not the key of tls_certificate/);

  const open = join(dir, 'open.key');
  copyFileSync(leaves.first.key, open);
  chmodSync(open, 0o644);
  const readable = broken([`tls_certificate = "${leaves.first.cert}"`, `tls_key = "${open}"`]);
  assert.notEqual(readable.status, 0);
  assert.match(readable.stderr + readable.stdout, /readable by every user: chmod 600/);

  const noCa = broken([`tls_certificate = "${leaves.first.cert}"`, `tls_key = "${leaves.first.key}"`,
    'client_certificates = "optional"']);
  assert.notEqual(noCa.status, 0);
  assert.match(noCa.stderr + noCa.stdout, /client_certificates = "optional" needs client_ca/);
});
