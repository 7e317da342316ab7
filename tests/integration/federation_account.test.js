// Accounts created from Pro Santé Connect's claims (create_accounts), this
// test acting as the browser over HTTP against the mock of PSC, on either
// backend: a provider without create_accounts refuses a person no account
// knows; one with it shows what will be created (names, address, profession
// and its code, RPPS, role), creates one member on confirmation (linked,
// signed in, audited, welcomed by mail), and PSC alone signs in after; two
// confirmations of one offer make one account; an address or an RPPS
// already in use gets a clear page and nothing is written; a missing or
// cancelled offer leads nowhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Portier } from '../support/portier.js';
import { Browser } from '../support/browser.js';
import { freePort } from '../support/nginx.js';
import { PscMock, rppsFrom } from '../support/psc_mock.js';
import { SmtpSink } from '../support/smtp.js';
import { decodeEntities, hasMessage, message, testidText, testids } from './helpers.js';

let smtp;
let psc;    // create_accounts = true
let other;  // create_accounts left out (false)
let portier;
let main;

before(async () => {
  smtp = await new SmtpSink().start();
  const port = await freePort();
  main = `http://127.0.0.1:${port}`;
  psc = await new PscMock({ redirectUri: `${main}/federation/psc/retour` }).start();
  other = await new PscMock({ redirectUri: `${main}/federation/autre/retour` }).start();
  portier = new Portier({
    env: { PORTIER_LISTEN: `127.0.0.1:${port}`, PORTIER_PUBLIC_URL: main },
    toml: [
      ...smtp.mailConfig(),
      '[[federation.providers]]', 'id = "psc"', 'preset = "psc-sandbox"', 'create_accounts = true',
      `discovery_url = "${psc.discoveryUrl}"`, `client_id = "${psc.clientId}"`, 'client_secret_file = "SECRET"',
      '[[federation.providers]]', 'id = "autre"', 'preset = "psc-sandbox"', 'label = "PSC (sans création)"',
      `discovery_url = "${other.discoveryUrl}"`, `client_id = "${other.clientId}"`,
      `client_secret = "${other.clientSecret}"`,
    ],
  });
  const secretFile = join(portier.dataDir, 'psc.secret');
  writeFileSync(secretFile, `${psc.clientSecret}\n`);
  chmodSync(secretFile, 0o600);
  writeFileSync(portier.config, readFileSync(portier.config, 'utf8').replace('"SECRET"', `"${secretFile}"`));
  portier.addUser({ identifier: 'homonyme', email: 'pris@example.org', password: 'ruisseau-lanterne-hiver-42',
    name: 'Autre Personne' });
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
  await psc?.stop();
  await other?.stop();
  await smtp?.stop();
});

const path = (page) => new URL(page.url).pathname;
const count = (sql) => Number(portier.sql(sql));
const says = (html, key) => decodeEntities(html).includes(decodeEntities(message(key)));

// A person PSC knows (a fresh sub, RPPS and address for each test), who
// signs in at `mock` from now on.
let people = 0;
function person(mock = psc, { email, profession = '60', ...more } = {}) {
  people += 1;
  const rpps = rppsFrom(String(2000000000 + people * 7919));
  const id = `f:test-person-${people}`;
  mock.op.accounts[id] = {
    SubjectNameID: `8${rpps}`, given_name: 'Élise', family_name: `Martin-${people}`,
    email: email ?? `elise.martin${people}@example.org`, preferred_username: `8${rpps}`,
    SubjectRefPro: { codeCivilite: 'MME', exercices: [{ codeProfession: profession, codeCategorieProfessionnelle: 'C',
      nomExercice: `MARTIN-${people}`, prenomExercice: 'Élise', activities: [] }] },
    SubjectOrganization: 'Cabinet Martin', SubjectRole: [`${profession}^1.2.250.1.213.1.1.5.5`],
    ...more,
  };
  mock.signInAs(id);
  return { id, rpps, email: mock.op.accounts[id].email, familyName: `Martin-${people}` };
}

