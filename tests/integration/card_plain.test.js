// The smart-card sign-in's parts that need no TLS (the card journeys over
// real TLS are in card.test.js): with card.enabled the sign-in page's "Carte
// CPS" entry leads to the card listener; a listener that does not ask for
// client certificates sends there instead of reading a card; a forged or
// replayed hand-over ticket is refused, audited, and signs no one in; Mon
// espace shows the "Cartes CPS" fold; the console lists an account's cards,
// and an administrator (only) removes one with a reason and their password.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier, Client } from '../support/portier.js';
import { hasMessage, testids } from './helpers.js';
import { staffWithApp, consoleId } from './staff_session.js';

const password = 'une longue phrase de passe';
let portier;

before(async () => {
  portier = new Portier({
    toml: ['[card]', 'enabled = true', 'public_url = "https://carte.reseau.example"',
      // Each console form asks the agent's password (no confirmation period).
      '[security]', 'console_confirmation_period = 0'],
    env: { PORTIER_SECOND_STEP: 'optional' },
  });
  await portier.start();
  portier.addUser({ identifier: 'jdupont', email: 'jdupont@example.org', password, name: 'Jean Dupont' });
  portier.addUser({ identifier: 'mcurie', email: 'mcurie@example.org', password, name: 'Marie Curie' });
  portier.addUser({ identifier: 'boss', email: 'boss@example.org', password, name: 'Bruno Boss', role: 'admin' });
  portier.addUser({ identifier: 'agent', email: 'agent@example.org', password, name: 'Agathe Agent', role: 'support' });
  portier.sql("UPDATE accounts SET rpps = '10002813839' WHERE identifier = 'jdupont'");
});

after(async () => {
  await portier?.cleanup();
});

test('the sign-in page leads to the card listener', async () => {
  const page = await new Client(portier.url).get('/connexion');
  assert.equal(page.status, 200);
  assert.match(page.text, /<a href="https:\/\/carte\.reseau\.example\/carte-cps" class="entry" data-testid="smart-card-entry">/);
  assert.equal(testids(page.text, 'smart-card-soon'), 0);
});

test('a listener that does not read cards points to the one that does', async () => {
  const page = await new Client(portier.url).get('/carte-cps');
  assert.equal(page.status, 404);
  assert.ok(hasMessage(page.text, 'card_elsewhere_text'));
  assert.match(page.text, /href="https:\/\/carte\.reseau\.example\/carte-cps"/);
});

test('a forged ticket is refused, audited and signs no one in', async () => {
  const before = Number(portier.sql("SELECT count(*) FROM audit_events WHERE event = 'card.refused'"));
  const client = new Client(portier.url);
  const page = await client.get('/carte-cps/suite?ticket=' + 'A'.repeat(43));
  assert.equal(page.status, 403);
  assert.match(page.text, /data-reason="ticket_invalid"/);
  assert.ok(hasMessage(page.text, 'card_refused_ticket_invalid_text'));
  assert.equal(page.setCookies.filter((c) => /portier_session=[^;]/.test(c)).length, 0);
  const after = Number(portier.sql("SELECT count(*) FROM audit_events WHERE event = 'card.refused'"));
  assert.equal(after, before + 1);
  // Without a ticket at all: the same page.
  assert.equal((await client.get('/carte-cps/suite')).status, 403);
});

test('Mon espace lists the linked cards; removing one asks the password again, is audited and told', async () => {
  const client = new Client(portier.url);
  const signedIn = await client.signIn('jdupont', password);
  assert.equal(signedIn.status, 303);
  let espace = await client.get('/mon-espace');
  assert.equal(testids(espace.text, 'cards-section'), 1);
  assert.equal(testids(espace.text, 'cards-none'), 1);
  const id = portier.sql("SELECT id FROM accounts WHERE identifier = 'jdupont'");
  const sha = 'ab'.repeat(32);
  portier.sql(`INSERT INTO linked_cards (sha256, account_id, subject, issuer, serial, holder, not_after, linked_at)
    VALUES ('${sha}', ${id}, 'CN=810002813839+SN=DUPONT+GN=JEAN,C=FR', 'CN=TEST AC IGC-SANTE FORT PERSONNES,C=FR', '0A',
            'Jean DUPONT', ${Portier.now() + 86400 * 365}, ${Portier.now()})`);
  espace = await client.get('/mon-espace');
  assert.equal(testids(espace.text, 'card-row'), 1);
  assert.match(espace.text, /TEST AC IGC-SANTE FORT PERSONNES/);
  // The removal asks the password again; a wrong one keeps the card.
  const confirm = await client.submit('/mon-espace', '/mon-espace/carte/retirer', { card: sha });
  assert.equal(confirm.status, 200);
  assert.equal(testids(confirm.text, 'card-unlink-confirm'), 1);
  const wrong = await client.submit('/mon-espace', '/mon-espace/carte/retirer',
    { card: sha, confirm: '1', current_password: 'pas le bon' });
  assert.equal(wrong.status, 422);
  assert.equal(portier.sql(`SELECT count(*) FROM linked_cards WHERE sha256 = '${sha}'`), '1');
  const done = await client.submit('/mon-espace', '/mon-espace/carte/retirer',
    { card: sha, confirm: '1', current_password: password });
  assert.equal(done.status, 303);
  assert.match(done.headers.get('location'), /info=card_unlinked/);
  assert.equal(portier.sql(`SELECT count(*) FROM linked_cards WHERE sha256 = '${sha}'`), '0');
  assert.equal(portier.sql("SELECT count(*) FROM audit_events WHERE event = 'card.unlinked'"), '1');
  assert.equal(portier.sql("SELECT count(*) FROM outbox WHERE kind = 'card.unlinked'"), '1');
});

