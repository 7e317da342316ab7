// Protection against password guessing, against the real server: suspension
// after five failures, the member's own browser unaffected, unknown
// identifiers alike, atomic counting under 50 parallel attempts, the notice
// mail, reset and support unlock lifting it, and per-address throttling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { Portier, Client } from '../support/portier.js';
import { robotSolution } from '../support/robot.js';
import { tempConfig } from './helpers.js';
import { FRENCH_DATE_TIME } from '../support/display_time.js';

const PASSWORD = 'ruisseau-lanterne-hiver-42';
let portier;
let config;

before(async () => {
  // A hashing queue for the 50 parallel attempts below: the lockout refuses
  // 45 of them, and that is what this file tests, not the pool's bound
  // (tests/integration/server_limits.test.js).
  config = tempConfig('[security]\nrobot_max_number = 1000\n[server]\nhashing_queue = 64\n');
  portier = new Portier({ config: config.path });
  for (const id of ['marie', 'paul', 'lucie', 'hugo', 'nina'])
    portier.addUser({ identifier: id, email: `${id}@example.org`, password: PASSWORD });
  await portier.start();
});
after(async () => {
  await portier?.cleanup();
  config?.remove();
});

// Messages the file mailer wrote (no SMTP relay configured here).
async function mails(kind, to) {
  const dir = join(portier.dataDir, 'outbox');
  let files = [];
  try { files = readdirSync(dir).filter((f) => f.endsWith(`-${kind}.eml`)); } catch { return []; }
  const parsed = await Promise.all(files.map((f) => simpleParser(readFileSync(join(dir, f)))));
  return parsed.filter((m) => m.to.value[0].address === to);
}

