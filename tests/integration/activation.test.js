// First connection, over HTTP against the real server and a real SMTP server:
// `portier user add` without a password invites the member; the link or the
// code leads to the password form; the account becomes active and signs in
// normally. Expired and used invitations, "Première connexion" (same answer
// for unknown targets) and `portier user import` (all or nothing, dry run).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Portier, Client } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { robotSolution } from '../support/robot.js';

const PASSWORD = 'ruisseau-lanterne-hiver-42';
let smtp;
let portier;

before(async () => {
  smtp = await new SmtpSink().start();
  portier = new Portier({ toml: [
    '[server]', 'public_url = "http://portail.test"',
    '[mail]', `smtp_url = "${smtp.url}"`, 'smtp_tls = "none"', 'from_address = "no-reply@portail.test"',
    'outbox_poll_interval = 1', 'smtp_timeout = 3',
    '[security]', 'robot_max_number = 1000',
    '[activation]', 'per_client_limit = 200',
  ] });
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
  await smtp?.stop();
});

const local = (link) => link.replace('http://portail.test', '');
const linkIn = (m) => local(m.parsed.text.match(/(http:\/\/portail\.test\/premiere-connexion\/activer\?jeton=[\w-]+)/)[1]);
const codeIn = (m) => m.parsed.text.match(/\b([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})\b/)[1];
const csrfOf = (html) => html.match(/name="csrf" value="([^"]+)"/)[1];
const sql = (statement) => portier.sql(statement);
const statusOf = (id) => sql(`SELECT status FROM accounts WHERE identifier = '${id}'`);

