// The federated sign-in against the mock of Pro Santé Connect
// (tests/support/psc_mock.js), this test acting as the browser over HTTP, on
// either backend: the sign-in page's button; the first use, linked after a
// sign-in with password and second step (code by mail) to the account with
// the identity's RPPS; then PSC alone; an application that receives an ID
// token saying PSC (amr fed mfa, acr mfa); every refusal (wrong iss, wrong
// nonce, bad signature, missing acr, unknown RPPS, a replayed answer, a
// missing or expired flow cookie, a provider down) with its page, its status
// and its audit event, and never a session; the mails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Portier } from '../support/portier.js';
import { Browser } from '../support/browser.js';
import { Rp } from '../support/rp.js';
import { freePort } from '../support/nginx.js';
import { PscMock, rppsFrom } from '../support/psc_mock.js';
import { SmtpSink } from '../support/smtp.js';
import { decodeEntities, hasMessage, message, testids, waitFor } from './helpers.js';

const PASSWORD = 'ruisseau-lanterne-hiver-42';
const APP_REDIRECT = 'http://127.0.0.1:9/cb';
let smtp;
let psc;
let chu;  // an establishment's own provider (preset oidc): the same mock, another client
let portier;
let main;
let rp;

before(async () => {
  smtp = await new SmtpSink().start();
  const port = await freePort();
  const closed = await freePort();  // nothing listens there: the provider "down"
  main = `http://127.0.0.1:${port}`;
  psc = await new PscMock({ redirectUri: `${main}/federation/psc/retour` }).start();
  psc.signInAs(psc.practitioner.id);
  chu = await new PscMock({ redirectUri: `${main}/federation/chu/retour` }).start();
  chu.signInAs(chu.practitioner.id);
  portier = new Portier({
    env: { PORTIER_LISTEN: `127.0.0.1:${port}`, PORTIER_PUBLIC_URL: main, PORTIER_SECOND_STEP: 'required' },
    toml: [
      ...smtp.mailConfig(),
      '[oidc]', 'enabled = true',
      '[[federation.providers]]', 'id = "psc"', 'preset = "psc-sandbox"',
      `discovery_url = "${psc.discoveryUrl}"`, `client_id = "${psc.clientId}"`, 'client_secret_file = "SECRET"',
      '[[federation.providers]]', 'id = "bas"', 'preset = "oidc"', 'label = "Établissement"',
      `discovery_url = "http://127.0.0.1:${closed}/.well-known/openid-configuration"`, 'client_id = "c"',
      'client_secret = "s"',
      '[[federation.providers]]', 'id = "chu"', 'preset = "oidc"', 'label = "CHU"', 'scopes = "openid scope_all"',
      `discovery_url = "${chu.discoveryUrl}"`, `client_id = "${chu.clientId}"`, `client_secret = "${chu.clientSecret}"`,
    ],
  });
  // The secret in a file of mode 600, as the operator would keep it.
  const secretFile = join(portier.dataDir, 'psc.secret');
  writeFileSync(secretFile, `${psc.clientSecret}\n`);
  chmodSync(secretFile, 0o600);
  writeFileSync(portier.config, readFileSync(portier.config, 'utf8').replace('"SECRET"', `"${secretFile}"`));
  portier.addUser({ identifier: 'jdupont', email: 'jdupont@example.org', password: PASSWORD, name: 'Jeanne Dupont' });
  portier.addUser({ identifier: 'mcurie', email: 'mcurie@example.org', password: PASSWORD, name: 'Marie Curie' });
  const r = portier.cli(['client', 'add', '--name', 'Agenda', '--redirect-uri', APP_REDIRECT, '--trusted']);
  assert.equal(r.status, 0, r.stderr);
  await portier.start();
  portier.sql(`UPDATE accounts SET rpps = '${psc.rpps}' WHERE identifier = 'jdupont'`);
  portier.sql(`UPDATE accounts SET rpps = '${rppsFrom('1000999999')}' WHERE identifier = 'mcurie'`);
  rp = await Rp.discover({ issuer: main, clientId: r.stdout.match(/^client_id: (\S+)$/m)[1],
    clientSecret: r.stdout.match(/^client_secret: (\S+)$/m)[1], redirectUri: APP_REDIRECT });
});

after(async () => {
  await portier?.cleanup();
  await psc?.stop();
  await chu?.stop();
  await smtp?.stop();
});

const path = (page) => new URL(page.url).pathname;
const count = (sql) => Number(portier.sql(sql));
const refusals = (reason) =>
  count(`SELECT count(*) FROM audit_events WHERE event = 'federation.refused' AND detail LIKE 'provider=%reason=${reason}%'`);
