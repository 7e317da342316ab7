// Hashing cannot starve the site, and /metrics stays small and private:
// with a hashing pool of one thread and one waiting place, a burst of
// sign-ins gets 503 + Retry-After for some while pages still answer 200;
// /metrics needs its bearer token; random methods count as one OTHER series.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier, Client } from '../support/portier.js';
import { hasMessage, rawExchange, statusOf } from './helpers.js';

const PASSWORD = 'Velo-Rouge-Matin-42';
const TOKEN = 'metrics-token-0123456789abcdef0123456789';
let portier;

before(async () => {
  portier = new Portier({
    // Real argon2id cost (the harness default is tiny): a burst must overlap.
    env: { PORTIER_ARGON2_MEMORY_KIB: '19456', PORTIER_ARGON2_ITERATIONS: '2' },
    toml: ['[server]', 'hashing_threads = 1', 'hashing_queue = 1', 'worker_threads = 2', `metrics_token = "${TOKEN}"`],
  });
  portier.addUser({ identifier: 'alice', email: 'alice@example.org', password: PASSWORD });
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
});

const metrics = async (headers = {}) => {
  const r = await fetch(portier.url + '/metrics', { headers: { connection: 'close', ...headers } });
  return { status: r.status, headers: r.headers, text: await r.text() };
};
const authorized = { authorization: `Bearer ${TOKEN}` };

test('/metrics on the public listener needs the bearer token', async () => {
  const none = await metrics();
  assert.equal(none.status, 401);
  assert.match(none.headers.get('www-authenticate'), /^Bearer/);
  assert.doesNotMatch(none.text, /portier_/);
  const wrong = await metrics({ authorization: `Bearer ${TOKEN.slice(0, -1)}x` });
  assert.equal(wrong.status, 401);
  const short = await metrics({ authorization: `Bearer ${TOKEN.slice(0, 8)}` });
  assert.equal(short.status, 401);
  const ok = await metrics(authorized);
  assert.equal(ok.status, 200);
  assert.match(ok.text, /^portier_open_connections \d+$/m);
});

test('requests with random methods count as one OTHER series', async () => {
  const before = await metrics(authorized);
  const requests = [];
  for (let i = 0; i < 400; i++) {
    const method = 'M' + Math.random().toString(36).slice(2, 10).toUpperCase();
    requests.push(`${method} /r${i} HTTP/1.1\r\nHost: x\r\n${i === 399 ? 'Connection: close\r\n' : ''}\r\n`);
  }
  const r = await rawExchange(portier.port, requests.join(''));
  assert.equal(statusOf(r.text), 404);
  const after = await metrics(authorized);
  const other = Number(after.text.match(/^portier_http_requests_total\{method="OTHER",route="unmatched",status="404"\} (\d+)$/m)?.[1]);
  assert.equal(other, 400);
  assert.doesNotMatch(after.text, /method="M[A-Z0-9]/);
  assert.doesNotMatch(after.text, /route="\/r\d/, 'raw paths never become labels');
  assert.ok(after.text.length - before.text.length < 1500, `grew by ${after.text.length - before.text.length} bytes`);
});

test('a burst of sign-ins fills the hashing pool: some get 503 + Retry-After, pages still answer 200', async () => {
  const c = new Client(portier.url);
  const csrf = await c.csrf('/connexion');
  const body = new URLSearchParams({ csrf, identifier: 'alice', password: PASSWORD }).toString();
  const post =
    `POST /connexion HTTP/1.1\r\nHost: x\r\nCookie: ${c.cookieHeader()}\r\nConnection: close\r\n` +
    `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

  const burst = [];
  for (let i = 0; i < 24; i++) burst.push(rawExchange(portier.port, post, { timeout: 30000 }));
  // While the burst is in flight: the sign-in form and the legal notice (pages
  // pool; `/` only redirects a visitor to the sign-in form).
  const pages = [];
  for (let i = 0; i < 5; i++) pages.push(new Client(portier.url).get(i % 2 ? '/mentions-legales' : '/connexion'));
  const pageStatuses = (await Promise.all(pages)).map((p) => p.status);
  const answers = await Promise.all(burst);
  const statuses = answers.map((a) => statusOf(a.text));

  assert.deepEqual(pageStatuses, [200, 200, 200, 200, 200]);
  const busy = answers.filter((a) => statusOf(a.text) === 503);
  assert.ok(busy.length > 0, `no 503 in ${statuses}`);
  assert.ok(statuses.includes(303), `no sign-in went through: ${statuses}`);
  assert.ok(statuses.every((s) => s === 303 || s === 503), `${statuses}`);
  assert.match(busy[0].text, /\r\nRetry-After: \d+\r\n/i);
  assert.ok(hasMessage(busy[0].text, 'error_busy'), 'the 503 page says the service is busy');

  const m = await metrics(authorized);
  assert.equal(Number(m.text.match(/^portier_pool_full_total\{pool="hashing"\} (\d+)$/m)?.[1]), busy.length);
  assert.doesNotMatch(m.text, /portier_pool_full_total\{pool="pages"\}/);
  // Once the burst is over, sign-in works again.
  const again = await new Client(portier.url).signIn('alice', PASSWORD);
  assert.equal(again.status, 303);
});
