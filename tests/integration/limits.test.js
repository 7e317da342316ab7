// Request limits and timeouts: oversized bodies and headers, malformed forms,
// slow clients and idle keep-alive connections.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { Portier, Client } from '../support/portier.js';
import { deadline, hasMessage, rawExchange, sleep, statusOf, tempConfig } from './helpers.js';

let portier;
let config;

before(async () => {
  config = tempConfig('[server]\nread_timeout = 2\nidle_timeout = 2\n');
  portier = new Portier({ config: config.path });
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
  config?.remove();
});

test('a body over 64 KiB gets 413 with an HTML page', async () => {
  const c = new Client(portier.url);
  const csrf = await c.csrf('/connexion');
  const r = await c.request('POST', '/connexion', {
    form: { csrf, identifier: 'alice', password: 'x'.repeat(100 * 1024) },
  });
  assert.equal(r.status, 413);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.match(r.text, /<html lang="fr"/);
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  // The error page keeps the browser's CSRF cookie: forms open elsewhere still work.
  assert.deepEqual(r.setCookies, []);
  const retry = await c.request('POST', '/connexion', { form: { csrf, identifier: 'alice', password: 'court' } });
  assert.equal(retry.status, 401, 'the CSRF token from before the 413 is still valid');
});

test('a body just under the limit is read normally', async () => {
  const c = new Client(portier.url);
  const csrf = await c.csrf('/connexion');
  const r = await c.request('POST', '/connexion', {
    form: { csrf, identifier: 'alice', password: 'x'.repeat(60 * 1024) },
  });
  assert.equal(r.status, 401, 'a large but acceptable body is processed (and the sign-in fails)');
});

test('a declared oversized body is refused on a raw connection too', async () => {
  const head =
    `POST /connexion HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
    `Content-Length: ${10 * 1024 * 1024}\r\n\r\n`;
  const r = await rawExchange(portier.port, head + 'a'.repeat(1024));
  assert.equal(statusOf(r.text), 413, r.text.slice(0, 200));
  assert.match(r.text, /\r\nconnection: close\r\n/i);
});

test('huge headers get 431 with an HTML page', async () => {
  const r = await fetch(portier.url + '/connexion', { headers: { 'x-padding': 'p'.repeat(20 * 1024) } });
  assert.equal(r.status, 431);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.match(await r.text(), /<html/);
  assert.deepEqual(r.headers.getSetCookie(), [], 'no cookie minted on a request the server could not read');
});

test('a malformed form is answered 400 with an HTML page, before the CSRF check', async () => {
  for (const body of ['csrf=%zz&x=1', 'csrf=abc&identifier=%ff', 'identifier=a%00b']) {
    const c = new Client(portier.url);
    await c.csrf('/connexion');
    const r = await c.request('POST', '/connexion', {
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(r.status, 400, `body ${body}`);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.ok(hasMessage(r.text, 'error_bad_form'), 'the bad-form message is shown');
  }
});

test('a client trickling its request is cut off after read_timeout', async () => {
  const request = 'GET /healthz HTTP/1.1\r\nHost: x\r\n';
  const socket = net.connect(portier.port, '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  let closedAt = null;
  socket.on('data', (d) => { received += d.toString(); });
  socket.on('error', () => {});
  const closed = new Promise((resolve) => socket.on('close', () => { closedAt = Date.now(); resolve(); }));
  const started = Date.now();
  for (let i = 0; i < request.length && closedAt === null; i++) {
    if (!socket.destroyed) socket.write(request[i]);
    await Promise.race([sleep(500), closed]);
    if (Date.now() - started > 6000) break;
  }
  await Promise.race([closed, deadline(1000)]);
  socket.destroy();
  assert.ok(closedAt !== null, 'the server never closed the trickling connection');
  const elapsed = closedAt - started;
  assert.ok(elapsed >= 1500 && elapsed <= 4000, `closed after ${elapsed} ms (read_timeout = 2 s)`);
  assert.equal(statusOf(received), null, `no response to an incomplete request: ${received.slice(0, 100)}`);
});

test('an idle keep-alive connection is closed after idle_timeout', async () => {
  const socket = net.connect(portier.port, '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  socket.on('data', (d) => { received += d.toString(); });
  socket.on('error', () => {});
  const closed = new Promise((resolve) => socket.on('close', () => resolve(Date.now())));
  socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  const t0 = Date.now();
  while (!received.includes('ok\n') && Date.now() - t0 < 2000) await sleep(10);
  assert.equal(statusOf(received), 200);
  const answered = Date.now();
  const closedAt = await Promise.race([closed, deadline(5000)]);
  socket.destroy();
  assert.ok(closedAt !== null, 'idle keep-alive connection still open after 5 s');
  const idle = closedAt - answered;
  assert.ok(idle >= 1500 && idle <= 4000, `closed after ${idle} ms idle (idle_timeout = 2 s)`);
});

test('a keep-alive connection serves several requests within the idle timeout', async () => {
  const socket = net.connect(portier.port, '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  socket.on('data', (d) => { received += d.toString(); });
  socket.on('error', () => {});
  socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  await sleep(1000);
  socket.write('GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n');
  const t0 = Date.now();
  while (!received.includes('ready\n') && Date.now() - t0 < 2000) await sleep(10);
  socket.destroy();
  assert.equal(received.match(/HTTP\/1\.1 200/g)?.length, 2, received);
});
