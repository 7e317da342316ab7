// The support console over HTTP against the real server: who may enter
// (staff signed in with an authenticator app only), search, the account page
// (suspension, messages with their delivery status, audit trail) and the
// audited actions (temporary password, lifting a suspension, correcting an
// address, roles). Mail goes through a real SMTP sink (tests/support/smtp.js).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Portier, Client } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { decodeEntities, waitFor } from './helpers.js';
import { newKeyPage } from '../support/app.js';

const PASSWORD = 'Lanterne-Garrigue-Phare-31';
let portier;
let smtp;
let agent;   // support, signed in with the app
let boss;    // admin, signed in with the app

const ROUTES = [
  ['GET', '/support'],
  ['GET', '/support?q=marie'],
  ['GET', '/support/compte?id=1'],
  ['POST', '/support/compte/rappel-identifiant'],
  ['POST', '/support/compte/reinitialisation'],
  ['POST', '/support/compte/invitation'],
  ['POST', '/support/compte/mot-de-passe-temporaire'],
  ['POST', '/support/compte/suspension'],
  ['POST', '/support/compte/application'],
  ['POST', '/support/compte/statut'],
  ['POST', '/support/compte/courriel'],
  ['POST', '/support/compte/courriel/annuler'],
  ['POST', '/support/compte/mobile'],
  ['POST', '/support/compte/role'],
];

function oathtool(key, offset = 0) {
  const at = `@${Math.floor(Date.now() / 1000) + offset}`;
  return execFileSync('oathtool', ['--totp', '-b', '-N', at, key.replace(/\s+/g, '')], { encoding: 'utf8' }).trim();
}

const keyOf = (html) => html.match(/data-testid="totp-key"[^>]*>([A-Z2-7 ]+)</)[1];
const csrfOf = (html) => html.match(/name="csrf" value="([^"]+)"/)[1];

async function signedIn(identifier, password = PASSWORD) {
  const c = new Client(portier.url);
  const r = await c.signIn(identifier, password);
  assert.equal(r.status, 303, `${identifier} signs in`);
  return c;
}

// Enrols an app with the password-only session; returns { client, key }.
async function enrol(identifier) {
  const client = await signedIn(identifier);
  const page = await newKeyPage(client);
  const key = keyOf(page.text);
  const r = await client.request('POST', '/mon-espace/application',
    { form: { csrf: csrfOf(page.text), code: oathtool(key), current_password: PASSWORD } });
  assert.equal(r.status, 200);
  return { client, key };
}

// A new sign-in whose second step is an app code (the next step's: the
// enrolment spent the current one).
async function withApp(identifier, key) {
  const c = new Client(portier.url);
  const r = await c.signIn(identifier, PASSWORD);
  assert.match(r.headers.get('location'), /^\/connexion\/code/);
  const done = await c.submit('/connexion/code', '/connexion/code', { method: 'app', code: oathtool(key, 30) });
  assert.equal(done.status, 303, done.text.slice(0, 300));
  return c;
}

async function accountId(client, query) {
  const r = await client.get(`/support?q=${encodeURIComponent(query)}`);
  assert.equal(r.status, 200);
  const ids = [...r.text.matchAll(/href="\/support\/compte\?id=(\d+)" data-testid="console-result">([^<]+)</g)];
  return ids.map((m) => ({ id: m[1], identifier: m[2] }));
}

// POSTs an action from the account page (its CSRF token).
async function act(client, id, path, form) {
  const csrf = await client.csrf(`/support/compte?id=${id}`);
  return client.request('POST', path, { form: { csrf, id, ...form } });
}

before(async () => {
  smtp = await new SmtpSink({ rejectRecipients: ['bounce@example.org'] }).start();
  portier = new Portier({ env: { PORTIER_SECOND_STEP: 'optional' } });
  const config = join(portier.dataDir, 'portier.toml');
  writeFileSync(config, `[mail]\nsmtp_url = "${smtp.url}"\nsmtp_tls = "none"\nfrom_address = "no-reply@example.org"\nsmtp_timeout = 5\n` +
    // This suite checks the agent's password in each form: no confirmation
    // period (console_everyday.test.js covers the period).
    '[security]\nconsole_confirmation_period = 0\n');
  portier.config = config;
  portier.addUser({ identifier: 'agent', email: 'agent@example.org', password: PASSWORD, name: 'Agathe Agent', role: 'support' });
  portier.addUser({ identifier: 'boss', email: 'boss@example.org', password: PASSWORD, name: 'Bruno Boss', role: 'admin' });
  for (const id of ['marie', 'paul', 'lea', 'hugo'])
    portier.addUser({ identifier: id, email: `${id}@example.org`, password: PASSWORD, name: id });
  const rpps = portier.cli(['user', 'add', '--identifier', 'curie', '--email', 'curie@example.org', '--name', 'Marie Curie',
    '--rpps', '10001234567', '--password-stdin'], { input: PASSWORD + '\n' });
  assert.equal(rpps.status, 0, rpps.stderr);
  portier.addUser({ identifier: 'rebond', email: 'bounce@example.org', password: PASSWORD, name: 'Rebond' });
  await portier.start();
  // A password-only session of the agent, from before the app (kept to test
  // the gate). Not the session that enrols: confirming the app with a code
  // from it makes that one a "pwd+app" session (issue 10, item 12).
  const passwordOnly = new Client(portier.url);
  assert.equal((await passwordOnly.signIn('agent', PASSWORD)).status, 303);
  const a = await enrol('agent');
  const b = await enrol('boss');
  agent = await withApp('agent', a.key);
  boss = await withApp('boss', b.key);
  agent.passwordOnly = passwordOnly;
});

