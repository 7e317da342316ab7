// The second step of sign-in against the real server: codes by email through
// a real SMTP server, by SMS through a local stub of a gateway, and from an
// authenticator app (codes made by Debian's oathtool); expiry, tries, reuse,
// resend cooldown, policies per role.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Portier, Client } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { FRENCH_DATE_TIME } from '../support/display_time.js';

const PASSWORD = 'ruisseau-lanterne-hiver-42';
let smtp;
let portier;

const sql = (p, statement) => p.sql(statement);

async function startWith(extra = '', env = {}) {
  return new Portier({ env: { PORTIER_SECOND_STEP: 'required', ...env }, toml: [...smtp.mailConfig(), extra] });
}

before(async () => {
  smtp = await new SmtpSink().start();
  portier = await startWith();
  for (const id of ['anna', 'bob', 'chloe', 'dan', 'eve'])
    portier.addUser({ identifier: id, email: `${id}@example.org`, password: PASSWORD });
  portier.addUser({ identifier: 'root', email: 'root@example.org', password: PASSWORD, role: 'admin' });
  await portier.start();
});
after(async () => {
  await portier?.cleanup();
  await smtp?.stop();
});

const csrfOf = (html) => html.match(/name="csrf" value="([^"]+)"/)[1];
const codeIn = (m) => m.parsed.text.match(/\b(\d{8})\b/)[1];

// Password; with email as the only channel the code goes at once (no
// "send" click); returns the client and the mail.
async function passwordThenEmailCode(who) {
  const c = new Client(portier.url);
  const before = smtp.messages.filter((m) => m.to === `${who}@example.org`).length;
  const r = await c.signIn(who, PASSWORD);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/connexion/code');
  assert.equal(r.setCookies.some((x) => x.startsWith('portier_session=')), false, 'no session before the second step');
  const page = await c.get('/connexion/code');
  assert.equal(page.status, 200);
  await smtp.waitFor(() => smtp.messages.filter((m) => m.to === `${who}@example.org`).length > before);
  const mail = smtp.messages.filter((m) => m.to === `${who}@example.org`).at(-1);
  return { c, mail, csrf: csrfOf(page.text) };
}

test('a code by email completes the sign-in; the page says where it went and until when', async () => {
  const { c, mail, csrf } = await passwordThenEmailCode('anna');
  assert.match(mail.parsed.subject, /code/i);
  const page = await c.get('/connexion/code');
  assert.match(page.text, /a•••••@example\.org/, 'the address is masked');
  assert.match(page.text, new RegExp(`data-testid="second-step-expires">${FRENCH_DATE_TIME}<`));
  const wrong = await c.request('POST', '/connexion/code', { form: { csrf, method: 'email', code: '00000000' } });
  assert.equal(wrong.status, 422);
  assert.match(wrong.text, /essais restants\u00a0: 4/);
  const code = codeIn(mail);
  const ok = await c.request('POST', '/connexion/code', { form: { csrf, method: 'email', code: `${code.slice(0, 4)} ${code.slice(4)}` } });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), '/mon-espace');
  assert.ok(c.cookies.has('portier_session'));
  const account = await c.get('/mon-espace');
  assert.equal(account.status, 200);
  // The token of the page before sign-in died with it (the CSRF secret is renewed with the session).
  assert.equal((await c.request('POST', '/connexion/code', { form: { csrf, method: 'email', code } })).status, 403);
  // The flow is spent: the same code cannot open a second session.
  const again = await c.request('POST', '/connexion/code', { form: { csrf: csrfOf(account.text), method: 'email', code } });
  assert.equal(again.status, 303);
  assert.equal(again.headers.get('location'), '/connexion?info=flow_expired');
});

test('five wrong codes end the sign-in; the right one is refused after that', async () => {
  const { c, mail, csrf } = await passwordThenEmailCode('bob');
  for (let i = 0; i < 4; i++)
    assert.equal((await c.request('POST', '/connexion/code', { form: { csrf, method: 'email', code: `1234567${i}` } })).status, 422);
  const fifth = await c.request('POST', '/connexion/code', { form: { csrf, method: 'email', code: '12345679' } });
  assert.match(fifth.text, /Recommencez la connexion/);
  const right = await c.request('POST', '/connexion/code', { form: { csrf, method: 'email', code: codeIn(mail) } });
  assert.equal(right.status, 422);
  assert.equal(right.setCookies.some((x) => x.startsWith('portier_session=')), false);
});

