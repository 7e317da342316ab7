// The federation core end to end against the mock of Pro Santé Connect,
// through the operator's tools: `portier federation check` judges the
// discovery document and keys, `portier federation test-login` runs a real
// code exchange (PKCE, state, nonce, ID token and signed UserInfo checked)
// with this test as the browser. No server: the tools need only the
// configuration.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { binary } from '../support/portier.js';
import { PscMock } from '../support/psc_mock.js';
import { tempConfig } from './helpers.js';

const PUBLIC_URL = 'http://127.0.0.1:9';
const REDIRECT = `${PUBLIC_URL}/federation/psc/retour`;
let psc;
let config;
// The client authenticated by private key (private_key_jwt): its EC P-256
// key, the private half in a file for portier, the public half registered
// at the mock.
const clientKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const clientJwk = clientKey.publicKey.export({ format: 'jwk' });
const thumbprint = createHash('sha256')
  .update(JSON.stringify({ crv: clientJwk.crv, kty: clientJwk.kty, x: clientJwk.x, y: clientJwk.y }))
  .digest('base64url');

before(async () => {
  psc = await new PscMock({
    redirectUri: REDIRECT,
    keyClient: { clientId: 'reseau-cle', jwks: { keys: [{ ...clientJwk, kid: thumbprint, alg: 'ES256', use: 'sig' }] } },
  }).start();
  psc.signInAs(psc.practitioner.id);
  config = tempConfig('');
  const secretFile = join(dirname(config.path), 'psc.secret');
  writeFileSync(secretFile, `${psc.clientSecret}\n`);
  chmodSync(secretFile, 0o600);
  const keyFile = join(dirname(config.path), 'psc-client.key');
  writeFileSync(keyFile, clientKey.privateKey.export({ format: 'pem', type: 'pkcs8' }));
  chmodSync(keyFile, 0o600);
  writeFileSync(config.path, [
    '[server]', `public_url = "${PUBLIC_URL}"`,
    '[storage]', `data_dir = "${dirname(config.path)}"`,
    '[[federation.providers]]', 'id = "psc"', 'preset = "psc-sandbox"',
    `discovery_url = "${psc.discoveryUrl}"`, `client_id = "${psc.clientId}"`, `client_secret_file = "${secretFile}"`,
    '[[federation.providers]]', 'id = "psc-cle"', 'preset = "psc-sandbox"',
    `discovery_url = "${psc.discoveryUrl}"`, 'client_id = "reseau-cle"', `client_private_key_file = "${keyFile}"`,
  ].join('\n'));
});

after(async () => {
  await psc?.stop();
  config?.remove();
});

