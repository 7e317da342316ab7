// The command line: account management, its error messages and exit codes,
// and configuration problems reported before serving.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Portier, Client, binary } from '../support/portier.js';
import { hasMessage, tempConfig } from './helpers.js';

const PASSWORD = 'Velo-Rouge-Matin-42';
let portier;

before(async () => {
  portier = new Portier();
  portier.addUser({ identifier: 'dupont', email: 'dupont@example.org', password: PASSWORD, name: 'Jeanne Dupont' });
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
});

test('user add refuses a malformed email with a clear message', () => {
  const r = portier.cli(['user', 'add', '--identifier', 'martin', '--email', 'pas-une-adresse']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /email/i);
  assert.equal(r.stdout, '');
  assert.notEqual(portier.cli(['user', 'show', 'martin']).status, 0, 'nothing was created');
});

test('user add refuses an identifier taken in another case', () => {
  const r = portier.cli(['user', 'add', '--identifier', 'DuPont', '--email', 'autre@example.org']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /already taken/);
  const list = portier.cli(['user', 'list']);
  assert.equal(list.stdout.split('\n').filter((l) => /^dupont\t/i.test(l)).length, 1);
});

test('user add refuses a weak password read from stdin', () => {
  const r = portier.cli(['user', 'add', '--identifier', 'faible', '--email', 'f@example.org', '--password-stdin'], {
    input: 'password\n',
  });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /password/);
});

test('user list, show and set-role', () => {
  portier.addUser({ identifier: 'leroy', email: 'leroy@example.org', name: 'Paul Leroy', phone: '+33611223344' });
  const list = portier.cli(['user', 'list']);
  assert.equal(list.status, 0);
  assert.match(list.stdout, /^dupont\tmember\tactive\tdupont@example\.org\tJeanne Dupont$/m);
  assert.match(list.stdout, /^leroy\tmember\tpending\tleroy@example\.org\tPaul Leroy$/m);

  const show = portier.cli(['user', 'show', 'LEROY']);
  assert.equal(show.status, 0, show.stderr);
  assert.match(show.stdout, /^identifier:\s+leroy$/m);
  assert.match(show.stdout, /^phone:\s+\+33611223344$/m);
  assert.match(show.stdout, /^password:\s+none/m);

  const role = portier.cli(['user', 'set-role', 'leroy', 'support']);
  assert.equal(role.status, 0, role.stderr);
  assert.match(portier.cli(['user', 'show', 'leroy']).stdout, /^role:\s+support$/m);
  assert.notEqual(portier.cli(['user', 'set-role', 'leroy', 'king']).status, 0);
  assert.match(portier.cli(['user', 'show', 'leroy']).stdout, /^role:\s+support$/m);

  const missing = portier.cli(['user', 'show', 'personne']);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /no account personne/);
});

test('a disabled account cannot sign in; only the right password learns why', async () => {
  const off = portier.cli(['user', 'disable', 'dupont']);
  assert.equal(off.status, 0, off.stderr);
  assert.match(off.stdout, /disabled/);
  assert.match(portier.cli(['user', 'show', 'dupont']).stdout, /^status:\s+disabled$/m);

  const right = await new Client(portier.url).signIn('dupont', PASSWORD);
  assert.equal(right.status, 401);
  assert.ok(hasMessage(right.text, 'sign_in_disabled'), 'the disabled message is shown');
  assert.ok(!right.setCookies.some((c) => c.startsWith('portier_session=')));

  const wrong = await new Client(portier.url).signIn('dupont', 'Pas-le-bon-1234');
  assert.equal(wrong.status, 401);
  assert.ok(!hasMessage(wrong.text, 'sign_in_disabled'), 'a wrong password learns nothing about the account');
  assert.ok(hasMessage(wrong.text, 'sign_in_invalid'));

  const on = portier.cli(['user', 'enable', 'dupont']);
  assert.equal(on.status, 0, on.stderr);
  const again = await new Client(portier.url).signIn('dupont', PASSWORD);
  assert.equal(again.status, 303);
  assert.equal(again.headers.get('location'), '/mon-espace');
});

test('disabling an account ends its open sessions', async () => {
  const c = new Client(portier.url);
  assert.equal((await c.signIn('dupont', PASSWORD)).status, 303);
  assert.equal((await c.get('/mon-espace')).status, 200);
  assert.equal(portier.cli(['user', 'disable', 'dupont']).status, 0);
  const r = await c.get('/mon-espace');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/connexion');
  assert.equal(portier.cli(['user', 'enable', 'dupont']).status, 0);
});

test('serve with a missing configuration file exits non-zero', () => {
  const r = spawnSync(binary, ['serve', '--config', '/nonexistent/portier.toml'], {
    env: portier.env,
    encoding: 'utf8',
    timeout: 10000,
  });
  assert.notEqual(r.status, 0);
  assert.equal(r.signal, null, 'it exits instead of serving');
  assert.match(r.stderr, /nonexistent/);
});

test('an invalid configuration exits 2 listing every problem', () => {
  const cfg = tempConfig('[server]\nlisten = "nope"\nread_timeout = 0\n[portal]\nprimary_colour = "red"\ndefault_language = "de"\n');
  try {
    // PORTIER_LISTEN would override the file's listen: unset it (empty = unset).
    const env = { ...portier.env, PORTIER_LISTEN: '' };
    for (const args of [['serve', '--config', cfg.path], ['--config', cfg.path, 'serve']]) {
      const r = spawnSync(binary, args, { env, encoding: 'utf8', timeout: 10000 });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /4 problem/);
      assert.match(r.stderr, /server\.listen/);
      assert.match(r.stderr, /server\.read_timeout/);
      assert.match(r.stderr, /portal\.primary_colour/);
      assert.match(r.stderr, /portal\.default_language/);
      assert.equal(r.stdout, '', 'nothing served');
    }
  } finally {
    cfg.remove();
  }
});

test('a syntax error in the configuration is reported with its line', () => {
  const cfg = tempConfig('[server]\nlisten = "127.0.0.1:0"\nread_timeout = = 3\n');
  try {
    const r = spawnSync(binary, ['serve', '--config', cfg.path], { env: portier.env, encoding: 'utf8', timeout: 10000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /line 3/);
  } finally {
    cfg.remove();
  }
});
