// Authenticator apps, over HTTP against the real server: enrolment in Mon
// espace confirmed by a code from Debian's oathtool (an independent TOTP
// implementation), wrong codes and passwords refused with the error summary,
// ten recovery codes shown once, then the app and a recovery code used at
// sign-in, each code only once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier, Client } from '../support/portier.js';
import { enrolApp, keyOf, newKeyPage, oathtool, RECOVERY_CODE_RE } from '../support/app.js';

const PASSWORD = 'Lanterne-Garrigue-Phare-31';
const CODE_RE = RECOVERY_CODE_RE;
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

const sql = (p, statement) => p.sql(statement);
const codesOf = (html) => html.match(CODE_RE) ?? [];

async function signedIn(identifier) {
  const c = new Client(portier.url);
  const r = await c.signIn(identifier, PASSWORD);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/mon-espace');
  return c;
}

// Draws a key, confirms with oathtool; returns { client, key, codes }.
async function enrol(identifier) {
  const client = await signedIn(identifier);
  const { key, codes, response } = await enrolApp(client, PASSWORD);
  assert.equal(response.status, 200, response.text.slice(0, 400));
  return { client, key, codes };
}

test('the enrolment page shows a QR code as SVG and the key in text, grouped by four', async () => {
  const c = await signedIn('amelie');
  const account = await c.get('/mon-espace');
  assert.match(account.text, /data-testid="totp-status"/);
  assert.match(account.text, /href="\/mon-espace\/application"/);
  // GET never changes state: before the member asks for a key, none is drawn.
  const empty = await c.get('/mon-espace/application');
  assert.equal(empty.status, 200);
  assert.doesNotMatch(empty.text, /data-testid="totp-key"/);
  assert.match(empty.text, /action="\/mon-espace\/application\/nouvelle-cle"/);
  const page = await newKeyPage(c);
  assert.equal(page.status, 200);
  assert.match(page.text, /<svg [^>]*viewBox="0 0 \d+ \d+"[^>]*role="img"[^>]*aria-label="[^"]+"/);
  assert.doesNotMatch(page.text.match(/<svg[\s\S]*<\/svg>/)[0], /style=/);
  const key = keyOf(page.text);
  assert.match(key, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
  // Reloading shows the same key (it stays pending); only a new POST draws another.
  const again = await c.get('/mon-espace/application');
  assert.equal(keyOf(again.text), key);
  const other = await newKeyPage(c);
  assert.notEqual(keyOf(other.text), key);
  // Without a session, the page sends to sign-in.
  const anon = await new Client(portier.url).get('/mon-espace/application');
  assert.equal(anon.status, 303);
});

test('a wrong code or password is refused with the error summary, and the same key is shown again', async () => {
  const c = await signedIn('bastien');
  const page = await newKeyPage(c);
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

test('new recovery codes and removal need the password and a code of the app (or a recovery code)', async () => {
  const { client, key, codes } = await enrol('damien');
  // Password alone (the old rule): refused, the code field marked.
  let r = await client.submit('/mon-espace', '/mon-espace/application/codes', { current_password: PASSWORD });
  assert.equal(r.status, 422);
  assert.match(r.text, /<a href="#totp_app_code">/);
  r = await client.submit('/mon-espace', '/mon-espace/application/codes', { current_password: 'wrong', app_code: oathtool(key, 30) });
  assert.equal(r.status, 422);
  assert.match(r.text, /<a href="#totp_password">/);
  assert.match(r.text, /id="totp_password"[^>]*aria-invalid="true"/);
  // A wrong code with the right password: refused, and audited.
  const wrongCode = String((Number(oathtool(key)) + 500000) % 1000000).padStart(6, '0');
  r = await client.submit('/mon-espace', '/mon-espace/application/supprimer', { current_password: PASSWORD, app_code: wrongCode });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="totp_app_code"[^>]*aria-invalid="true"/);
  const audited = sql(portier, "SELECT detail FROM audit_events e JOIN accounts a ON a.id = e.target_id"
    + " WHERE a.identifier = 'damien' AND e.event = 'reauth.failure' ORDER BY e.id");
  assert.match(audited, /totp_removal/, 'the refused removal is audited');
  // A recovery code stands for the app.
  r = await client.submit('/mon-espace', '/mon-espace/application/codes', { current_password: PASSWORD, app_code: codes[0] });
  assert.equal(r.status, 200);
  const fresh = codesOf(r.text);
  assert.equal(fresh.length, 10);
  assert.equal(fresh.filter((c) => codes.includes(c)).length, 0);
  r = await client.submit('/mon-espace', '/mon-espace/application/supprimer', { current_password: PASSWORD, app_code: fresh[0] });
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
