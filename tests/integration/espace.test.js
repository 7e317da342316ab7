// Issue 10, items 11 and 12 over HTTP: Mon espace's summary and its
// confirmations; the authenticator-app key kept server-side across reloads
// until confirmed or cancelled; the confirming code making the session a
// "pwd+app" one, so staff open the console without signing in again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier, Client } from '../support/portier.js';
import { enrolApp, keyOf, newKeyPage } from '../support/app.js';
import { hasMessage } from './helpers.js';

const PASSWORD = 'Lanterne-Garrigue-Phare-31';
let portier;

before(async () => {
  portier = new Portier({ env: { PORTIER_SECOND_STEP: 'optional' } });
  portier.addUser({ identifier: 'agathe', email: 'agathe@example.org', password: PASSWORD, name: 'Agathe Roux' });
  portier.addUser({ identifier: 'bruno', email: 'bruno@example.org', password: PASSWORD, name: 'Bruno Support', role: 'support' });
  await portier.start();
});
after(async () => {
  await portier?.cleanup();
});

const sql = (statement) => portier.sql(statement);

async function signedIn(identifier) {
  const c = new Client(portier.url);
  const r = await c.signIn(identifier, PASSWORD);
  assert.equal(r.status, 303);
  return c;
}

test('Mon espace is a summary above folded settings, each form still with its CSRF token', async () => {
  const c = await signedIn('agathe');
  const page = await c.get('/mon-espace');
  assert.equal(page.status, 200);
  assert.match(page.text, /data-testid="account-summary"/);
  assert.ok(hasMessage(page.text, 'espace_sessions_one'));
  assert.ok(hasMessage(page.text, 'espace_advice_second_factor'), 'no second factor: the summary advises one');
  const folds = [...page.text.matchAll(/<details class="card fold" id="([^"]+)"[^>]*?( open)?>/g)];
  assert.deepEqual(folds.map((m) => m[1]),
    ['profil-fold', 'mot-de-passe-fold', 'codes-fold', 'application-fold', 'sessions-fold', 'activite-fold']);
  assert.ok(folds.every((m) => !m[2]), 'all folded on arrival');
  // The old anchors still exist, inside the folds.
  for (const id of ['profil', 'mot-de-passe', 'codes', 'application', 'sessions', 'activite'])
    assert.match(page.text, new RegExp(`id="${id}" class="fold-body"`));
  const forms = page.text.match(/<form method="post"[^>]*>\s*<input type="hidden" name="csrf"/g) ?? [];
  const all = page.text.match(/<form method="post"/g) ?? [];
  assert.equal(forms.length, all.length, 'every form carries its CSRF token');
});

test('the confirmations that existed in the strings now appear, opening the setting changed', async () => {
  const c = await signedIn('agathe');
  for (const [info, fold] of [['phone_saved', 'codes'], ['phone_removed', 'codes'], ['channel_saved', 'codes'],
    ['profile_saved', 'profil'], ['totp_cancelled', 'application']]) {
    const page = await c.get(`/mon-espace?info=${info}`);
    assert.ok(hasMessage(page.text, `notice_${info}`), info);
    assert.match(page.text, /class="notice" role="status" tabindex="-1" autofocus/);
    assert.match(page.text, new RegExp(`id="${fold}-fold"[^>]* open>`), `${info} opens ${fold}`);
  }
  // A saved channel without errors: the channel form, when refused, opens its fold.
  const refused = await c.submit('/mon-espace', '/mon-espace/canal', { channel: 'sms', channel_password: 'faux' });
  assert.equal(refused.status, 422);
  assert.match(refused.text, /id="codes-fold" open/);
});

test('the app key stays the same across reloads, is never in a form, and can be cancelled', async () => {
  const c = await signedIn('agathe');
  const first = await newKeyPage(c);
  const key = keyOf(first.text);
  const again = await c.get('/mon-espace/application');
  assert.equal(keyOf(again.text), key);
  assert.doesNotMatch(again.text, new RegExp(`value="[^"]*${key.replace(/ /g, '')}`), 'the key is not in a field');
  assert.match(again.text, /data-testid="totp-key-lifetime"/);
  const pendingAt = sql("SELECT COUNT(pending_at) FROM totp_credentials t JOIN accounts a ON a.id = t.account_id WHERE a.identifier = 'agathe'").trim();
  assert.equal(pendingAt, '1');

  const cancelled = await c.submit('/mon-espace/application', '/mon-espace/application/annuler', {});
  assert.equal(cancelled.status, 303);
  assert.equal(cancelled.headers.get('location'), '/mon-espace?info=totp_cancelled#application');
  const after = await c.get('/mon-espace/application');
  assert.doesNotMatch(after.text, /data-testid="totp-key"/);
  assert.equal(sql("SELECT COUNT(*) FROM totp_credentials t JOIN accounts a ON a.id = t.account_id WHERE a.identifier = 'agathe'").trim(), '0');
  assert.equal(sql("SELECT COUNT(*) FROM audit_events WHERE event = 'totp.enrolment_cancelled'").trim(), '1');
  // A key older than its lifetime is as good as gone.
  await newKeyPage(c);
  sql("UPDATE totp_credentials SET pending_at = pending_at - 16 * 60 WHERE account_id = (SELECT id FROM accounts WHERE identifier = 'agathe')");
  const expired = await c.get('/mon-espace/application');
  assert.doesNotMatch(expired.text, /data-testid="totp-key"/);
});

test('the confirming code is the app step: a support agent opens the console without signing in again', async () => {
  const c = await signedIn('bruno');
  const before = await c.get('/support');
  assert.equal(before.status, 403, 'a password alone does not open the console');
  const { response } = await enrolApp(c, PASSWORD);
  assert.equal(response.status, 200);
  const console = await c.get('/support');
  assert.equal(console.status, 200);
  assert.equal(sql("SELECT COUNT(*) FROM audit_events WHERE event = 'session.app_proved'").trim(), '1');
  assert.equal(sql("SELECT auth_methods FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE a.identifier = 'bruno'").trim(), 'pwd+app');
});
