// Test harness: starts the real portier binary on an ephemeral port with its
// own data folder, runs its command line, and offers a tiny cookie-keeping
// HTTP client. Shared by tests/integration and tests/e2e.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const binary = process.env.PORTIER_BIN || join(root, 'build', 'portier');

// Small argon2 parameters keep the suites fast; one test checks the defaults.
const fastHashing = { PORTIER_ARGON2_MEMORY_KIB: '1024', PORTIER_ARGON2_ITERATIONS: '1' };
// Every test client is 127.0.0.1: without this, suites that fail sign-ins on
// purpose would meet the per-address robot check. tests/integration/lockout
// sets it low where that check is what it tests.
const roomyClientThrottle = { PORTIER_LOCKOUT_CLIENT_FREE_FAILURES: '100000' };
// Sign-in is one step in suites about other things; the second-step suites
// (tests/integration/second_step, tests/e2e/second_step) set it "required".
const oneStepSignIn = { PORTIER_SECOND_STEP: 'off' };

// The backend of every server started here: PORTIER_TEST_BACKEND=postgres
// gives each Portier a database of its own on the cluster named by
// PORTIER_TEST_PG_DSN (scripts/with-postgres.sh sets it); otherwise SQLite in
// the data folder, as `make run` does.
export const backend = process.env.PORTIER_TEST_BACKEND || 'sqlite';
if (!['sqlite', 'postgres'].includes(backend)) {
  throw new Error(`PORTIER_TEST_BACKEND must be "sqlite" or "postgres", not "${backend}"`);
}
const clusterDsn = process.env.PORTIER_TEST_PG_DSN;
if (backend === 'postgres' && !clusterDsn) {
  throw new Error('PORTIER_TEST_BACKEND=postgres needs PORTIER_TEST_PG_DSN: run under scripts/with-postgres.sh');
}

