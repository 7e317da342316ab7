// Benchmarks sign-in under a password-guessing attack, on loopback:
// attackers try wrong passwords against many identifiers (known and unknown)
// from many addresses (X-Forwarded-For, as behind a proxy), while members
// keep signing in with their right passwords. Prints the attempts per second
// the server absorbs, the members' sign-in rate and their p99 latency.
// Usage: node bench/guessing.mjs [seconds] [attackers] [members]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Portier, Client } from '../tests/support/portier.js';

const SECONDS = Number(process.argv[2] || 15);
const ATTACKERS = Number(process.argv[3] || 16);
const MEMBERS = Number(process.argv[4] || 2);
const PASSWORD = 'correct horse battery staple';
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

const portier = new Portier({ env: { PORTIER_ARGON2_MEMORY_KIB: '19456', PORTIER_ARGON2_ITERATIONS: '2',
  PORTIER_LOG_LEVEL: 'warn', PORTIER_LOCKOUT_CLIENT_FREE_FAILURES: '10' } });
const config = join(portier.dataDir, 'portier.toml');
writeFileSync(config, '[server]\ntrusted_proxies = ["127.0.0.1"]\nworker_queue_limit = 256\n');
portier.config = config;
for (let i = 0; i < 20; i++) portier.addUser({ identifier: `victim${i}`, email: `v${i}@example.org`, password: PASSWORD });
for (let i = 0; i < MEMBERS; i++) portier.addUser({ identifier: `member${i}`, email: `m${i}@example.org`, password: PASSWORD });
await portier.start();

const end = Date.now() + SECONDS * 1000;
const attack = { answered: 0, rejected: 0, suspended: 0, other: 0 };
const legit = { ok: 0, failed: 0, latencies: [] };
let n = 0;
const ip = () => { n++; return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`; };

async function attacker(id) {
  const c = new Client(portier.url);
  const csrf = await c.csrf('/connexion');
  let k = 0;
  while (Date.now() < end) {
    // Half known victims, half names that do not exist; each name is tried a few times.
    const name = (k % 2) ? `victim${(id + k) % 20}` : `ghost-${id}-${Math.floor(k / 8)}`;
    const r = await c.request('POST', '/connexion', { form: { csrf, identifier: name, password: `guess-${id}-${k++}` },
      headers: { 'x-forwarded-for': ip() } });
    attack.answered++;
    if (r.status === 401) attack.rejected++;
    else if (r.status === 429) attack.suspended++;
    else attack.other++;
  }
}

async function member(i) {
  while (Date.now() < end) {
    const c = new Client(portier.url);
    const csrf = await c.csrf('/connexion');
    const t0 = process.hrtime.bigint();
    const r = await c.request('POST', '/connexion', { form: { csrf, identifier: `member${i}`, password: PASSWORD } });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status === 303) { legit.ok++; legit.latencies.push(ms); } else legit.failed++;
  }
}

try {
  await Promise.all([...Array.from({ length: ATTACKERS }, (_, i) => attacker(i)),
    ...Array.from({ length: MEMBERS }, (_, i) => member(i))]);
  console.log(`guessing attack, ${SECONDS} s, ${ATTACKERS} attacker connections (many identifiers, a new address each try), ${MEMBERS} members signing in:`);
  console.log(`  attack attempts absorbed: ${(attack.answered / SECONDS).toFixed(0)}/s (${attack.rejected} refused after a hash, ${attack.suspended} refused as suspended without one, ${attack.other} other)`);
  console.log(`  member sign-ins: ${(legit.ok / SECONDS).toFixed(1)}/s, ${legit.failed} failed; p50 ${quantile(legit.latencies, 0.5).toFixed(0)} ms, p99 ${quantile(legit.latencies, 0.99).toFixed(0)} ms`);
} finally {
  await portier.cleanup();
}
