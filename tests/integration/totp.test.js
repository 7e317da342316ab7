// Authenticator apps, over HTTP against the real server: enrolment in Mon
// espace confirmed by a code from Debian's oathtool (an independent TOTP
// implementation), wrong codes and passwords refused with the error summary,
// ten recovery codes shown once, then the app and a recovery code used at
// sign-in, each code only once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Portier, Client } from '../support/portier.js';

const PASSWORD = 'Lanterne-Garrigue-Phare-31';
const CODE_RE = /\b[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}\b/g;
let portier;

before(async () => {
  // "optional": a second step only for members with an app (or a verified
  // mobile number), so the sign-in before enrolment is one step.
  portier = new Portier({ env: { PORTIER_SECOND_STEP: 'optional' } });
  for (const id of ['amelie', 'bastien', 'celine', 'damien'])
    portier.addUser({ identifier: id, email: `${id}@example.org`, password: PASSWORD, name: id });
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
});

// The code Debian's oathtool computes for `key` at now + offset seconds.
function oathtool(key, offset = 0) {
  const at = `@${Math.floor(Date.now() / 1000) + offset}`;
  return execFileSync('oathtool', ['--totp', '-b', '-N', at, key.replace(/\s+/g, '')], { encoding: 'utf8' }).trim();
}

const keyOf = (html) => html.match(/data-testid="totp-key"[^>]*>([A-Z2-7 ]+)</)[1];
const codesOf = (html) => html.match(CODE_RE) ?? [];

async function signedIn(identifier) {
  const c = new Client(portier.url);
  const r = await c.signIn(identifier, PASSWORD);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/mon-espace');
  return c;
}

// Opens the enrolment page, confirms with oathtool; returns { client, key, codes }.
async function enrol(identifier) {
  const client = await signedIn(identifier);
  const page = await client.get('/mon-espace/application');
  assert.equal(page.status, 200);
  const key = keyOf(page.text);
  const csrf = page.text.match(/name="csrf" value="([^"]+)"/)[1];
  const r = await client.request('POST', '/mon-espace/application',
    { form: { csrf, code: oathtool(key), current_password: PASSWORD } });
  assert.equal(r.status, 200, r.text.slice(0, 400));
  return { client, key, codes: codesOf(r.text) };
}

test('the enrolment page shows a QR code as SVG and the key in text, grouped by four', async () => {
  const c = await signedIn('amelie');
  const account = await c.get('/mon-espace');
  assert.match(account.text, /data-testid="totp-status"/);
  assert.match(account.text, /href="\/mon-espace\/application"/);
  const page = await c.get('/mon-espace/application');
  assert.equal(page.status, 200);
  assert.match(page.text, /<svg [^>]*viewBox="0 0 \d+ \d+"[^>]*role="img"[^>]*aria-label="[^"]+"/);
  assert.doesNotMatch(page.text.match(/<svg[\s\S]*<\/svg>/)[0], /style=/);
  const key = keyOf(page.text);
  assert.match(key, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
  // Each visit draws a new key: nothing pending leaks into another visit.
  const again = await c.get('/mon-espace/application');
  assert.notEqual(keyOf(again.text), key);
  // Without a session, the page sends to sign-in.
  const anon = await new Client(portier.url).get('/mon-espace/application');
  assert.equal(anon.status, 303);
});

test('a wrong code or password is refused with the error summary, and the same key is shown again', async () => {
  const c = await signedIn('bastien');
  const page = await c.get('/mon-espace/application');
  const key = keyOf(page.text);
  const csrf = page.text.match(/name="csrf" value="([^"]+)"/)[1];
  const wrongCode = String((Number(oathtool(key)) + 1) % 1000000).padStart(6, '0');
  let r = await c.request('POST', '/mon-espace/application', { form: { csrf, code: wrongCode, current_password: PASSWORD } });
  assert.equal(r.status, 422);
  assert.match(r.text, /data-testid="error-summary"/);
  assert.match(r.text, /<a href="#totp_code">/);
  assert.match(r.text, /id="totp_code"[^>]*aria-invalid="true"/);
  assert.equal(keyOf(r.text), key);
  r = await c.request('POST', '/mon-espace/application', { form: { csrf, code: oathtool(key), current_password: 'not-my-password' } });
  assert.equal(r.status, 422);
  assert.match(r.text, /<a href="#current_password">/);
  assert.match(r.text, /id="current_password"[^>]*aria-invalid="true"/);
  r = await c.request('POST', '/mon-espace/application', { form: { csrf, code: '', current_password: '' } });
  assert.equal(r.status, 422);
  assert.match(r.text, /<a href="#totp_code">[\s\S]*<a href="#current_password">/);
  // Still not enrolled.
  const account = await c.get('/mon-espace');
  assert.doesNotMatch(account.text, /data-testid="totp-codes-left"/);
});