test('an expired code is refused', async () => {
  const { c, mail, csrf } = await passwordThenEmailCode('chloe');
  // The server's clock cannot move; the stored deadline can.
  // flows.data is JSON text on both backends; only the function differs.
  const past = Portier.now() - 1;
  const expired = portier.backend === 'postgres'
    ? `jsonb_set(data::jsonb, '{code_expires}', to_jsonb(${past}))::text`
    : `json_set(data, '$.code_expires', ${past})`;
  sql(portier, `UPDATE flows SET data = ${expired} WHERE state = 'second_step'`);
  const r = await c.request('POST', '/connexion/code', { form: { csrf, method: 'email', code: codeIn(mail) } });
  assert.equal(r.status, 422);
  assert.match(r.text, /expiré/);
});

test('send again waits for the cooldown', async () => {
  const { c, csrf } = await passwordThenEmailCode('dan');
  const count = smtp.messages.filter((m) => m.to === 'dan@example.org').length;
  const r = await c.request('POST', '/connexion/code/envoi', { form: { csrf, via: 'email' } });
  assert.equal(r.headers.get('location'), '/connexion/code?info=too_soon');
  await new Promise((res) => setTimeout(res, 1500));
  assert.equal(smtp.messages.filter((m) => m.to === 'dan@example.org').length, count, 'no second message');
});

test('SMS is offered only for a verified mobile number', async () => {
  sql(portier, "UPDATE accounts SET phone = '+33612345678' WHERE identifier = 'eve'");
  const c = new Client(portier.url);
  await c.signIn('eve', PASSWORD);
  let page = await c.get('/connexion/code');
  assert.doesNotMatch(page.text, /id="via-sms"/, 'an unverified number gets no codes');
  const refused = await c.request('POST', '/connexion/code/envoi', { form: { csrf: csrfOf(page.text), via: 'sms' } });
  assert.equal(refused.status, 400);
  sql(portier, `UPDATE accounts SET phone_verified_at = ${Portier.now()} WHERE identifier = 'eve'`);
  page = await c.get('/connexion/code');
  // The code went by email at once (one channel then); SMS is now offered beside it.
  assert.match(page.text, /name="via" value="sms"/);
  assert.match(page.text, /•• •• •• •• 78/);
});

test('policies per role: off for administrators here', async () => {
  const p = await startWith('[second_step]\npolicy_admin = "off"\n');
  p.addUser({ identifier: 'admin1', email: 'admin1@example.org', password: PASSWORD, role: 'admin' });
  p.addUser({ identifier: 'member1', email: 'member1@example.org', password: PASSWORD });
  await p.start();
  try {
    assert.equal((await new Client(p.url).signIn('admin1', PASSWORD)).headers.get('location'), '/mon-espace');
    assert.equal((await new Client(p.url).signIn('member1', PASSWORD)).headers.get('location'), '/connexion/code');
  } finally {
    await p.cleanup();
  }
});

test('a temporary password: second step first, then the forced change', async () => {
  const issued = portier.cli(['user', 'temp-password', 'root']);
  const temporary = issued.stdout.match(/temporary password for \S+: (\S+)/)[1];
  const c = new Client(portier.url);
  const r = await c.signIn('root', temporary);
  assert.equal(r.headers.get('location'), '/connexion/code');
  const page = await c.get('/connexion/code');
  const csrf = csrfOf(page.text);
  await c.request('POST', '/connexion/code/envoi', { form: { csrf, via: 'email' } });
  const mail = await smtp.waitFor((m) => m.to === 'root@example.org' && /\d{8}/.test(m.parsed.text));
  const ok = await c.request('POST', '/connexion/code', { form: { csrf, method: 'email', code: codeIn(mail) } });
  assert.equal(ok.headers.get('location'), '/connexion/nouveau-mot-de-passe');
  assert.equal(ok.setCookies.some((x) => x.startsWith('portier_session=') && !/Max-Age=0/.test(x)), false);
});

