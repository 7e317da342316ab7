// Staff act only below their own rank (admin/staff_rank.h): the takeover the
// issue describes (a support agent corrects an administrator's address,
// issues them a temporary password shown on screen, signs in as them and
// promotes themselves) is refused at every console action, with 403, an
// audited support.refused and nothing changed; administrators act on support
// agents, whose temporary passwords are mailed, never shown; nobody acts on
// an administrator (nor on their own account) from the console; support on a
// member still works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier, Client } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { decodeEntities } from './helpers.js';
import { staffWithApp, consoleId } from './staff_session.js';

const PASSWORD = 'Lanterne-Garrigue-Phare-31';
let portier;
let smtp;
let agent;   // support, signed in with an app
let boss;    // admin, signed in with an app
const ids = {};

// Every credential, contact and status action of the account page, with a
// form that would succeed on a member.
const ACTIONS = [
  ['/support/compte/rappel-identifiant', {}],
  ['/support/compte/reinitialisation', {}],
  ['/support/compte/invitation', {}],
  ['/support/compte/mot-de-passe-temporaire', { delivery: 'show' }],
  ['/support/compte/suspension', {}],
  ['/support/compte/sessions', {}],
  ['/support/compte/statut', { status: 'disabled' }],
  ['/support/compte/courriel', { email: 'takeover@evil.example' }],
  ['/support/compte/mobile', { phone: '06 99 99 99 99' }],
  ['/support/compte/courriel/annuler', {}],
  ['/support/compte/role', { role: 'member' }],
];

async function act(client, id, path, form) {
  const csrf = await client.csrf('/support');
  return client.request('POST', path, { form: { csrf, id, reason: 'Appel', agent_password: PASSWORD, ...form } });
}