test('an oathtool code confirms the enrolment; ten recovery codes are shown once; the action is audited', async () => {
  const { client, codes } = await enrol('celine');
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10);
  const account = await client.get('/mon-espace');
  assert.match(account.text, /data-testid="totp-codes-left">[^<]*10/);
  assert.match(account.text, /authentification activée|Authenticator app set up/);
  assert.equal(codesOf(account.text).length, 0);
});

test('new recovery codes need the password and replace the old ones; removal too', async () => {
  const { client, codes } = await enrol('damien');
  let r = await client.submit('/mon-espace', '/mon-espace/application/codes', { current_password: 'wrong' });
  assert.equal(r.status, 422);
  assert.match(r.text, /<a href="#totp_password">/);
  assert.match(r.text, /id="totp_password"[^>]*aria-invalid="true"/);
  r = await client.submit('/mon-espace', '/mon-espace/application/codes', { current_password: PASSWORD });
  assert.equal(r.status, 200);
  const fresh = codesOf(r.text);
  assert.equal(fresh.length, 10);
  assert.equal(fresh.filter((c) => codes.includes(c)).length, 0);
  r = await client.submit('/mon-espace', '/mon-espace/application/supprimer', { current_password: 'wrong' });
  assert.equal(r.status, 422);
  r = await client.submit('/mon-espace', '/mon-espace/application/supprimer', { current_password: PASSWORD });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/mon-espace?info=totp_removed#application');
  const account = await client.get('/mon-espace?info=totp_removed');
  assert.doesNotMatch(account.text, /data-testid="totp-codes-left"/);
  assert.match(account.text, /data-testid="notice"/);
  // Without an app, sign-in is one step again.
  await signedIn('damien');
});

// Starts a sign-in that stops at the second step; returns the client.
async function atSecondStep(identifier) {
  const c = new Client(portier.url);
  const r = await c.signIn(identifier, PASSWORD);
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/connexion\/code/);
  return c;
}

async function submitSecondStep(c, method, code) {
  return c.submit('/connexion/code', '/connexion/code', { method, code });
}

test('at sign-in, an app code works once (the confirming one never); a recovery code works once', async () => {
  const { key, codes } = await enrol('amelie');
  // The code that confirmed the enrolment is spent.
  let c = await atSecondStep('amelie');
  let r = await submitSecondStep(c, 'app', oathtool(key));
  // The step may have turned since the enrolment; then this code is a newer one and works.
  const sameStep = r.status === 422;
  if (sameStep) assert.match(r.text, /data-testid="error-summary"/);
  // A code of the next step (within the ±1 window) is accepted once.
  const next = oathtool(key, 30);
  r = await submitSecondStep(c, 'app', next);
  if (sameStep) {
    assert.equal(r.status, 303, r.text.slice(0, 300));
    assert.equal(r.headers.get('location'), '/mon-espace');
  }
  c = await atSecondStep('amelie');
  r = await submitSecondStep(c, 'app', next);
  assert.equal(r.status, 422, 'a code already used is refused');
  // A recovery code, typed in lower case without its dash, works once.
  c = await atSecondStep('amelie');
  r = await submitSecondStep(c, 'recovery_code', codes[0].replace('-', '').toLowerCase());
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/mon-espace');
  c = await atSecondStep('amelie');
  r = await submitSecondStep(c, 'recovery_code', codes[0]);
  assert.equal(r.status, 422);
});
