// The strongest enrolled factor and the second-step ceiling, over HTTP
// against the real server (docs/security.md "The strongest enrolled factor",
// "Second-step ceiling"): a member with an authenticator app cannot get a
// code by email (neither from the page nor by posting directly); replacing
// or removing the app needs the password and a code; the assistance and the
// operator reset a lost app; the session records how it was opened, also
// after the forced change of a temporary password; wrong codes reach a
// ceiling that waiting does not lift and the console does; a known password
// is told to the member once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier, Client } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { csrfOf, enrolApp, keyOf, newKeyPage, oathtool } from '../support/app.js';
import { consoleId, staffWithApp } from './staff_session.js';
import { rowsAddedBy } from './helpers.js';

const PASSWORD = 'Lanterne-Garrigue-Phare-31';
const NEW_PASSWORD = 'Falaise-Bruyère-Marée-58';
let smtp;
let portier;
let agent;  // support agent, signed in with the app
const keys = {};  // identifier -> app key
const codes = {};  // identifier -> recovery codes

const sql = (statement) => portier.sql(statement);
const mailsTo = (who) => smtp.messages.filter((m) => m.to === `${who}@example.org`);
// The methods of the one session of `who` that `action` opened.
async function methodsOfSessionOpenedBy(who, action) {
  const { added } = await rowsAddedBy(portier, "SELECT s.auth_methods || ' ' || s.id_hash FROM sessions s"
    + ` JOIN accounts a ON a.id = s.account_id WHERE a.identifier = '${who}'`, action);
  assert.equal(added.length, 1, `one new session of ${who}: ${added}`);
  return added[0].split(' ')[0];
}

before(async () => {
  smtp = await new SmtpSink().start();
  // "optional": a second step for members with an app; small limits so the
  // ceiling is reached in a few requests.
  portier = new Portier({
    env: { PORTIER_SECOND_STEP: 'optional' },
    toml: [...smtp.mailConfig(), '[second_step]', 'max_attempts = 3', 'account_failure_threshold = 3',
      'ceiling = 4', 'password_known_after = 2',
      // The console's app reset below checks a wrong agent password after a right one.
      '[security]', 'console_confirmation_period = 0'],
  });
  for (const id of ['alice', 'bruno', 'chantal', 'denis', 'emile', 'fanny'])
    portier.addUser({ identifier: id, email: `${id}@example.org`, password: PASSWORD, name: id });
  portier.addUser({ identifier: 'agent.paul', email: 'agent.paul@example.org', password: PASSWORD, role: 'support' });
  portier.addUser({ identifier: 'root', email: 'root@example.org', password: PASSWORD, role: 'admin' });
  await portier.start();
  agent = await staffWithApp(portier, 'agent.paul', PASSWORD);
  for (const id of ['alice', 'bruno', 'chantal', 'denis', 'emile', 'fanny', 'root']) {
    const c = new Client(portier.url);
    assert.equal((await c.signIn(id, PASSWORD)).headers.get('location'), '/mon-espace');
    const { key, codes: list, response } = await enrolApp(c, PASSWORD);
    assert.equal(response.status, 200, response.text.slice(0, 300));
    keys[id] = key;
    codes[id] = list;
  }
});

after(async () => {
  await portier?.cleanup();
  await smtp?.stop();
});

async function atSecondStep(who, password = PASSWORD) {
  const c = new Client(portier.url);
  const r = await c.signIn(who, password);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/connexion/code');
  return c;
}

test('enrolling an app mails the member a notice', async () => {
  await smtp.waitFor(() => mailsTo('alice').length > 0);
  assert.match(mailsTo('alice')[0].parsed.text, /application d’authentification a été activée/);
});

test('with an app, no code by email: the page offers none and a direct POST is refused', async () => {
  const c = await atSecondStep('alice');
  const page = await c.get('/connexion/code');
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.text, /action="\/connexion\/code\/envoi"/);
  assert.match(page.text, /data-testid="second-step-app-only"/);
  const before = mailsTo('alice').length;
  for (const via of ['email', 'sms']) {
    const r = await c.request('POST', '/connexion/code/envoi', { form: { csrf: csrfOf(page.text), via } });
    assert.equal(r.status, via === 'email' ? 403 : 400, `${via}: ${r.status}`);
  }
  // A code "typed" for the email method is refused too.
  const typed = await c.submit('/connexion/code', '/connexion/code', { method: 'email', code: '12345678' });
  assert.equal(typed.status, 422);
  assert.equal(mailsTo('alice').length, before, 'no code was mailed');
  assert.match(sql("SELECT count(*) FROM audit_events WHERE event = 'second_step.send_refused'"), /^[1-9]/);
  // The app still works, and the session says so.
  let done;
  const methods = await methodsOfSessionOpenedBy('alice', async () => {
    done = await c.submit('/connexion/code', '/connexion/code', { method: 'app', code: oathtool(keys.alice, 30) });
  });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), '/mon-espace');
  assert.equal(methods, 'pwd+app');
});

