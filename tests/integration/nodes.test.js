// Two portier nodes on loopback sharing one PostgreSQL database and one
// server key, behind Debian's nginx running the shipped configuration
// (deploy/nginx/portier.conf, round robin): a member's sign-in crosses
// nodes, the lockout holds across them, two outbox workers send each message
// once, and a node killed with SIGKILL loses nothing that was acknowledged.
// nginx's access log says which node served each request.
//
// Needs PORTIER_TEST_PG_DSN (scripts/with-postgres.sh sets it) and nginx
// (scripts/install-deps.sh --test); skipped with the reason otherwise.
//   scripts/with-postgres.sh node --test tests/integration/nodes.test.js
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Portier, Client } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { Nginx, nginxInstalled, freePort } from '../support/nginx.js';
import { waitFor } from './helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DSN = process.env.PORTIER_TEST_PG_DSN;
const skip = !DSN
  ? 'PORTIER_TEST_PG_DSN is not set: run through scripts/with-postgres.sh'
  : !nginxInstalled() ? 'nginx is not installed (scripts/install-deps.sh --test)' : false;

const PASSWORD = 'ruisseau-lanterne-hiver-42';
const database = `portier_nodes_${process.pid}`;
let smtp;
let nginx;
let shared; // the folder of the server key both nodes read
const nodes = [];

