// Getting back in, over HTTP against the real server and a real SMTP server:
// forgot password by link and by code, forgot identifier, single use,
// replacement by a newer request, expiry, identical answers for unknown
// targets, the robot check, and mail that survives an SMTP outage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier, Client } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { robotSolution } from '../support/robot.js';
import { FRENCH_DATE_TIME } from '../support/display_time.js';

const PASSWORD = 'ruisseau-lanterne-hiver-42';
const NEW_PASSWORD = 'garrigue-phare-tilleul-77';
let smtp;
let portier;

before(async () => {
  smtp = await new SmtpSink().start();
  portier = new Portier({ toml: [
    '[server]', 'public_url = "http://portail.test"',
    '[mail]', `smtp_url = "${smtp.url}"`, 'smtp_tls = "none"', 'from_address = "no-reply@portail.test"',
    'outbox_poll_interval = 1', 'smtp_timeout = 3',
    '[security]', 'robot_max_number = 1000',
    // Generous limits: each test uses its own targets; one test checks the client limit.
    '[recovery]', 'per_client_limit = 200',
  ] });
  portier.addUser({ identifier: 'claire.martin', email: 'claire@example.org', name: 'Claire Martin', password: PASSWORD });
  portier.addUser({ identifier: 'paul.durand', email: 'cabinet@example.org', name: 'Paul Durand', password: PASSWORD });
  portier.addUser({ identifier: 'lea.durand', email: 'cabinet@example.org', name: 'Léa Durand', password: PASSWORD });
  portier.addUser({ identifier: 'marc.petit', email: 'marc@example.org', name: 'Marc Petit', password: PASSWORD });
  portier.addUser({ identifier: 'anne.roux', email: 'anne@example.org', name: 'Anne Roux', password: PASSWORD });
  portier.addUser({ identifier: 'yves.blanc', email: 'yves@example.org', name: 'Yves Blanc', password: PASSWORD });
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
  await smtp?.stop();
});

// Links in mail use the public URL; the tests reach the same paths locally.
const local = (link) => link.replace('http://portail.test', '');
const linkIn = (m) => local(m.parsed.text.match(/(http:\/\/portail\.test\/mot-de-passe-oublie\/nouveau\?jeton=[\w-]+)/)[1]);
const codeIn = (m) => m.parsed.text.match(/\b([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})\b/)[1];
const csrfOf = (html) => html.match(/name="csrf" value="([^"]+)"/)[1];

// Asks for a password reset as a browser would; returns the client and the answer.
async function askReset(target, client = new Client(portier.url)) {
  const csrf = await client.csrf('/mot-de-passe-oublie');
  const altcha = await robotSolution(portier.url);
  const r = await client.request('POST', '/mot-de-passe-oublie', { form: { csrf, target, altcha } });
  return { client, r };
}