// psql on `dsn`: -X ignores any ~/.psqlrc, -A -t print bare `a|b` rows like
// sqlite3 does, -q leaves out command tags ("UPDATE 1"). Booleans print as
// t/f (sqlite3: 1/0): select a CASE or a count where a test reads one.
function psql(dsn, statement) {
  return execFileSync('psql', ['-XAtq', '-v', 'ON_ERROR_STOP=1', '-d', dsn, '-c', statement],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export class Portier {
  // `toml`: lines of a portier.toml to write in the data folder and use
  // (instead of `config`, a path).
  constructor({ env = {}, config = null, toml = null } = {}) {
    this.dataDir = mkdtempSync(join(tmpdir(), 'portier-test-'));
    this.env = {
      ...process.env,
      PORTIER_DATA_DIR: this.dataDir,
      PORTIER_LISTEN: '127.0.0.1:0',
      PORTIER_LOG_LEVEL: 'info',
      ...fastHashing,
      ...roomyClientThrottle,
      ...oneStepSignIn,
      ...env,
    };
    if (env.PORTIER_DATABASE_URL) {
      // A suite's own database (nodes.test.js shares one between two nodes,
      // database_down.test.js stops its own cluster): used as given, never
      // created or dropped here, whatever the run's backend.
      this.backend = 'postgres';
      this.databaseUrl = env.PORTIER_DATABASE_URL;
    } else if (backend === 'postgres' && env.PORTIER_DATABASE_URL !== '') {
      // (An empty PORTIER_DATABASE_URL in `env` asks for SQLite whatever the
      // run: db_copy.test.js makes the SQLite installation it copies from.)
      this.backend = 'postgres';
      // Lower-case letters and digits only: no quoting needed anywhere.
      this.database = `portier_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      psql(clusterDsn, `CREATE DATABASE ${this.database}`);
      // libpq keeps the last value of a repeated keyword: this dbname wins
      // over the cluster's `dbname=postgres`.
      this.databaseUrl = `${clusterDsn} dbname=${this.database}`;
      this.env.PORTIER_DATABASE_URL = this.databaseUrl;
    } else {
      // The run is on SQLite even if the shell has a database URL.
      this.backend = 'sqlite';
      delete this.env.PORTIER_DATABASE_URL;
    }
    this.config = config;
    if (toml) {
      this.config = join(this.dataDir, 'portier.toml');
      writeFileSync(this.config, toml.join('\n') + '\n');
    }
    this.output = '';
  }

  // Runs one SQL statement on this server's database (sqlite3 on the data
  // folder's portier.db, or psql) and returns its output trimmed, rows as
  // `a|b` lines on both. Write statements valid on both dialects; for "now",
  // pass `Portier.now()` from here rather than strftime()/extract().
  sql(statement) {
    const out = this.backend === 'postgres'
      ? psql(this.databaseUrl, statement)
      // .timeout: wait for the server's own write (an outbox claim…) to end
      // instead of failing with "database is locked".
      : execFileSync('sqlite3', ['-cmd', '.timeout 5000', join(this.dataDir, 'portier.db'), statement],
        { encoding: 'utf8' });
    return out.trim();
  }

  // The current Unix time in seconds, as the server stores times.
  static now() {
    return Math.floor(Date.now() / 1000);
  }

  args(extra) {
    return this.config ? ['--config', this.config, ...extra] : extra;
  }

  // Runs `portier <args>` to completion; returns { status, stdout, stderr }.
  cli(args, { input } = {}) {
    const r = spawnSync(binary, this.args(args), { env: this.env, input, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  // Like cli(), without blocking the event loop: needed when the test process
  // itself serves what portier talks to (the SMTP sink of tests/support/smtp.js).
  cliAsync(args, { input } = {}) {
    return new Promise((resolve, reject) => {
      const child = spawn(binary, this.args(args), { env: this.env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => { stdout += c; });
      child.stderr.on('data', (c) => { stderr += c; });
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
      child.stdin.end(input);
    });
  }

  addUser({ identifier, email, password, name, role = 'member', phone }) {
    const args = ['user', 'add', '--identifier', identifier, '--email', email, '--role', role];
    if (name) args.push('--name', name);
    if (phone) args.push('--phone', phone);
    if (password) args.push('--password-stdin');
    const r = this.cli(args, { input: password ? password + '\n' : undefined });
    if (r.status !== 0) throw new Error(`user add failed: ${r.stderr}`);
    return r;
  }

  // Starts `portier serve`, resolves once it prints its address.
  async start() {
    this.proc = spawn(binary, this.args(['serve']), { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    const ready = new Promise((resolve, reject) => {
      const onData = (chunk) => {
        this.output += chunk.toString();
        const m = this.output.match(/listening on http:\/\/([\d.]+):(\d+)/);
        if (m && !this.port) {
          this.port = Number(m[2]);
          this.url = `http://127.0.0.1:${this.port}`;
          resolve();
        }
      };
      this.proc.stdout.on('data', onData);
      this.proc.stderr.on('data', (c) => { this.output += c.toString(); });
      this.exited.then(({ code }) => reject(new Error(`portier exited (${code}) before listening:\n${this.output}`)));
      // unref: a pending start-up timer must not keep the test process alive.
      setTimeout(() => reject(new Error(`portier did not start:\n${this.output}`)), 15000).unref();
    });
    await ready;
    return this;
  }

  setupLink() {
    const m = this.output.match(/(http:\/\/\S+\/installation\?jeton=[\w-]+)/);
    return m ? m[1].replace(/^http:\/\/[^/]+/, this.url) : null;
  }

  async stop(signal = 'SIGTERM') {
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill(signal);
      await this.exited;
    }
  }

  async cleanup() {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
    if (this.database) {
      // FORCE: a CLI child a test left behind must not keep the database.
      psql(clusterDsn, `DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`);
      this.database = null;
    }
  }
}

// A minimal browser: keeps cookies, never follows redirects by itself.
export class Client {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
    this.userAgent = 'portier-tests';
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method, path, { form, headers = {}, body } = {}) {
    const h = { 'user-agent': this.userAgent, ...headers };
    if (this.cookies.size) h.cookie = this.cookieHeader();
    if (form) {
      h['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const res = await fetch(this.base + path, { method, headers: h, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0/i.test(a.trim()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, setCookies: res.headers.getSetCookie() };
  }

  get(path, opts) { return this.request('GET', path, opts); }

  // GETs `page` to obtain the CSRF token, then POSTs `form` (plus csrf) to `action`.
  async submit(page, action, form) {
    const csrf = await this.csrf(page);
    return this.request('POST', action, { form: { csrf, ...form } });
  }

  async csrf(page) {
    const r = await this.get(page);
    const m = r.text.match(/name="csrf" value="([^"]+)"/);
    if (!m) throw new Error(`no CSRF token on ${page} (status ${r.status})`);
    return m[1];
  }

  async signIn(identifier, password) {
    return this.submit('/connexion', '/connexion', { identifier, password });
  }
}