// SMS go to the .sms file sink here (no gateway configured); tests/integration/sms
// checks the gateway's exact request.
async function lastSms(p, kind, to) {
  const { readdirSync, readFileSync } = await import('node:fs');
  const dir = join(p.dataDir, 'outbox');
  for (let i = 0; i < 100; i++) {
    let files = [];
    try { files = readdirSync(dir).filter((f) => f.endsWith(`-${kind}.sms`)).sort(); } catch {}
    const texts = files.map((f) => readFileSync(join(dir, f), 'utf8')).filter((t) => t.includes(to));
    if (texts.length) return texts.at(-1);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${kind} SMS to ${to}`);
}

test('Mon espace: a mobile number is saved only once a code sent to it comes back; the address is told', async () => {
  const p = await startWith('', { PORTIER_SECOND_STEP: 'off' });
  p.addUser({ identifier: 'fanny', email: 'fanny@example.org', password: PASSWORD });
  await p.start();
  try {
    const c = new Client(p.url);
    assert.equal((await c.signIn('fanny', PASSWORD)).status, 303);
    let csrf = await c.csrf('/mon-espace');
    const wrongPassword = await c.request('POST', '/mon-espace/mobile', { form: { csrf, new_phone: '06 12 34 56 78', phone_password: 'pas le bon' } });
    assert.equal(wrongPassword.status, 422, 'the password is asked again');
    const started = await c.request('POST', '/mon-espace/mobile', { form: { csrf, new_phone: '06 12 34 56 78', phone_password: PASSWORD } });
    assert.equal(started.headers.get('location'), '/mon-espace/mobile');
    const page = await c.get('/mon-espace/mobile');
    assert.match(page.text, /•• •• •• •• 78/);
    const sms = await lastSms(p, 'phone.verify', '+33612345678');
    const code = sms.match(/\b(\d{8})\b/)[1];
    assert.match(p.cli(['user', 'show', 'fanny']).stdout, /^phone:\s+-$/m, 'nothing saved before the code');
    csrf = page.text.match(/name="csrf" value="([^"]+)"/)[1];
    const bad = await c.request('POST', '/mon-espace/mobile/code', { form: { csrf, code: '11111111' } });
    assert.equal(bad.status, 422);
    const ok = await c.request('POST', '/mon-espace/mobile/code', { form: { csrf, code } });
    assert.equal(ok.headers.get('location'), '/mon-espace/mobile/verifie', 'codes still by email: SMS is offered');
    assert.match(p.cli(['user', 'show', 'fanny']).stdout, /^phone:\s+\+33612345678$/m);
    const told = await smtp.waitFor((m) => m.to === 'fanny@example.org' && /numéro de portable a été ajouté à votre compte/.test(m.parsed.subject));
    assert.match(told.parsed.text, /numéro de portable a été ajouté/);

    const channel = await c.request('POST', '/mon-espace/canal', { form: { csrf, channel: 'sms', channel_password: PASSWORD } });
    assert.equal(channel.headers.get('location'), '/mon-espace?info=channel_saved#codes');
    assert.match(p.cli(['user', 'show', 'fanny']).stdout, /^code channel:\s+sms$/m);
    const space = await c.get('/mon-espace');
    assert.doesNotMatch(space.text.slice(space.text.indexOf('id="activite"')), /audit_/, 'every new event has a label');
  } finally {
    await p.cleanup();
  }
});

test('a code by SMS goes through the gateway in exactly the configured request', async () => {
  const { SmsGateway } = await import('../support/sms_gateway.js');
  const gateway = await new SmsGateway().start();
  const p = await startWith([
    '[sms]', `gateway_url = "http://127.0.0.1:${gateway.port}/v1/sms"`, 'body_format = "json"',
    'headers = ["Authorization: Bearer {{secret}}"]', 'sender = "PORTAIL"',
  ].join('\n'), { PORTIER_SMS_SECRET: 'gw-secret-123' });
  p.addUser({ identifier: 'gaby', email: 'gaby@example.org', password: PASSWORD });
  try {
    await p.start();
    sql(p, `UPDATE accounts SET phone = '+33698765432', phone_verified_at = ${Portier.now()} WHERE identifier = 'gaby'`);
    const c = new Client(p.url);
    assert.equal((await c.signIn('gaby', PASSWORD)).headers.get('location'), '/connexion/code');
    const page = await c.get('/connexion/code');
    const csrf = csrfOf(page.text);
    const sent = await c.request('POST', '/connexion/code/envoi', { form: { csrf, via: 'sms' } });
    assert.equal(sent.status, 303);
    const req = await gateway.waitFor(() => true, 10000);
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/v1/sms');
    assert.equal(req.headers['authorization'], 'Bearer gw-secret-123');
    assert.match(req.headers['content-type'], /^application\/json/);
    assert.deepEqual(Object.keys(req.json).sort(), ['sender', 'text', 'to']);
    assert.equal(req.json.to, '+33698765432');
    assert.equal(req.json.sender, 'PORTAIL');
    assert.match(req.json.text, /^portier\u00a0: votre code de connexion est \d{8} \(valable 10 min\)\. Ne le communiquez à personne\.$/);
    const code = req.json.text.match(/\d{8}/)[0];
    const ok = await c.request('POST', '/connexion/code', { form: { csrf, method: 'sms', code } });
    assert.equal(ok.headers.get('location'), '/mon-espace');
    const list = await p.cliAsync(['mail', 'list']);
    assert.match(list.stdout, /second_step\.sms\t\+33698765432\tsent/);
  } finally {
    await p.cleanup();
    await gateway.stop();
  }
});
