// Logout at the provider (docs/federation.md, "Logout at the provider"),
// this test acting as the browser over HTTP against the PSC mock, on either
// backend: a member who came through PSC and signs out of portier is sent to
// PSC's end_session_endpoint with the kept ID token as id_token_hint, PSC's
// session ends (the next PSC sign-in logs in afresh), and the return page
// says both are signed out; the return is believed once and only with the
// browser's cookie; a provider without end_session_endpoint, or down, leaves
// the member signed out of portier with a page saying PSC's session may be
// open; a password session signs out as before.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { Portier } from '../support/portier.js';
import { Browser } from '../support/browser.js';
import { freePort } from '../support/nginx.js';
import { PscMock } from '../support/psc_mock.js';
import { decodeEntities, message } from './helpers.js';

const PASSWORD = 'ruisseau-lanterne-hiver-42';
let psc;
let bare;  // a second provider that announces no end_session_endpoint
let portier;
let main;

before(async () => {
  const port = await freePort();
  main = `http://127.0.0.1:${port}`;
  psc = await new PscMock({
    redirectUri: `${main}/federation/psc/retour`, postLogoutRedirectUri: `${main}/federation/psc/deconnexion`,
  }).start();
  psc.signInAs(psc.practitioner.id);
  bare = await new PscMock({ redirectUri: `${main}/federation/bare/retour`, endSession: false }).start();
  bare.signInAs(bare.practitioner.id);
  portier = new Portier({
    env: { PORTIER_LISTEN: `127.0.0.1:${port}`, PORTIER_PUBLIC_URL: main },
    toml: [
      '[oidc]', 'enabled = true',
      '[[federation.providers]]', 'id = "psc"', 'preset = "psc-sandbox"',
      `discovery_url = "${psc.discoveryUrl}"`, `client_id = "${psc.clientId}"`, `client_secret = "${psc.clientSecret}"`,
      '[[federation.providers]]', 'id = "bare"', 'preset = "psc-sandbox"', 'label = "PSC sans déconnexion"',
      `discovery_url = "${bare.discoveryUrl}"`, `client_id = "${bare.clientId}"`, `client_secret = "${bare.clientSecret}"`,
    ],
  });
  portier.addUser({ identifier: 'jdupont', email: 'jdupont@example.org', password: PASSWORD, name: 'Jeanne Dupont' });
  await portier.start();
  portier.sql(`UPDATE accounts SET rpps = '${psc.rpps}' WHERE identifier = 'jdupont'`);
  // Both identities linked already (the first-use linking is federation_sign_in.test.js's).
  const now = Math.floor(Date.now() / 1000);
  for (const [id, mock] of [['psc', psc], ['bare', bare]]) {
    portier.sql(`INSERT INTO federated_identities (provider, issuer, subject, account_id, person_id, display_name, linked_at)
      SELECT '${id}', '${mock.issuer}', '${mock.practitioner.id}', id, '8${mock.rpps}', 'Jeanne Dupont', ${now}
      FROM accounts WHERE identifier = 'jdupont'`);
  }
});

after(async () => {
  await portier?.cleanup();
  await psc?.stop();
  await bare?.stop();
});

const path = (page) => new URL(page.url).pathname;
const count = (sql) => Number(portier.sql(sql));
const logoutEvents = (detail) =>
  count(`SELECT count(*) FROM audit_events WHERE event = 'federation.logout' AND detail = '${detail}'`);
const says = (html, key, provider) =>
  decodeEntities(html).includes(message(key).replace('{portal}', 'portier').replace('{provider}', provider));

// Signs in through `provider` and returns the member's page.
async function signInThrough(browser, provider) {
  const page = await browser.follow(`${main}/federation/${provider}`);
  assert.equal(path(page), '/mon-espace', `signed in through ${provider}: ${page.hops.join(' ')}\n${page.text.slice(0, 300)}`);
  return page;
}

// "Se déconnecter": the form's POST, stopped at the first address off portier.
async function signOut(browser, page) {
  return browser.submitForm(page, {}, { action: '/deconnexion', stop: (url) => url.origin !== main });
}

async function signedIn(browser) {
  const r = await browser.get(`${main}/mon-espace`);
  return r.status === 200;
}

