// The support console as an agent uses it on the phone (issue 10, items 14,
// 15, 17 and the console part of 2), over HTTP against the real server:
// search by words in any order without titles or accents, phones shown as
// read aloud with tel: links and a "suspendu" badge; the account page's
// status banner, folded groups of actions and the agent's password asked
// once per period; temporary passwords that lift the suspension and count in
// any case and spacing; the CSV import of office files (upload, Windows-1252,
// ";" separators, French headers, preview, valid lines only); audit and
// message kinds in French.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier, Client } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { decodeEntities } from './helpers.js';
import { staffWithApp, csrfOf } from './staff_session.js';

const PASSWORD = 'Lanterne-Garrigue-Phare-31';
// The page's text with entities decoded and French non-breaking spaces as spaces.
const plain = (html) => decodeEntities(html).replace(/[\u00a0\u202f]/g, ' ');
let portier;
let smtp;
let agent;

async function search(query) {
  const r = await agent.get(`/support?q=${encodeURIComponent(query)}`);
  assert.equal(r.status, 200);
  return r;
}
const found = (r) => [...r.text.matchAll(/data-testid="console-result">([^<]+)</g)].map((m) => m[1]);
async function idOf(identifier) {
  const r = await search(identifier);
  const m = [...r.text.matchAll(/href="\/support\/compte\?id=(\d+)" data-testid="console-result">([^<]+)</g)]
    .find((x) => x[2] === identifier);
  assert.ok(m, `${identifier} found`);
  return m[1];
}
async function act(client, id, path, form) {
  const csrf = await client.csrf(`/support/compte?id=${id}`);
  return client.request('POST', path, { form: { csrf, id, ...form } });
}
async function suspend(identifier) {
  for (let i = 0; i < 3; i++) await new Client(portier.url).signIn(identifier, 'pas-le-bon-mot-de-passe');
}

before(async () => {
  smtp = await new SmtpSink().start();
  portier = new Portier({
    env: { PORTIER_SECOND_STEP: 'optional' },
    toml: [
      '[mail]', `smtp_url = "${smtp.url}"`, 'smtp_tls = "none"', 'from_address = "no-reply@example.org"', 'smtp_timeout = 5',
      '[lockout]', 'threshold = 3',
      '[security]', 'console_confirmation_period = 300',
    ],
  });
  portier.addUser({ identifier: 'agent', email: 'agent@example.org', password: PASSWORD, name: 'Agathe Agent', role: 'support' });
  portier.addUser({ identifier: 'cmartin', email: 'claire.martin@example.org', password: PASSWORD, name: 'Claire Martin', phone: '+33612345678' });
  portier.addUser({ identifier: 'hlevy', email: 'h.levy@example.org', password: PASSWORD, name: 'Hélène Lévy', phone: '+32470123456' });
  portier.addUser({ identifier: 'pmartin', email: 'paul@example.org', password: PASSWORD, name: 'Paul Martin' });
  await portier.start();
  agent = await staffWithApp(portier, 'agent', PASSWORD);
});

after(async () => {
  await portier?.cleanup();
  await smtp?.stop();
});

test('search takes words in any order, drops titles, ignores accents and case', async () => {
  assert.deepEqual(found(await search('martin claire')), ['cmartin']);
  assert.deepEqual(found(await search('Dr Martin')), ['cmartin', 'pmartin']);
  assert.deepEqual(found(await search('Docteur CLAIRE Martin')), ['cmartin']);
  assert.deepEqual(found(await search('helene')), ['hlevy']);
  assert.deepEqual(found(await search('Hélène LÉVY')), ['hlevy']);
  assert.deepEqual(found(await search('06 12 34 56 78')), ['cmartin']);
  assert.deepEqual(found(await search('mar cla')), ['cmartin'], 'each word a prefix');
  const none = await search('Mme Inconnue');
  assert.deepEqual(found(none), []);
  assert.match(none.text, /Aucun compte trouvé\./);
  assert.match((await search('martin')).text, /2 comptes trouvés/);
});

test('results show the phone as read aloud with a tel: link, and a "suspendu" badge', async () => {
  await suspend('pmartin');
  const r = plain((await search('martin')).text);
  assert.match(r, /<a href="tel:\+33612345678"[^>]*>06 12 34 56 78<\/a>/);
  const rows = r.split('data-testid="console-result-row"').slice(1);
  const claire = rows.find((x) => x.includes('>cmartin<'));
  const paul = rows.find((x) => x.includes('>pmartin<'));
  assert.doesNotMatch(claire, /console-badge-suspended/);
  assert.match(paul, /data-testid="console-badge-suspended">suspendu</);
  const levy = plain((await search('levy')).text);
  assert.match(levy, /<a href="tel:\+32470123456"[^>]*>\+32 470 12 34 56<\/a>/);
});

