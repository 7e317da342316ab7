// The console's registered applications (/support/applications): for
// administrators only (support agents and members get 403, visitors the
// sign-in page); adding with the form's errors shown by field, the agent's
// password asked once per confirmation period, the secret shown once and
// stored only as a hash; a new secret; editing a registration with the add
// form's rules and messages, the password, a confirmation on the
// application's page and an audit event naming what changed; removal after a
// confirmation step; every change audited with the administrator as actor.
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
let chief;  // another admin, whose password is not confirmed yet

const ROUTES = [
  ['GET', '/support/applications'],
  ['GET', '/support/applications/nouvelle'],
  ['POST', '/support/applications/nouvelle'],
  ['GET', '/support/applications/application?id=x'],
  ['POST', '/support/applications/application/secret'],
  ['POST', '/support/applications/application/supprimer'],
  ['GET', '/support/applications/application/modifier?id=x'],
  ['POST', '/support/applications/application/modifier'],
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
  add('chief', 'admin');
  add('marie', 'member');
  await portier.start();
  agent = await staffWithApp(portier, 'agent', PASSWORD);
  boss = await staffWithApp(portier, 'boss', PASSWORD);
  chief = await staffWithApp(portier, 'chief', PASSWORD);
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

// A registration made on the command line, edited in the console.
let edited;  // client_id
const EDIT = {
  name: 'Dossier partagé v2',
  redirect_uris: 'https://dossier.example.org/cb\nhttps://dossier.example.org/cb2',
  post_logout_redirect_uris: 'https://dossier.example.org/bye',
  backchannel_logout_uri: 'https://dossier.example.org/logout',
  trusted: '1', require_pkce: '1',
  grant_types: ['authorization_code', 'refresh_token'],
  scopes: ['openid', 'profile', 'rpps'],
  id_token_claims: ['rpps'],
  id_token_alg: 'ES256', access_token_format: 'jwt', access_token_audience: 'https://api.dossier.example.org',
};
const editRow = (id) => portier.sql(`SELECT name, trusted, redirect_uris, scopes, id_token_alg, access_token_format,
  access_token_audience, id_token_claims, backchannel_logout_uri, secret_hash FROM oidc_clients WHERE client_id = '${id}'`);
// A form with repeated fields (checkbox groups) from arrays.
const encoded = (form) => new URLSearchParams(Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, x])));
const editPost = async (client, form) => {
  const csrf = csrfOf((await client.get(`/support/applications/application/modifier?id=${form.id}`)).text);
  return client.request('POST', '/support/applications/application/modifier', { form: encoded({ csrf, ...form }) });
};

test('the edit page is reached from the application, pre-filled; the client_id and the kind are shown, not editable', async () => {
  const out = portier.cli(['client', 'add', '--name', 'Dossier partagé', '--redirect-uri', 'https://dossier.example.org/cb']).stdout;
  edited = out.match(/^client_id: (\S+)$/m)[1];
  const page = await boss.get(`/support/applications/application?id=${edited}`);
  assert.match(page.text, new RegExp(`href="/support/applications/application/modifier\\?id=${edited}" data-testid="client-edit"`));

  const r = await boss.get(`/support/applications/application/modifier?id=${edited}`);
  assert.equal(r.status, 200);
  const text = decodeEntities(r.text);
  assert.match(text, /<title>Modifier l’application «\u00a0Dossier partagé\u00a0»/);
  assert.match(text, /id="client-name"[^>]*value="Dossier partagé"/);
  assert.match(text, />https:\/\/dossier\.example\.org\/cb<\/textarea>/);
  assert.match(text, new RegExp(`<code data-testid="client-id">${edited}</code>`));
  assert.match(text, /data-testid="client-type">confidentielle/);
  assert.doesNotMatch(text, /name="(public|auth_method|jwks|client_id)"/, 'the kind is not a field');
  assert.match(text, /name="scopes" value="openid" checked/);
  assert.match(text, /name="scopes" value="rpps" aria/, 'rpps not allowed yet');
  assert.match(text, /<option value="RS256" selected>/);
  assert.match(text, /name="access_token_format" value="opaque" checked/);
  assert.match(text, /id="client-require_pkce"[^>]*checked/);
  assert.match(text, /data-testid="console-confirmed"/, 'boss confirmed the password when adding');
  assert.match((await chief.get(`/support/applications/application/modifier?id=${edited}`)).text, /id="edit-agent_password"/);
  const en = await boss.get(`/support/applications/application/modifier?id=${edited}`, { headers: { 'accept-language': 'en' } });
  assert.match(decodeEntities(en.text), /<title>Edit application “Dossier partagé”/);
  for (const html of [text, en.text]) assert.doesNotMatch(html, /clients_[a-z_]+/, 'every label is translated');
});

