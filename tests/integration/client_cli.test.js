// `portier client …`: registering the applications that sign members in
// through portier. What is printed (the secret once), what is stored (only
// its hash), the rules with their messages and exit codes (2 for usage and
// rules, 1 for an unknown client), and the audit trail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Portier } from '../support/portier.js';

let portier;

before(() => {
  portier = new Portier();
});

after(async () => {
  await portier?.cleanup();
});

const idOf = (out) => out.match(/^client_id: ([A-Za-z0-9_-]+)$/m)?.[1];
const secretOf = (out) => out.match(/^client_secret: ([A-Za-z0-9_-]+)$/m)?.[1];

function add(args) {
  return portier.cli(['client', 'add', ...args]);
}

test('add prints a client_id and, for a confidential client, a secret stored only as a hash', () => {
  const r = add(['--name', 'Agenda partagé', '--redirect-uri', 'https://agenda.example.org/cb',
    '--redirect-uri', 'http://127.0.0.1:8080/cb', '--post-logout-redirect-uri', 'https://agenda.example.org/bye',
    '--backchannel-logout-uri', 'https://agenda.example.org/logout', '--trusted']);
  assert.equal(r.status, 0, r.stderr);
  const id = idOf(r.stdout);
  const secret = secretOf(r.stdout);
  assert.ok(id && id.length >= 22, r.stdout);
  assert.ok(secret && secret.length >= 43, r.stdout);
  assert.match(r.stdout, /shown only now/);

  const row = portier.sql(`SELECT secret_hash, trusted, redirect_uris FROM oidc_clients WHERE client_id = '${id}'`);
  const [hash, trusted, redirects] = row.split('|');
  assert.ok(hash.length > 0);
  assert.ok(!hash.includes(secret), 'the secret is not stored');
  assert.equal(trusted, '1');
  assert.deepEqual(JSON.parse(redirects), ['https://agenda.example.org/cb', 'http://127.0.0.1:8080/cb']);

  const show = portier.cli(['client', 'show', id]);
  assert.equal(show.status, 0, show.stderr);
  assert.match(show.stdout, /^name:\s+Agenda partagé$/m);
  assert.match(show.stdout, /^type:\s+confidential$/m);
  assert.match(show.stdout, /^redirect uris:\s+https:\/\/agenda\.example\.org\/cb http:\/\/127\.0\.0\.1:8080\/cb$/m);
  assert.match(show.stdout, /^back-channel logout uri:\s+https:\/\/agenda\.example\.org\/logout$/m);
  assert.match(show.stdout, /^secret:\s+set/m);
  assert.ok(!show.stdout.includes(secret) && !show.stdout.includes(hash), 'show prints neither secret nor hash');

  const list = portier.cli(['client', 'list']);
  assert.equal(list.status, 0);
  assert.match(list.stdout, new RegExp(`^${id}\\tconfidential\\ttrusted\\t\\S+\\tAgenda partagé$`, 'm'));

  const audit = portier.sql("SELECT event, detail FROM audit_events WHERE event LIKE 'oidc.%'");
  assert.match(audit, new RegExp(`^oidc\\.client_added\\|client_id=${id} `, 'm'));
  assert.ok(!audit.includes(secret));
});

test('a public client gets no secret and always PKCE', () => {
  const r = add(['--name', 'Appli mobile', '--redirect-uri', 'https://m.example.org/cb', '--public']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(secretOf(r.stdout), undefined);
  const show = portier.cli(['client', 'show', idOf(r.stdout)]).stdout;
  assert.match(show, /^auth method:\s+none$/m);
  assert.match(show, /^pkce:\s+required$/m);
  const refused = add(['--name', 'Appli', '--redirect-uri', 'https://m.example.org/cb', '--public', '--no-pkce']);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /require_pkce: a public client must use PKCE/);
  const rotate = portier.cli(['client', 'rotate-secret', idOf(r.stdout)]);
  assert.equal(rotate.status, 2);
  assert.match(rotate.stderr, /does not authenticate with a secret/);
});

test('every rule broken is reported at once, exit 2, nothing stored', () => {
  const before = portier.sql('SELECT count(*) FROM oidc_clients');
  const r = add(['--name', 'Bad', '--redirect-uri', 'http://app.example.org/cb', '--redirect-uri',
    'https://app.example.org/cb#x', '--redirect-uri', 'https://*.example.org/cb', '--scope', 'openid',
    '--scope', 'admin', '--grant-type', 'password']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /5 problem\(s\)/);
  assert.match(r.stderr, /redirect URI 'http:\/\/app\.example\.org\/cb' must use https/);
  assert.match(r.stderr, /fragment/);
  assert.match(r.stderr, /wildcard/);
  assert.match(r.stderr, /scope 'admin'/);
  assert.match(r.stderr, /grant type 'password'/);
  assert.equal(r.stdout, '');
  assert.equal(portier.sql('SELECT count(*) FROM oidc_clients'), before);
});

