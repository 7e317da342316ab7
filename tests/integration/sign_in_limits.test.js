// Limits that act before any password is hashed: an address in back-off
// after failures gets 429 + Retry-After even with the right password, and
// successful sign-ins are capped per account and per address. Each test
// signs in from its own address (X-Forwarded-For, trusted here).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier, Client } from '../support/portier.js';
import { decodeEntities, message, waitFor } from './helpers.js';

const PASSWORD = 'Velo-Rouge-Matin-42';
let portier;

before(async () => {
  portier = new Portier({
    // Back-off from the first failure, 20 s long: long enough to observe,
    // and the harness's roomy default is replaced.
    env: { PORTIER_LOCKOUT_CLIENT_FREE_FAILURES: '1' },
    toml: [
      '[server]', 'trusted_proxies = ["127.0.0.1"]', 'shutdown_grace = 1', `metrics_token = "${'t'.repeat(40)}"`,
      '[lockout]', 'client_base_delay_ms = 20000', 'client_max_delay_ms = 20000',
      'successes_per_account = 5', 'successes_per_client = 8',
    ],
  });
  for (const id of ['alice', 'bruno', 'chloe', 'david', 'emma', 'farid', 'gael', 'hugo', 'ines', 'jules'])
    portier.addUser({ identifier: id, email: `${id}@example.org`, password: PASSWORD });
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
});

const signIn = async (ip, identifier, password) => {
  const c = new Client(portier.url);
  const headers = { 'x-forwarded-for': ip };
  const page = await c.get('/connexion', { headers });
  const csrf = page.text.match(/name="csrf" value="([^"]+)"/)[1];
  return c.request('POST', '/connexion', { headers, form: { csrf, identifier, password } });
};
const outcomes = async () => {
  const r = await fetch(portier.url + '/metrics', { headers: { authorization: `Bearer ${'t'.repeat(40)}` } });
  const text = await r.text();
  const n = (o) => Number(text.match(new RegExp(`^portier_sign_ins_total\\{outcome="${o}"\\} (\\d+)$`, 'm'))?.[1] ?? 0);
  // Every outcome but "throttled" (and "suspended"/"locked") comes after a hash.
  return { hashed: n('success') + n('failure') + n('disabled'), throttled: n('throttled') };
};

test('an address in back-off gets 429 + Retry-After before any hash, even with the right password', async () => {
  const ip = '203.0.113.10';
  // The first failure starts a 20 s back-off; its own answer is held 20 s, so
  // do not wait for it: the attacker's parallel requests do not either.
  const start = await outcomes();
  signIn(ip, 'alice', 'Pas-le-bon-1234').catch(() => null);
  await waitFor(async () => (await outcomes()).hashed > start.hashed, { what: 'the failure to be counted' });
  await waitFor(async () => (await signIn(ip, 'bruno', PASSWORD)).status === 429, { what: 'the back-off' });
  const before = await outcomes();
  const tries = await Promise.all(Array.from({ length: 10 }, () => signIn(ip, 'alice', PASSWORD)));
  for (const r of tries) {
    assert.equal(r.status, 429);
    const wait = Number(r.headers.get('retry-after'));
    assert.ok(wait >= 1 && wait <= 20, `Retry-After ${wait}`);
    assert.ok(decodeEntities(r.text).includes(message('sign_in_throttled_seconds_other').split('{')[0]));
    assert.equal(r.setCookies.some((c) => c.startsWith('portier_session=')), false);
  }
  const afterTries = await outcomes();
  assert.equal(afterTries.hashed, before.hashed, 'no password was hashed for the refused attempts');
  assert.equal(afterTries.throttled, before.throttled + 10);
  // Another address is not affected.
  assert.equal((await signIn('203.0.113.11', 'alice', PASSWORD)).status, 303);
});

test('successful sign-ins are limited per account, whatever the address', async () => {
  for (let i = 0; i < 5; i++) assert.equal((await signIn(`198.51.100.${i}`, 'chloe', PASSWORD)).status, 303);
  const before = await outcomes();
  const sixth = await signIn('198.51.100.99', 'chloe', PASSWORD);
  assert.equal(sixth.status, 429);
  assert.ok(Number(sixth.headers.get('retry-after')) > 0);
  assert.equal((await outcomes()).hashed, before.hashed, 'refused before the hash');
  assert.equal((await signIn('198.51.100.99', 'david', PASSWORD)).status, 303, 'other accounts are not affected');
});

test('successful sign-ins are limited per address, whatever the account', async () => {
  const ip = '192.0.2.50';
  const ids = ['emma', 'farid', 'gael', 'hugo', 'ines', 'jules', 'emma', 'farid'];
  for (const id of ids) assert.equal((await signIn(ip, id, PASSWORD)).status, 303);
  assert.equal((await signIn(ip, 'gael', PASSWORD)).status, 429);
  assert.equal((await signIn('192.0.2.51', 'gael', PASSWORD)).status, 303, 'another address is not affected');
});