function psql(dsn, sql) {
  const r = spawnSync('psql', [dsn, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  return r.stdout;
}
// The test cluster's DSN (key=value form) naming this file's own database.
const databaseDsn = () => `${DSN.replace(/\bdbname=\S+/, '').trim()} dbname=${database}`;

before(async () => {
  if (skip) return;
  psql(DSN, `CREATE DATABASE ${database}`);
  smtp = await new SmtpSink().start();
  shared = mkdtempSync(join(tmpdir(), 'portier-nodes-'));
  // The server key every node must share (docs/operations.md): made once,
  // here, as an operator would, and copied to (here: read by) each node.
  const keyFile = join(shared, 'secret.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
  const port = await freePort();
  for (let i = 0; i < 2; i++) {
    nodes.push(new Portier({
      env: { PORTIER_DATABASE_URL: databaseDsn(), PORTIER_SECOND_STEP: 'required' },
      toml: [
        '[server]', `public_url = "http://127.0.0.1:${port}"`, 'trusted_proxies = ["127.0.0.2"]',
        'max_connections_per_ip = 1024', 'hashing_queue = 64',
        '[security]', `secret_key_file = "${keyFile}"`,
        // Support staff sign in with a password alone here: the SIGKILL test
        // below is about sign-ins, not about mail a dead node had claimed.
        '[second_step]', 'policy_support = "off"',
        ...smtp.mailConfig(),
      ],
    }));
  }
  // Both nodes start together on the empty database: each runs the
  // migrations, one after the other under the schema lock.
  await Promise.all(nodes.map((n) => n.start()));
  const [a] = nodes;
  a.addUser({ identifier: 'anna', email: 'anna@example.org', password: PASSWORD });
  a.addUser({ identifier: 'hugo', email: 'hugo@example.org', password: PASSWORD });
  for (const id of ['claire', ...Array.from({ length: 16 }, (_, i) => `agent${i}`)])
    a.addUser({ identifier: id, email: `${id}@example.org`, password: PASSWORD, role: 'support' });
  nginx = await new Nginx({ upstreams: nodes.map((n) => n.port), port }).start();
});

after(async () => {
  // PORTIER_TEST_SHOW_LOGS=1: both nodes' logs, to see why a request failed.
  if (process.env.PORTIER_TEST_SHOW_LOGS)
    nodes.forEach((n, i) => console.log(`--- node ${i} (port ${n.port}) ---\n${n.output}`));
  await nginx?.cleanup();
  for (const n of nodes) await n.cleanup();
  await smtp?.stop();
  if (shared) rmSync(shared, { recursive: true, force: true });
  if (!skip) psql(DSN, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
});

const csrfOf = (html) => html.match(/name="csrf" value="([^"]+)"/)[1];
const nodeOf = (entry) => nodes.findIndex((n) => n.port === entry.upstreams.at(-1));

test('two nodes starting together on an empty database apply each migration once', { skip }, () => {
  const shipped = readdirSync(join(root, 'src', 'storage', 'migrations', 'postgres')).filter((f) => f.endsWith('.sql'));
  const recorded = psql(databaseDsn(), 'SELECT name FROM schema_migrations ORDER BY name').trim().split('\n');
  assert.equal(recorded.length, shipped.length, recorded.join());
  assert.equal(new Set(recorded).size, recorded.length);
  for (const n of nodes) assert.doesNotMatch(n.output, / error /, 'no node logged an error at start');
});

test('a sign-in starts on one node and goes on on the other: second step, Mon espace, sign-out', { skip }, async () => {
  const mark = nginx.served().length;
  const c = new Client(nginx.url);
  const r = await c.signIn('anna', PASSWORD);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/connexion/code');
  const page = await c.get('/connexion/code');
  assert.equal(page.status, 200, 'the flow started on one node is found by the other');
  const mail = await smtp.waitFor((m) => m.to === 'anna@example.org');
  const code = mail.parsed.text.match(/\b(\d{8})\b/)[1];
  const ok = await c.request('POST', '/connexion/code', { form: { csrf: csrfOf(page.text), method: 'email', code } });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), '/mon-espace');
  const espace = await c.get('/mon-espace');
  assert.equal(espace.status, 200, 'the session made on one node opens Mon espace on the other');
  assert.match(espace.text, /anna@example\.org/);
  const out = await c.request('POST', '/deconnexion', { form: { csrf: csrfOf(espace.text) } });
  assert.equal(out.status, 303);
  const after = await c.get('/mon-espace');
  assert.equal(after.status, 303, 'signed out everywhere');
  assert.match(after.headers.get('location'), /^\/connexion/);

  // Which node served each step: every state written by one request was
  // read by the next request on the other node.
  const steps = nginx.served().slice(mark);
  const step = (method, uri, from = 0) => steps.findIndex((s, i) => i >= from && s.method === method && s.uri === uri);
  const crossings = [
    [step('POST', '/connexion'), 'the password step and the code page'],
    [step('POST', '/connexion/code'), 'the code and Mon espace'],
    [step('POST', '/deconnexion'), 'the sign-out and the next page'],
  ];
  for (const [i, what] of crossings) {
    assert.ok(i >= 0 && i + 1 < steps.length, `${what}: ${steps.map((s) => s.line).join('\n')}`);
    assert.notEqual(nodeOf(steps[i]), nodeOf(steps[i + 1]), `${what} on different nodes`);
  }
  assert.deepEqual(new Set(steps.map(nodeOf)), new Set([0, 1]));
});

test('nginx passes its own view of the client address, and stops bodies above portier\'s limit', { skip }, async () => {
  const c = new Client(nginx.url);
  // A client naming another address itself is not believed: portier takes
  // the last X-Forwarded-For entry, the one nginx appends.
  const headers = { 'x-forwarded-for': '203.0.113.9' };
  const csrf = await c.csrf('/connexion');
  const r = await c.request('POST', '/connexion', { headers, form: { csrf, identifier: 'claire', password: PASSWORD } });
  assert.equal(r.status, 303);
  const espace = await c.get('/mon-espace', { headers });
  assert.equal(espace.status, 200);
  assert.match(espace.text, /<td data-label="[^"]*">127\.0\.0\.1<\/td>/, 'the session shows the address nginx saw');
  assert.doesNotMatch(espace.text, /203\.0\.113\.9/);

  const big = await c.request('POST', '/connexion', { body: 'x'.repeat(65 * 1024),
    headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(big.status, 413);
  // nginx logs a request when it is finalised, which for an early 413 is
  // after it has discarded the rest of the body: the client may read the
  // answer before the line is written.
  const refused = () => nginx.served().filter((s) => s.method === 'POST' && s.status === 413);
  await waitFor(() => refused().length >= 1, { ms: 5000, what: 'the 413 in the access log' });
  assert.equal(refused().at(-1).upstreams.length, 0, 'refused by nginx, never passed on');
});

test('parallel wrong passwords split across both nodes still stop at the threshold', { skip }, async () => {
  const mark = nginx.served().length;
  const clients = Array.from({ length: 30 }, () => new Client(nginx.url));
  const tokens = await Promise.all(clients.map((c) => c.csrf('/connexion')));
  const answers = await Promise.all(clients.map((c, i) =>
    c.request('POST', '/connexion', { form: { csrf: tokens[i], identifier: 'hugo', password: `parallele-${i}-faux` } })));
  const statuses = answers.map((r) => r.status);
  // lockout.threshold = 5: four "wrong password" answers, and the fifth
  // failure suspends (429), as on one node (tests/integration/lockout).
  assert.equal(statuses.filter((s) => s === 401).length, 4, statuses.join());
  assert.equal(statuses.filter((s) => s === 429).length, 26, statuses.join());
  const posts = nginx.served().slice(mark).filter((s) => s.method === 'POST' && s.uri === '/connexion');
  assert.equal(posts.length, 30);
  const perNode = [0, 1].map((n) => posts.filter((s) => nodeOf(s) === n).length);
  assert.ok(perNode.every((k) => k >= 10), `both nodes judged attempts: ${perNode}`);
  const show = await nodes[1].cliAsync(['user', 'show', 'hugo']);
  assert.match(show.stdout, /failures:\s+5 consecutive/, show.stdout);
  assert.equal((await new Client(nginx.url).signIn('hugo', PASSWORD)).status, 429, 'suspended on both nodes');
});

// Sent-message counts of one node's /metrics (its own listener, not nginx's).
async function sentBy(node) {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  return Number(text.match(/^portier_outbox_messages_total\{outcome="sent"\} (\d+)$/m)?.[1] ?? 0);
}

test('two outbox workers send each queued message exactly once', { skip }, async () => {
  const count = 60;
  const before = await Promise.all(nodes.map(sentBy));
  // A slow relay (100 ms a message): the first worker to claim is still busy
  // with its batch when the other one polls, so both take part.
  smtp.delayMs = 100;
  try {
    const csv = join(shared, 'invitations.csv');
    writeFileSync(csv, 'identifier;email\n' +
      Array.from({ length: count }, (_, i) => `invite${i};invite${i}@example.org`).join('\n') + '\n');
    const imported = await nodes[0].cliAsync(['user', 'import', csv]);
    assert.equal(imported.status, 0, imported.stderr);
    const invitations = () => smtp.messages.filter((m) => /^invite\d+@example\.org$/.test(m.to));
    await waitFor(() => invitations().length >= count, { ms: 30000, what: `${count} invitations` });
    // Every message of the outbox is marked sent: no claim is outstanding, so
    // no copy can still be on its way.
    await waitFor(async () => {
      const list = await nodes[0].cliAsync(['mail', 'list', '--limit', '10000']);
      const lines = list.stdout.split('\n').filter((l) => /\tinvite\d+@example\.org\t/.test(l));
      return lines.length === count && lines.every((l) => l.split('\t')[4] === 'sent');
    }, { ms: 30000, what: 'every invitation marked sent' });
    const ids = invitations().map((m) => m.parsed.messageId);
    assert.equal(ids.length, count, 'one delivery per message, none twice');
    assert.equal(new Set(ids).size, count);
    assert.equal(new Set(invitations().map((m) => m.to)).size, count, 'each member invited once');
    const sent = (await Promise.all(nodes.map(sentBy))).map((n, i) => n - before[i]);
    assert.equal(sent[0] + sent[1], count, `sent per node: ${sent}`);
    assert.ok(sent.every((n) => n > 0), `both workers sent: ${sent}`);
  } finally {
    smtp.delayMs = 0;
  }
});

test('a node killed with SIGKILL in the middle of sign-ins: the other carries on, nothing acknowledged is lost', { skip }, async () => {
  // Claire signs in before the storm; her session must outlive the node.
  const claire = new Client(nginx.url);
  assert.equal((await claire.signIn('claire', PASSWORD)).status, 303);
  assert.equal((await claire.get('/mon-espace')).status, 200);

  const victim = nodes[1];
  const acknowledged = []; // clients whose sign-in was answered with a session
  const failures = [];
  let killed = false;
  // One agent's sign-in; a member whose answer was lost (502 from nginx: the
  // POST reached the dying node and is never replayed elsewhere) tries again.
  async function signIn(id) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const c = new Client(nginx.url);
      const r = await c.signIn(id, PASSWORD).catch((e) => ({ status: 0, error: e }));
      if (r.status === 303 && c.cookies.size) {
        acknowledged.push({ id, c, afterKill: killed });
        if (acknowledged.length === 4 && !killed) {
          killed = true;
          victim.proc.kill('SIGKILL');
        }
        return;
      }
      failures.push(`${id}: ${r.status}`);
    }
  }
  const ids = Array.from({ length: 16 }, (_, i) => `agent${i}`);
  // Four members at a time, each next one starting as soon as one is in:
  // when the fourth is acknowledged, three others are on their way.
  const queue = [...ids];
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (queue.length) await signIn(queue.shift());
  }));
  const { signal } = await victim.exited;
  assert.equal(signal, 'SIGKILL');

  assert.equal(acknowledged.length, ids.length, `every member got in (retries: ${failures.join(', ') || 'none'})`);
  assert.ok(acknowledged.some((a) => a.afterKill), 'sign-ins went on after the kill');
  assert.ok(failures.length <= 4, `only requests in flight on the dead node failed: ${failures.join(', ')}`);
  // Every session that was acknowledged opens Mon espace, now on the survivor.
  const mark = nginx.served().length;
  for (const { id, c } of acknowledged) {
    const r = await c.get('/mon-espace');
    assert.equal(r.status, 200, `${id}'s session`);
  }
  assert.equal((await claire.get('/mon-espace')).status, 200, 'the session made before the kill survives');
  // And the account rows written with each sign-in are there too.
  for (const { id } of acknowledged) {
    const show = await nodes[0].cliAsync(['user', 'show', id]);
    assert.doesNotMatch(show.stdout, /^last sign-in:\s+never$/m, `${id}'s sign-in recorded`);
  }
  const checks = nginx.served().slice(mark);
  assert.equal(checks.length, ids.length + 1);
  assert.ok(checks.every((s) => nodeOf(s) === 0), checks.map((s) => s.line).join('\n'));
  const ready = await fetch(`${nodes[0].url}/readyz`);
  assert.equal(ready.status, 200);
});