test('usage errors exit 2', () => {
  assert.equal(add(['--redirect-uri', 'https://a.example.org/cb']).status, 2, 'no --name');
  assert.equal(add(['--name', 'X', '--redirect-uri', 'https://a.example.org/cb', '--id-token-alg', 'none']).status, 2);
  assert.equal(add(['--name', 'X', '--bogus']).status, 2);
  const jwks = add(['--name', 'X', '--redirect-uri', 'https://a.example.org/cb', '--auth-method', 'private_key_jwt',
    '--jwks', '/nonexistent/jwks.json']);
  assert.equal(jwks.status, 2);
  assert.match(jwks.stderr, /cannot read the JWK Set file/);
});

test('private_key_jwt reads a JWK Set file and refuses private keys', () => {
  const file = join(portier.dataDir, 'jwks.json');
  writeFileSync(file, JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'abc', y: 'def', d: 'private' }] }));
  const refused = add(['--name', 'Service', '--redirect-uri', 'https://s.example.org/cb',
    '--auth-method', 'private_key_jwt', '--jwks', file]);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /private member "d"/);
  writeFileSync(file, JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'abc', y: 'def' }] }));
  const r = add(['--name', 'Service', '--redirect-uri', 'https://s.example.org/cb',
    '--auth-method', 'private_key_jwt', '--jwks', file, '--id-token-alg', 'ES256', '--access-token', 'jwt',
    '--audience', 'https://api.example.org', '--id-token-claim', 'email', '--id-token-claim', 'rpps',
    '--scope', 'openid', '--scope', 'rpps', '--grant-type', 'authorization_code', '--grant-type', 'client_credentials']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(secretOf(r.stdout), undefined, 'a key client has no secret');
  const show = portier.cli(['client', 'show', idOf(r.stdout)]).stdout;
  assert.match(show, /^grant types:\s+authorization_code client_credentials$/m);
  assert.match(show, /^scopes:\s+openid rpps$/m);
  assert.match(show, /^id token claims:\s+email rpps$/m);
  assert.match(show, /^access tokens:\s+jwt$/m);
  assert.match(show, /^access token audience:\s+https:\/\/api\.example\.org$/m);
  assert.match(show, /^id token alg:\s+ES256$/m);
});

test('update replaces what is given, rotate-secret replaces the secret, remove removes', () => {
  const r = add(['--name', 'Dossier', '--redirect-uri', 'https://d.example.org/cb', '--scope', 'openid',
    '--scope', 'email']);
  const id = idOf(r.stdout);
  const first = secretOf(r.stdout);
  const hash = () => portier.sql(`SELECT secret_hash FROM oidc_clients WHERE client_id = '${id}'`);
  const original = hash();

  const u = portier.cli(['client', 'update', id, '--name', 'Dossier partagé', '--redirect-uri',
    'https://d.example.org/cb2', '--redirect-uri', 'https://d.example.org/cb3', '--trusted']);
  assert.equal(u.status, 0, u.stderr);
  assert.equal(secretOf(u.stdout), undefined, 'an update keeps the secret');
  assert.equal(hash(), original);
  let show = portier.cli(['client', 'show', id]).stdout;
  assert.match(show, /^name:\s+Dossier partagé$/m);
  assert.match(show, /^redirect uris:\s+https:\/\/d\.example\.org\/cb2 https:\/\/d\.example\.org\/cb3$/m);
  assert.match(show, /^scopes:\s+openid email$/m, 'lists not given stay');
  assert.match(show, /^trusted:\s+yes/m);
  const back = portier.cli(['client', 'update', id, '--not-trusted']);
  assert.equal(back.status, 0, back.stderr);
  assert.match(portier.cli(['client', 'show', id]).stdout, /^trusted:\s+no$/m);
  const bad = portier.cli(['client', 'update', id, '--redirect-uri', 'ftp://d.example.org/cb']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /must use https/);

  const rot = portier.cli(['client', 'rotate-secret', id]);
  assert.equal(rot.status, 0, rot.stderr);
  const second = secretOf(rot.stdout);
  assert.ok(second && second !== first);
  assert.notEqual(hash(), original);

  const rm = portier.cli(['client', 'remove', id]);
  assert.equal(rm.status, 0, rm.stderr);
  assert.equal(portier.sql(`SELECT count(*) FROM oidc_clients WHERE client_id = '${id}'`), '0');
  const events = portier.sql(`SELECT event FROM audit_events WHERE detail LIKE 'client_id=${id} %' ORDER BY id`);
  assert.deepEqual(events.split('\n'),
    ['oidc.client_added', 'oidc.client_updated', 'oidc.client_updated', 'oidc.client_secret_rotated', 'oidc.client_removed']);
});

test('an unknown client exits 1', () => {
  for (const cmd of [['show'], ['rotate-secret'], ['remove'], ['update', '--name', 'x']]) {
    const [sub, ...rest] = cmd;
    const r = portier.cli(['client', sub, 'no-such-client', ...rest]);
    assert.equal(r.status, 1, `${sub}: ${r.stderr}`);
    assert.match(r.stderr, /no client no-such-client/);
  }
});
