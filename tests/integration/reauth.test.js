// "Your password again": every sensitive form of Mon espace goes through one
// re-authentication, counted on the account. Wrong answers from a session
// (a stolen cookie, a PC left open) end every session of the account.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Portier, Client } from '../support/portier.js';

const PASSWORD = 'Velo-Rouge-Matin-42';
let portier;

before(async () => {
  portier = new Portier();
  portier.addUser({ identifier: 'alice', email: 'alice@example.org', password: PASSWORD, name: 'Alice Martin' });
  portier.addUser({ identifier: 'bruno', email: 'bruno@example.org', password: 'ma ﬁne phrase de passe', name: 'Bruno Petit' });
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
});

async function signedIn(identifier, password = PASSWORD) {
  const c = new Client(portier.url);
  const r = await c.signIn(identifier, password);
  assert.equal(r.status, 303, `sign-in of ${identifier}`);
  return c;
}

function mailFiles(kind) {
  try {
    return readdirSync(join(portier.dataDir, 'outbox')).filter((f) => f.endsWith(`-${kind}.eml`));
  } catch {
    return [];
  }
}

async function waitFor(condition, what) {
  for (let i = 0; i < 100; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('wrong answers on different forms count together; the fifth ends every session and tells the member', async () => {
  const thief = await signedIn('alice');
  const member = await signedIn('alice');
  const wrong = 'Pas-le-bon-1234';
  const forms = [
    ['/mon-espace/mot-de-passe', { current_password: wrong, new_password: 'Une-Autre-Phrase-8', confirm_password: 'Une-Autre-Phrase-8' }],
    ['/mon-espace/mobile', { new_phone: '06 12 34 56 78', phone_password: wrong }],
    ['/mon-espace/canal', { channel: 'email', channel_password: wrong }],
    ['/mon-espace/application/codes', { current_password: wrong }],
  ];
  for (const [action, form] of forms) {
    const r = await thief.submit('/mon-espace', action, form);
    assert.equal(r.status, 422, `${action} refuses a wrong password`);
  }
  assert.equal((await member.get('/mon-espace')).status, 200, 'four wrong answers end nothing');
  assert.equal(mailFiles('account.reauth_locked_out').length, 0);

  const fifth = await thief.submit('/mon-espace', '/mon-espace/mot-de-passe', forms[0][1]);
  assert.equal(fifth.status, 303);
  assert.equal(fifth.headers.get('location'), '/connexion?info=reauth_locked_out');
  assert.ok(fifth.setCookies.some((c) => /^portier_session=;/.test(c)), 'the session cookie is cleared');
  const notice = await thief.get('/connexion?info=reauth_locked_out');
  assert.match(notice.text, /data-testid="notice"/);

  assert.equal((await thief.get('/mon-espace')).headers.get('location'), '/connexion');
  assert.equal((await member.get('/mon-espace')).headers.get('location'), '/connexion', 'every session of the account ended');
  await waitFor(() => mailFiles('account.reauth_locked_out').length === 1, 'the notice to the member');

  // The member signs in again and starts from a fresh count.
  const back = await signedIn('alice');
  const once = await back.submit('/mon-espace', '/mon-espace/mot-de-passe', forms[0][1]);
  assert.equal(once.status, 422);
  assert.equal((await back.get('/mon-espace')).status, 200);
});

test('an empty password is asked for, not counted', async () => {
  const c = await signedIn('alice');
  for (let i = 0; i < 7; i++) {
    const r = await c.submit('/mon-espace', '/mon-espace/canal', { channel: 'email', channel_password: '' });
    assert.equal(r.status, 422);
  }
  assert.equal((await c.get('/mon-espace')).status, 200);
});

test('the password typed again is normalised as at sign-in (NFKC)', async () => {
  const c = await signedIn('bruno', 'ma fine phrase de passe');
  const r = await c.submit('/mon-espace', '/mon-espace/canal', { channel: 'email', channel_password: 'ma fine phrase de passe' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/mon-espace?info=channel_saved#codes');
});
