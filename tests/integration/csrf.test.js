// CSRF tokens belong to a session: the token is a keyed MAC over the
// browser's CSRF secret and its session id, and the secret is renewed at
// every sign-in and sign-out. POSTs whose Origin is not the public URL's, or
// whose Sec-Fetch-Site is cross-site or same-site, are refused before any
// handler, even with a valid token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier, Client } from '../support/portier.js';
import { cookieOf, hasMessage } from './helpers.js';

const PASSWORD = 'Velo-Rouge-Matin-42';
const publicUrl = 'http://portail.test';
let portier;

before(async () => {
  portier = new Portier({ env: { PORTIER_PUBLIC_URL: publicUrl, PORTIER_MAIL_FROM: 'no-reply@portail.test' } });
  for (const id of ['alice', 'bruno', 'chloe', 'denis'])
    portier.addUser({ identifier: id, email: `${id}@example.org`, password: PASSWORD, name: id });
  await portier.start();
});

after(async () => { await portier?.cleanup(); });

const tokenOf = (html) => html.match(/name="csrf" value="([^"]+)"/)[1];
const nameOf = async (c) => (await c.get('/mon-espace')).text.match(/name="display_name"[^>]*value="([^"]*)"/)?.[1];
// Renames the signed-in member, keeping their address (`who`@example.org).
const rename = (c, csrf, display_name, headers = {}, who = 'alice') =>
  c.request('POST', '/mon-espace/profil', { form: { csrf, display_name, email: `${who}@example.org` }, headers });

test('a token taken before sign-in is refused after it; the page says to reload', async () => {
  const c = new Client(portier.url);
  const page = await c.get('/connexion');
  const before = tokenOf(page.text);
  const secretBefore = c.cookies.get('portier_csrf');
  const signIn = await c.request('POST', '/connexion', { form: { csrf: before, identifier: 'alice', password: PASSWORD } });
  assert.equal(signIn.status, 303);
  const renewed = cookieOf(signIn.setCookies, 'portier_csrf');
  assert.ok(renewed, 'sign-in sets a new CSRF secret');
  assert.notEqual(renewed.value, secretBefore);
  assert.doesNotMatch(renewed.header, /max-age/i, 'a browser-session cookie');

  const stale = await rename(c, before, 'Stale');
  assert.equal(stale.status, 403);
  assert.ok(hasMessage(stale.text, 'error_csrf_session'), 'the page explains: reload');
  assert.notEqual(await nameOf(c), 'Stale');
  // The token of a page shown after sign-in works.
  const fresh = await rename(c, tokenOf((await c.get('/mon-espace')).text), 'Alice Fraîche');
  assert.equal(fresh.status, 303);
  assert.equal(await nameOf(c), 'Alice Fraîche');
});

test('a token of one session is refused in another, even with the same CSRF secret', async () => {
  const a = new Client(portier.url);
  assert.equal((await a.signIn('bruno', PASSWORD)).status, 303);
  const tokenOfA = tokenOf((await a.get('/mon-espace')).text);
  const b = new Client(portier.url);
  assert.equal((await b.signIn('bruno', PASSWORD)).status, 303);
  // Same browser secret, other session: only the session binding can tell them apart.
  b.cookies.set('portier_csrf', a.cookies.get('portier_csrf'));
  const refused = await b.request('POST', '/mon-espace/sessions', { form: { csrf: tokenOfA, session: 'others' } });
  assert.equal(refused.status, 403);
  assert.equal((await a.get('/mon-espace')).status, 200, 'A was not signed out');
  // Its own token, with its own session, is fine.
  const own = await a.request('POST', '/mon-espace/sessions', { form: { csrf: tokenOfA, session: 'others' } });
  assert.equal(own.status, 200, 'accepted: the page asks for the password');
});

