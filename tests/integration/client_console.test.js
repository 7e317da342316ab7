// The console's registered applications (/support/applications): for
// administrators only (support agents and members get 403, visitors the
// sign-in page); adding with the form's errors shown by field, the agent's
// password asked once per confirmation period, the secret shown once and
// stored only as a hash; a new secret; removal after a confirmation step;
// every change audited with the administrator as actor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier, Client } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { decodeEntities } from './helpers.js';
import { staffWithApp, signedIn, csrfOf } from './staff_session.js';

const PASSWORD = 'Lanterne-Garrigue-Phare-31';
let portier;
let smtp;
let agent;  // support, signed in with an app
let boss;   // admin, signed in with an app

const ROUTES = [
  ['GET', '/support/applications'],
  ['GET', '/support/applications/nouvelle'],
  ['POST', '/support/applications/nouvelle'],
  ['GET', '/support/applications/application?id=x'],
  ['POST', '/support/applications/application/secret'],
  ['POST', '/support/applications/application/supprimer'],
];

const FORM = {
  name: '  Agenda partagé ',
  redirect_uris: 'https://agenda.example.org/cb\r\n  http://127.0.0.1:8080/cb  \r\n',
  post_logout_redirect_uris: 'https://agenda.example.org/bye',
  backchannel_logout_uri: '',
  trusted: '1',
};

const secretOf = (html) => html.match(/data-testid="client-secret">([A-Za-z0-9_-]+)</)?.[1];
const idOf = (html) => html.match(/data-testid="client-id">([A-Za-z0-9_-]+)</)?.[1];
const row = (id) => portier.sql(`SELECT name, secret_hash, trusted, redirect_uris FROM oidc_clients WHERE client_id = '${id}'`);

async function post(client, path, form) {
  const csrf = await client.csrf('/support/applications/nouvelle');
  return client.request('POST', path, { form: { csrf, ...form } });
}

before(async () => {
  smtp = await new SmtpSink().start();
  portier = new Portier({ env: { PORTIER_SECOND_STEP: 'optional' },
    toml: smtp.mailConfig(['from_address = "no-reply@example.org"']) });
  const add = (identifier, role) => portier.addUser({ identifier, email: `${identifier}@example.org`,
    password: PASSWORD, name: identifier, role });
  add('agent', 'support');
  add('boss', 'admin');
  add('marie', 'member');
  await portier.start();
  agent = await staffWithApp(portier, 'agent', PASSWORD);
  boss = await staffWithApp(portier, 'boss', PASSWORD);
});

after(async () => {
  await portier?.cleanup();
  await smtp?.stop();
});

test('only administrators reach the applications; the link is theirs only', async () => {
  const member = await signedIn(portier, 'marie', PASSWORD);
  for (const [method, path] of ROUTES) {
    for (const [who, c] of [['agent', agent], ['member', member]]) {
      const r = method === 'GET' ? await c.get(path)
        : await c.request('POST', path, { form: { csrf: csrfOf((await c.get('/mon-espace')).text), id: 'x',
          agent_password: PASSWORD, ...FORM } });
      assert.equal(r.status, 403, `${who} ${method} ${path}`);
    }
    if (method === 'GET') {
      const anonymous = await new Client(portier.url).get(path);
      assert.equal(anonymous.status, 303);
      assert.match(anonymous.headers.get('location'), /^\/connexion/);
    }
  }
  assert.equal(portier.sql('SELECT count(*) FROM oidc_clients'), '0', 'nothing was added');
  assert.doesNotMatch((await agent.get('/support')).text, /console-nav-clients/);
  const console = await boss.get('/support');
  assert.match(console.text, /<a href="\/support\/applications" data-testid="console-nav-clients">Applications<\/a>/);
  const list = await boss.get('/support/applications');
  assert.equal(list.status, 200);
  assert.match(decodeEntities(list.text), /Aucune application enregistrée\./);
});

