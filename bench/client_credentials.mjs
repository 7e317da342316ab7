// client_credentials grants per second on portier alone, for a quick look at
// the token endpoint's hot path and its group commit: the grant rate, how
// many grants shared one commit (batches and writes, from the audit table
// and portier_db_batched_* metrics), and the same with other
// `server.worker_threads` values. bench/oidc.mjs is the comparison with
// oidc-provider; this one is for finding where the time goes.
//
// Usage: node bench/client_credentials.mjs [seconds] [connections] [worker_threads…]
//        PORTIER_BENCH_BACKEND=postgres (inside scripts/with-postgres.sh) for PostgreSQL
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Portier } from '../tests/support/portier.js';
import { freePort } from '../tests/support/nginx.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.argv[2] || 10);
const CONNECTIONS = Number(process.argv[3] || 8);
// Each further argument: worker_threads, or worker_threads/pool_size.
const WORKERS = process.argv.slice(4).map((a) => a.split('/').map(Number));
if (WORKERS.length === 0) WORKERS.push([0]);
const cores = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
const basic = (id, secret) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

async function measure([workers, pool = 0]) {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const portier = new Portier({
    env: { PORTIER_LOG_LEVEL: 'warn', PORTIER_LISTEN: `127.0.0.1:${port}`, PORTIER_PUBLIC_URL: issuer },
    toml: ['[oidc]', 'enabled = true', '[server]', `worker_threads = ${workers}`, '[storage]', `pool_size = ${pool}`],
  });
  try {
    const r = portier.cli(['client', 'add', '--name', 'bench-cc', '--grant-type', 'client_credentials']);
    const id = r.stdout.match(/^client_id: (\S+)$/m)?.[1];
    const secret = r.stdout.match(/^client_secret: (\S+)$/m)?.[1];
    if (!id || !secret) throw new Error(`portier client add: ${r.stderr || r.stdout}`);
    await portier.start();
    // The signing keys (RSA 3072 among them) may still be made in the first
    // seconds after start, on the same cores: wait until the JWKS has stayed
    // the same for three seconds, so that their making is not measured.
    for (let last = -1, same = 0; same < 3;) {
      const keys = (await (await fetch(`${issuer}/.well-known/jwks.json`)).json()).keys.length;
      same = keys === last ? same + 1 : 0;
      last = keys;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const url = `${issuer}/token`;
    const body = 'grant_type=client_credentials';
    const authorization = basic(id, secret);
    const probe = await fetch(url, { method: 'POST', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body });
    if (probe.status !== 200) throw new Error(`probe: ${probe.status} ${await probe.text()}`);
    const out = execFileSync('wrk', ['-t2', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '-s', join(root, 'bench', 'status.lua'), url],
      { encoding: 'utf8', env: { ...process.env, BENCH_BODY: body, BENCH_AUTHORIZATION: authorization } });
    const [, ok, other] = out.match(/ok=(\d+) other=(\d+)/).map(Number);
    const metrics = await (await fetch(`${issuer}/metrics`)).text().catch(() => '');
    const figure = (name) => Number(metrics.match(new RegExp(`^${name} (\\d+)`, 'm'))?.[1] ?? NaN);
    return { workers: `${workers || 'default'}${pool ? `/${pool}` : ''}`, rate: ok / SECONDS, errors: other, writes: figure('portier_db_batched_writes_total'), batches: figure('portier_db_batched_commits_total') };
  } finally {
    await portier.cleanup();
  }
}

console.log(`client_credentials on portier, ${new Date().toISOString()}, ${cores} cores, ${SECONDS} s, ${CONNECTIONS} connections`);
console.log('worker_threads[/pool_size]  grants/s  errors  writes per commit');
for (const w of WORKERS) {
  const m = await measure(w);
  const per = Number.isFinite(m.writes) && m.batches ? (m.writes / m.batches).toFixed(1) : 'n/a';
  console.log(`${String(m.workers).padEnd(24)}  ${m.rate.toFixed(0).padStart(8)}  ${String(m.errors).padStart(6)}  ${per}`);
}