// Asynchronous: the mock answers from this process, so its event loop must run meanwhile.
function cli(args) {
  return new Promise((resolve) => {
    const child = spawn(binary, ['--config', config.path, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

// The browser: follows redirects from the authorization URL, one cookie jar
// for both PSC host names, until the provider sends it back to portier.
async function browse(url) {
  const jar = new Map();
  for (let hops = 0; hops < 20; hops += 1) {
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = res.headers.get('location');
    assert.ok(location, `a redirect from ${url} (HTTP ${res.status}: ${(await res.text()).slice(0, 200)})`);
    url = new URL(location, url).href;
    if (url.startsWith(REDIRECT)) return url;
  }
  throw new Error('too many redirects');
}

// Runs test-login: reads the authorization URL it prints, browses, pastes the
// return address. Resolves { status, stdout, stderr, authorizationUrl }.
function testLogin({ between = () => {}, provider = 'psc' } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['--config', config.path, 'federation', 'test-login', provider, '--redirect-uri', REDIRECT]);
    let stdout = '';
    let stderr = '';
    let authorizationUrl = null;
    child.stderr.on('data', (c) => { stderr += c; });
    child.stdout.on('data', async (c) => {
      stdout += c;
      const m = stdout.match(/^(http:\/\/\S+\/auth\?\S+)$/m);
      if (m && !authorizationUrl) {
        authorizationUrl = m[1];
        try {
          between();
          child.stdin.end(`${await browse(authorizationUrl)}\n`);
        } catch (err) {
          child.kill();
          reject(err);
        }
      }
    });
    child.on('close', (status) => resolve({ status, stdout, stderr, authorizationUrl }));
  });
}

test('federation check prints the discovery result: PSC authorises on another host than its token endpoint', async () => {
  const r = await cli(['federation', 'check', 'psc']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^issuer: +${psc.issuer.replace(/[.]/g, '\\.')} \\(as expected\\)$`, 'm'));
  assert.match(r.stdout, /^authorization_endpoint: +http:\/\/localhost:\d+\/auth\/realms\/esante-wallet\/auth$/m);
  assert.match(r.stdout, /^token_endpoint: +http:\/\/127\.0\.0\.1:\d+\/auth\/realms\/esante-wallet\/token$/m);
  assert.match(r.stdout, /^client authentication: +client_secret_basic$/m);
  assert.match(r.stdout, /^redirect_uri: +http:\/\/127\.0\.0\.1:9\/federation\/psc\/retour$/m);
  assert.match(r.stdout, /^signing keys: +1 usable$/m);
  assert.match(r.stdout, /^OK$/m);
  assert.doesNotMatch(r.stdout + r.stderr, new RegExp(psc.clientSecret), 'the secret is never printed');
});

test('federation check names an unknown provider and exits 2', async () => {
  const r = await cli(['federation', 'check', 'autre']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no provider "autre" in \[\[federation.providers\]\] \(configured: psc psc-cle\)/);
});

test('test-login completes a PSC sign-in and prints the verified identity from the signed UserInfo', async () => {
  const r = await testLogin();
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const q = new URL(r.authorizationUrl).searchParams;
  assert.equal(new URL(r.authorizationUrl).hostname, 'localhost');
  assert.equal(q.get('scope'), 'openid scope_all');
  assert.equal(q.get('acr_values'), 'eidas1');
  assert.equal(q.get('code_challenge_method'), 'S256');
  assert.match(r.stdout, /^VERIFIED$/m);
  assert.match(r.stdout, new RegExp(`^SubjectNameID: 8${psc.rpps}$`, 'm'));
  assert.match(r.stdout, /^given_name: +Jeanne$/m);
  assert.match(r.stdout, /^family_name: +Dupont$/m);
  assert.match(r.stdout, /^acr: +eidas1$/m);
  assert.match(r.stdout, /"SubjectRefPro":\{"codeCivilite":"MME"/);
});

for (const [mode, reason] of [
  ['wrong-iss', 'issuer'], ['wrong-nonce', 'nonce'], ['bad-signature', 'signature'], ['no-acr', 'acr'],
  ['unknown-kid', 'signature'],
]) {
  test(`test-login refuses a provider that misbehaves: ${mode} -> ${reason}`, async () => {
    psc.misbehave(mode);
    try {
      const r = await testLogin();
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stdout, new RegExp(`^REFUSED: ${reason}: `, 'm'));
      assert.doesNotMatch(r.stdout, /^VERIFIED$/m);
    } finally {
      psc.misbehave(null);
    }
  });
}

test('test-login finds a key rotated in after it cached the old set (one refresh on the unknown kid)', async () => {
  const r = await testLogin({ between: () => psc.rotateKeys() });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^VERIFIED$/m);
});

test('a provider signing in PS256 (RSASSA-PSS) is verified, ID token and UserInfo', async () => {
  psc.signWith('PS256');
  try {
    const r = await testLogin();
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^VERIFIED$/m);
    assert.match(r.stdout, new RegExp(`^SubjectNameID: 8${psc.rpps}$`, 'm'));
  } finally {
    psc.signWith('RS256');
  }
});

test('federation check prints the private-key client\'s public JWK and the post-logout address to register', async () => {
  const r = await cli(['federation', 'check', 'psc-cle']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^client authentication: +private_key_jwt$/m);
  assert.match(r.stdout, /^post_logout_redirect_uri: http:\/\/127\.0\.0\.1:9\/federation\/psc-cle\/deconnexion$/m);
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  const jwk = JSON.parse(line);
  assert.deepEqual({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, { kty: 'EC', crv: 'P-256', x: clientJwk.x, y: clientJwk.y });
  assert.equal(jwk.kid, thumbprint, 'kid is the RFC 7638 thumbprint');
  assert.equal(jwk.alg, 'ES256');
  assert.equal(jwk.d, undefined, 'never the private part');
});

test('test-login with a client authenticated by private key (private_key_jwt, no secret)', async () => {
  const r = await testLogin({ provider: 'psc-cle' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^VERIFIED$/m);
  assert.equal(new URL(r.authorizationUrl).searchParams.get('client_id'), 'reseau-cle');
});
