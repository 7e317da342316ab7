// Process lifecycle: first administrator setup, restart, and a graceful
// SIGTERM that lets requests in flight finish.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier, Client } from '../support/portier.js';
import { connectionRefused, deadline, parseRaw, rawExchange, sleep, statusOf, waitFor } from './helpers.js';

const PASSWORD = 'Velo-Rouge-Matin-42';
const started = [];

after(async () => {
  for (const p of started) await p.cleanup();
});

function track(p) {
  started.push(p);
  return p;
}

test('first administrator: setup link, form, completion, link spent, no link after restart', async () => {
  const portier = track(new Portier());
  await portier.start();
  const link = await waitFor(() => portier.setupLink(), { what: 'setup link in the output' });
  const path = link.slice(portier.url.length);
  assert.match(path, /^\/installation\?jeton=[\w-]{20,}$/);

  const c = new Client(portier.url);
  const bogus = await c.get('/installation?jeton=not-the-right-one');
  assert.equal(bogus.status, 410);
  assert.match(bogus.headers.get('content-type'), /^text\/html/);

  const form = await c.get(path);
  assert.equal(form.status, 200);
  const token = form.text.match(/name="token" value="([^"]+)"/)?.[1];
  assert.equal(token, path.split('=')[1], 'the form carries the link token');
  assert.match(form.text, /data-testid="setup-submit"/);

  const admin = { identifier: 'admin', email: 'admin@example.org', display_name: 'Camille Admin' };
  const mismatch = await c.submit(path, '/installation', { token, ...admin, password: PASSWORD, confirm_password: PASSWORD + 'x' });
  assert.equal(mismatch.status, 422);
  assert.match(mismatch.text, /data-testid="error-summary"/);
  assert.equal((await c.get(path)).status, 200, 'a refused submission leaves the link usable');

  const done = await c.submit(path, '/installation', { token, ...admin, password: PASSWORD, confirm_password: PASSWORD });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), '/connexion?info=setup_done');

  const spent = await c.get(path);
  assert.equal(spent.status, 410);
  const replay = await c.submit('/connexion', '/installation', { token, ...admin, identifier: 'admin2', password: PASSWORD, confirm_password: PASSWORD });
  assert.equal(replay.status, 410, 'the link creates one administrator only');

  const show = portier.cli(['user', 'show', 'admin']);
  assert.match(show.stdout, /^role:\s+admin$/m);
  assert.notEqual(portier.cli(['user', 'show', 'admin2']).status, 0);

  const signIn = await new Client(portier.url).signIn('admin', PASSWORD);
  assert.equal(signIn.status, 303);
  assert.equal(signIn.headers.get('location'), '/mon-espace');

  // Restart on the same data: an administrator exists, so no link.
  await portier.stop();
  portier.output = '';
  portier.port = undefined;
  await portier.start();
  assert.equal((await fetch(portier.url + '/healthz')).status, 200);
  await sleep(200);
  assert.equal(portier.setupLink(), null);
  assert.doesNotMatch(portier.output, /installation/);
  const again = await new Client(portier.url).signIn('admin', PASSWORD);
  assert.equal(again.status, 303, 'the administrator survives a restart');
});

test('SIGTERM lets in-flight sign-ins finish, refuses new connections, exits 0', async () => {
  // Slow hashing keeps the sign-ins in flight long enough to signal meanwhile.
  const portier = track(new Portier({ env: { PORTIER_ARGON2_MEMORY_KIB: '65536', PORTIER_ARGON2_ITERATIONS: '4' } }));
  portier.addUser({ identifier: 'alice', email: 'alice@example.org', password: PASSWORD });
  await portier.start();

  const c = new Client(portier.url);
  const csrf = await c.csrf('/connexion');
  const post = (password) => {
    const body = new URLSearchParams({ csrf, identifier: 'alice', password }).toString();
    return (
      `POST /connexion HTTP/1.1\r\nHost: x\r\nCookie: ${c.cookieHeader()}\r\n` +
      `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
    );
  };
  const queueDepth = async () => {
    const m = await fetch(portier.url + '/metrics', { headers: { connection: 'close' } }).then((r) => r.text());
    return Number(m.match(/^portier_worker_queue_depth\{pool="hashing"\} (\d+)$/m)[1]);
  };

  const N = 4;
  const inFlight = [];
  for (let i = 0; i < N; i++) inFlight.push(rawExchange(portier.port, post(i % 2 ? PASSWORD : 'Pas-le-bon-1234')));
  // All requests read and queued or hashing: the server knows about each.
  await waitFor(async () => (await queueDepth()) >= N, { ms: 5000, every: 5, what: `queue depth ${N}` });

  portier.proc.kill('SIGTERM');
  await sleep(100);
  assert.equal(await connectionRefused(portier.port), true, 'new connections accepted while stopping');

  const answers = await Promise.all(inFlight);
  for (const [i, a] of answers.entries()) {
    assert.equal(a.error, null, `request ${i}: ${a.error}`);
    const status = statusOf(a.text);
    assert.equal(status, i % 2 ? 303 : 401, `request ${i}: ${a.text.slice(0, 200)}`);
    assert.match(a.text, /\r\nconnection: close\r\n/i, 'the connection is closed after the answer');
    assert.ok(parseRaw(a.bytes).complete, `request ${i}: body shorter than its Content-Length`);
  }

  const exit = await Promise.race([portier.exited, deadline(10000)]);
  assert.ok(exit, 'portier did not exit after SIGTERM');
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.equal(await connectionRefused(portier.port), true);
});

test('SIGTERM closes idle keep-alive connections at once', async () => {
  const portier = track(new Portier());
  await portier.start();
  const net = await import('node:net');
  const socket = net.connect(portier.port, '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  socket.on('data', (d) => { received += d.toString(); });
  socket.on('error', () => {});
  const closed = new Promise((resolve) => socket.on('close', resolve));
  socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  await waitFor(() => received.includes('ok\n'), { what: 'healthz answer' });
  const t0 = Date.now();
  portier.proc.kill('SIGTERM');
  const exit = await Promise.race([portier.exited, deadline(5000)]);
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.ok(Date.now() - t0 < 2000, `exit took ${Date.now() - t0} ms with an idle connection open`);
  await closed;
});
