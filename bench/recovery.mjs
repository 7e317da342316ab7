// Benchmarks the recovery path on loopback, in one run:
//   - the forgot-password answer for a known and an unknown account,
//     interleaved request by request, median and p99 side by side (they must
//     not differ in a way an attacker can measure);
//   - the rate at which the outbox drains to a local SMTP server.
// Prints the figures. Usage: node bench/recovery.mjs [requests] [messages]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Portier, Client } from '../tests/support/portier.js';
import { SmtpSink } from '../tests/support/smtp.js';
import { solve } from '../tests/support/robot.js';

const REQUESTS = Number(process.argv[2] || 300);
const MESSAGES = Number(process.argv[3] || 500);

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const ms = (x) => `${x.toFixed(2)} ms`;

const smtp = await new SmtpSink().start();

// Default argon2 parameters and limits high enough that the benchmark measures
// the answer, not the rate limiter. `floor` is recovery.answer_floor_ms.
async function startPortier(floor) {
  const portier = new Portier({ env: { PORTIER_ARGON2_MEMORY_KIB: '19456', PORTIER_ARGON2_ITERATIONS: '2', PORTIER_LOG_LEVEL: 'warn' } });
  const config = join(portier.dataDir, 'portier.toml');
  writeFileSync(config, ['[mail]', `smtp_url = "${smtp.url}"`, 'smtp_tls = "none"', 'outbox_poll_interval = 1',
    '[security]', 'robot_max_number = 1000',
    '[recovery]', 'per_target_limit = 100000', 'per_client_limit = 100000', `answer_floor_ms = ${floor}`].join('\n') + '\n');
  portier.config = config;
  portier.addUser({ identifier: 'known.member', email: 'known@example.org', password: 'correct horse battery staple' });
  return portier.start();
}

for (const floor of [0, 100]) {
const portier = await startPortier(floor);
try {
  const client = new Client(portier.url);
  const csrf = await client.csrf('/mot-de-passe-oublie');
  // Robot solutions are fetched and solved before timing: the benchmark
  // times the server's answer, not the proof of work.
  const solutions = async (n) => {
    const out = [];
    for (let i = 0; i < n; i++) out.push(solve(await (await fetch(`${portier.url}/robot/defi`)).json()));
    return out;
  };
  const timed = async (target, altcha) => {
    const t0 = process.hrtime.bigint();
    const r = await client.request('POST', '/mot-de-passe-oublie', { form: { csrf, target, altcha } });
    const t1 = process.hrtime.bigint();
    if (r.status !== 303) throw new Error(`unexpected ${r.status}`);
    return Number(t1 - t0) / 1e6;
  };
  // Warm-up, then known and unknown alternate so that both see the same machine.
  for (const a of await solutions(20)) await timed('warm.up', a);
  const known = [];
  const unknown = [];
  const pool = await solutions(2 * REQUESTS);
  for (let i = 0; i < REQUESTS; i++) {
    known.push(await timed('known.member', pool[2 * i]));
    unknown.push(await timed(`unknown.${i}`, pool[2 * i + 1]));
  }
  console.log(`forgot-password answer, answer_floor_ms = ${floor}${floor ? ' (the default)' : ' (the work itself)'}, ${REQUESTS} requests each (sequential, one connection):`);
  console.log(`  known account:   median ${ms(quantile(known, 0.5))}, p99 ${ms(quantile(known, 0.99))}`);
  console.log(`  unknown account: median ${ms(quantile(unknown, 0.5))}, p99 ${ms(quantile(unknown, 0.99))}`);
  console.log(`  median difference: ${ms(quantile(known, 0.5) - quantile(unknown, 0.5))}`);
  await smtp.waitFor(() => smtp.messages.length >= REQUESTS, 60000);

  if (floor !== 0) continue;
  // Outbox drain: queue MESSAGES while the relay is down, bring it back, and
  // time until every one has arrived.
  await smtp.stop();
  smtp.clear();
  const reminders = await solutions(MESSAGES);
  const csrf2 = await client.csrf('/identifiant-oublie');
  for (let i = 0; i < MESSAGES; i++) {
    const r = await client.request('POST', '/identifiant-oublie', { form: { csrf: csrf2, target: `drain${i}@example.org`, altcha: reminders[i] } });
    if (r.status !== 200) throw new Error(`reminder ${r.status}`);
  }
  await new Promise((r) => setTimeout(r, 1500)); // let the worker try once and defer
  await smtp.start();
  const t0 = Date.now();
  const retry = await portier.cliAsync(['mail', 'retry']);
  if (retry.status !== 0) throw new Error(retry.stderr);
  await smtp.waitFor(() => smtp.messages.length >= MESSAGES, 120000);
  const seconds = (Date.now() - t0) / 1000;
  console.log(`outbox drain: ${MESSAGES} messages to a local SMTP server in ${seconds.toFixed(2)} s: ${(MESSAGES / seconds).toFixed(0)} messages/s`);
} finally {
  await portier.cleanup();
}
}
await smtp.stop();