test('the account page opens with a status banner and folded groups; the agent\'s password is asked once per period', async () => {
  const id = await idOf('pmartin');
  let page = plain((await agent.get(`/support/compte?id=${id}`)).text);
  assert.match(page, /data-testid="console-banner"[\s\S]*Connexion suspendue jusqu’au[\s\S]*lever la suspension/);
  assert.match(page, /href="\/support\/compte\?id=\d+&ouvrir=acces#unlock-heading"/);
  // Folded until used; ?ouvrir= (the banner's link) opens the group without JavaScript.
  assert.match(page, /<details class="action-group" id="groupe-acces" data-testid="group-acces">/);
  const opened = (await agent.get(`/support/compte?id=${id}&ouvrir=acces`)).text;
  assert.match(opened, /id="groupe-acces" open/);
  // Created by the command line; the audit trail in French.
  assert.match(page, /data-testid="console-created">[^<]*– par <strong>la ligne de commande du serveur<\/strong>/);
  assert.match(page, /data-event="sign_in.failure"><td[^>]*>[^<]*<\/td><td[^>]*>Échec de connexion<\/td>[\s\S]*?mot de passe erroné/);
  // Not confirmed yet: the confirm form, and sensitive forms ask for the password.
  assert.match(page, /data-testid="console-confirm"/);
  assert.match(page, /id="unlock-agent_password"/);

  let r = await act(agent, id, '/support/compte/suspension', { reason: 'Appel du membre' });
  assert.equal(r.status, 422);
  assert.match(r.text, /<a href="#unlock-agent_password">/);
  assert.match(r.text, /id="groupe-acces" open/, 'the group with the problem opens');

  r = await act(agent, id, '/support/confirmation', { agent_password: 'faux' });
  assert.equal(r.status, 422);
  assert.match(r.text, /<a href="#confirm-agent_password">/);
  r = await act(agent, id, '/support/confirmation', { agent_password: PASSWORD });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/support/compte?id=${id}&info=confirmed#actions`);

  page = plain((await agent.get(`/support/compte?id=${id}`)).text);
  assert.match(page, /data-testid="console-confirmed">Mot de passe confirmé jusqu’au/);
  assert.doesNotMatch(page, /id="unlock-agent_password"/);
  assert.doesNotMatch(page, /data-testid="console-confirm"/);
  // Within the period, a reason is enough.
  r = await act(agent, id, '/support/compte/suspension', { reason: 'Appel du membre' });
  assert.equal(r.status, 303);
  page = plain((await agent.get(`/support/compte?id=${id}`)).text);
  assert.match(page, /Compte utilisable : aucune suspension\./);
  // The confirmation is audited on the agent's own account.
  const own = plain((await agent.get(`/support/compte?id=${await idOf('agent')}`)).text);
  assert.match(own, /data-event="support.confirmed"><td[^>]*>[^<]*<\/td><td[^>]*>Mot de passe de l’agent confirmé pour la console</);
  // Another session of the same agent is not covered: tests/unit/admin/support_service_test.cpp.
});

test('a temporary password lifts the suspension, is shown large and spelled, and counts in any case and spacing', async () => {
  await suspend('cmartin');
  const id = await idOf('cmartin');
  let page = plain((await agent.get(`/support/compte?id=${id}&ouvrir=acces`)).text);
  assert.match(page, /data-testid="temp-lifts"><strong>La connexion de ce compte est suspendue : le mot de passe temporaire lève aussi la suspension\./);
  const r = await act(agent, id, '/support/compte/mot-de-passe-temporaire',
    { delivery: 'show', reason: 'Appel, identité vérifiée', agent_password: PASSWORD });
  assert.equal(r.status, 200);
  const text = plain(r.text);
  const shown = text.match(/data-testid="temporary-password" aria-label="([^"]+)"/)[1];
  assert.match(shown, /^[2-9A-Z]{4} [2-9A-Z]{4} [2-9A-Z]{4} [2-9A-Z]{4}$/);
  assert.doesNotMatch(shown, /[01ILO]/);
  assert.match(text, /data-testid="temporary-spelling"/);
  const letter = shown.replace(/[^A-Z]/g, '')[0];
  if (letter) assert.match(text, new RegExp(`${letter} comme [A-ZÉ][a-zéèë]+`));
  page = plain((await agent.get(`/support/compte?id=${id}`)).text);
  assert.match(page, /Mot de passe temporaire en attente, valable jusqu’au/);
  assert.doesNotMatch(page, /Connexion suspendue jusqu’au/);
  assert.match(page, /data-event="admin.user.unlock"[\s\S]*?with a temporary password/);
  // Typed as heard: lower case, no spaces.
  const typed = shown.toLowerCase().replace(/ /g, '');
  const member = new Client(portier.url);
  const signIn = await member.signIn('cmartin', typed);
  assert.equal(signIn.status, 303);
  assert.equal(signIn.headers.get('location'), '/connexion/nouveau-mot-de-passe');
});