// Through the provider and back, redirects followed: ends on the offer page.
const throughPsc = (browser, id = 'psc') => browser.follow(`${main}/federation/${id}`);

test('a provider without create_accounts refuses a person no account knows, and creates nothing', async () => {
  person(other);
  const accounts = count('SELECT count(*) FROM accounts');
  const page = await throughPsc(new Browser(), 'autre');
  assert.equal(page.status, 403);
  assert.match(page.text, /data-reason="unknown_person"/);
  assert.equal(count('SELECT count(*) FROM accounts'), accounts);
  assert.equal(count("SELECT count(*) FROM flows WHERE kind = 'federation_account'"), 0);
});

test('the offer shows what will be created; nothing is written before the confirmation', async () => {
  const p = person(psc, { profession: '10' });
  const browser = new Browser();
  const page = await throughPsc(browser);
  assert.equal(page.status, 200, page.text.slice(0, 300));
  assert.equal(path(page), '/nouveau-compte');
  assert.ok(says(page.text, 'fedaccount_title'));
  assert.equal(testidText(page.text, 'fedaccount-given-name'), 'Élise');
  assert.equal(testidText(page.text, 'fedaccount-family-name'), p.familyName);
  assert.equal(testidText(page.text, 'fedaccount-email'), p.email);
  assert.equal(testidText(page.text, 'fedaccount-profession'), 'Médecin (10)');
  assert.equal(testidText(page.text, 'fedaccount-rpps'), p.rpps);
  assert.equal(testidText(page.text, 'fedaccount-role'), message('fedaccount_role_member'));
  assert.match(page.text, /<input type="hidden" name="csrf" value="[^"]+">/);
  assert.equal(testids(page.text, 'fedaccount-confirm'), 1);
  // Only a random token in a Lax, HttpOnly cookie; the identity stays on the server.
  const cookie = browser.jar.cookies.find((c) => c.name === 'portier_fed_account');
  assert.ok(cookie && cookie.sameSite === 'Lax' && cookie.value.length === 43);
  assert.equal(count(`SELECT count(*) FROM accounts WHERE rpps = '${p.rpps}'`), 0);
  assert.equal(count("SELECT count(*) FROM flows WHERE kind = 'federation_account' AND state = 'pending'") >= 1, true);
});

test('confirming creates one linked member, signs them in, audits and welcomes; then PSC alone signs in', async () => {
  const p = person(psc);
  const browser = new Browser();
  const offer = await throughPsc(browser);
  // Without the form's CSRF token: refused, nothing created.
  const forged = await browser.request('POST', `${main}/nouveau-compte`, { body: { action: 'confirm' } });
  assert.equal(forged.status, 403);
  assert.equal(count(`SELECT count(*) FROM accounts WHERE rpps = '${p.rpps}'`), 0);

  const done = await browser.submitForm(offer, { action: 'confirm' });
  assert.equal(done.status, 200, done.text.slice(0, 300));
  assert.equal(path(done), '/mon-espace');
  assert.ok(hasMessage(done.text, 'notice_federation_account_created'));
  const row = portier.sql(`SELECT identifier || '|' || email || '|' || role || '|' || status || '|' || display_name
    FROM accounts WHERE rpps = '${p.rpps}'`).trim();
  assert.equal(row, `elise.martin.${people}|${p.email}|member|active|Élise ${p.familyName}`);
  const accountId = portier.sql(`SELECT id FROM accounts WHERE rpps = '${p.rpps}'`).trim();
  assert.equal(count(`SELECT count(*) FROM federated_identities WHERE account_id = ${accountId} AND provider = 'psc'
    AND subject = '${p.id}'`), 1);
  assert.equal(count(`SELECT count(*) FROM sessions WHERE account_id = ${accountId} AND auth_methods = 'psc'`), 1);
  for (const event of ['federation.account_created', 'federation.linked', 'sign_in.success'])
    assert.equal(count(`SELECT count(*) FROM audit_events WHERE event = '${event}' AND target_id = ${accountId}`), 1, event);
  const welcome = await smtp.waitFor((m) => m.to === p.email);
  assert.match(welcome.parsed.subject, /Bienvenue/);
  assert.match(welcome.parsed.text, new RegExp(`elise\\.martin\\.${people}`));
  assert.match(welcome.parsed.text, /Infirmier/);

  // Another browser: PSC alone signs in to that account, no offer.
  const again = await throughPsc(new Browser());
  assert.equal(path(again), '/mon-espace', again.text.slice(0, 300));
  assert.equal(count(`SELECT count(*) FROM accounts WHERE rpps = '${p.rpps}'`), 1);
});

