// /metrics on its own listener (server.metrics_listen): the public listener
// no longer serves it; and the global connection cap (server.max_connections):
// past it, a new connection is closed at once, the others are still served.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { Portier } from '../support/portier.js';
import { rawExchange, statusOf, waitFor } from './helpers.js';

const CAP = 5;
let portier;
let metricsUrl;

before(async () => {
  portier = new Portier({
    toml: ['[server]', 'metrics_listen = "127.0.0.1:0"', `max_connections = ${CAP}`, 'max_connections_per_ip = 100',
      'refused_log_interval = 60'],
  });
  await portier.start();
  const m = portier.output.match(/portier metrics on (http:\/\/[\d.]+:\d+)\/metrics/);
  assert.ok(m, portier.output);
  metricsUrl = m[1];
});

after(async () => {
  await portier?.cleanup();
});

const get = (url, path) => fetch(url + path, { headers: { connection: 'close' } });
const gauge = async () =>
  Number((await (await get(metricsUrl, '/metrics')).text()).match(/^portier_open_connections (\d+)$/m)[1]);

test('the metrics listener serves /metrics and nothing else; the public listener no longer serves it', async () => {
  const m = await get(metricsUrl, '/metrics');
  assert.equal(m.status, 200);
  assert.match(await m.text(), /^# TYPE portier_http_requests_total counter$/m);
  assert.equal((await get(metricsUrl, '/connexion')).status, 404);
  assert.equal((await get(metricsUrl, '/')).status, 404);
  const pub = await get(portier.url, '/metrics');
  assert.equal(pub.status, 404);
  assert.doesNotMatch(await pub.text(), /portier_http_requests_total/);
  assert.equal((await get(portier.url, '/healthz')).status, 200, 'the public listener still serves its pages');
});

// Opens a keep-alive connection and waits for its first answer: the server
// has admitted it and holds it open.
function openKeptAlive(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('error', reject);
    s.on('connect', () => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'));
    s.once('data', (d) => resolve({ socket: s, status: statusOf(d.toString()) }));
  });
}

test(`past server.max_connections (${CAP}) a new connection is closed at once; freeing one lets the next in`, async () => {
  await waitFor(async () => (await gauge()) === 0, { what: 'no public connection open' });
  const held = [];
  for (let i = 0; i < CAP; i++) held.push(await openKeptAlive(portier.port));
  assert.deepEqual(held.map((h) => h.status), Array(CAP).fill(200));
  assert.equal(await gauge(), CAP, 'the metrics listener is not under the public cap');

  const refused = [];
  for (let i = 0; i < 20; i++) refused.push(rawExchange(portier.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
  for (const r of await Promise.all(refused)) assert.equal(r.text, '', 'closed without an answer');

  held.pop().socket.destroy();
  await waitFor(async () => (await gauge()) === CAP - 1, { what: 'a place freed' });
  const next = await rawExchange(portier.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.equal(statusOf(next.text), 200);
  for (const h of held) h.socket.destroy();

  const m = await (await get(metricsUrl, '/metrics')).text();
  assert.equal(Number(m.match(/^portier_refused_connections_total\{reason="total"\} (\d+)$/m)?.[1]), 20);
  // Twenty refusals from one address: one log line in the interval.
  const lines = portier.output.split('\n').filter((l) => /connection from 127\.0\.0\.1 to the public listener refused/.test(l));
  assert.equal(lines.length, 1, lines.join('\n'));
});