// Whether `browser` holds a session cookie now.
const hasSession = (browser) => browser.jar.cookies.some((c) => c.name === 'portier_session' && c.value !== '');
// The French message `key` with its {provider} filled in, on the page.
const says = (html, key, provider = 'Pro Santé Connect') =>
  decodeEntities(html).includes(message(key).replaceAll('{provider}', provider));
const codeIn = (m) => m.parsed.text.match(/\b(\d{8})\b/)[1];

// Through the provider and back: the answer at /federation/psc/retour
// (redirects after it followed unless `stopAtReturn`).
async function throughPsc(browser, { stopAtReturn = false, stop = () => false } = {}) {
  return browser.follow(`${main}/federation/psc`, {
    stop: (url) => stop(url) || (stopAtReturn && url.pathname === '/federation/psc/retour'),
  });
}

test('the sign-in page offers Pro Santé Connect as a plain link', async () => {
  const page = await new Browser().get(`${main}/connexion`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<a href="\/federation\/psc" class="entry" data-testid="federation-entry-psc">Se connecter avec Pro Santé Connect/);
  assert.equal(testids(page.text, 'federation-entry-bas'), 1);
});

test('the request to the provider: PKCE, state, nonce, eidas1, and a Lax cookie holding only a token', async () => {
  const r = await fetch(`${main}/federation/psc`, { redirect: 'manual' });
  assert.equal(r.status, 303);
  const to = new URL(r.headers.get('location'));
  assert.equal(to.origin, psc.walletOrigin);  // PSC authorises on another host than its tokens
  assert.equal(to.searchParams.get('redirect_uri'), `${main}/federation/psc/retour`);
  assert.equal(to.searchParams.get('acr_values'), 'eidas1');
  assert.equal(to.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(to.searchParams.get('state').length >= 43 && to.searchParams.get('nonce').length >= 43);
  const cookie = r.headers.getSetCookie().find((c) => c.startsWith('portier_fed_login='));
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, /SameSite=Lax/i);
  assert.doesNotMatch(cookie, new RegExp(to.searchParams.get('state')));
});

test('an unknown RPPS is refused: a page that says to contact support, audited unknown_person', async () => {
  portier.sql(`UPDATE accounts SET rpps = NULL WHERE identifier = 'jdupont'`);
  try {
    const before = refusals('unknown_person');
    const browser = new Browser();
    const page = await throughPsc(browser);
    assert.equal(page.status, 403);
    assert.equal(path(page), '/federation/psc/retour');
    assert.match(page.text, /data-reason="unknown_person"/);
    assert.ok(says(page.text, 'federation_refused_unknown_person_title'));
    assert.equal(testids(page.text, 'federation-assistance'), 1);
    assert.equal(testids(page.text, 'federation-sign-in-page'), 1);
    assert.equal(refusals('unknown_person'), before + 1);
    assert.equal(hasSession(browser), false);
  } finally {
    portier.sql(`UPDATE accounts SET rpps = '${psc.rpps}' WHERE identifier = 'jdupont'`);
  }
});

test('first use: linked after a sign-in with password and code, to the account of the RPPS; told by mail', async () => {
  const browser = new Browser();
  let page = await throughPsc(browser);
  assert.equal(page.status, 200, page.text.slice(0, 300));
  assert.equal(path(page), '/federation/psc/retour');
  assert.ok(says(page.text, 'federation_first_use_title'));
  assert.equal(testids(page.text, 'federation-link-start'), 1);
  assert.equal(count('SELECT count(*) FROM federated_identities'), 0);
  // The member signs in: password, then the code sent by mail.
  page = await browser.follow(`${main}/connexion?info=federation_link`);
  assert.ok(hasMessage(page.text, 'notice_federation_link'));
  const mails = smtp.messages.length;
  page = await browser.submitForm(page, { identifier: 'jdupont', password: PASSWORD }, { action: '/connexion' });
  assert.equal(path(page), '/connexion/code');
  await smtp.waitFor(() => smtp.messages.length > mails);
  const code = codeIn(smtp.messages.filter((m) => m.to === 'jdupont@example.org').at(-1));
  page = await browser.submitForm(page, { code }, { action: '/connexion/code' });
  assert.equal(path(page), '/federation/liaison', page.hops.join(' '));
  assert.match(page.text, /Jeanne Dupont/);
  assert.equal(testids(page.text, 'federation-link-confirm'), 1);
  page = await browser.submitForm(page, { action: 'confirm' }, { action: '/federation/liaison' });
  assert.equal(page.status, 200);
  assert.equal(testids(page.text, 'federation-continue'), 1);
  assert.equal(count(`SELECT count(*) FROM federated_identities f JOIN accounts a ON a.id = f.account_id
    WHERE a.identifier = 'jdupont' AND f.provider = 'psc' AND f.person_id = '8${psc.rpps}'`), 1);
  assert.equal(count("SELECT count(*) FROM audit_events WHERE event = 'federation.linked'"), 1);
  await waitFor(() => count("SELECT count(*) FROM outbox WHERE kind = 'federation.linked'") === 1, { what: 'the notice' });
  await smtp.waitFor(() => smtp.messages.some((m) => m.to === 'jdupont@example.org' && /Pro Santé Connect/.test(m.parsed.subject)));
});