test('an edit with mistakes shows each under its field and in the summary, keeps what was typed, changes nothing', async () => {
  const before = editRow(edited);
  const r = await editPost(boss, {
    ...EDIT, id: edited, name: ' ', redirect_uris: 'http://dossier.example.org/cb\nhttps://dossier.example.org/cb#top',
    post_logout_redirect_uris: 'https://*.example.org/bye', backchannel_logout_uri: 'https://user@dossier.example.org/logout',
    grant_types: ['authorization_code', 'refresh_token', 'implicit'], scopes: ['profile', 'inconnue'], id_token_claims: ['secret'],
    id_token_alg: 'none', access_token_audience: 'pas une adresse', agent_password: PASSWORD,
  });
  assert.equal(r.status, 422);
  const text = decodeEntities(r.text);
  assert.match(text, /<title>Erreur/);
  const expected = [
    ['name', 'Nom', /Le nom doit compter de 1 à 100 caractères\./],
    ['redirect_uris', 'Adresses de retour', /«\u00a0http:\/\/dossier\.example\.org\/cb\u00a0» doit commencer par https:\/\/.*«\u00a0https:\/\/dossier\.example\.org\/cb#top\u00a0» ne doit pas contenir de #\./],
    ['post_logout_redirect_uris', 'Adresses après déconnexion', /doit être exacte, sans caractère \*\./],
    ['backchannel_logout_uri', 'Adresse de déconnexion en arrière-plan', /ne doit pas contenir d’identifiant ni de mot de passe/],
    ['grant_types', 'Autorisations', /«\u00a0implicit\u00a0» n’est pas une autorisation connue\./],
    ['scopes', 'Portées permises', /«\u00a0inconnue\u00a0» n’est pas une portée connue\. Une application qui connecte des membres a besoin de la portée openid\./],
    ['id_token_claims', 'Données placées dans le jeton d’identité', /«\u00a0secret\u00a0» n’est pas une donnée que le portail délivre\./],
    ['id_token_alg', 'Signature des jetons d’identité', /«\u00a0none\u00a0» n’est ni RS256, ni ES256, ni EdDSA\./],
    ['access_token_audience', 'Audience des jetons d’accès JWT', /L’audience doit être une adresse complète/],
  ];
  const summary = text.slice(text.indexOf('data-testid="error-summary"'), text.indexOf('</ul>', text.indexOf('data-testid="error-summary"')));
  const links = [...summary.matchAll(/<a href="#client-([a-z_]+)">/g)].map((m) => m[1]);
  assert.deepEqual(links, expected.map(([field]) => field), 'one entry per field, in the order of the page');
  for (const [field, label, message] of expected) {
    const entry = summary.match(new RegExp(`<a href="#client-${field}">([^<]*)</a>`))[1];
    assert.ok(entry.startsWith(label), `${field}: ${entry}`);
    assert.match(entry, message);
    assert.match(text, new RegExp(`id="client-${field}-error">[^<]*${message.source}`), `${field} under its field`);
    assert.match(text, new RegExp(`id="client-${field}"[^>]*aria-invalid="true"`), `${field} marked invalid`);
  }
  assert.match(text, />http:\/\/dossier\.example\.org\/cb\nhttps:\/\/dossier\.example\.org\/cb#top<\/textarea>/);
  assert.match(text, /name="scopes" value="profile" checked/);
  assert.match(text, /name="scopes" value="openid" aria/, 'unchecked as posted');
  assert.equal(editRow(edited), before, 'nothing stored');
});

test('a public application must keep PKCE and cannot use client_credentials', async () => {
  const id = portier.cli(['client', 'add', '--name', 'Mobile', '--public', '--redirect-uri', 'https://m.example.org/cb']).stdout
    .match(/^client_id: (\S+)$/m)[1];
  const r = await editPost(boss, { ...EDIT, id, name: 'Mobile', require_pkce: '',
    grant_types: ['authorization_code', 'client_credentials'], agent_password: PASSWORD });
  assert.equal(r.status, 422);
  const text = decodeEntities(r.text);
  assert.match(text, /id="client-require_pkce-error">Une application publique doit utiliser PKCE\./);
  assert.match(text, /id="client-grant_types-error">Une application publique ne peut pas accéder sans membre/);
  assert.match(text, /id="client-require_pkce"[^>]*aria-invalid="true"/);
  assert.match(text, /data-testid="client-type">publique/);
});

test('a wrong password changes nothing; the password is asked again', async () => {
  const before = editRow(edited);
  const r = await editPost(chief, { ...EDIT, id: edited, agent_password: 'pas-le-bon' });
  assert.equal(r.status, 422);
  assert.match(r.text, /<a href="#edit-agent_password">/);
  assert.match(r.text, /id="edit-agent_password"[^>]*aria-invalid="true"/);
  assert.match(decodeEntities(r.text), /id="client-name"[^>]*value="Dossier partagé v2"/, 'what was typed is kept');
  assert.equal(editRow(edited), before);
  const noCsrf = await chief.request('POST', '/support/applications/application/modifier',
    { form: encoded({ ...EDIT, id: edited, agent_password: PASSWORD }) });
  assert.equal(noCsrf.status, 403, 'no CSRF token, no change');
  assert.equal(editRow(edited), before);
});

test('a valid edit is saved, audited with what changed, and lands on the application with a focused confirmation', async () => {
  const hash = editRow(edited).split('|').at(-1);
  const r = await editPost(chief, { ...EDIT, id: edited, agent_password: PASSWORD });
  assert.equal(r.status, 303, r.text.slice(0, 500));
  assert.equal(r.headers.get('location'), `/support/applications/application?id=${edited}&info=updated`);
  assert.deepEqual(editRow(edited).split('|'), ['Dossier partagé v2', '1',
    '["https://dossier.example.org/cb","https://dossier.example.org/cb2"]', '["openid","profile","rpps"]', 'ES256', 'jwt',
    'https://api.dossier.example.org', '["rpps"]', 'https://dossier.example.org/logout', hash]);

  const page = await chief.get(r.headers.get('location'));
  assert.equal(page.status, 200);
  assert.match(decodeEntities(page.text),
    /<div class="notice" role="status" tabindex="-1" autofocus data-testid="notice">Les modifications ont été enregistrées\.<\/div>/);
  assert.match(page.text, /<code>https:\/\/dossier\.example\.org\/cb2<\/code>/);
  assert.match(page.text, /<code>https:\/\/api\.dossier\.example\.org<\/code>/, 'the audience is among the facts');
  assert.match(portier.cli(['client', 'show', edited]).stdout, /^id token alg:\s+ES256$/m);

  const chiefId = portier.sql("SELECT id FROM accounts WHERE identifier = 'chief'");
  const [event, actor, detail] = portier.sql(`SELECT event, actor_id, detail FROM audit_events
    WHERE detail LIKE 'client_id=${edited} %' ORDER BY id DESC LIMIT 1`).split('|');
  assert.equal(event, 'oidc.client_updated');
  assert.equal(actor, chiefId);
  assert.match(detail, / changed=name,trusted,redirect_uris,post_logout_redirect_uris,backchannel_logout_uri,id_token_alg,scopes,access_token_format,access_token_audience,id_token_claims$/);
  assert.equal(portier.sql("SELECT count(*) FROM audit_events WHERE event = 'oidc.client_updated'"), '1', 'failed attempts are not audited as changes');
});

test('an application removed meanwhile gives a clear message, not an error', async () => {
  const csrf = csrfOf((await boss.get(`/support/applications/application/modifier?id=${edited}`)).text);
  portier.cli(['client', 'remove', edited]);
  const r = await boss.request('POST', '/support/applications/application/modifier',
    { form: encoded({ csrf, ...EDIT, id: edited, agent_password: PASSWORD }) });
  assert.equal(r.status, 404);
  assert.match(decodeEntities(r.text), /Cette application n’existe plus\u00a0: elle a été supprimée entre-temps\. Rien n’a été modifié\./);
  assert.equal(portier.sql(`SELECT count(*) FROM oidc_clients WHERE client_id = '${edited}'`), '0', 'not brought back');
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
