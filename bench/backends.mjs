// Successful sign-ins per second on each backend, beside the argon2id bound
// of the same run: SQLite (one node), PostgreSQL with one node, and two
// nodes on one PostgreSQL behind Debian's nginx running the shipped
// configuration (deploy/nginx/portier.conf). Also what the database costs
// per sign-in: PostgreSQL's CPU time and its statements (each one round
// trip from portier; pg_stat_statements counts them, BEGIN/COMMIT included).
// PostgreSQL runs durable (fsync on), like SQLite's synchronous=FULL.
// Real argon2id cost (m=19 MiB, t=2). Everything shares this machine's
// cores, so the ratios to the bound are the figures to compare.
// Usage: node bench/backends.mjs [seconds per run] [connections]
// BENCH_VERBOSE=1 also lists PostgreSQL's statements per sign-in.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Portier } from '../tests/support/portier.js';
import { PgCluster } from '../tests/support/pg_cluster.js';
import { Nginx, freePort } from '../tests/support/nginx.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = process.env.BUILD || join(root, 'build');
const SECONDS = Number(process.argv[2] || 10);
const CONNECTIONS = Number(process.argv[3] || 8);
const PASSWORD = 'correct horse battery staple';
const realHashing = { PORTIER_ARGON2_MEMORY_KIB: '19456', PORTIER_ARGON2_ITERATIONS: '2', PORTIER_LOG_LEVEL: 'warn',
  PORTIER_LOCKOUT_CLIENT_FREE_FAILURES: '100000' };
// One account signing in hundreds of times a second is what the success
// limits rightly stop: lifted, so that the bench measures the backends.
const toml = ['[lockout]', 'successes_per_account = 100000000', 'successes_per_client = 100000000'];
// Every run hashes on as many threads as the machine has cores, in total:
// one node gets them all, two nodes half each (their default), so that the
// runs differ by their database and nothing else.
const cores = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
const hashing = (threads) => ['[server]', `hashing_threads = ${Math.max(1, threads)}`];

function hashBound() {
  const json = JSON.parse(execFileSync(join(build, 'bench_hash'),
    ['--benchmark_filter=BM_Argon2idVerify', '--benchmark_format=json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const at = (n) => json.benchmarks.find((b) => b.threads === n).items_per_second;
  return { one: at(1), two: at(2) };
}

function processCpu(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

// One wrk run of successful sign-ins against `base`.
async function signIns(base) {
  const page = await fetch(`${base}/connexion`);
  const token = (await page.text()).match(/name="csrf" value="([^"]+)"/)[1];
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('portier_csrf='));
  const body = new URLSearchParams({ csrf: token, identifier: 'loadtest', password: PASSWORD }).toString();
  const out = execFileSync('wrk', ['-t2', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', '-s', join(root, 'bench', 'signin.lua'),
    `${base}/connexion`], { encoding: 'utf8', env: { ...process.env, BENCH_BODY: body, BENCH_COOKIE: cookie } });
  const rate = Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]);
  const p99 = out.match(/ 99%\s+(\S+)/)[1];
  const [, ok, other] = out.match(/signed_in=(\d+) other=(\d+)/).map(Number);
  return { rate: ok / SECONDS, wrkRate: rate, p99, ok, other };
}

async function node(env, port, extraToml = hashing(cores)) {
  return new Portier({ env: { ...realHashing, ...env, ...(port ? { PORTIER_LISTEN: `127.0.0.1:${port}` } : {}) },
    toml: [...toml, ...extraToml] });
}

const results = [];
const bound = hashBound();
console.log(`portier backends benchmark, ${new Date().toISOString()}, ${cores} cores,`
  + ` ${SECONDS} s per run, ${CONNECTIONS} connections`);
console.log(`argon2id verify: ${bound.one.toFixed(1)}/s on 1 thread, ${bound.two.toFixed(1)}/s on 2 threads (hash bound)`);