test('two confirmations of one offer make one account; the second gets a page saying so', async () => {
  const p = person(psc);
  const browser = new Browser();
  const offer = await throughPsc(browser);
  const [a, b] = await Promise.all([
    browser.submitForm(offer, { action: 'confirm' }, { maxHops: 0 }),
    browser.submitForm(offer, { action: 'confirm' }, { maxHops: 0 }),
  ]);
  const statuses = [a.status, b.status].sort();
  assert.deepEqual(statuses, [303, 409], `${a.status} ${b.status}`);
  const refused = a.status === 409 ? a : b;
  assert.match(refused.text, /data-reason="account_offer_used"/);
  assert.equal(count(`SELECT count(*) FROM accounts WHERE rpps = '${p.rpps}'`), 1);
  assert.equal(count(`SELECT count(*) FROM federated_identities WHERE subject = '${p.id}'`), 1);
});

test('an address another account uses: a clear page, and nothing is written', async () => {
  const p = person(psc, { email: 'Pris@Example.org' });
  const browser = new Browser();
  const offer = await throughPsc(browser);
  const page = await browser.submitForm(offer, { action: 'confirm' });
  assert.equal(page.status, 409);
  assert.match(page.text, /data-reason="email_taken"/);
  assert.ok(says(page.text, 'fedaccount_email_taken_title'));
  assert.equal(testids(page.text, 'fedaccount-assistance'), 1);
  assert.equal(count(`SELECT count(*) FROM accounts WHERE rpps = '${p.rpps}'`), 0);
  assert.equal(count(`SELECT count(*) FROM federated_identities WHERE subject = '${p.id}'`), 0);
  assert.equal(count("SELECT count(*) FROM audit_events WHERE event = 'federation.refused' AND detail LIKE '%email_taken%'"), 1);
  assert.equal(browser.jar.cookies.some((c) => c.name === 'portier_session'), false);
});

test('an RPPS that got an account meanwhile: a clear page, no second account', async () => {
  const p = person(psc);
  const browser = new Browser();
  const offer = await throughPsc(browser);
  portier.sql(`UPDATE accounts SET rpps = '${p.rpps}' WHERE identifier = 'homonyme'`);
  try {
    const page = await browser.submitForm(offer, { action: 'confirm' });
    assert.equal(page.status, 409);
    assert.match(page.text, /data-reason="rpps_taken"/);
    assert.equal(count(`SELECT count(*) FROM accounts WHERE rpps = '${p.rpps}'`), 1);
    assert.equal(count(`SELECT count(*) FROM federated_identities WHERE subject = '${p.id}'`), 0);
  } finally {
    portier.sql("UPDATE accounts SET rpps = NULL WHERE identifier = 'homonyme'");
  }
});

test('cancelling, or coming back without the offer, creates nothing', async () => {
  const p = person(psc);
  const browser = new Browser();
  const offer = await throughPsc(browser);
  const cancelled = await browser.submitForm(offer, { action: 'cancel' });
  assert.equal(path(cancelled), '/connexion');
  const gone = await browser.get(`${main}/nouveau-compte`);
  assert.equal(gone.status, 410);
  assert.match(gone.text, /data-reason="account_offer_expired"/);
  assert.equal(count(`SELECT count(*) FROM accounts WHERE rpps = '${p.rpps}'`), 0);
});
