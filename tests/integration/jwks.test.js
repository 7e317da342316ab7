// GET /.well-known/jwks.json with the OpenID Connect provider on: the key
// ring's public keys, readable by an independent JOSE library (npm jose).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jose from 'jose';
import { Portier, Client } from '../support/portier.js';

let portier;

before(async () => {
  portier = new Portier({ toml: ['[oidc]', 'enabled = true', 'jwks_max_age = 600'] });
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
});

async function fetchJwks() {
  const r = await new Client(portier.url).get('/.well-known/jwks.json');
  assert.equal(r.status, 200, r.text);
  return r;
}

test('the JWKS publishes an active and a next key per algorithm, each importable by jose', async () => {
  const r = await fetchJwks();
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.headers.get('cache-control'), 'public, max-age=600');
  const { keys } = JSON.parse(r.text);
  assert.equal(keys.length, 6);
  const byAlg = {};
  for (const jwk of keys) (byAlg[jwk.alg] ??= []).push(jwk);
  assert.deepEqual(Object.keys(byAlg).sort(), ['ES256', 'EdDSA', 'RS256']);
  for (const jwk of keys) {
    assert.equal(byAlg[jwk.alg].length, 2);
    assert.equal(jwk.use, 'sig');
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) assert.equal(jwk[secret], undefined, secret);
    // The kid is the RFC 7638 thumbprint, as jose computes it.
    assert.equal(jwk.kid, await jose.calculateJwkThumbprint(jwk, 'sha256'));
    const key = await jose.importJWK(jwk, jwk.alg);
    assert.equal(key.type, 'public');
  }
  const rsa = byAlg.RS256[0];
  assert.equal(rsa.kty, 'RSA');
  assert.equal(Buffer.from(rsa.n, 'base64url').length * 8, 3072);
  assert.equal(byAlg.ES256[0].crv, 'P-256');
  assert.equal(byAlg.EdDSA[0].crv, 'Ed25519');
});

test('private keys are stored sealed, and a restart keeps the same keys', async () => {
  const rows = portier.sql("SELECT kid, state, private_box FROM oidc_signing_keys ORDER BY kid").split('\n');
  assert.equal(rows.length, 6);
  for (const row of rows) {
    const [, state, box] = row.split('|');
    assert.ok(state === 'active' || state === 'next', state);
    assert.doesNotMatch(box, /PRIVATE KEY/);
    assert.doesNotMatch(Buffer.from(box, 'base64').toString('latin1'), /PRIVATE KEY/);
  }
  const before = JSON.parse((await fetchJwks()).text).keys.map((k) => k.kid).sort();
  await portier.stop();
  portier.port = undefined;
  portier.output = '';
  await portier.start();
  const afterRestart = JSON.parse((await fetchJwks()).text).keys.map((k) => k.kid).sort();
  assert.deepEqual(afterRestart, before);
});

test('a database restored without its server key does not start', async () => {
  const keyFile = join(portier.dataDir, 'secret.key');
  const original = readFileSync(keyFile, 'utf8');
  await portier.stop();
  writeFileSync(keyFile, 'ab'.repeat(32) + '\n', { mode: 0o600 });
  portier.port = undefined;
  portier.output = '';
  await assert.rejects(portier.start(), /OIDC signing keys: .*does not decrypt under this server key/);
  // The private keys never appear in what it says.
  assert.doesNotMatch(portier.output, /PRIVATE KEY/);
  writeFileSync(keyFile, original, { mode: 0o600 });
  portier.port = undefined;
  portier.output = '';
  await portier.start();
  await fetchJwks();
});
