// The identities linked at Pro Santé Connect in Mon espace and the console,
// over HTTP against the PSC mock (tests/support/psc_mock.js), on either
// backend. A real link is made through the provider (first use, then the
// member's password). Mon espace says how to link while none is; lists the
// link (provider, name, linked on, last used); removing it shows a
// confirmation page, refuses a wrong password (error summary, link kept),
// then removes it: audited federation.unlinked, mailed to the member. The
// console lists the link to every agent; only an administrator removes it,
// with a reason and their password (the error summary names both), audited
// with the reason and labelled in French, the member told.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { Portier } from '../support/portier.js';
import { Browser } from '../support/browser.js';
import { freePort } from '../support/nginx.js';
import { PscMock } from '../support/psc_mock.js';
import { SmtpSink } from '../support/smtp.js';
import { decodeEntities, hasMessage, message, testids, waitFor } from './helpers.js';
import { staffWithApp, consoleId } from './staff_session.js';

const PASSWORD = 'ruisseau-lanterne-hiver-42';
let smtp;
let psc;
let portier;
let main;

before(async () => {
  smtp = await new SmtpSink().start();
  const port = await freePort();
  main = `http://127.0.0.1:${port}`;
  psc = await new PscMock({ redirectUri: `${main}/federation/psc/retour` }).start();
  psc.signInAs(psc.practitioner.id);
  portier = new Portier({
    env: { PORTIER_LISTEN: `127.0.0.1:${port}`, PORTIER_PUBLIC_URL: main, PORTIER_SECOND_STEP: 'optional' },
    toml: [
      ...smtp.mailConfig(),
      // Each console form asks the agent's password (no confirmation period).
      '[security]', 'console_confirmation_period = 0',
      '[[federation.providers]]', 'id = "psc"', 'preset = "psc-sandbox"',
      `discovery_url = "${psc.discoveryUrl}"`, `client_id = "${psc.clientId}"`, `client_secret = "${psc.clientSecret}"`,
    ],
  });
  portier.addUser({ identifier: 'jdupont', email: 'jdupont@example.org', password: PASSWORD, name: 'Jeanne Dupont' });
  portier.addUser({ identifier: 'boss', email: 'boss@example.org', password: PASSWORD, name: 'Bruno Boss', role: 'admin' });
  portier.addUser({ identifier: 'agent', email: 'agent@example.org', password: PASSWORD, name: 'Agathe Agent', role: 'support' });
  await portier.start();
  portier.sql(`UPDATE accounts SET rpps = '${psc.rpps}' WHERE identifier = 'jdupont'`);
});

after(async () => {
  await portier?.cleanup();
  await psc?.stop();
  await smtp?.stop();
});

const path = (page) => new URL(page.url).pathname;
const count = (sql) => Number(portier.sql(sql));
const links = () => count("SELECT count(*) FROM federated_identities WHERE provider = 'psc'");
const memberId = () => portier.sql("SELECT id FROM accounts WHERE identifier = 'jdupont'");

// First use through the mock, confirmed by signing in with the password:
// returns the member's browser, signed in, and the page after the link.
async function linkThroughPsc() {
  const browser = new Browser();
  let page = await browser.follow(`${main}/federation/psc`);
  assert.equal(page.status, 200, page.text.slice(0, 300));
  page = await browser.follow(`${main}/connexion?info=federation_link`);
  page = await browser.submitForm(page, { identifier: 'jdupont', password: PASSWORD }, { action: '/connexion' });
  assert.equal(path(page), '/federation/liaison', page.hops.join(' '));
  page = await browser.submitForm(page, { action: 'confirm' }, { action: '/federation/liaison' });
  assert.equal(page.status, 200);
  assert.equal(links(), 1);
  return browser;
}

async function mailTo(address, subjectPart, since) {
  return smtp.waitFor((m, i) => m.to === address && m.parsed.subject.includes(subjectPart)
    && smtp.messages.indexOf(m) >= since);
}

test('Mon espace says how to link an identity while none is', async () => {
  const browser = new Browser();
  let page = await browser.follow(`${main}/connexion`);
  page = await browser.submitForm(page, { identifier: 'jdupont', password: PASSWORD }, { action: '/connexion' });
  assert.equal(path(page), '/mon-espace');
  assert.equal(testids(page.text, 'federation-section'), 1);
  assert.equal(testids(page.text, 'federation-none'), 1);
  assert.equal(testids(page.text, 'federation-row'), 0);
  const how = decodeEntities(page.text.match(/data-testid="federation-how">([^<]*)</)[1]);
  assert.ok(how.includes('«\u00a0Se connecter avec Pro Santé Connect\u00a0»'), how);
});