test('reloading the enrolment page shows the same key; replacing the app needs a code of the current one', async () => {
  const c = await atSecondStep('bruno');
  assert.equal(await methodsOfSessionOpenedBy('bruno',
    () => c.submit('/connexion/code', '/connexion/code', { method: 'recovery_code', code: codes.bruno[0] })),
  'pwd+recovery_code');
  const page = await newKeyPage(c);
  const key = keyOf(page.text);
  assert.equal(keyOf((await c.get('/mon-espace/application')).text), key);
  assert.equal(keyOf((await c.get('/mon-espace/application')).text), key);
  assert.match(page.text, /id="current_app_code"/);
  // Password alone: refused.
  let r = await c.request('POST', '/mon-espace/application',
    { form: { csrf: csrfOf(page.text), code: oathtool(key), current_password: PASSWORD } });
  assert.equal(r.status, 422);
  assert.match(r.text, /<a href="#current_app_code">/);
  assert.equal(keyOf(r.text), key, 'the same key again');
  // A wrong code of the current app: refused and audited.
  r = await c.request('POST', '/mon-espace/application',
    { form: { csrf: csrfOf(page.text), code: oathtool(key), current_password: PASSWORD, current_app_code: '000000' } });
  assert.equal(r.status, 422);
  assert.match(sql("SELECT detail FROM audit_events e JOIN accounts a ON a.id = e.target_id"
    + " WHERE a.identifier = 'bruno' AND e.event = 'reauth.failure'"), /totp_replacement/);
  // With a recovery code of the current app: replaced, codes shown, member told.
  const before = mailsTo('bruno').length;
  r = await c.request('POST', '/mon-espace/application',
    { form: { csrf: csrfOf(page.text), code: oathtool(key), current_password: PASSWORD, current_app_code: codes.bruno[1] } });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.match(r.text, /data-testid="recovery-codes"/);
  await smtp.waitFor(() => mailsTo('bruno').length > before);
  assert.match(mailsTo('bruno').at(-1).parsed.text, /remplacée par une nouvelle/);
  assert.match(sql("SELECT count(*) FROM audit_events WHERE event = 'totp.replaced'"), /^1/);
  // The old app no longer passes the second step; the new one does.
  const next = await atSecondStep('bruno');
  r = await next.submit('/connexion/code', '/connexion/code', { method: 'app', code: oathtool(keys.bruno, 30) });
  assert.equal(r.status, 422);
  r = await next.submit('/connexion/code', '/connexion/code', { method: 'app', code: oathtool(key, 30) });
  assert.equal(r.status, 303);
});

test('a temporary password, the app, then the forced change: the session records pwd+app', async () => {
  const out = portier.cli(['user', 'temp-password', 'chantal']);
  assert.equal(out.status, 0, out.stderr);
  const temporary = out.stdout.match(/: (\S+)\n/)[1];
  const c = await atSecondStep('chantal', temporary);
  // The app rules after a temporary password too: no email code.
  const page = await c.get('/connexion/code');
  assert.doesNotMatch(page.text, /action="\/connexion\/code\/envoi"/);
  const methods = await methodsOfSessionOpenedBy('chantal', async () => {
    let r = await c.submit('/connexion/code', '/connexion/code', { method: 'app', code: oathtool(keys.chantal, 30) });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/connexion/nouveau-mot-de-passe');
    r = await c.submit('/connexion/nouveau-mot-de-passe', '/connexion/nouveau-mot-de-passe',
      { password: NEW_PASSWORD, confirm_password: NEW_PASSWORD, new_password: NEW_PASSWORD });
    assert.equal(r.status, 303, r.text.slice(0, 300));
  });
  assert.equal(methods, 'pwd+app');
});

test('support resets a member\'s lost app (reason and agent password required, audited, member told)', async () => {
  const id = await consoleId(agent, 'denis');
  const page = await agent.get(`/support/compte?id=${id}`);
  assert.match(page.text, /action="\/support\/compte\/application"/);
  let r = await agent.request('POST', '/support/compte/application',
    { form: { csrf: csrfOf(page.text), id, reason: '', agent_password: PASSWORD } });
  assert.equal(r.status, 422);
  r = await agent.request('POST', '/support/compte/application',
    { form: { csrf: csrfOf(page.text), id, reason: 'Téléphone perdu, identité vérifiée par rappel', agent_password: 'wrong' } });
  assert.equal(r.status, 422);
  const before = mailsTo('denis').length;
  r = await agent.request('POST', '/support/compte/application',
    { form: { csrf: csrfOf(page.text), id, reason: 'Téléphone perdu, identité vérifiée par rappel', agent_password: PASSWORD } });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /info=app_reset/);
  await smtp.waitFor(() => mailsTo('denis').length > before);
  assert.match(mailsTo('denis').at(-1).parsed.text, /l’assistance a retiré votre application/);
  assert.match(sql("SELECT detail FROM audit_events WHERE event = 'totp.reset'"), /Téléphone perdu/);
  // Without an app, the sign-in is one step again (policy "optional").
  const c = new Client(portier.url);
  assert.equal((await c.signIn('denis', PASSWORD)).headers.get('location'), '/mon-espace');
});