after(async () => {
  await portier?.cleanup();
  await smtp?.stop();
});

test('a member is refused every console page and action with 403 and nothing of the console', async () => {
  const member = await signedIn('paul');
  const csrf = await member.csrf('/mon-espace');
  for (const [method, path] of ROUTES) {
    const r = method === 'GET' ? await member.get(path)
      : await member.request('POST', path, { form: { csrf, id: '1', reason: 'x', agent_password: PASSWORD, role: 'admin' } });
    assert.equal(r.status, 403, `${method} ${path}`);
    assert.doesNotMatch(r.text, /console-app-required|data-testid="console-/);
  }
  assert.doesNotMatch((await member.get('/mon-espace')).text, /data-testid="nav-console"/, 'no console link for members');
  // Still a member: the role did not change.
  const still = await member.get('/mon-espace');
  assert.equal(still.status, 200);
  // Without a session: the sign-in page.
  const anonymous = await new Client(portier.url).get('/support');
  assert.equal(anonymous.status, 303);
  assert.equal(anonymous.headers.get('location'), '/connexion');
});

test('staff signed in with a password only are refused and told to sign in with an app', async () => {
  const c = agent.passwordOnly;
  const csrf = await c.csrf('/mon-espace');
  for (const [method, path] of ROUTES) {
    const r = method === 'GET' ? await c.get(path)
      : await c.request('POST', path, { form: { csrf, id: '1', reason: 'x', agent_password: PASSWORD } });
    assert.equal(r.status, 403, `${method} ${path}`);
    // Role changes are for administrators: a support agent gets the plain 403 there.
    if (path === '/support/compte/role') continue;
    assert.match(r.text, /data-testid="console-app-required"/);
    assert.match(r.text, /href="\/mon-espace\/application"/);
  }
  assert.match((await c.get('/mon-espace')).text, /data-testid="nav-console"/, 'staff see the console link');
});

test('the agent finds members by email, RPPS, name and identifier', async () => {
  assert.deepEqual((await accountId(agent, 'marie@example.org')).map((x) => x.identifier), ['marie']);
  assert.deepEqual((await accountId(agent, '10001234567')).map((x) => x.identifier), ['curie']);
  assert.deepEqual((await accountId(agent, 'CURIE')).map((x) => x.identifier), ['curie']);
  assert.deepEqual(await accountId(agent, '%'), []);
  const page = await agent.get('/support');
  assert.equal(page.status, 200);
  assert.match(page.text, /<label for="q">/);
});

test('a temporary password needs the agent\'s password and a reason; the member signs in with it once and must change it', async () => {
  const [{ id }] = await accountId(agent, 'marie@example.org');
  let r = await act(agent, id, '/support/compte/mot-de-passe-temporaire', { delivery: 'show', reason: 'Appel du 12', agent_password: 'faux' });
  assert.equal(r.status, 422);
  assert.match(r.text, /<a href="#temp-agent_password">/);
  assert.match(r.text, /id="temp-agent_password"[^>]*aria-invalid="true"/);
  r = await act(agent, id, '/support/compte/mot-de-passe-temporaire', { delivery: 'show', reason: '  ', agent_password: PASSWORD });
  assert.equal(r.status, 422);
  assert.match(r.text, /<a href="#temp-reason">/);
  assert.doesNotMatch(r.text, /data-testid="temporary-password"/);

  r = await act(agent, id, '/support/compte/mot-de-passe-temporaire', { delivery: 'show', reason: 'Appel du 12, identité vérifiée', agent_password: PASSWORD });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('cache-control'), /no-store/);
  // Shown in upper case and groups, as read out; accepted so.
  const temporary = r.text.match(/data-testid="temporary-password" aria-label="([^"]+)"/)[1];
  assert.match(temporary, /^[2-9A-Z]{4} [2-9A-Z]{4} [2-9A-Z]{4} [2-9A-Z]{4}$/);
  // Shown once: the account page never shows it again.
  const page = await agent.get(`/support/compte?id=${id}`);
  assert.doesNotMatch(page.text, new RegExp(temporary));
  assert.match(decodeEntities(page.text), /data-event="admin.user.temp_password"[\s\S]*?agent<\/td>[\s\S]*?motif\s: Appel du 12, identité vérifiée/);

  const member = new Client(portier.url);
  const signIn = await member.signIn('marie', temporary);
  assert.equal(signIn.status, 303);
  assert.equal(signIn.headers.get('location'), '/connexion/nouveau-mot-de-passe');
  const NEW = 'Nouveau-Depart-Sur-Mer-7';
  const done = await member.submit('/connexion/nouveau-mot-de-passe', '/connexion/nouveau-mot-de-passe',
    { new_password: NEW, confirm_password: NEW });
  assert.equal(done.status, 303);
  // Single use: the temporary password is gone.
  assert.equal((await new Client(portier.url).signIn('marie', temporary)).status, 401);
  assert.equal((await new Client(portier.url).signIn('marie', NEW)).status, 303);
});

