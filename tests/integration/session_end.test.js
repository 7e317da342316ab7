// Ending sessions (ASVS 7.4.5, 7.5.2, 7.2.4): a member ends another of their
// sessions only after typing the password again; every password typed again
// gives this browser a new session token; support staff end a member's
// sessions from the console (rank rule, agent password, audited); the
// operator ends one account's sessions, or everybody's, from the command line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier, Client } from '../support/portier.js';
import { decodeEntities, testids } from './helpers.js';
import { staffWithApp, consoleId, csrfOf } from './staff_session.js';

const PASSWORD = 'Chardon-Estuaire-Lampion-58';
let portier;
let agent;

before(async () => {
  portier = new Portier({ env: { PORTIER_SECOND_STEP: 'optional' } });
  for (const [identifier, role] of [['agent', 'support'], ['boss', 'admin'], ['lea', 'member'], ['marc', 'member'],
    ['nina', 'member'], ['oscar', 'member']])
    portier.addUser({ identifier, email: `${identifier}@example.org`, password: PASSWORD, name: identifier, role });
  await portier.start();
  agent = await staffWithApp(portier, 'agent', PASSWORD);
});

after(async () => {
  await portier?.cleanup();
});

async function signedIn(identifier) {
  const c = new Client(portier.url);
  assert.equal((await c.signIn(identifier, PASSWORD)).status, 303, `${identifier} signs in`);
  return c;
}
const stillIn = async (c) => (await c.get('/mon-espace')).status === 200;

test('signing this browser out needs no password', async () => {
  const c = await signedIn('lea');
  const page = await c.get('/mon-espace');
  const own = page.text.split('data-testid="session-row"').slice(1).find((row) => /class="tag"/.test(row));
  const handle = own.match(/name="session" value="([^"]+)"/)[1];
  const r = await c.request('POST', '/mon-espace/sessions', { form: { csrf: csrfOf(page.text), session: handle } });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/connexion?info=signed_out');
  assert.equal(await stillIn(c), false);
});

test('a stolen session cannot throw the member out: ending others needs the password', async () => {
  const member = await signedIn('marc');
  const thief = await signedIn('marc');
  const page = await thief.get('/mon-espace');
  const ask = await thief.request('POST', '/mon-espace/sessions', { form: { csrf: csrfOf(page.text), session: 'others' } });
  assert.equal(ask.status, 200);
  assert.equal(testids(ask.text, 'session-end-confirm'), 1);
  assert.match(ask.text, /<label for="current_password">/);
  // Skipping the page and posting "confirm" without the password ends nothing either.
  const blind = await thief.request('POST', '/mon-espace/sessions',
    { form: { csrf: csrfOf(ask.text), session: 'others', confirm: '1' } });
  assert.equal(blind.status, 422);
  assert.equal(await stillIn(member), true, 'the member is still signed in');
});

test('a password typed again renews the session token: the old one stops working', async () => {
  const c = await signedIn('nina');
  const old = c.cookies.get('portier_session');
  const NEW = 'Pivoine-Boussole-Quai-73';
  const r = await c.submit('/mon-espace', '/mon-espace/mot-de-passe',
    { current_password: PASSWORD, new_password: NEW, confirm_password: NEW });
  assert.equal(r.status, 303);
  const renewed = c.cookies.get('portier_session');
  assert.ok(renewed && renewed !== old, 'a new token');
  assert.equal(await stillIn(c), true, 'the new token works');
  const stale = new Client(portier.url);
  stale.cookies.set('portier_session', old);
  assert.equal(await stillIn(stale), false, 'the old token does not');
});

test('support ends a member\'s sessions from the console, audited; not an administrator\'s', async () => {
  const first = await signedIn('oscar');
  const second = await signedIn('oscar');
  const id = await consoleId(agent, 'oscar');
  const page = await agent.get(`/support/compte?id=${id}`);
  assert.equal(testids(page.text, 'sessions-submit'), 1);
  const noPassword = await agent.request('POST', '/support/compte/sessions',
    { form: { csrf: csrfOf(page.text), id, reason: 'Téléphone perdu' } });
  assert.equal(noPassword.status, 422);
  assert.equal(await stillIn(first), true);
  const done = await agent.request('POST', '/support/compte/sessions',
    { form: { csrf: csrfOf(noPassword.text), id, reason: 'Téléphone perdu', agent_password: PASSWORD } });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), `/support/compte?id=${id}&info=sessions_ended`);
  assert.equal(await stillIn(first), false);
  assert.equal(await stillIn(second), false);
  const trail = decodeEntities((await agent.get(`/support/compte?id=${id}`)).text);
  assert.match(trail, /data-event="admin\.user\.end_sessions"[\s\S]*?agent<\/td>[\s\S]*?2 ended; motif\s: Téléphone perdu/);
  // The rank rule holds here as on every console action.
  const bossId = await consoleId(agent, 'boss');
  const refused = await agent.request('POST', '/support/compte/sessions',
    { form: { csrf: await agent.csrf('/support'), id: bossId, reason: 'x', agent_password: PASSWORD } });
  assert.equal(refused.status, 403);
});

test('the operator ends one account\'s sessions, or everybody\'s, from the command line', async () => {
  const lea = await signedIn('lea');
  const marc = await signedIn('marc');
  const one = portier.cli(['user', 'end-sessions', 'lea']);
  assert.equal(one.status, 0, one.stderr);
  assert.match(one.stdout, /^ended 1 session\(s\) of lea$/m);
  assert.equal(await stillIn(lea), false);
  assert.equal(await stillIn(marc), true);
  const all = portier.cli(['sessions', 'end-all']);
  assert.equal(all.status, 0, all.stderr);
  assert.match(all.stdout, /^ended \d+ session\(s\)$/m);
  assert.equal(await stillIn(marc), false);
  assert.equal((await agent.get('/support')).status, 303, 'staff are signed out too');
  assert.notEqual(portier.cli(['user', 'end-sessions', 'nobody']).status, 0);
});