function report(name, r, extra = '') {
  const line = `${name}: ${r.rate.toFixed(1)} sign-ins/s (ratio to bound ${(r.rate / bound.two).toFixed(2)}), p99 ${r.p99}, `
    + `${r.other} other answers${extra}`;
  results.push(line);
  console.log(line);
}

// 1. SQLite, one node.
{
  const p = await node({});
  p.addUser({ identifier: 'loadtest', email: 'loadtest@example.org', password: PASSWORD });
  await p.start();
  await signIns(p.url);  // warm-up: pages, statements, the hashing pool
  const cpu0 = processCpu(p.proc.pid);
  const r = await signIns(p.url);
  const cpu = processCpu(p.proc.pid) - cpu0;
  report('SQLite, 1 node', r, `; portier CPU ${(1000 * cpu / r.ok).toFixed(1)} ms per sign-in`);
  await p.cleanup();
}

// 2 and 3. PostgreSQL, one node, then two behind nginx.
const cluster = new PgCluster({ durable: true, settings: ['shared_preload_libraries=pg_stat_statements', 'max_connections=100',
  ...(process.env.BENCH_PG_SETTINGS || '').split(' ').filter(Boolean)] }).init();
try {
  cluster.psql('CREATE EXTENSION pg_stat_statements');
  const statements = () => Number(cluster.psql("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'"));
  const measure = async (name, base, pids) => {
    await signIns(base);
    cluster.psql('SELECT pg_stat_statements_reset()');
    const pg0 = cluster.cpuSeconds();
    const cpu0 = pids.map(processCpu);
    const r = await signIns(base);
    const perSignIn = statements() / r.ok;
    if (process.env.BENCH_VERBOSE)
      console.log(cluster.psql(`SELECT round(calls::numeric / ${r.ok}, 2) || '  ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 150)`
        + " FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY calls DESC LIMIT 25"));
    const pgCpu = (cluster.cpuSeconds() - pg0) / r.ok * 1000;
    const cpu = pids.reduce((sum, pid, i) => sum + processCpu(pid) - cpu0[i], 0) / r.ok * 1000;
    report(name, r, `; portier CPU ${cpu.toFixed(1)} ms, PostgreSQL CPU ${pgCpu.toFixed(1)} ms and`
      + ` ${perSignIn.toFixed(1)} statements (round trips) per sign-in`);
  };
  cluster.psql('CREATE DATABASE one');
  const one = await node({ PORTIER_DATABASE_URL: `${cluster.dsn} dbname=one` });
  one.addUser({ identifier: 'loadtest', email: 'loadtest@example.org', password: PASSWORD });
  await one.start();
  await measure('PostgreSQL, 1 node', one.url, [one.proc.pid]);
  if (process.env.BENCH_REPEAT) await measure('PostgreSQL, 1 node (again)', one.url, [one.proc.pid]);
  await one.cleanup();

  cluster.psql('CREATE DATABASE two');
  const ports = [await freePort(), await freePort()];
  const front = await freePort();
  // Both nodes share the server key (docs/operations.md): the first to
  // start writes it, the other reads it.
  const key = join(cluster.dir, 'secret.key');
  const nodes = [];
  for (const port of ports)
    nodes.push(await node({ PORTIER_DATABASE_URL: `${cluster.dsn} dbname=two`, PORTIER_PUBLIC_URL: `http://127.0.0.1:${front}` },
      port, [...hashing(cores / 2), '[security]', `secret_key_file = "${key}"`]));
  nodes[0].addUser({ identifier: 'loadtest', email: 'loadtest@example.org', password: PASSWORD });
  for (const n of nodes) await n.start();
  const nginx = await new Nginx({ upstreams: ports, port: front }).start();
  await measure('PostgreSQL, 2 nodes behind nginx', nginx.url, nodes.map((n) => n.proc.pid));
  await nginx.cleanup();
  for (const n of nodes) await n.cleanup();
} finally {
  cluster.remove();
}