async function mailsTo(address, count, timeout = 5000) {
  const end = Date.now() + timeout;
  for (;;) {
    const found = smtp.messages.filter((m) => m.to === address);
    if (found.length >= count) return found;
    if (Date.now() > end) throw new Error(`expected ${count} mail(s) to ${address}, got ${found.length}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function setPassword(client, page, form) {
  const csrf = csrfOf(page.text);
  return client.request('POST', '/mot-de-passe-oublie/nouveau', { form: { csrf, ...form } });
}

test('forgot password by identifier: the link sets a new password once, and the member is told', async () => {
  const { r } = await askReset('Claire.Martin');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/mot-de-passe-oublie/code');

  const [mail] = await mailsTo('claire@example.org', 1);
  const p = mail.parsed;
  assert.equal(p.headers.get('auto-submitted'), 'auto-generated');
  assert.ok(p.text && p.html, 'multipart: text and HTML');
  assert.match(p.subject, /mot de passe/i, 'French by default');
  assert.doesNotMatch(p.html, /<img/i, 'no remote images');

  // A second browser (the phone) opens the link: GET shows the form and spends nothing.
  const phone = new Client(portier.url);
  const link = linkIn(mail);
  const page = await phone.get(link);
  assert.equal(page.status, 200);
  assert.match(page.text, /claire\.martin/);
  assert.equal((await phone.get(link)).status, 200, 'opening the link twice (a mail scanner) spends nothing');

  const weak = await setPassword(phone, page, { type: 'lien', secret: link.split('jeton=')[1], new_password: 'court', confirm_password: 'court' });
  assert.equal(weak.status, 422);
  assert.match(weak.text, /au moins 12 caractères/);

  const done = await setPassword(phone, page, { type: 'lien', secret: link.split('jeton=')[1], new_password: NEW_PASSWORD, confirm_password: NEW_PASSWORD });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), '/connexion?info=password_reset');
  assert.equal(done.setCookies.some((c) => c.startsWith('portier_session=') && !/Max-Age=0/i.test(c)), false,
    'no automatic sign-in after a reset');

  const notice = (await mailsTo('claire@example.org', 2))[1];
  assert.match(notice.parsed.subject, /mot de passe a été changé/);
  assert.ok(!notice.parsed.text.includes(NEW_PASSWORD), 'the notice never holds the password');

  const member = new Client(portier.url);
  assert.equal((await member.signIn('claire.martin', PASSWORD)).status, 401, 'the old password is gone');
  assert.equal((await member.signIn('claire.martin', NEW_PASSWORD)).status, 303);

  const again = await phone.get(link);
  assert.equal(again.status, 404, 'a used link shows the "no longer works" page');
  assert.match(again.text, /data-testid="link-invalid"/);
});

test('forgot password by address: one message per account, and the code typed on the first page works', async () => {
  const { client } = await askReset('cabinet@example.org');
  const mails = await mailsTo('cabinet@example.org', 2);
  const forLea = mails.find((m) => m.parsed.text.includes('lea.durand'));
  assert.ok(forLea, 'each account sharing the address gets its own message');

  const sent = await client.get('/mot-de-passe-oublie/code');
  assert.equal(sent.status, 200);
  const csrf = csrfOf(sent.text);
  const wrong = await client.request('POST', '/mot-de-passe-oublie/code', { form: { csrf, code: '2222-3333-4444-5555' } });
  assert.equal(wrong.status, 422);
  assert.match(wrong.text, /essais restants\u00a0: 4/);

  const code = codeIn(forLea).toLowerCase().replaceAll('-', ' ');
  const form = await client.request('POST', '/mot-de-passe-oublie/code', { form: { csrf, code } });
  assert.equal(form.status, 200);
  assert.match(form.text, /lea\.durand/);
  const secret = form.text.match(/name="secret" value="([^"]+)"/)[1];
  const done = await setPassword(client, form, { type: 'code', secret, new_password: NEW_PASSWORD, confirm_password: NEW_PASSWORD });
  assert.equal(done.status, 303);
  assert.equal((await new Client(portier.url).signIn('lea.durand', NEW_PASSWORD)).status, 303);
  assert.equal((await new Client(portier.url).signIn('paul.durand', PASSWORD)).status, 303, 'the other account is untouched');
});

test('a newer request makes the older link and code useless', async () => {
  await askReset('marc.petit');
  const [first] = await mailsTo('marc@example.org', 1);
  await askReset('marc.petit');
  const [, second] = await mailsTo('marc@example.org', 2);
  const c = new Client(portier.url);
  assert.equal((await c.get(linkIn(first))).status, 404);
  assert.equal((await c.get(linkIn(second))).status, 200);
});

test('a link past its deadline shows the expired page', async () => {
  await askReset('anne.roux');
  const [mail] = await mailsTo('anne@example.org', 1);
  // The server's clock cannot be moved; its stored deadline can.
  portier.sql(`UPDATE one_time_tokens SET expires_at = ${Portier.now() - 1} WHERE used_at IS NULL`);
  const r = await new Client(portier.url).get(linkIn(mail));
  assert.equal(r.status, 410);
  assert.match(r.text, /expiré/);
});

test('known and unknown identifiers and addresses get the same answers', async () => {
  const normalise = (html) => html.replace(/name="csrf" value="[^"]+"/g, '').replace(new RegExp(FRENCH_DATE_TIME, 'g'), 'T');
  const answers = [];
  for (const target of ['yves.blanc', 'nobody.here', 'yves@example.org', 'nobody@example.org']) {
    const { client, r } = await askReset(target);
    const page = await client.get('/mot-de-passe-oublie/code');
    answers.push({ status: r.status, location: r.headers.get('location'), cookies: r.setCookies.map((c) => c.split('=')[0]),
      page: page.status, body: normalise(page.text) });
  }
  for (const a of answers.slice(1)) assert.deepEqual(a, answers[0]);
  // The unknown address is told that no account uses it (only its owner reads that).
  const [unknown] = await mailsTo('nobody@example.org', 1);
  assert.match(unknown.parsed.text, /Aucun compte/);
  assert.doesNotMatch(unknown.parsed.text, /jeton=/);
});

test('answers to the recovery forms are padded to the answer floor', async () => {
  const c = new Client(portier.url);
  const csrf = await c.csrf('/mot-de-passe-oublie');
  const altcha = await robotSolution(portier.url);
  const t0 = process.hrtime.bigint();
  const r = await c.request('POST', '/mot-de-passe-oublie', { form: { csrf, target: 'nobody.padded', altcha } });
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.equal(r.status, 303);
  assert.ok(elapsed >= 100, `answered after ${elapsed} ms, before the 100 ms floor`);
});

test('forgot identifier: the identifiers go to the address, unknown addresses are told, the page is the same', async () => {
  const ask = async (email) => {
    const c = new Client(portier.url);
    const csrf = await c.csrf('/identifiant-oublie');
    return c.request('POST', '/identifiant-oublie', { form: { csrf, target: email, altcha: await robotSolution(portier.url) } });
  };
  const known = await ask('cabinet@example.org');
  const unknown = await ask('personne@example.org');
  assert.equal(known.status, 200);
  assert.equal(unknown.status, 200);
  const strip = (html, email) => html.replace(/name="csrf" value="[^"]+"/g, '').replaceAll(email, 'E');
  assert.equal(strip(known.text, 'cabinet@example.org'), strip(unknown.text, 'personne@example.org'));
  const reminder = await smtp.waitFor((m) => m.to === 'cabinet@example.org' && /identifiant/i.test(m.parsed.subject));
  assert.match(reminder.parsed.text, /paul\.durand/);
  assert.match(reminder.parsed.text, /lea\.durand/);
  const none = await smtp.waitFor((m) => m.to === 'personne@example.org');
  assert.match(none.parsed.text, /Aucun compte/);
});

test('the robot check: missing, forged and replayed solutions get the form back', async () => {
  const c = new Client(portier.url);
  const before = smtp.messages.length;
  const csrf = await c.csrf('/mot-de-passe-oublie');
  const missing = await c.request('POST', '/mot-de-passe-oublie', { form: { csrf, target: 'yves.blanc' } });
  assert.equal(missing.status, 422);
  assert.match(missing.text, /Je ne suis pas un robot/);
  assert.match(missing.text, /value="yves\.blanc"/, 'what was typed is kept');

  const forged = Buffer.from(JSON.stringify({ algorithm: 'SHA-256', challenge: 'x', number: 1, salt: 's', signature: 'y' })).toString('base64');
  assert.equal((await c.request('POST', '/mot-de-passe-oublie', { form: { csrf, target: 'yves.blanc', altcha: forged } })).status, 422);

  const altcha = await robotSolution(portier.url);
  assert.equal((await c.request('POST', '/mot-de-passe-oublie', { form: { csrf, target: 'nobody.x', altcha } })).status, 303);
  assert.equal((await c.request('POST', '/mot-de-passe-oublie', { form: { csrf, target: 'nobody.x', altcha } })).status, 422,
    'a solution works once');
  assert.equal(smtp.messages.length, before, 'no message for refused forms');
});

test('send again waits for the cooldown', async () => {
  const { client } = await askReset('nobody.resend');
  const csrf = csrfOf((await client.get('/mot-de-passe-oublie/code')).text);
  const r = await client.request('POST', '/mot-de-passe-oublie/renvoyer', { form: { csrf } });
  assert.equal(r.status, 303);
  const page = await client.get(r.headers.get('location'));
  assert.match(page.text, /data-testid="resend-wait"/);
});

test('mail queued while the SMTP server is down is delivered once it is back', async () => {
  await smtp.stop();
  try {
    const { r } = await askReset('yves.blanc');
    assert.equal(r.status, 303, 'the member is answered at once; the mail waits in the outbox');
    // Wait for the worker to try and defer it.
    const end = Date.now() + 10000;
    for (;;) {
      const list = await portier.cliAsync(['mail', 'list', '--status', 'deferred']);
      if (/recovery\.password\tyves@example\.org\tdeferred/.test(list.stdout)) break;
      if (Date.now() > end) throw new Error(`message never deferred:\n${list.stdout}`);
      await new Promise((res) => setTimeout(res, 200));
    }
  } finally {
    await smtp.start();
  }
  const before = smtp.messages.filter((m) => m.to === 'yves@example.org').length;
  const retry = await portier.cliAsync(['mail', 'retry']);
  assert.equal(retry.status, 0, retry.stderr);
  const mails = await mailsTo('yves@example.org', before + 1, 10000);
  const link = linkIn(mails.at(-1));
  assert.equal((await new Client(portier.url).get(link)).status, 200, 'the delayed link still works');
});

test('one client address is throttled with 429 after its limit', async () => {
  const p = new Portier({ toml: ['[security]', 'robot_max_number = 1000', '[recovery]', 'per_client_limit = 2'] });
  await p.start();
  try {
    const c = new Client(p.url);
    const csrf = await c.csrf('/mot-de-passe-oublie');
    for (let i = 0; i < 2; i++) {
      const r = await c.request('POST', '/mot-de-passe-oublie', { form: { csrf, target: `x${i}`, altcha: await robotSolution(p.url) } });
      assert.equal(r.status, 303);
    }
    const r = await c.request('POST', '/mot-de-passe-oublie', { form: { csrf, target: 'x3', altcha: await robotSolution(p.url) } });
    assert.equal(r.status, 429);
    assert.ok(r.headers.get('retry-after'));
  } finally {
    await p.cleanup();
  }
});