test('then Pro Santé Connect alone signs in, as two factors', async () => {
  const browser = new Browser();
  const page = await throughPsc(browser);
  assert.equal(path(page), '/mon-espace', page.hops.join(' '));
  assert.equal(page.status, 200);
  assert.equal(count("SELECT count(*) FROM sessions WHERE auth_methods = 'psc'"), 1);
  assert.notEqual(portier.sql("SELECT last_used_at FROM federated_identities WHERE provider = 'psc'"), '');
  assert.equal(count("SELECT count(*) FROM audit_events WHERE event = 'sign_in.success' AND detail = 'psc provider=psc'"), 1);
  // The provider's ID token kept (sealed) for logout at the provider, under the session's sid.
  assert.equal(count(`SELECT count(*) FROM federated_sessions f JOIN sessions s ON s.sid = f.sid
    WHERE s.auth_methods = 'psc' AND f.provider = 'psc'`), 1);
});

test('an application’s request completes through PSC; its ID token says fed and mfa', async () => {
  const browser = new Browser();
  const stop = rp.atRedirectUri();
  const req = await rp.authorizationRequest({ scope: 'openid' });
  const signInPage = await browser.follow(req.url.href, { stop });
  assert.equal(path(signInPage), '/connexion');
  assert.equal(testids(signInPage.text, 'federation-entry-psc'), 1);
  const done = await throughPsc(browser, { stop });
  assert.ok(done.location && stop(new URL(done.location)), `${done.status} ${done.url} ${done.hops.join(' ')}`);
  const tokens = await rp.callback(done.location, req);
  assert.deepEqual(tokens.claims().amr, ['fed', 'mfa']);
  assert.equal(tokens.claims().acr, 'urn:portier:acr:cps');
});

test('an application asking for the card level is sent straight to PSC (the one strong way here) and gets it', async () => {
  const browser = new Browser();
  const stop = rp.atRedirectUri();
  const req = await rp.authorizationRequest({ scope: 'openid', acr_values: 'urn:portier:acr:cps' });
  const done = await browser.follow(req.url.href, { stop });
  const hops = done.hops;
  // No card listener and one PSC provider: /authorize goes to /federation/psc
  // without a choice page, and the answer completes the application's request.
  assert.ok(hops.some((h) => new URL(h).pathname === '/federation/psc'), hops.join(' '));
  assert.ok(!hops.some((h) => new URL(h).pathname === '/connexion'), hops.join(' '));
  assert.ok(done.location && stop(new URL(done.location)), `${done.status} ${done.url} ${done.hops.join(' ')}`);
  const tokens = await rp.callback(done.location, req);
  assert.equal(tokens.claims().acr, 'urn:portier:acr:cps');
  assert.deepEqual(tokens.claims().amr, ['fed', 'mfa']);
});

test('each misbehaviour of the provider is refused with its word in the audit log, never on the page', async () => {
  const cases = [['wrong-iss', 'issuer'], ['wrong-nonce', 'nonce'], ['bad-signature', 'signature'], ['no-acr', 'acr']];
  const sessions = count('SELECT count(*) FROM sessions');
  try {
    for (const [mode, word] of cases) {
      psc.misbehave(mode);
      const before = refusals(word);
      const browser = new Browser();
      const page = await throughPsc(browser);
      assert.equal(page.status, 400, `${mode}: ${page.status}`);
      assert.match(page.text, /data-reason="failed"/, mode);
      assert.doesNotMatch(page.text, new RegExp(`data-reason="${word}"`));
      assert.ok(says(page.text, 'federation_refused_failed_title'), mode);
      assert.equal(testids(page.text, 'federation-retry'), 1);
      assert.equal(refusals(word), before + 1, mode);
      assert.equal(hasSession(browser), false, mode);
    }
  } finally {
    psc.misbehave(null);
  }
  assert.equal(count('SELECT count(*) FROM sessions'), sessions);
});

