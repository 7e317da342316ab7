// The harness itself (tests/support/portier.js): the server, its command line
// and portier.sql() all use the backend PORTIER_TEST_BACKEND names, so a run
// "on PostgreSQL" cannot pass on SQLite by mistake; on PostgreSQL each
// Portier has a database of its own, dropped by cleanup().
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Portier, Client, backend } from '../support/portier.js';

const PASSWORD = 'Phare-Lichen-Brume-27';
let portier;

before(async () => {
  portier = new Portier();
  portier.addUser({ identifier: 'alice', email: 'alice@example.org', password: PASSWORD });
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
});

test('the command line, the server and portier.sql() share one database on the backend of the run', async () => {
  assert.equal(portier.backend, backend);
  // Written by `portier user add`, checked by the server, read back here.
  assert.equal((await new Client(portier.url).signIn('alice', PASSWORD)).status, 303);
  assert.equal(portier.sql("SELECT email FROM accounts WHERE identifier = 'alice'"), 'alice@example.org');
  assert.equal(portier.sql("SELECT count(*) FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE a.identifier = 'alice'"), '1');
  assert.equal(existsSync(join(portier.dataDir, 'portier.db')), backend === 'sqlite',
    backend === 'sqlite' ? 'SQLite lives in the data folder' : 'no SQLite file beside a PostgreSQL server');
});

test('rows print as a|b on both backends; times are Unix seconds', () => {
  const now = Portier.now();
  const row = portier.sql(`SELECT identifier, ${now} FROM accounts WHERE identifier = 'alice'`);
  assert.equal(row, `alice|${now}`);
});

test('on PostgreSQL each Portier has a database of its own, gone after cleanup()',
  { skip: backend !== 'postgres' && 'PostgreSQL only' }, async () => {
    const other = new Portier();
    const name = other.database;
    try {
      assert.notEqual(name, portier.database);
      other.addUser({ identifier: 'bruno', email: 'bruno@example.org', password: PASSWORD });
      assert.equal(other.sql('SELECT identifier FROM accounts'), 'bruno');
      assert.equal(portier.sql("SELECT count(*) FROM accounts WHERE identifier = 'bruno'"), '0');
    } finally {
      await other.cleanup();
    }
    assert.equal(portier.sql(`SELECT count(*) FROM pg_database WHERE datname = '${name}'`), '0');
  });