test('a temporary password can go to the member\'s address instead', async () => {
  const [{ id }] = await accountId(agent, 'lea@example.org');
  const r = await act(agent, id, '/support/compte/mot-de-passe-temporaire', { delivery: 'mail', reason: 'Demande écrite', agent_password: PASSWORD });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/support/compte?id=${id}&info=temp_mailed`);
  const m = await smtp.waitFor((x) => x.to === 'lea@example.org');
  const temporary = m.parsed.text.match(/\b[2-9a-z]{4}-[2-9a-z]{4}-[2-9a-z]{4}-[2-9a-z]{4}\b/)[0];
  const signIn = await new Client(portier.url).signIn('lea', temporary);
  assert.equal(signIn.headers.get('location'), '/connexion/nouveau-mot-de-passe');
});

test('five wrong passwords suspend a member; the agent sees it and lifts it', async () => {
  const attacker = new Client(portier.url);
  for (let i = 0; i < 5; i++) await attacker.signIn('hugo', `essai-${i}-faux-mdp`);
  assert.notEqual((await new Client(portier.url).signIn('hugo', PASSWORD)).status, 303, 'suspended');
  const [{ id }] = await accountId(agent, 'hugo');
  let page = await agent.get(`/support/compte?id=${id}`);
  assert.match(page.text, /data-testid="console-suspension"><strong>/);
  let r = await act(agent, id, '/support/compte/suspension', { reason: '', agent_password: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /<a href="#unlock-reason">[\s\S]*<a href="#unlock-agent_password">/);
  r = await act(agent, id, '/support/compte/suspension', { reason: 'Le membre a appelé', agent_password: PASSWORD });
  assert.equal(r.status, 303);
  page = await agent.get(r.headers.get('location'));
  assert.match(page.text, /data-testid="notice"/);
  assert.doesNotMatch(page.text, /data-testid="console-suspension"><strong>/);
  assert.match(decodeEntities(page.text), /data-event="admin.user.unlock"[\s\S]*?motif\s: Le membre a appelé/);
  assert.equal((await new Client(portier.url).signIn('hugo', PASSWORD)).status, 303);
});

test('correcting an email address asks the new mailbox and tells the old address; messages are listed with their delivery status', async () => {
  const [{ id }] = await accountId(agent, 'paul@example.org');
  let r = await act(agent, id, '/support/compte/courriel', { email: 'pas-une-adresse', reason: 'Nouvelle adresse', agent_password: PASSWORD });
  assert.equal(r.status, 422);
  assert.match(r.text, /<a href="#email-email">/);
  r = await act(agent, id, '/support/compte/courriel', { email: 'paul.nouveau@example.org', reason: 'Nouvelle adresse', agent_password: PASSWORD });
  assert.equal(r.status, 303);
  const notice = await smtp.waitFor((x) => x.to === 'paul@example.org');
  assert.match(notice.parsed.text, /p•+@example\.org/);
  assert.match(notice.parsed.subject, /adresse e-mail/);
  await smtp.waitFor((x) => x.to === 'paul.nouveau@example.org');
  const page = await waitFor(async () => {
    const p = await agent.get(`/support/compte?id=${id}`);
    return /data-testid="console-message" data-status="sent"/.test(p.text) && p;
  }, { what: 'the notice marked sent' });
  assert.match(page.text, /data-testid="console-email">paul@example.org</, 'not written by the console');
  assert.match(page.text, /data-testid="pending-email"[\s\S]*?<strong>p•+@example\.org<\/strong>/);

  // A reset link to an address the relay refuses: the agent sees it failed.
  const [{ id: bounceId }] = await accountId(agent, 'rebond');
  r = await act(agent, bounceId, '/support/compte/reinitialisation', { reason: 'Mot de passe oublié' });
  assert.equal(r.status, 303);
  await waitFor(async () => /data-testid="console-message" data-status="failed"/.test((await agent.get(`/support/compte?id=${bounceId}`)).text),
    { what: 'the bounced reset marked failed' });
});

test('a corrected mobile number is stored unverified', async () => {
  const [{ id }] = await accountId(agent, 'lea');
  const r = await act(agent, id, '/support/compte/mobile', { phone: '06 12 34 56 78', reason: 'Changement de numéro', agent_password: PASSWORD });
  assert.equal(r.status, 303);
  const page = await agent.get(`/support/compte?id=${id}`);
  assert.match(decodeEntities(page.text), /data-testid="console-phone"><a href="tel:\+33612345678" data-testid="console-phone-call">06 12 34 56 78<\/a> \(pas encore vérifié/);
});

test('an administrator changes a role; a support agent cannot; nobody changes their own', async () => {
  const [{ id }] = await accountId(boss, 'curie');
  let r = await act(agent, id, '/support/compte/role', { role: 'support', reason: 'Renfort', agent_password: PASSWORD });
  assert.equal(r.status, 403);
  assert.doesNotMatch((await agent.get(`/support/compte?id=${id}`)).text, /data-testid="role-select"/);
  r = await act(boss, id, '/support/compte/role', { role: 'support', reason: 'Renfort', agent_password: PASSWORD });
  assert.equal(r.status, 303);
  const page = await boss.get(`/support/compte?id=${id}`);
  assert.match(decodeEntities(page.text), /data-event="admin.user.set_role"[\s\S]*?member -&gt; support|data-event="admin.user.set_role"[\s\S]*?member -> support/);
  // Nobody changes their own role from the console (the rank rule, tests/integration/staff_rank.test.js).
  const [{ id: bossId }] = await accountId(boss, 'boss');
  r = await act(boss, bossId, '/support/compte/role', { role: 'member', reason: 'Erreur', agent_password: PASSWORD });
  assert.equal(r.status, 403);
  assert.match(portier.cli(['user', 'show', 'boss']).stdout, /^role:\s+admin$/m);
});

test('the CSV import checks first, needs the agent\'s password, then creates pending accounts the agent can invite again', async () => {
  const page = await agent.get('/support/import');
  assert.equal(page.status, 200);
  assert.match(page.text, /<label for="import-csv">/);
  const csrf = csrfOf(page.text);
  const bad = 'identifier,email,name,mobile,rpps\nnina.neuf,nina@example.org,Nina Neuf,,\nx,pas-une-adresse,,,\n';
  let r = await agent.request('POST', '/support/import', { form: { csrf, csv: bad, step: 'check' } });
  assert.equal(r.status, 422);
  // Line 3 has a bad identifier and a bad address, each in its cell; line 2 is fine.
  assert.match(r.text, /data-valid="no"><td data-label="[^"]+">3<\/td>/);
  assert.equal((r.text.match(/data-testid="import-cell-error"/g) ?? []).length, 2, 'two bad cells');
  assert.match(r.text, /data-valid="yes"><td data-label="[^"]+">2<\/td>/);
  const good = 'identifier,email,name,mobile,rpps\nnina.neuf,nina@example.org,Nina Neuf,,\n';
  r = await agent.request('POST', '/support/import', { form: { csrf, csv: good, step: 'apply', agent_password: 'faux' } });
  assert.equal(r.status, 422);
  assert.match(r.text, /<a href="#import-agent_password">/);
  assert.equal((await accountId(agent, 'nina.neuf')).length, 0, 'nothing created');
  r = await agent.request('POST', '/support/import', { form: { csrf, csv: good, step: 'apply', agent_password: PASSWORD } });
  assert.equal(r.status, 200);
  assert.match(r.text, /data-testid="notice"/);
  await smtp.waitFor((x) => x.to === 'nina@example.org');
  const [{ id }] = await accountId(agent, 'nina.neuf');
  const account = await agent.get(`/support/compte?id=${id}`);
  assert.match(account.text, /data-testid="invite-submit"/);
  smtp.clear();
  r = await act(agent, id, '/support/compte/invitation', { reason: 'Invitation perdue' });
  assert.equal(r.status, 303);
  await smtp.waitFor((x) => x.to === 'nina@example.org');
  // An active account has no invitation to send.
  const [{ id: active }] = await accountId(agent, 'boss@example.org');
  assert.doesNotMatch((await agent.get(`/support/compte?id=${active}`)).text, /data-testid="invite-submit"/);
});