const show = (identifier) => {
  const r = portier.cli(['user', 'show', identifier]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};

// Messages in the outbox (any status) addressed to `identifier`'s address.
const outboxFor = (identifier) => {
  const r = portier.cli(['mail', 'list', '--limit', '1000']);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((line) => line.split('\t')[3] === `${identifier}@example.org`).length;
};

const refusals = async (viewer, id) =>
  ((await viewer.get(`/support/compte?id=${id}`)).text.match(/data-event="support\.refused"/g) ?? []).length;

// Tries every action on `target` as `client`: each answers 403, the account
// is unchanged, no mail left, and each attempt is audited.
async function everyActionRefused(client, target, viewer) {
  const before = show(target);
  const audited = await refusals(viewer, ids[target]);
  const queued = outboxFor(target);
  for (const [path, form] of ACTIONS) {
    const r = await act(client, ids[target], path, form);
    assert.equal(r.status, 403, `${path} on ${target}`);
    assert.doesNotMatch(r.text, /data-testid="temporary-password"/);
  }
  assert.equal(show(target), before, `${target} unchanged`);
  // Support agents never reach the role route's rank check (administrators only): one fewer audited.
  const expected = client === agent ? ACTIONS.length - 1 : ACTIONS.length;
  assert.equal(await refusals(viewer, ids[target]), audited + expected, 'each attempt audited');
  // A message (reminder, reset, temporary password, notice) is queued with the change it announces: none was.
  assert.equal(outboxFor(target), queued, `nothing queued for ${target}`);
}

before(async () => {
  smtp = await new SmtpSink().start();
  portier = new Portier({ env: { PORTIER_SECOND_STEP: 'optional' },
    toml: smtp.mailConfig(['from_address = "no-reply@example.org"']) });
  const add = (identifier, role) => portier.addUser({ identifier, email: `${identifier}@example.org`,
    password: PASSWORD, name: identifier, role });
  add('agent', 'support');
  add('colleague', 'support');
  add('boss', 'admin');
  add('chief', 'admin');
  add('marie', 'member');
  await portier.start();
  agent = await staffWithApp(portier, 'agent', PASSWORD);
  boss = await staffWithApp(portier, 'boss', PASSWORD);
  for (const who of ['agent', 'colleague', 'boss', 'chief', 'marie']) ids[who] = await consoleId(boss, who);
});

after(async () => {
  await portier?.cleanup();
  await smtp?.stop();
});

test('the takeover: a support agent can do nothing to an administrator\'s account', async () => {
  const page = await agent.get(`/support/compte?id=${ids.boss}`);
  assert.equal(page.status, 200, 'staff may still look the account up');
  assert.match(page.text, /data-testid="console-rank-note"/);
  assert.doesNotMatch(page.text, /data-testid="(temp|email|phone|status|reset|reminder|role)-submit"/);
  await everyActionRefused(agent, 'boss', boss);
  const trail = decodeEntities((await boss.get(`/support/compte?id=${ids.boss}`)).text);
  assert.match(trail, /data-event="support\.refused"[\s\S]*?agent<\/td>[\s\S]*?action: \/support\/compte\/courriel; rule: same_or_higher_rank \(support on admin\)/);
  // The administrator's session survived (a temporary password or a disable would have ended it).
  assert.equal((await boss.get('/support')).status, 200);
});

test('a support agent can do nothing to another support agent\'s account, nor to their own', async () => {
  await everyActionRefused(agent, 'colleague', boss);
  const own = await agent.get(`/support/compte?id=${ids.agent}`);
  assert.match(own.text, /data-testid="console-rank-note">[^<]*Mon espace/);
  assert.doesNotMatch(own.text, /data-testid="temp-submit"/);
  const r = await act(agent, ids.agent, '/support/compte/courriel', { email: 'ailleurs@example.org' });
  assert.equal(r.status, 403);
  assert.match(show('agent'), /^email:\s+agent@example\.org$/m);
});

test('an administrator cannot act on another administrator, nor on their own account', async () => {
  await everyActionRefused(boss, 'chief', boss);
  const own = await act(boss, ids.boss, '/support/compte/role', { role: 'member' });
  assert.equal(own.status, 403);
  assert.match(show('boss'), /^role:\s+admin$/m);
  assert.doesNotMatch((await boss.get(`/support/compte?id=${ids.chief}`)).text, /data-testid="role-select"/);
});

test('an administrator acts on a support agent; the temporary password is mailed, never shown', async () => {
  const page = await boss.get(`/support/compte?id=${ids.colleague}`);
  assert.match(page.text, /data-testid="temp-mail-only"/);
  assert.doesNotMatch(page.text, /id="temp-delivery-show"/);
  smtp.clear();
  // Even a forged "show" is mailed.
  const r = await act(boss, ids.colleague, '/support/compte/mot-de-passe-temporaire', { delivery: 'show' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/support/compte?id=${ids.colleague}&info=temp_mailed`);
  assert.doesNotMatch(r.text, /[2-9a-z]{4}-[2-9a-z]{4}-[2-9a-z]{4}-[2-9a-z]{4}/);
  const mail = await smtp.waitFor((m) => m.to === 'colleague@example.org');
  const temporary = mail.parsed.text.match(/\b[2-9a-z]{4}-[2-9a-z]{4}-[2-9a-z]{4}-[2-9a-z]{4}\b/)[0];
  const signIn = await new Client(portier.url).signIn('colleague', temporary);
  assert.equal(signIn.headers.get('location'), '/connexion/nouveau-mot-de-passe');
  // And a role change on a support agent is the administrator's to make.
  const demoted = await act(boss, ids.colleague, '/support/compte/role', { role: 'member' });
  assert.equal(demoted.status, 303);
  assert.match(show('colleague'), /^role:\s+member$/m);
});

test('the legitimate path: a support agent helps a member', async () => {
  const page = await agent.get(`/support/compte?id=${ids.marie}`);
  assert.doesNotMatch(page.text, /data-testid="console-rank-note"/);
  assert.match(page.text, /id="temp-delivery-show"/);
  const r = await act(agent, ids.marie, '/support/compte/mot-de-passe-temporaire', { delivery: 'show' });
  assert.equal(r.status, 200);
  assert.match(r.text, /data-testid="temporary-password" aria-label="[2-9A-Z]{4}( [2-9A-Z]{4}){3}"/);
  const email = await act(agent, ids.marie, '/support/compte/courriel', { email: 'marie.nouvelle@example.org' });
  assert.equal(email.status, 303);
  // The correction starts the member's confirmation (email_change.test.js):
  // nothing is written until the new mailbox answers; the old address is told.
  assert.match(show('marie'), /^email:\s+marie@example\.org$/m);
  await smtp.waitFor((m) => m.to === 'marie@example.org');
});

test('the operator acts on administrators from the server; the last administrator stays one', async () => {
  const demoted = portier.cli(['user', 'set-role', 'chief', 'support']);
  assert.equal(demoted.status, 0, demoted.stderr);
  const last = portier.cli(['user', 'set-role', 'boss', 'member']);
  assert.equal(last.status, 1);
  assert.match(last.stderr, /last active administrator/);
  assert.match(show('boss'), /^role:\s+admin$/m);
});