async function mailsTo(address, count, timeout = 6000) {
  const end = Date.now() + timeout;
  for (;;) {
    const found = smtp.messages.filter((m) => m.to === address);
    if (found.length >= count) return found;
    if (Date.now() > end) throw new Error(`expected ${count} mail(s) to ${address}, got ${found.length}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function addPending(identifier, email, name = 'Membre Test') {
  const r = await portier.cliAsync(['user', 'add', '--identifier', identifier, '--email', email, '--name', name]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /pending/);
  assert.match(r.stdout, /invitation queued/);
}

async function activate(client, page, form) {
  return client.request('POST', '/premiere-connexion/activer', { form: { csrf: csrfOf(page.text), ...form } });
}

async function askAgain(target, client = new Client(portier.url)) {
  const csrf = await client.csrf('/premiere-connexion');
  const altcha = await robotSolution(portier.url);
  const r = await client.request('POST', '/premiere-connexion', { form: { csrf, target, altcha } });
  return { client, r };
}

test('user add without a password invites; the link sets the password once and the member signs in', async () => {
  await addPending('claire.martin', 'claire@example.org', 'Claire Martin');
  assert.equal(statusOf('claire.martin'), 'pending');
  const [mail] = await mailsTo('claire@example.org', 1);
  assert.match(mail.parsed.subject, /Activez votre compte/, 'French, the portal default');
  assert.match(mail.parsed.text, /claire\.martin/, 'the identifier is in the invitation');
  assert.match(mail.parsed.text, /7 jours/);

  const browser = new Client(portier.url);
  assert.equal((await browser.signIn('claire.martin', PASSWORD)).status, 401, 'a pending account cannot sign in');
  const link = linkIn(mail);
  const page = await browser.get(link);
  assert.equal(page.status, 200);
  assert.match(page.text, /value="claire\.martin"/);
  assert.equal((await browser.get(link)).status, 200, 'opening the link twice spends nothing');
  const secret = link.split('jeton=')[1];

  const weak = await activate(browser, page, { type: 'lien', secret, new_password: 'claire.martin-2026', confirm_password: 'claire.martin-2026' });
  assert.equal(weak.status, 422);
  assert.equal(statusOf('claire.martin'), 'pending');

  const done = await activate(browser, page, { type: 'lien', secret, new_password: PASSWORD, confirm_password: PASSWORD });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), '/connexion?info=account_activated');
  assert.equal(done.setCookies.some((c) => c.startsWith('portier_session=') && !/Max-Age=0/i.test(c)), false, 'no automatic sign-in');
  assert.equal(statusOf('claire.martin'), 'active');
  const notice = await browser.get('/connexion?info=account_activated');
  assert.match(notice.text, /Votre compte est activé/);
  assert.equal((await new Client(portier.url).signIn('claire.martin', PASSWORD)).status, 303);

  const again = await browser.get(link);
  assert.equal(again.status, 404, 'reuse refused');
  assert.match(again.text, /data-testid="invitation-invalid"/);
  const reuse = await activate(browser, page, { type: 'lien', secret, new_password: PASSWORD, confirm_password: PASSWORD });
  assert.equal(reuse.status, 404);
});

test('the code typed on /premiere-connexion/code works like the link', async () => {
  await addPending('paul.durand', 'paul@example.org');
  const [mail] = await mailsTo('paul@example.org', 1);
  const client = new Client(portier.url);
  const csrf = await client.csrf('/premiere-connexion/code');
  const wrong = await client.request('POST', '/premiere-connexion/code', { form: { csrf, code: '2222-3333-4444-5555' } });
  assert.equal(wrong.status, 422);
  assert.match(wrong.text, /data-testid="error-summary"/);
  const form = await client.request('POST', '/premiere-connexion/code', { form: { csrf, code: codeIn(mail).toLowerCase().replaceAll('-', ' ') } });
  assert.equal(form.status, 200);
  assert.match(form.text, /value="paul\.durand"/);
  const secret = form.text.match(/name="secret" value="([^"]+)"/)[1];
  const done = await activate(client, form, { type: 'code', secret, new_password: PASSWORD, confirm_password: PASSWORD });
  assert.equal(done.status, 303);
  assert.equal((await new Client(portier.url).signIn('paul.durand', PASSWORD)).status, 303);
});

test('an expired invitation shows the expired page and activates nothing', async () => {
  await addPending('anne.roux', 'anne@example.org');
  const [mail] = await mailsTo('anne@example.org', 1);
  sql(`UPDATE one_time_tokens SET expires_at = ${Portier.now() - 1} WHERE used_at IS NULL AND purpose LIKE 'invitation%'`);
  const r = await new Client(portier.url).get(linkIn(mail));
  assert.equal(r.status, 410);
  assert.match(r.text, /expiré/);
  assert.equal(statusOf('anne.roux'), 'pending');
});

test('Première connexion re-sends for a pending account and answers the same for others', async () => {
  await addPending('yves.blanc', 'yves@example.org');
  await mailsTo('yves@example.org', 1);
  const normalise = (html) => html.replace(/name="csrf" value="[^"]+"/g, '');
  const answers = [];
  for (const target of ['yves.blanc', 'nobody.here', 'claire.martin', 'nobody@example.org']) {
    const { r } = await askAgain(target);
    answers.push({ status: r.status, body: normalise(r.text) });
  }
  assert.equal(answers[0].status, 200);
  assert.match(answers[0].body, /data-testid="activation-sent"/);
  for (const a of answers.slice(1)) assert.deepEqual(a, answers[0]);
  const mails = await mailsTo('yves@example.org', 2);
  // The new invitation works; the first one was revoked by it.
  const client = new Client(portier.url);
  assert.equal((await client.get(linkIn(mails[0]))).status, 404);
  assert.equal((await client.get(linkIn(mails[1]))).status, 200);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(smtp.messages.filter((m) => m.to === 'nobody@example.org').length, 0, 'nothing to unknown targets');
  // claire is active: besides her first invitation, "your account is already active" (tests/integration/signin_everyday).
  const claire = smtp.messages.filter((m) => m.to === 'claire@example.org');
  assert.equal(claire.length, 2);
  assert.match(claire[1].parsed.subject, /déjà actif/);

  const { r: empty } = await askAgain('');
  assert.equal(empty.status, 422);
  assert.match(empty.text, /href="#target"/);
});

test('user import: a file with bad lines changes nothing and lists every reason', async () => {
  const file = join(portier.dataDir, 'bad.csv');
  writeFileSync(file, '\ufeffidentifier,email,name,mobile,rpps\r\n' +
    'import.un,un@example.org,"Un, Premier",06 12 34 56 78,10001234567\r\n' +
    'x,x@example.org,,,\r\n' +
    'import.deux,pas-une-adresse,,,\r\n' +
    'import.un,autre@example.org,,,\r\n' +
    'claire.martin,c2@example.org,,,\r\n' +
    'import.trois,t@example.org,,123,\r\n' +
    'import.quatre,q@example.org,,,42\r\n');
  const before = sql('SELECT count(*) FROM accounts');
  const outbox = sql('SELECT count(*) FROM outbox');
  const r = await portier.cliAsync(['user', 'import', file]);
  assert.equal(r.status, 1);
  for (const line of [':3: identifier', ':4: email', ':5: identifier \'import.un\' also on line 2', ':6: identifier \'claire.martin\' is already taken',
    ':7: mobile', ':8: rpps'])
    assert.ok(r.stderr.includes(line), `${line} in ${r.stderr}`);
  assert.match(r.stderr, /6 bad line\(s\); nothing was imported/);
  assert.equal(sql('SELECT count(*) FROM accounts'), before);
  assert.equal(sql('SELECT count(*) FROM outbox'), outbox);
});

test('user import --dry-run changes nothing; then the file creates pending members and invites them', async () => {
  const file = join(portier.dataDir, 'good.csv');
  writeFileSync(file, 'identifier,email,name,mobile,rpps\n' +
    'import.un,un@example.org,"Un, Premier",06 12 34 56 78,10001234567\n' +
    'import.deux,deux@example.org,,,\n');
  const before = sql('SELECT count(*) FROM accounts');
  const dry = await portier.cliAsync(['user', 'import', '--dry-run', file]);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /2 account\(s\) would be created/);
  assert.equal(sql('SELECT count(*) FROM accounts'), before);

  const r = await portier.cliAsync(['user', 'import', file]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /created 2 account\(s\).*2 invitation\(s\) queued/);
  assert.equal(sql("SELECT status || ' ' || phone || ' ' || display_name FROM accounts WHERE identifier = 'import.un'"),
    'pending +33612345678 Un, Premier');
  const [mail] = await mailsTo('deux@example.org', 1);
  assert.match(mail.parsed.text, /import\.deux/);

  const resend = await portier.cliAsync(['user', 'invite', 'import.deux']);
  assert.equal(resend.status, 0, resend.stderr);
  const refused = await portier.cliAsync(['user', 'invite', 'claire.martin']);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /not pending/);
});