function linkCard(identifier, sha) {
  const id = portier.sql(`SELECT id FROM accounts WHERE identifier = '${identifier}'`);
  portier.sql(`INSERT INTO linked_cards (sha256, account_id, subject, issuer, serial, holder, not_after, linked_at)
    VALUES ('${sha}', ${id}, 'CN=810001234567+SN=CURIE+GN=MARIE,C=FR', 'CN=TEST AC IGC-SANTE FORT PERSONNES,C=FR', '0B',
            'Marie CURIE', ${Portier.now() + 86400 * 365}, ${Portier.now()})`);
  return id;
}

test('the console lists the cards; an administrator removes one with a reason and their password', async () => {
  const sha = 'cd'.repeat(32);
  const id = linkCard('mcurie', sha);
  const boss = await staffWithApp(portier, 'boss', password);
  assert.equal(await consoleId(boss, 'mcurie'), id);
  let page = await boss.get(`/support/compte?id=${id}`);
  assert.equal(page.status, 200);
  assert.equal(testids(page.text, 'console-card-row'), 1);
  assert.equal(testids(page.text, 'console-card-unlink-form'), 1);
  assert.equal(testids(page.text, 'card_unlink-reason'), 1);
  assert.equal(testids(page.text, 'card_unlink-agent-password'), 1);
  const act = async (form) => {
    const csrf = await boss.csrf(`/support/compte?id=${id}`);
    return boss.request('POST', '/support/compte/carte', { form: { csrf, id, card: sha, ...form } });
  };
  // Neither reason nor password: the page again, both named in the summary.
  let r = await act({});
  assert.equal(r.status, 422);
  assert.match(r.text, /href="#card_unlink-reason"/);
  assert.match(r.text, /href="#card_unlink-agent_password"/);
  assert.ok(hasMessage(r.text, 'console_form_card_unlink'));
  // A wrong password keeps the card.
  r = await act({ reason: 'carte volée, appel du 3 décembre', agent_password: 'pas le bon' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="card_unlink-agent_password-error"/);
  assert.equal(portier.sql(`SELECT count(*) FROM linked_cards WHERE sha256 = '${sha}'`), '1');
  r = await act({ reason: 'carte volée, appel du 3 décembre', agent_password: password });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), new RegExp(`^/support/compte\\?id=${id}&info=card_unlinked`));
  assert.equal(portier.sql(`SELECT count(*) FROM linked_cards WHERE sha256 = '${sha}'`), '0');
  const detail = portier.sql(`SELECT detail FROM audit_events WHERE event = 'card.unlinked' AND target_id = ${id}`);
  assert.match(detail, /reason: carte volée, appel du 3 décembre/);
  const actor = portier.sql(`SELECT actor_id FROM audit_events WHERE event = 'card.unlinked' AND target_id = ${id}`);
  assert.equal(actor, portier.sql("SELECT id FROM accounts WHERE identifier = 'boss'"));
  assert.equal(portier.sql(`SELECT count(*) FROM outbox WHERE kind = 'card.unlinked' AND account_id = ${id}`), '1');
  page = await boss.get(r.headers.get('location'));
  assert.ok(hasMessage(page.text, 'console_notice_card_unlinked'));
  assert.equal(testids(page.text, 'console-card-row'), 0);
  // The trail names the event in French, the reason as typed.
  assert.match(page.text, /data-event="card.unlinked"><td[^>]*>[^<]*<\/td><td[^>]*>Carte CPS retirée</);
});

test('a support agent sees the cards but may not remove them', async () => {
  const sha = 'ef'.repeat(32);
  const id = linkCard('mcurie', sha);
  const agent = await staffWithApp(portier, 'agent', password);
  const page = await agent.get(`/support/compte?id=${id}`);
  assert.equal(testids(page.text, 'console-card-row'), 1);
  assert.equal(testids(page.text, 'console-card-unlink-form'), 0);
  const csrf = await agent.csrf(`/support/compte?id=${id}`);
  const r = await agent.request('POST', '/support/compte/carte',
    { form: { csrf, id, card: sha, reason: 'essai', agent_password: password } });
  assert.equal(r.status, 403);
  assert.equal(portier.sql(`SELECT count(*) FROM linked_cards WHERE sha256 = '${sha}'`), '1');
});