test('signing out after a PSC sign-in ends the PSC session too, with the ID token as id_token_hint', async () => {
  const browser = new Browser();
  const page = await signInThrough(browser, 'psc');
  const logins = psc.op.logins.length;
  const ended = psc.logouts;

  const out = await signOut(browser, page);
  // A page that moves on by itself (the sign-out form's form-action 'self' would stop a 303 chain in browsers).
  assert.equal(out.status, 200);
  assert.equal(out.refresh, true);
  assert.match(out.text, /data-testid="federation-logout-continue"/);
  const to = new URL(out.location);
  assert.equal(`${to.origin}${to.pathname}`, `${psc.walletOrigin}/auth/realms/esante-wallet/session/end`);
  assert.equal(to.searchParams.get('client_id'), psc.clientId);
  assert.equal(to.searchParams.get('post_logout_redirect_uri'), `${main}/federation/psc/deconnexion`);
  const state = to.searchParams.get('state');
  assert.equal(state.length, 43);
  // The state, also in a Lax cookie for the return (never the ID token).
  const cookie = browser.jar.cookies.find((c) => c.name === 'portier_federation_logout');
  assert.equal(cookie?.value, state);
  assert.match(String(cookie.sameSite), /^lax$/i);
  // portier's own session ended before the browser left.
  assert.equal(await signedIn(browser), false);

  // At PSC: the hint is the ID token PSC issued for this sign-in; its form confirms.
  let pscPage = await browser.follow(out.location);
  const seen = psc.endSessionRequests.at(-1);
  assert.equal(seen.hintValid, true, 'id_token_hint verifies with PSC\'s keys');
  assert.equal(seen.hintClaims.sub, psc.practitioner.id);
  assert.equal(seen.hintClaims.aud, psc.clientId);
  assert.equal(pscPage.status, 200);
  pscPage = await browser.submitForm(pscPage, {});
  assert.equal(psc.logouts, ended + 1, 'PSC ended its session');
  assert.equal(path(pscPage), '/federation/psc/deconnexion');
  assert.equal(pscPage.status, 200);
  assert.match(pscPage.text, /data-testid="federation-logout" data-ended="true"/);
  assert.ok(says(pscPage.text, 'federation_logout_done_text', 'Pro Santé Connect'), pscPage.text.slice(0, 600));
  assert.ok(!browser.jar.get('portier_federation_logout', main), 'the cookie is spent');
  assert.equal(logoutEvents('psc: sent to the provider'), 1);
  assert.equal(logoutEvents('psc: ended at the provider'), 1);

  // The PSC session is really gone: the next sign-in logs in at PSC again.
  await signInThrough(browser, 'psc');
  assert.equal(psc.op.logins.length, logins + 1);
});

test('the return is believed once, and only in the browser that left', async () => {
  const browser = new Browser();
  const page = await signInThrough(browser, 'psc');
  const out = await signOut(browser, page);
  const state = new URL(out.location).searchParams.get('state');
  const back = `${main}/federation/psc/deconnexion?state=${state}`;
  // Another browser with the same address: not believed.
  const other = await new Browser().get(back);
  assert.equal(other.status, 200);
  assert.doesNotMatch(other.text, /data-ended="true"/);
  assert.ok(says(other.text, 'federation_logout_open_text', 'Pro Santé Connect'));
  // A wrong state in the right browser: not believed, and the cookie is cleared.
  const wrong = await browser.get(`${main}/federation/psc/deconnexion?state=${'A'.repeat(43)}`);
  assert.doesNotMatch(wrong.text, /data-ended="true"/);
  // The provider confirmed meanwhile (mock at once), the browser comes back: the cookie was cleared above.
  const again = await browser.get(back);
  assert.doesNotMatch(again.text, /data-ended="true"/);
  assert.equal(logoutEvents('psc: ended at the provider'), 1);
});

test('a second sign-out of the same session is a plain one (the ID token was taken)', async () => {
  const browser = new Browser();
  await signInThrough(browser, 'psc');
  const before = logoutEvents('psc: sent to the provider');
  const token = portier.sql("SELECT count(*) FROM federated_sessions");
  assert.ok(Number(token) >= 1);
  const page = await browser.get(`${main}/mon-espace`);
  const out = await signOut(browser, page);
  assert.equal(new URL(out.location).origin, psc.walletOrigin);
  assert.equal(logoutEvents('psc: sent to the provider'), before + 1);
  assert.equal(await signedIn(browser), false);
});

test('a provider without end_session_endpoint: signed out of portier, told the provider may still be open', async () => {
  const browser = new Browser();
  const page = await signInThrough(browser, 'bare');
  const out = await browser.submitForm(page, {}, { action: '/deconnexion' });
  assert.equal(path(out), '/federation/bare/deconnexion');
  assert.equal(out.status, 200);
  assert.doesNotMatch(out.text, /data-ended="true"/);
  assert.ok(says(out.text, 'federation_logout_open_text', 'PSC sans déconnexion'), out.text.slice(0, 600));
  assert.equal(await signedIn(browser), false);
  assert.equal(count("SELECT count(*) FROM audit_events WHERE event = 'federation.logout' AND detail LIKE 'bare: not at the provider: %'"), 1);
});

test('a password session signs out as before', async () => {
  const browser = new Browser();
  let page = await browser.get(`${main}/connexion`);
  page = await browser.submitForm(page, { identifier: 'jdupont', password: PASSWORD }, { action: '/connexion' });
  if (path(page) !== '/mon-espace') return;  // a second step asked: covered by sign_in tests
  const out = await browser.submitForm(page, {}, { action: '/deconnexion' });
  assert.equal(path(out), '/connexion');
});

test('PSC down when the member signs out: signed out of portier anyway, told to close the browser', async () => {
  const browser = new Browser();
  await signInThrough(browser, 'psc');
  // A portier restarted since (the discovery document no longer cached) and PSC unreachable.
  await psc.stop();
  await portier.stop();
  portier.port = null;
  portier.output = '';
  await portier.start();
  const page = await browser.get(`${main}/mon-espace`);
  assert.equal(page.status, 200);
  const out = await browser.submitForm(page, {}, { action: '/deconnexion' });
  assert.equal(path(out), '/federation/psc/deconnexion');
  assert.ok(says(out.text, 'federation_logout_open_text', 'Pro Santé Connect'));
  assert.equal(await signedIn(browser), false);
  assert.ok(count("SELECT count(*) FROM audit_events WHERE event = 'federation.logout' AND detail LIKE 'psc: not at the provider: %'") >= 1);
});