test('support cannot reset an administrator\'s app (403); the operator can, with the command line', async () => {
  const page = await agent.get('/support');
  const rootId = sql("SELECT id FROM accounts WHERE identifier = 'root'");
  const r = await agent.request('POST', '/support/compte/application',
    { form: { csrf: csrfOf(page.text), id: rootId, reason: 'perdu', agent_password: PASSWORD } });
  assert.equal(r.status, 403);
  assert.match(sql("SELECT count(*) FROM totp_credentials WHERE account_id = " + rootId), /^1/);
  const out = await portier.cliAsync(['user', 'reset-app', 'root', '--reason', 'lost phone, checked in person']);
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /removed the authenticator app of root/);
  assert.match(sql("SELECT count(*) FROM totp_credentials WHERE account_id = " + rootId), /^0/);
  assert.match(sql("SELECT detail FROM audit_events WHERE event = 'totp.reset' AND target_id = " + rootId),
    /checked in person/);
});

test('wrong codes reach the ceiling: locked even after the suspension ends, lifted by the console', async () => {
  const wrong = async (c) => c.submit('/connexion/code', '/connexion/code', { method: 'app', code: '000000' });
  let c = await atSecondStep('emile');
  for (let i = 0; i < 3; i++) await wrong(c);
  // Three wrong codes suspend the step (threshold 3); the next try is refused.
  c = await atSecondStep('emile');
  let r = await c.submit('/connexion/code', '/connexion/code', { method: 'app', code: oathtool(keys.emile, 30) });
  assert.equal(r.status, 422);
  // The hour passes (the suspension's end is moved back), then one more wrong code: the ceiling (4).
  sql("UPDATE sign_in_lockouts SET locked_until = 1 WHERE key LIKE 'code:account:%' AND account_id ="
    + " (SELECT id FROM accounts WHERE identifier = 'emile')");
  r = await wrong(c);
  assert.equal(r.status, 422);
  // Days pass: still locked, even with the right code.
  sql("UPDATE sign_in_lockouts SET updated_at = 1, locked_until = NULL WHERE account_id ="
    + " (SELECT id FROM accounts WHERE identifier = 'emile')");
  c = await atSecondStep('emile');
  r = await c.submit('/connexion/code', '/connexion/code', { method: 'app', code: oathtool(keys.emile, 30) });
  assert.equal(r.status, 422);
  assert.match(r.text, /bloquée/);
  // The console shows it and lifts it.
  const id = await consoleId(agent, 'emile');
  const page = await agent.get(`/support/compte?id=${id}`);
  assert.match(page.text, /data-testid="console-code-locked"/);
  r = await agent.request('POST', '/support/compte/suspension',
    { form: { csrf: csrfOf(page.text), id, reason: 'Membre rappelé', agent_password: PASSWORD } });
  assert.equal(r.status, 303, (r.text.match(/error-message[^>]*>([^<]*)/g) ?? []).join(' | '));
  c = await atSecondStep('emile');
  r = await c.submit('/connexion/code', '/connexion/code', { method: 'app', code: oathtool(keys.emile, 30) });
  assert.equal(r.status, 303);
});

test('"password right, code wrong" in several sign-ins tells the member once', async () => {
  const before = mailsTo('fanny').length;
  for (let i = 0; i < 3; i++) {
    const c = await atSecondStep('fanny');
    await c.submit('/connexion/code', '/connexion/code', { method: 'app', code: '000000' });
  }
  await smtp.waitFor(() => mailsTo('fanny').some((m) => /connaître votre mot de passe/.test(m.parsed.subject)));
  // Another failed sign-in sends nothing more (at most one a day).
  portier.cli(['user', 'unlock', 'fanny']);
  const c = await atSecondStep('fanny');
  await c.submit('/connexion/code', '/connexion/code', { method: 'app', code: '000000' });
  const outbox = sql("SELECT count(*) FROM outbox o JOIN accounts a ON a.id = o.account_id"
    + " WHERE a.identifier = 'fanny' AND o.kind = 'second_step.password_known'");
  assert.equal(outbox, '1');
  assert.ok(mailsTo('fanny').length > before);
});