test('a form with mistakes shows each under its field and in the summary, keeps what was typed, stores nothing', async () => {
  const r = await post(boss, '/support/applications/nouvelle', {
    ...FORM, name: '', redirect_uris: 'http://agenda.example.org/cb\nhttps://agenda.example.org/cb#top',
    backchannel_logout_uri: 'https://user@agenda.example.org/logout', agent_password: PASSWORD,
  });
  assert.equal(r.status, 422);
  const text = decodeEntities(r.text);
  assert.match(text, /data-testid="error-summary"/);
  assert.match(text, /<a href="#client-name">Nom/);
  assert.match(text, /<a href="#client-redirect_uris">Adresses de retour/);
  assert.match(text, /<a href="#client-backchannel_logout_uri">/);
  assert.match(text, /id="client-name-error">Le nom doit compter de 1 à 100 caractères\./);
  assert.match(text, /«\u00a0http:\/\/agenda\.example\.org\/cb\u00a0» doit commencer par https:\/\//);
  assert.match(text, /«\u00a0https:\/\/agenda\.example\.org\/cb#top\u00a0» ne doit pas contenir de #/);
  assert.match(text, /id="client-redirect_uris"[^>]*aria-invalid="true"/);
  assert.match(text, />http:\/\/agenda\.example\.org\/cb\nhttps:\/\/agenda\.example\.org\/cb#top<\/textarea>/);
  assert.match(text, /id="client-trusted"[^>]*checked/);
  assert.equal(portier.sql('SELECT count(*) FROM oidc_clients'), '0');
});

let added;  // { id, secret }

test('adding asks the password, then shows the client_id and the secret once; only a hash is stored', async () => {
  const wrong = await post(boss, '/support/applications/nouvelle', { ...FORM, agent_password: 'pas-le-bon' });
  assert.equal(wrong.status, 422);
  assert.match(wrong.text, /<a href="#client-agent_password">/);
  assert.match(wrong.text, /id="client-agent_password"[^>]*aria-invalid="true"/);
  assert.equal(portier.sql('SELECT count(*) FROM oidc_clients'), '0');

  const r = await post(boss, '/support/applications/nouvelle', { ...FORM, agent_password: PASSWORD });
  assert.equal(r.status, 200, r.text.slice(0, 500));
  assert.match(r.headers.get('cache-control'), /no-store/);
  const id = idOf(r.text);
  const secret = secretOf(r.text);
  assert.ok(id && id.length >= 22);
  assert.ok(secret && secret.length >= 43);
  assert.match(decodeEntities(r.text), /Copiez le secret maintenant\u00a0: il ne sera plus jamais affiché\./);
  added = { id, secret };

  const [name, hash, trusted, redirects] = row(id).split('|');
  assert.equal(name, 'Agenda partagé');
  assert.ok(hash.length > 0 && !hash.includes(secret));
  assert.equal(trusted, '1');
  assert.deepEqual(JSON.parse(redirects), ['https://agenda.example.org/cb', 'http://127.0.0.1:8080/cb']);

  // Never shown again: not in the list, not on the application's page.
  const list = await boss.get('/support/applications');
  assert.match(list.text, new RegExp(`href="/support/applications/application\\?id=${id}" data-testid="clients-link">Agenda partagé<`));
  const page = await boss.get(`/support/applications/application?id=${id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<code>https:\/\/agenda\.example\.org\/cb<\/code>/);
  for (const html of [list.text, page.text]) {
    assert.ok(!html.includes(secret), 'the secret is not shown again');
    assert.ok(!html.includes(hash), 'nor its hash');
  }
  // The CLI sees the same client.
  assert.match(portier.cli(['client', 'show', id]).stdout, /^name:\s+Agenda partagé$/m);
});

test('a new secret replaces the old one and is shown once', async () => {
  const before = row(added.id).split('|')[1];
  const r = await post(boss, '/support/applications/application/secret', { id: added.id });
  assert.equal(r.status, 200, r.text.slice(0, 500));
  const secret = secretOf(r.text);
  assert.ok(secret && secret !== added.secret);
  assert.match(decodeEntities(r.text), /Nouveau secret/);
  const after = row(added.id).split('|')[1];
  assert.notEqual(after, before);
  assert.ok(!after.includes(secret));
  const page = await boss.get(`/support/applications/application?id=${added.id}`);
  assert.ok(!page.text.includes(secret));
});

test('a public application gets no secret', async () => {
  const r = await post(boss, '/support/applications/nouvelle', { ...FORM, name: 'Appli mobile', public: '1' });
  assert.equal(r.status, 200);
  assert.equal(secretOf(r.text), undefined);
  assert.match(r.text, /data-testid="client-no-secret"/);
  const page = await boss.get(`/support/applications/application?id=${idOf(r.text)}`);
  assert.doesNotMatch(page.text, /client-rotate-form/, 'no secret to rotate');
});

test('removal asks for confirmation, then removes; every change is audited with the administrator', async () => {
  const ask = await post(boss, '/support/applications/application/supprimer', { id: added.id });
  assert.equal(ask.status, 200);
  assert.match(decodeEntities(ask.text), /Supprimer l’application «\u00a0Agenda partagé\u00a0»\u202f\?/);
  assert.equal(portier.sql(`SELECT count(*) FROM oidc_clients WHERE client_id = '${added.id}'`), '1', 'not yet');

  const done = await post(boss, '/support/applications/application/supprimer', { id: added.id, confirm: '1' });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), '/support/applications?info=removed');
  assert.equal(portier.sql(`SELECT count(*) FROM oidc_clients WHERE client_id = '${added.id}'`), '0');
  const list = await boss.get('/support/applications?info=removed');
  assert.match(decodeEntities(list.text), /data-testid="notice">L’application a été supprimée\./);
  assert.equal((await boss.get(`/support/applications/application?id=${added.id}`)).status, 404);

  const bossId = portier.sql("SELECT id FROM accounts WHERE identifier = 'boss'");
  const events = portier.sql(`SELECT event, actor_id FROM audit_events WHERE detail LIKE 'client_id=${added.id} %' ORDER BY id`);
  assert.deepEqual(events.split('\n'),
    [`oidc.client_added|${bossId}`, `oidc.client_secret_rotated|${bossId}`, `oidc.client_removed|${bossId}`]);
});