test('sign-out renews the CSRF secret; the signed-in page\'s token is refused after it', async () => {
  const c = new Client(portier.url);
  assert.equal((await c.signIn('chloe', PASSWORD)).status, 303);
  const signedInToken = tokenOf((await c.get('/mon-espace')).text);
  const secret = c.cookies.get('portier_csrf');
  const out = await c.request('POST', '/deconnexion', { form: { csrf: signedInToken } });
  assert.equal(out.status, 303);
  assert.ok(cookieOf(out.setCookies, 'portier_csrf'));
  assert.notEqual(c.cookies.get('portier_csrf'), secret, 'a new secret');
  const replay = await c.request('POST', '/connexion', { form: { csrf: signedInToken, identifier: 'chloe', password: PASSWORD } });
  assert.equal(replay.status, 403);
  assert.equal(c.cookies.has('portier_session'), false);
  // The sign-in page shown after sign-out works.
  assert.equal((await c.signIn('chloe', PASSWORD)).status, 303);
});

test('a form shown before its session ended leads to the sign-in page, not a CSRF error', async () => {
  const a = new Client(portier.url);
  assert.equal((await a.signIn('denis', PASSWORD)).status, 303);
  const token = tokenOf((await a.get('/mon-espace')).text);
  const b = new Client(portier.url);
  assert.equal((await b.signIn('denis', PASSWORD)).status, 303);
  const ended = await b.request('POST', '/mon-espace/sessions',
    { form: { csrf: tokenOf((await b.get('/mon-espace')).text), session: 'others', confirm: '1', current_password: PASSWORD } });
  assert.equal(ended.status, 303);
  const r = await a.request('POST', '/mon-espace/profil', { form: { csrf: token, display_name: 'x', email: 'denis@example.org' } });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/connexion?info=session_expired');
});

test('a POST from another origin or site is refused even with a valid token', async () => {
  const c = new Client(portier.url);
  assert.equal((await c.signIn('alice', PASSWORD)).status, 303);
  const token = tokenOf((await c.get('/mon-espace')).text);
  for (const headers of [
    { origin: 'https://evil.example' },
    { origin: 'null', 'sec-fetch-site': 'cross-site' },
    { origin: portier.url },  // the address it listens on is not the public URL
    { origin: publicUrl.replace('http:', 'https:') },
    { origin: `${publicUrl}:8443` },
    { 'sec-fetch-site': 'cross-site' },
    { 'sec-fetch-site': 'same-site' },
    { origin: publicUrl, 'sec-fetch-site': 'cross-site' },
  ]) {
    const r = await rename(c, token, 'Cross', headers);
    assert.equal(r.status, 403, JSON.stringify(headers));
    assert.ok(hasMessage(r.text, 'error_cross_origin'), JSON.stringify(headers));
  }
  assert.notEqual(await nameOf(c), 'Cross', 'nothing changed');
  // Anonymous forms too: no session comes out of a cross-site sign-in.
  const anonymous = new Client(portier.url);
  const r = await anonymous.request('POST', '/connexion', { form: { csrf: tokenOf((await anonymous.get('/connexion')).text),
    identifier: 'alice', password: PASSWORD }, headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
  assert.equal(r.status, 403);
  assert.equal(anonymous.cookies.has('portier_session'), false);
});

test('the browser-like same-origin POST passes', async () => {
  const c = new Client(portier.url);
  const page = await c.get('/connexion');
  // What Chromium sends for a form of a page served with Referrer-Policy: no-referrer.
  const r = await c.request('POST', '/connexion', {
    form: { csrf: tokenOf(page.text), identifier: 'bruno', password: PASSWORD },
    headers: { origin: 'null', 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' },
  });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/mon-espace');
  // A browser that names the origin (another referrer policy) names the public URL's.
  const renamed = await rename(c, tokenOf((await c.get('/mon-espace')).text), 'Bruno Petit',
    { origin: publicUrl.toUpperCase().replace('HTTP://', 'http://'), 'sec-fetch-site': 'none' }, 'bruno');
  assert.equal(renamed.status, 303, 'host names compare without case; "none" is the member acting directly');
});
