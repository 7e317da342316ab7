// Can a sign-in flood starve the pages? 80 connections sign in with a
// correct password as fast as the server answers, while one more client
// GETs pages one after the other. Prints the page GETs' throughput, p50 and
// p99 (alone first, then under the flood), and the sign-in rate with the
// 503s of a full hashing pool. Real argon2id cost (m=19 MiB, t=2).
// Usage: node bench/starvation.mjs [seconds] [sign-in connections]
// PORTIER_BIN=/path/to/portier compares another build (unknown keys are
// ignored by builds older than the hashing pool).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import http from 'node:http';
import { Portier, Client } from '../tests/support/portier.js';

const SECONDS = Number(process.argv[2] || 15);
const SIGNERS = Number(process.argv[3] || 80);
const PASSWORD = 'correct horse battery staple';
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

const portier = new Portier({ env: { PORTIER_ARGON2_MEMORY_KIB: '19456', PORTIER_ARGON2_ITERATIONS: '2',
  PORTIER_LOG_LEVEL: 'warn' } });
const config = join(portier.dataDir, 'portier.toml');
// The success limits would (rightly) stop one account signing in 80 times
// at once: lifted here, the bench measures the pools, not the limits.
writeFileSync(config, '[lockout]\nsuccesses_per_account = 100000000\nsuccesses_per_client = 100000000\n');
portier.config = config;
portier.addUser({ identifier: 'loadtest', email: 'loadtest@example.org', password: PASSWORD });
await portier.start();

// Each sign-in loop keeps its own socket; the page client has one.
const signAgent = new http.Agent({ keepAlive: true, maxSockets: SIGNERS });
const pageAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(agent, method, path, headers = {}, body = null) {
  return new Promise((resolve) => {
    const req = http.request(portier.url + path, { agent, method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve('error'));
    if (body) req.end(body); else req.end();
  });
}

async function pages(until) {
  const latencies = [];
  const statuses = {};
  while (Date.now() < until) {
    const t0 = process.hrtime.bigint();
    const status = await request(pageAgent, 'GET', '/connexion');
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    statuses[status] = (statuses[status] || 0) + 1;
  }
  return { latencies, statuses };
}

async function signer(until, cookie, body, tally) {
  while (Date.now() < until) {
    const status = await request(signAgent, 'POST', '/connexion',
      { cookie, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }, body);
    tally[status] = (tally[status] || 0) + 1;
  }
}

const report = (label, { latencies, statuses }, seconds) =>
  console.log(`  ${label}: ${(latencies.length / seconds).toFixed(0)} GET/s, p50 ${quantile(latencies, 0.5).toFixed(1)} ms, ` +
    `p99 ${quantile(latencies, 0.99).toFixed(1)} ms, statuses ${JSON.stringify(statuses)}`);

try {
  const c = new Client(portier.url);
  const csrf = await c.csrf('/connexion');
  const body = new URLSearchParams({ csrf, identifier: 'loadtest', password: PASSWORD }).toString();
  const alone = await pages(Date.now() + 5000);
  const tally = {};
  const end = Date.now() + SECONDS * 1000;
  const [flooded] = await Promise.all([
    pages(end),
    ...Array.from({ length: SIGNERS }, () => signer(end, c.cookieHeader(), body, tally)),
  ]);
  console.log(`sign-in flood, ${SECONDS} s, ${SIGNERS} connections signing in with the right password, 1 client GETting /connexion:`);
  report('pages alone (5 s)', alone, 5);
  report('pages under the flood', flooded, SECONDS);
  console.log(`  sign-ins: ${((tally[303] || 0) / SECONDS).toFixed(1)}/s succeeded, ${((tally[503] || 0) / SECONDS).toFixed(1)}/s ` +
    `answered 503 (hashing pool full), other ${JSON.stringify(Object.fromEntries(Object.entries(tally).filter(([s]) => s !== '303' && s !== '503')))}`);
} finally {
  signAgent.destroy();
  pageAgent.destroy();
  await portier.cleanup();
}