test('the CSV import reads an office file: upload, Windows-1252, ";", French headers, a preview, the valid lines', async () => {
  const csv = Buffer.from(
    'Nom;Pr\xe9nom;Adresse e-mail;T\xe9l\xe9phone;RPPS;Service\r\n' +
    'Durand;Am\xe9lie;amelie@example.org;06 11 22 33 44;10001234567;Cardiologie\r\n' +
    'Faure;Bruno;pas-une-adresse;12;;\r\n' +
    'L\xe9vy;No\xe9mie;noemie@example.org;;;\r\n', 'latin1');
  const csrf = await agent.csrf('/support/import');
  const upload = (step, extra = {}) => {
    const form = new FormData();
    form.append('csrf', csrf);
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'liste.csv');
    form.append('csv', '');
    form.append('step', step);
    for (const [k, v] of Object.entries(extra)) form.append(k, v);
    return agent.request('POST', '/support/import', { body: form });
  };
  let r = await upload('check');
  assert.equal(r.status, 422);
  let text = plain(r.text);
  assert.match(text, /Fichier lu en Windows-1252, séparateur « ; »\./);
  assert.match(text, /Colonnes ignorées : « Service »\./);
  assert.match(text, /2 lignes valides\./);
  assert.match(text, /1 ligne à corriger\./);
  assert.match(text, /<td data-label="Adresse e-mail" class="cell-error" data-testid="import-cell-error">pas-une-adresse<span class="cell-problem">/);
  assert.match(text, /<td data-label="Prénom">Amélie<\/td>/);
  assert.match(text, /<td data-label="Identifiant">amelie.durand<\/td>/);
  assert.match(text, /data-testid="import-apply">Importer les 2 lignes valides</);
  // The text area holds the file as read (UTF-8), so that importing sends what was checked.
  assert.match(text, /<textarea[^>]*>Nom;Prénom;Adresse e-mail/);

  r = await upload('apply', { agent_password: PASSWORD });
  assert.equal(r.status, 200);
  text = plain(r.text);
  assert.match(text, /2 comptes créés\. 2 invitations envoyées\./);
  const created = [...text.matchAll(/href="\/support\/compte\?id=(\d+)" data-testid="import-created">([^<]+)</g)];
  assert.deepEqual(created.map((m) => m[2]), ['amelie.durand', 'noemie.levy']);
  const account = plain((await agent.get(`/support/compte?id=${created[0][1]}`)).text);
  assert.match(account, /– par <strong>agent<\/strong> \(import CSV\)/);
  assert.match(account, /<a href="tel:\+33611223344"[^>]*>06 11 22 33 44<\/a>/);
  await smtp.waitFor((m) => m.to === 'amelie@example.org');
  assert.deepEqual(found(await search('noemie levy')), ['noemie.levy']);
});

test('pasted English CSV with commas works as before, and a file without an email column is refused whole', async () => {
  const csrf = await agent.csrf('/support/import');
  let r = await agent.request('POST', '/support/import', { form: { csrf, step: 'check',
    csv: 'email,last name,first name,phone,rpps\nzoe@example.org,Roux,Zoé,,\n' } });
  assert.equal(r.status, 200);
  assert.match(plain(r.text), /1 ligne valide\./);
  r = await agent.request('POST', '/support/import', { form: { csrf, step: 'check', csv: 'nom;prénom\nRoux;Zoé\n' } });
  assert.equal(r.status, 422);
  assert.match(plain(r.text), /la première ligne doit nommer les colonnes, au moins « Adresse e-mail »/);
  assert.doesNotMatch(r.text, /data-testid="import-apply"/);
});
