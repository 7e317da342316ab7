// The session cookie on shared PCs: a browser-session cookie (no Max-Age)
// unless the member ticks "stay signed in on this computer", which gives it
// Max-Age = the absolute timeout. The choice survives the second step and
// the forced change of a temporary password. Server-side timeouts are the
// same either way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier, Client } from '../support/portier.js';
import { cookieOf } from './helpers.js';
import { csrfOf, oathtool, signedIn } from './staff_session.js';
import { newKeyPage } from '../support/app.js';

const PASSWORD = 'Velo-Rouge-Matin-42';
const TWELVE_HOURS = 12 * 3600;
let portier;

before(async () => {
  // "optional": one step for members without an app, the app's code for those with one.
  portier = new Portier({ env: { PORTIER_SECOND_STEP: 'optional' } });
  for (const id of ['alice', 'bruno', 'chloe', 'denis', 'emile', 'fanny'])
    portier.addUser({ identifier: id, email: `${id}@example.org`, password: PASSWORD, name: id });
  await portier.start();
});

after(async () => { await portier?.cleanup(); });

const maxAge = (header) => header.match(/;\s*max-age=(\d+)/i)?.[1];

async function passwordStep(c, identifier, password, remember) {
  const page = await c.get('/connexion');
  const form = { csrf: csrfOf(page.text), identifier, password };
  if (remember) form.remember = '1';
  return c.request('POST', '/connexion', { form });
}

// Sets up an authenticator app for `identifier`; returns its key (and keeps
// its recovery codes in `recoveryCodes`).
const recoveryCodes = {};
async function enrolApp(identifier) {
  const c = await signedIn(portier, identifier, PASSWORD);
  const page = await newKeyPage(c);
  const key = page.text.match(/data-testid="totp-key"[^>]*>([A-Z2-7 ]+)</)[1];
  const r = await c.request('POST', '/mon-espace/application',
    { form: { csrf: csrfOf(page.text), code: oathtool(key), current_password: PASSWORD } });
  assert.equal(r.status, 200);
  recoveryCodes[identifier] = r.text.match(/data-testid="recovery-codes"[^>]*>([^<]+)</)[1].trim().split(/\s+/);
  assert.equal(recoveryCodes[identifier].length, 10);
  return key;
}

function temporaryPassword(identifier) {
  const r = portier.cli(['user', 'temp-password', identifier]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.match(/temporary password for \S+: (\S+)/)[1];
}

test('by default the session cookie lasts the browser session', async () => {
  const c = new Client(portier.url);
  const page = await c.get('/connexion');
  assert.match(page.text, /<input type="checkbox" id="remember" name="remember" value="1"(?![^>]*checked)/, 'unticked');
  assert.match(page.text, /<label for="remember">Rester connecté sur cet ordinateur<\/label>/);
  const r = await passwordStep(c, 'alice', PASSWORD, false);
  assert.equal(r.status, 303);
  const session = cookieOf(r.setCookies, 'portier_session');
  assert.ok(session);
  assert.equal(maxAge(session.header), undefined, session.header);
  assert.equal((await c.get('/mon-espace')).status, 200);
});

test('"stay signed in" gives it the absolute timeout as Max-Age', async () => {
  const c = new Client(portier.url);
  const r = await passwordStep(c, 'bruno', PASSWORD, true);
  assert.equal(r.status, 303);
  assert.equal(maxAge(cookieOf(r.setCookies, 'portier_session').header), String(TWELVE_HOURS));
  // A failed attempt keeps the box as the member left it.
  const failed = await passwordStep(new Client(portier.url), 'bruno', 'pas-le-bon-mot', true);
  assert.equal(failed.status, 401);
  assert.match(failed.text, /id="remember" name="remember" value="1"[^>]*checked/);
});

test('the choice is carried through the second step', async () => {
  const keyC = await enrolApp('chloe');
  const keyD = await enrolApp('denis');
  for (const [identifier, key, remember] of [['chloe', keyC, true], ['denis', keyD, false]]) {
    const c = new Client(portier.url);
    const r = await passwordStep(c, identifier, PASSWORD, remember);
    assert.equal(r.headers.get('location'), '/connexion/code');
    assert.equal(cookieOf(r.setCookies, 'portier_session'), null, 'no session before the second step');
    const kept = cookieOf(r.setCookies, 'portier_remember');
    if (remember) assert.match(kept.header, /SameSite=Strict/);
    else assert.equal(kept, null);
    const page = await c.get('/connexion/code');
    const done = await c.request('POST', '/connexion/code',
      { form: { csrf: csrfOf(page.text), method: 'app', code: oathtool(key, 30) } });
    assert.equal(done.status, 303, done.text.slice(0, 300));
    const session = cookieOf(done.setCookies, 'portier_session');
    assert.equal(maxAge(session.header), remember ? String(TWELVE_HOURS) : undefined, `${identifier}: ${session.header}`);
    // Kept beside a remembered session only (a renewed token keeps its lifetime).
    assert.equal(c.cookies.has('portier_remember'), remember, 'the choice lives as long as the session');
  }
});

test('the choice is carried through the forced change of a temporary password', async () => {
  for (const [identifier, remember] of [['emile', true], ['fanny', false]]) {
    const c = new Client(portier.url);
    const r = await passwordStep(c, identifier, temporaryPassword(identifier), remember);
    assert.equal(r.headers.get('location'), '/connexion/nouveau-mot-de-passe');
    const page = await c.get('/connexion/nouveau-mot-de-passe');
    const NEW = 'Nouveau-Depart-Sur-Mer-7';
    const done = await c.request('POST', '/connexion/nouveau-mot-de-passe',
      { form: { csrf: csrfOf(page.text), new_password: NEW, confirm_password: NEW } });
    assert.equal(done.status, 303);
    const session = cookieOf(done.setCookies, 'portier_session');
    assert.equal(maxAge(session.header), remember ? String(TWELVE_HOURS) : undefined, `${identifier}: ${session.header}`);
  }
});

test('the choice is carried through the second step and then the forced change', async () => {
  // chloe has an app (test above); her app's next steps are spent, so a recovery code.
  const c = new Client(portier.url);
  const r = await passwordStep(c, 'chloe', temporaryPassword('chloe'), true);
  assert.equal(r.headers.get('location'), '/connexion/code');
  const page = await c.get('/connexion/code');
  const second = await c.request('POST', '/connexion/code',
    { form: { csrf: csrfOf(page.text), method: 'recovery_code', code: recoveryCodes.chloe[0] } });
  assert.equal(second.status, 303, second.text.slice(0, 300));
  assert.equal(second.headers.get('location'), '/connexion/nouveau-mot-de-passe');
  assert.equal(cookieOf(second.setCookies, 'portier_session'), null);
  const change = await c.get('/connexion/nouveau-mot-de-passe');
  const NEW = 'Autre-Depart-Sur-Mer-8';
  const done = await c.request('POST', '/connexion/nouveau-mot-de-passe',
    { form: { csrf: csrfOf(change.text), new_password: NEW, confirm_password: NEW } });
  assert.equal(done.status, 303);
  assert.equal(maxAge(cookieOf(done.setCookies, 'portier_session').header), String(TWELVE_HOURS));
});
