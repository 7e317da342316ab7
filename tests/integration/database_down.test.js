// The database goes away under a running node (a PostgreSQL restart or
// failover): pages answer 503 with Retry-After and a "try again" link,
// /readyz says the database is down while /healthz stays up, no cookie is
// cleared, and once the database is back the member is still signed in and
// carries on. A private cluster (tests/support/pg_cluster.js), since the
// tier's shared one cannot be stopped under the other suites.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier, Client } from '../support/portier.js';
import { PgCluster, postgresInstalled } from '../support/pg_cluster.js';
import { hasMessage, waitFor } from './helpers.js';

const PASSWORD = 'Chardon-Estuaire-Lampion-58';
// Once per tier: in its PostgreSQL run (make test-integration-postgres).
const skip = !postgresInstalled() ? 'PostgreSQL is not installed (make test-deps installs it)'
  : process.env.PORTIER_TEST_BACKEND !== 'postgres' ? 'runs in the PostgreSQL run of the tier (PORTIER_TEST_BACKEND=postgres)' : false;
let cluster;
let portier;

before(async () => {
  if (skip) return;
  cluster = new PgCluster().init();
  portier = new Portier({ env: { PORTIER_DATABASE_URL: cluster.dsn } });
  portier.addUser({ identifier: 'lea', email: 'lea@example.org', password: PASSWORD, name: 'Léa Martin' });
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
  cluster?.remove();
});

test('a database restart signs nobody out: 503 and "try again" meanwhile, the same session afterwards', { skip }, async () => {
  const member = new Client(portier.url);
  assert.equal((await member.signIn('lea', PASSWORD)).status, 303);
  assert.equal((await member.get('/mon-espace')).status, 200);
  assert.equal((await member.get('/readyz')).status, 200);
  const cookiesBefore = new Map(member.cookies);

  cluster.stop('fast');
  const page = await member.get('/mon-espace');
  assert.equal(page.status, 503);
  assert.equal(page.headers.get('retry-after'), '5');
  assert.equal(page.headers.getSetCookie().length, 0, 'no cookie is cleared or replaced');
  assert.ok(hasMessage(page.text, 'error_503'), 'the page says the service is momentarily unavailable');
  assert.match(page.text, /href="\/mon-espace">Réessayer</);
  const ready = await member.get('/readyz');
  assert.equal(ready.status, 503);
  assert.match(ready.text, /database unavailable/);
  assert.equal((await member.get('/healthz')).status, 200, 'the process itself is alive');

  // A sign-in attempt meanwhile is "try again", never "wrong password".
  const stranger = new Client(portier.url);
  const attempt = await stranger.signIn('lea', PASSWORD);
  assert.equal(attempt.status, 503);
  assert.deepEqual(member.cookies, cookiesBefore);

  cluster.start();
  await waitFor(async () => (await member.get('/readyz')).status === 200, { what: 'ready again' });
  const back = await member.get('/mon-espace');
  assert.equal(back.status, 200, 'still signed in, on the same session');
  assert.match(back.text, /Léa Martin/);
  assert.equal((await stranger.signIn('lea', PASSWORD)).status, 303, 'sign-in works again');
});
