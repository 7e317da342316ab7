// `portier db copy`: a member created and signed in on SQLite moves to
// PostgreSQL with the rest of the data, verified; a second run says it is
// already done; a target holding other data is refused; the DSN's password
// is never printed; then the server on PostgreSQL carries on: the member's
// session survives and a new sign-in works. Needs a PostgreSQL server:
// PORTIER_TEST_PG_DSN (scripts/with-postgres.sh); skipped without it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { Portier, Client, binary } from '../support/portier.js';
import { tempConfig } from './helpers.js';

const PASSWORD = 'Velo-Rouge-Matin-42';
const adminDsn = process.env.PORTIER_TEST_PG_DSN;
const skip = adminDsn ? false : 'PORTIER_TEST_PG_DSN is not set: run under scripts/with-postgres.sh';
const psqlBin = existsSync('/usr/lib/postgresql/15/bin/psql') ? '/usr/lib/postgresql/15/bin/psql' : 'psql';

// psql on `dsn`; returns the unaligned, tuples-only output.
function psql(dsn, sql) {
  const r = spawnSync(psqlBin, ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', dsn, '-c', sql], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
  return r.stdout.trim();
}

// A fresh database on the test server; its connection string.
function freshDatabase(name) {
  psql(adminDsn, `CREATE DATABASE ${name}`);
  return adminDsn.match(/dbname=\S+/) ? adminDsn.replace(/dbname=\S+/, `dbname=${name}`) : `${adminDsn} dbname=${name}`;
}

let sqlite; // the installation on SQLite
let pg; // the same data folder, served from PostgreSQL
let member; // a client signed in on SQLite
let target;
const suffix = `${process.pid}`;

before(async () => {
  if (skip) return;
  target = freshDatabase(`copy_${suffix}`);
  // SQLite whatever the tier's backend: PORTIER_DATABASE_URL empty is unset.
  const onSqlite = { env: { PORTIER_DATABASE_URL: '' } };
  sqlite = new Portier(onSqlite);
  sqlite.addUser({ identifier: 'dupont', email: 'dupont@example.org', password: PASSWORD, name: 'Jeanne Dupont' });
  sqlite.addUser({ identifier: 'leroy', email: 'leroy@example.org', name: 'Paul Leroy' }); // pending, invited
  await sqlite.start();
  member = new Client(sqlite.url);
  const signed = await member.signIn('dupont', PASSWORD);
  assert.equal(signed.status, 303, 'signed in on SQLite');
  assert.equal((await member.get('/mon-espace')).status, 200);
  await sqlite.stop();
});

after(async () => {
  await pg?.cleanup();
  await sqlite?.cleanup();
  if (!skip) for (const name of [`copy_${suffix}`, `other_${suffix}`]) psql(adminDsn, `DROP DATABASE IF EXISTS ${name}`);
});

// `portier db copy …` beside the SQLite installation (no configuration
// file needed); PORTIER_DATABASE_URL unset unless given.
function copy(args, env = {}) {
  const r = spawnSync(binary, ['db', 'copy', ...args], {
    env: { ...sqlite.env, PORTIER_DATABASE_URL: '', ...env },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the SQLite data moves to PostgreSQL, verified table by table', { skip }, () => {
  const db = join(sqlite.dataDir, 'portier.db');
  const r = copy(['--from', `sqlite:${db}`, '--to', `postgres:${target}`]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^accounts\s+2\s+[0-9a-f]{16}\s+ok$/m);
  assert.match(r.stdout, /^sessions\s+1\s+[0-9a-f]{16}\s+ok$/m);
  assert.match(r.stdout, /^outbox\s+1\s+[0-9a-f]{16}\s+ok$/m, 'the invitation');
  assert.match(r.stdout, /not copied: account_search/);
  assert.match(r.stdout, /copied and verified \d+ table\(s\)/);
  assert.doesNotMatch(r.stdout, /MISMATCH/);

  assert.equal(psql(target, "SELECT identifier || ' ' || status FROM accounts ORDER BY id"), 'dupont active\nleroy pending');
  assert.equal(psql(target, 'SELECT count(*) FROM sessions'), '1');
  assert.ok(Number(psql(target, 'SELECT count(*) FROM audit_events')) > 0);
  // The next account gets a fresh id.
  const maxId = Number(psql(target, 'SELECT max(id) FROM accounts'));
  const next = psql(target, "SELECT nextval(pg_get_serial_sequence('accounts', 'id'))");
  assert.equal(Number(next), maxId + 1);
  psql(target, `SELECT setval(pg_get_serial_sequence('accounts', 'id'), ${maxId + 1}, false)`);
});

test('a second run says already copied and changes nothing', { skip }, () => {
  const r = copy(['--from', join(sqlite.dataDir, 'portier.db'), '--to', `postgres:${target}`]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /already copied, nothing to do/);
  assert.equal(psql(target, 'SELECT count(*) FROM accounts'), '2');
});

test('a target holding another installation is refused and left alone', { skip }, async () => {
  const other = freshDatabase(`other_${suffix}`);
  const elsewhere = new Portier({ env: { PORTIER_DATABASE_URL: '' } });
  try {
    elsewhere.addUser({ identifier: 'martin', email: 'martin@example.org', password: PASSWORD });
    const first = copy(['--from', join(elsewhere.dataDir, 'portier.db'), '--to', `postgres:${other}`]);
    assert.equal(first.status, 0, first.stderr);
  } finally {
    await elsewhere.cleanup();
  }
  const r = copy(['--from', `sqlite:${join(sqlite.dataDir, 'portier.db')}`, '--to', `postgres:${other}`]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not empty/);
  assert.equal(r.stdout.includes('copied and verified'), false);
  assert.equal(psql(other, 'SELECT string_agg(identifier, \',\') FROM accounts'), 'martin');
});

test('usage errors exit 2; a missing file exits 1; the password is never printed', { skip }, () => {
  const db = `sqlite:${join(sqlite.dataDir, 'portier.db')}`;
  assert.equal(copy(['--to', `postgres:${target}`]).status, 2);
  assert.equal(copy(['--from', db]).status, 2, 'no --to and no PORTIER_DATABASE_URL');
  assert.equal(copy(['--from', db, '--to', 'mysql://db/portier']).status, 2);
  assert.equal(copy(['--from', db, '--bogus']).status, 2);
  const missing = copy(['--from', 'sqlite:/nonexistent/portier.db', '--to', `postgres:${target}`]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no SQLite file/);

  // Trust authentication ignores the password: the copy runs, and says where.
  const secret = 'Sekr3t-Pa55word';
  const r = copy(['--from', db, '--to', `postgres:${target} password=${secret}`]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /password=\*\*\*/);
  assert.ok(!(r.stdout + r.stderr).includes(secret));
  // From the environment, as the server reads it.
  const env = copy(['--from', db], { PORTIER_DATABASE_URL: `${target} password=${secret}` });
  assert.equal(env.status, 0, env.stderr);
  assert.match(env.stdout, /already copied/);
  assert.ok(!(env.stdout + env.stderr).includes(secret));
  // From the configuration the server will run with.
  const cfg = tempConfig(`[storage]\nbackend = "postgres"\npostgres_url = "${target} password=${secret}"\n`);
  try {
    const configured = copy(['--config', cfg.path, '--from', db]);
    assert.equal(configured.status, 0, configured.stderr);
    assert.match(configured.stdout, /already copied/);
    assert.ok(!(configured.stdout + configured.stderr).includes(secret));
  } finally {
    cfg.remove();
  }
});

test('on PostgreSQL the member is still signed in, and signs in again', { skip }, async () => {
  // The SQLite file is moved away: a server still reading SQLite would find
  // an empty database, and neither the session nor the account.
  renameSync(join(sqlite.dataDir, 'portier.db'), join(sqlite.dataDir, 'portier.db.moved'));
  pg = new Portier({ env: { PORTIER_DATA_DIR: sqlite.dataDir, PORTIER_DATABASE_URL: target } });
  await pg.start();
  member.base = pg.url;
  assert.equal((await member.get('/mon-espace')).status, 200, 'the session came along (same server key)');
  const fresh = new Client(pg.url);
  const r = await fresh.signIn('dupont', PASSWORD);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/mon-espace');
  assert.equal(psql(target, 'SELECT count(*) FROM sessions'), '2');
});
