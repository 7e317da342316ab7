// Staff sessions for the console suites (not a test file itself): the console
// admits only staff signed in with an authenticator app, so a suite enrols an
// app with a password-only session, then signs in again with an app code.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Client } from '../support/portier.js';
import { newKeyPage } from '../support/app.js';

export const csrfOf = (html) => html.match(/name="csrf" value="([^"]+)"/)[1];
const keyOf = (html) => html.match(/data-testid="totp-key"[^>]*>([A-Z2-7 ]+)</)[1];

// The app code of the current 30-second step (or `offset` seconds away), from Debian's oathtool.
export function oathtool(key, offset = 0) {
  const at = `@${Math.floor(Date.now() / 1000) + offset}`;
  return execFileSync('oathtool', ['--totp', '-b', '-N', at, key.replace(/\s+/g, '')], { encoding: 'utf8' }).trim();
}

export async function signedIn(portier, identifier, password) {
  const c = new Client(portier.url);
  const r = await c.signIn(identifier, password);
  assert.equal(r.status, 303, `${identifier} signs in`);
  return c;
}

// Enrols an app and signs in again with it (the next step's code: the
// enrolment spent the current one). Returns the app-authenticated client.
export async function staffWithApp(portier, identifier, password) {
  const first = await signedIn(portier, identifier, password);
  const page = await newKeyPage(first);
  const key = keyOf(page.text);
  const enrolled = await first.request('POST', '/mon-espace/application',
    { form: { csrf: csrfOf(page.text), code: oathtool(key), current_password: password } });
  assert.equal(enrolled.status, 200, `${identifier} enrols an app`);
  const c = new Client(portier.url);
  const r = await c.signIn(identifier, password);
  assert.match(r.headers.get('location'), /^\/connexion\/code/);
  const done = await c.submit('/connexion/code', '/connexion/code', { method: 'app', code: oathtool(key, 30) });
  assert.equal(done.status, 303, done.text.slice(0, 300));
  return c;
}

// The console's id of the account `identifier` (searched as `client`).
export async function consoleId(client, identifier) {
  const r = await client.get(`/support?q=${encodeURIComponent(identifier)}`);
  assert.equal(r.status, 200);
  const m = [...r.text.matchAll(/href="\/support\/compte\?id=(\d+)" data-testid="console-result">([^<]+)</g)]
    .find((x) => x[2] === identifier);
  assert.ok(m, `${identifier} found in the console`);
  return m[1];
}