test('Mon espace lists the link; removing it asks the password, is audited and told by mail', async () => {
  const browser = await linkThroughPsc();
  let page = await browser.follow(`${main}/mon-espace?info=federation_linked`);
  assert.ok(hasMessage(page.text, 'notice_federation_linked'));
  assert.match(page.text, /<details class="card fold" id="federation-fold" data-testid="federation-section" open>/);
  assert.equal(testids(page.text, 'federation-row'), 1);
  const row = page.text.match(/<tr data-testid="federation-row" data-provider="psc">([\s\S]*?)<\/tr>/)[1];
  assert.match(row, /Pro Santé Connect/);
  assert.match(row, /Jeanne Dupont/);

  // The confirmation page names the identity and asks the password.
  const confirm = await browser.submitForm(page, {}, { action: '/mon-espace/identite/retirer' });
  assert.equal(confirm.status, 200);
  assert.equal(testids(confirm.text, 'federation-unlink-confirm'), 1);
  assert.match(confirm.text, /data-testid="federation-description"[\s\S]*Pro Santé Connect[\s\S]*Jeanne Dupont/);
  // A wrong password: the page again with the error summary; the link stays.
  const wrong = await browser.submitForm(confirm, { current_password: 'pas le bon' },
    { action: '/mon-espace/identite/retirer' });
  assert.equal(wrong.status, 422);
  assert.equal(testids(wrong.text, 'error-summary'), 1);
  assert.match(wrong.text, /href="#current_password"/);
  assert.equal(links(), 1);
  const mails = smtp.messages.length;
  const done = await browser.submitForm(wrong, { current_password: PASSWORD }, { action: '/mon-espace/identite/retirer' });
  assert.equal(path(done), '/mon-espace', done.hops.join(' '));
  assert.ok(done.hops.some((h) => /info=federation_unlinked/.test(h)));
  assert.ok(hasMessage(done.text, 'notice_federation_unlinked'));
  assert.equal(testids(done.text, 'federation-row'), 0);
  assert.equal(links(), 0);
  const id = memberId();
  assert.equal(count(`SELECT count(*) FROM audit_events WHERE event = 'federation.unlinked' AND target_id = ${id}
    AND actor_id = ${id}`), 1);
  await waitFor(() => count(`SELECT count(*) FROM outbox WHERE kind = 'federation.unlinked' AND account_id = ${id}`) === 1,
    { what: 'the notice' });
  await mailTo('jdupont@example.org', 'Pro Santé Connect', mails);
  // Removing again (another tab): the same confirmation, nothing asked.
  const again = await browser.request('POST', `${main}/mon-espace/identite/retirer`, {
    body: { csrf: done.text.match(/name="csrf" value="([^"]+)"/)[1], provider: 'psc' },
  });
  assert.equal(again.status, 303);
  assert.match(again.location, /info=federation_unlinked/);
});

test('the console lists the link; only an administrator removes it, with a reason and their password', async () => {
  await linkThroughPsc();
  const id = memberId();
  // A support agent sees it, has no form, and is refused the route.
  const agent = await staffWithApp(portier, 'agent', PASSWORD);
  let page = await agent.get(`/support/compte?id=${id}`);
  assert.equal(testids(page.text, 'console-federation-row'), 1);
  assert.equal(testids(page.text, 'console-federation-unlink-form'), 0);
  let csrf = await agent.csrf(`/support/compte?id=${id}`);
  let r = await agent.request('POST', '/support/compte/identite',
    { form: { csrf, id, provider: 'psc', reason: 'essai', agent_password: PASSWORD } });
  assert.equal(r.status, 403);
  assert.equal(links(), 1);

  const boss = await staffWithApp(portier, 'boss', PASSWORD);
  assert.equal(await consoleId(boss, 'jdupont'), id);
  page = await boss.get(`/support/compte?id=${id}`);
  assert.equal(testids(page.text, 'console-federation-row'), 1);
  assert.match(page.text, /data-testid="console-federation-row" data-provider="psc">[\s\S]*?Jeanne Dupont/);
  assert.equal(testids(page.text, 'console-federation-unlink-form'), 1);
  const act = async (form) => {
    csrf = await boss.csrf(`/support/compte?id=${id}`);
    return boss.request('POST', '/support/compte/identite', { form: { csrf, id, provider: 'psc', ...form } });
  };
  r = await act({});
  assert.equal(r.status, 422);
  assert.match(r.text, /href="#federation_unlink-reason"/);
  assert.match(r.text, /href="#federation_unlink-agent_password"/);
  assert.ok(hasMessage(r.text, 'console_form_federation_unlink'));
  r = await act({ reason: 'identité non reconnue par le membre', agent_password: 'pas le bon' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="federation_unlink-agent_password-error"/);
  assert.equal(links(), 1);
  const mails = smtp.messages.length;
  r = await act({ reason: 'identité non reconnue par le membre', agent_password: PASSWORD });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), new RegExp(`^/support/compte\\?id=${id}&info=federation_unlinked`));
  assert.equal(links(), 0);
  const event = portier.sql(`SELECT actor_id || '|' || detail FROM audit_events WHERE event = 'federation.unlinked'
    AND target_id = ${id} ORDER BY id DESC LIMIT 1`);
  const bossId = portier.sql("SELECT id FROM accounts WHERE identifier = 'boss'");
  assert.equal(event, `${bossId}|provider=psc person=8${psc.rpps}; reason: identité non reconnue par le membre`);
  await mailTo('jdupont@example.org', 'Pro Santé Connect', mails);
  page = await boss.get(r.headers.get('location'));
  assert.ok(hasMessage(page.text, 'console_notice_federation_unlinked'));
  assert.equal(testids(page.text, 'console-federation-row'), 0);
  // The trail names the event in French and keeps the reason as typed.
  const trail = decodeEntities(page.text.match(/data-event="federation.unlinked">([\s\S]*?)<\/tr>/)[1]);
  assert.ok(trail.includes(message('audit_federation_unlinked')), trail);
  assert.ok(trail.includes('identité non reconnue par le membre'), trail);
});