test('an answer is judged once: replayed, without its cookie, or after the flow expired', async () => {
  const browser = new Browser();
  const atReturn = await throughPsc(browser, { stopAtReturn: true });
  const answer = atReturn.location;
  assert.ok(answer.startsWith(`${main}/federation/psc/retour?`), answer);
  const cookie = browser.jar.header(`${main}/federation/psc/retour`);
  const first = await browser.get(answer);
  assert.equal(first.status, 303);  // signed in
  assert.equal(hasSession(browser), true);
  // Replayed with the same cookie (put back by hand): the flow is spent.
  const before = refusals('flow');
  const other = new Browser();
  const replay = await other.get(answer, { headers: { cookie } });
  assert.equal(replay.status, 400);
  assert.match(replay.text, /data-reason="flow"/);
  assert.equal(hasSession(other), false);
  // Without any cookie.
  const bare = await new Browser().get(answer);
  assert.equal(bare.status, 400);
  assert.equal(refusals('flow'), before + 2);
  // A flow past its ten minutes.
  const late = new Browser();
  const lateAnswer = (await throughPsc(late, { stopAtReturn: true })).location;
  portier.sql(`UPDATE flows SET expires_at = ${Portier.now() - 1} WHERE kind = 'federation_login' AND state = 'pending'`);
  const expired = await late.get(lateAnswer);
  assert.equal(expired.status, 400);
  assert.match(expired.text, /data-reason="flow"/);
  assert.equal(refusals('flow'), before + 3);
});

test('a provider that cannot be reached: 503, a page to come back later, audited unavailable', async () => {
  const before = refusals('unavailable');
  const page = await new Browser().get(`${main}/federation/bas`);
  assert.equal(page.status, 503);
  assert.match(page.text, /data-reason="unavailable"/);
  assert.ok(says(page.text, 'federation_refused_unavailable_text', 'Établissement'));
  assert.equal(refusals('unavailable'), before + 1);
  assert.equal(count("SELECT count(*) FROM audit_events WHERE event = 'federation.refused' AND detail LIKE 'provider=bas%'"), 1);
});

test('another account cannot take the identity: linking refused when the RPPS differs', async () => {
  portier.sql('DELETE FROM federated_identities');
  const browser = new Browser();
  let page = await throughPsc(browser);
  assert.equal(testids(page.text, 'federation-link-start'), 1);
  page = await browser.follow(`${main}/connexion?info=federation_link`);
  const mails = smtp.messages.length;
  page = await browser.submitForm(page, { identifier: 'mcurie', password: PASSWORD }, { action: '/connexion' });
  await smtp.waitFor(() => smtp.messages.length > mails);
  const code = codeIn(smtp.messages.filter((m) => m.to === 'mcurie@example.org').at(-1));
  page = await browser.submitForm(page, { code }, { action: '/connexion/code' });
  assert.equal(path(page), '/federation/liaison');
  const before = refusals('wrong_account');
  page = await browser.submitForm(page, { action: 'confirm' }, { action: '/federation/liaison' });
  assert.equal(page.status, 403);
  assert.match(page.text, /data-reason="wrong_account"/);
  assert.equal(count('SELECT count(*) FROM federated_identities'), 0);
  assert.equal(refusals('wrong_account'), before + 1);
});

test('an establishment’s provider: linked to whichever account signs in; then its sign-in asks the second step', async () => {
  // The code in the first mail to `who` after the `since`-th message that carries one.
  const codeAfter = async (who, since) => {
    const withCode = () => smtp.messages.slice(since)
      .find((m) => m.to === `${who}@example.org` && /\b\d{8}\b/.test(m.parsed.text));
    await smtp.waitFor(() => Boolean(withCode()));
    return codeIn(withCode());
  };
  const browser = new Browser();
  let page = await browser.follow(`${main}/federation/chu`);
  assert.equal(testids(page.text, 'federation-link-start'), 1, page.text.slice(0, 400));
  page = await browser.follow(`${main}/connexion?info=federation_link`);
  let mails = smtp.messages.length;
  page = await browser.submitForm(page, { identifier: 'mcurie', password: PASSWORD }, { action: '/connexion' });
  page = await browser.submitForm(page, { code: await codeAfter('mcurie', mails) }, { action: '/connexion/code' });
  assert.equal(path(page), '/federation/liaison');
  page = await browser.submitForm(page, { action: 'confirm' }, { action: '/federation/liaison' });
  assert.equal(page.status, 200);
  assert.equal(count(`SELECT count(*) FROM federated_identities f JOIN accounts a ON a.id = f.account_id
    WHERE a.identifier = 'mcurie' AND f.provider = 'chu'`), 1);
  // A new browser: the provider, then (one factor so far) the account's code.
  const again = new Browser();
  mails = smtp.messages.length;
  page = await again.follow(`${main}/federation/chu`);
  assert.equal(path(page), '/connexion/code', page.hops.join(' '));
  assert.equal(hasSession(again), false);
  page = await again.submitForm(page, { code: await codeAfter('mcurie', mails) }, { action: '/connexion/code' });
  assert.equal(path(page), '/mon-espace', page.hops.join(' '));
  assert.equal(count("SELECT count(*) FROM sessions WHERE auth_methods = 'fed+email'"), 1);
});