async function waitForMail(kind, to) {
  for (let i = 0; i < 100; i++) {
    const found = await mails(kind, to);
    if (found.length) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${kind} mail to ${to}`);
}

const message = (html) => html.match(/data-testid="sign-in-error">(?:<h2>[^<]*<\/h2>)?<p>([^<]*)/)?.[1];

test('five wrong passwords suspend unknown browsers; the member is told by mail', async () => {
  const attacker = new Client(portier.url);
  for (let i = 0; i < 4; i++) assert.equal((await attacker.signIn('marie', `essai-${i}-faux-mdp`)).status, 401);
  const fifth = await attacker.signIn('marie', 'essai-5-faux-mdp');
  assert.equal(fifth.status, 429);
  assert.match(message(fifth.text), /suspendue jusqu/);
  assert.ok(Number(fifth.headers.get('retry-after')) > 3500);
  assert.match(fifth.text, /data-testid="suspended-reset"/, 'the page offers the reset');
  const right = await attacker.signIn('marie', PASSWORD);
  assert.equal(right.status, 429, 'even the right password waits, from a browser never used before');

  const [notice] = await waitForMail('sign_in.suspended', 'marie@example.org');
  assert.match(notice.text, /suspendue jusqu/);
  assert.match(notice.text, /mot-de-passe-oublie/);
});

test('unknown identifiers are suspended alike, with the same page', async () => {
  const a = new Client(portier.url);
  const b = new Client(portier.url);
  for (let i = 0; i < 4; i++) {
    await a.signIn('paul', 'pas-le-bon-mot-de-passe');
    await b.signIn('paul.inconnu', 'pas-le-bon-mot-de-passe');
  }
  const known = await a.signIn('paul', 'pas-le-bon-mot-de-passe');
  const unknown = await b.signIn('paul.inconnu', 'pas-le-bon-mot-de-passe');
  assert.equal(known.status, 429);
  assert.equal(unknown.status, 429);
  const strip = (r) => r.text.replace(/name="csrf" value="[^"]+"/g, '').replace(/value="[^"]*"/g, '')
    .replace(new RegExp(FRENCH_DATE_TIME, 'g'), 'T');
  assert.equal(strip(known), strip(unknown));
});

test('an attacker hammering the identifier does not lock out the member\'s own browser', async () => {
  const member = new Client(portier.url);
  assert.equal((await member.signIn('lucie', PASSWORD)).status, 303);
  assert.ok(member.cookies.has('portier_device'), 'a signed device cookie after a successful sign-in');
  const signOut = await member.csrf('/mon-espace');
  await member.request('POST', '/deconnexion', { form: { csrf: signOut } });

  const attacker = new Client(portier.url);
  for (let i = 0; i < 10; i++) await attacker.signIn('lucie', `devinette-${i}-fausse`);
  assert.equal((await attacker.signIn('lucie', PASSWORD)).status, 429);
  assert.equal((await member.signIn('lucie', PASSWORD)).status, 303, 'the member gets in');

  // A device cookie copied into the attacker's browser for another account does nothing.
  attacker.cookies.set('portier_device', member.cookies.get('portier_device'));
  assert.equal((await attacker.signIn('marie', PASSWORD)).status, 429);
});

test('50 parallel wrong attempts check at most five passwords', async () => {
  const clients = Array.from({ length: 50 }, () => new Client(portier.url));
  const tokens = await Promise.all(clients.map((c) => c.csrf('/connexion')));
  const answers = await Promise.all(clients.map((c, i) =>
    c.request('POST', '/connexion', { form: { csrf: tokens[i], identifier: 'hugo', password: `parallele-${i}-faux` } })));
  const statuses = answers.map((r) => r.status);
  assert.equal(statuses.filter((s) => s === 401).length, 4, statuses.join());
  assert.equal(statuses.filter((s) => s === 429).length, 46);
  const show = await portier.cliAsync(['user', 'show', 'hugo']);
  assert.match(show.stdout, /failures:\s+5 consecutive/, show.stdout);
  assert.match(show.stdout, /unknown browsers suspended until/);
});

test('support unlock and a password reset lift the suspension', async () => {
  // hugo is suspended by the test above.
  const unlock = await portier.cliAsync(['user', 'unlock', 'hugo']);
  assert.equal(unlock.status, 0, unlock.stderr);
  assert.equal((await new Client(portier.url).signIn('hugo', PASSWORD)).status, 303);

  const c = new Client(portier.url);
  for (let i = 0; i < 5; i++) await c.signIn('nina', `essai-${i}-faux-mdp`);
  assert.equal((await c.signIn('nina', PASSWORD)).status, 429);
  const csrf = await c.csrf('/mot-de-passe-oublie');
  const asked = await c.request('POST', '/mot-de-passe-oublie',
    { form: { csrf, target: 'nina', altcha: await robotSolution(portier.url) } });
  assert.equal(asked.status, 303);
  const [mail] = await waitForMail('recovery.password', 'nina@example.org');
  const link = mail.text.match(/\/mot-de-passe-oublie\/nouveau\?jeton=[\w-]+/)[0];
  const page = await c.get(link);
  const secret = link.split('jeton=')[1];
  const chosen = 'tilleul-garrigue-phare-12';
  const done = await c.request('POST', '/mot-de-passe-oublie/nouveau', { form: {
    csrf: page.text.match(/name="csrf" value="([^"]+)"/)[1], type: 'lien', secret, new_password: chosen, confirm_password: chosen } });
  assert.equal(done.status, 303);
  assert.equal((await c.signIn('nina', chosen)).status, 303, 'the reset lifted the suspension');
});

test('one address failing on many accounts gets the robot check and growing delays', async () => {
  const p = new Portier({ config: config.path, env: { PORTIER_LOCKOUT_CLIENT_FREE_FAILURES: '3' } });
  p.addUser({ identifier: 'zoe', email: 'zoe@example.org', password: PASSWORD });
  await p.start();
  try {
    const c = new Client(p.url);
    for (let i = 0; i < 3; i++) assert.equal((await c.signIn(`inconnu${i}`, 'mot-de-passe-faux')).status, 401);
    const page = await c.get('/connexion');
    assert.match(page.text, /altcha-widget/, 'the form now carries the robot check');
    const csrf = page.text.match(/name="csrf" value="([^"]+)"/)[1];
    const without = await c.request('POST', '/connexion', { form: { csrf, identifier: 'zoe', password: PASSWORD } });
    assert.equal(without.status, 422, 'no password is checked without the robot check');

    const t0 = Date.now();
    const failed = await c.request('POST', '/connexion',
      { form: { csrf, identifier: 'inconnu9', password: 'mot-de-passe-faux', altcha: await robotSolution(p.url) } });
    assert.equal(failed.status, 401);
    assert.ok(Date.now() - t0 >= 500, 'the fourth failure waits 2 × 250 ms');
    const ok = await c.request('POST', '/connexion',
      { form: { csrf, identifier: 'zoe', password: PASSWORD, altcha: await robotSolution(p.url) } });
    assert.equal(ok.status, 303, 'a member behind that address still gets in with the check');
  } finally {
    await p.cleanup();
  }
});
