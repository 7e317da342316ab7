// Common passwords are refused on every password form (issue 9, item 11),
// with the reason and what works, and the configuration is strict (item 12):
// unknown keys, a missing word list and mail.smtp_tls = "none" towards a
// relay on another machine stop start-up. Over HTTP against the real server
// and a real SMTP sink; the start-up refusals spawn the binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Portier, Client, binary } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { robotSolution } from '../support/robot.js';
import { hasMessage, message, tempConfig } from './helpers.js';

const PASSWORD = 'ruisseau-lanterne-hiver-42';
const PASSPHRASE = 'cheval agrafe pile correcte';
const WEAK = 'motdepasse123';
let smtp;
let portier;

before(async () => {
  smtp = await new SmtpSink().start();
  portier = new Portier({ toml: [
    '[server]', 'public_url = "http://portail.test"',
    '[mail]', `smtp_url = "${smtp.url}"`, 'smtp_tls = "none"', 'from_address = "no-reply@portail.test"',
    'outbox_poll_interval = 1', 'smtp_timeout = 3',
    '[security]', 'robot_max_number = 1000',
  ] });
  portier.addUser({ identifier: 'chloe', email: 'chloe@example.org', name: 'Chloé Bernard', password: PASSWORD });
  portier.addUser({ identifier: 'marc.petit', email: 'marc@example.org', name: 'Marc Petit', password: PASSWORD });
  portier.addUser({ identifier: 'temp.user', email: 'temp@example.org', name: 'Tom Provisoire', password: PASSWORD });
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
  await smtp?.stop();
});

const local = (link) => link.replace('http://portail.test', '');
const decoded = (html) => html.replaceAll('&#39;', "'").replaceAll('&amp;', '&').replaceAll('&quot;', '"');
const csrfOf = (html) => html.match(/name="csrf" value="([^"]+)"/)[1];

async function mailTo(address, pattern) {
  const end = Date.now() + 6000;
  for (;;) {
    const m = smtp.messages.find((x) => x.to === address && pattern.test(x.parsed.text));
    if (m) return m;
    if (Date.now() > end) throw new Error(`no mail to ${address} matching ${pattern}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// The refusal names the reason and what works, beside the field.
function assertExplained(r, problem) {
  assert.equal(r.status, 422);
  assert.ok(hasMessage(r.text, `problem_${problem}`), `the reason (problem_${problem}) is shown`);
  assert.ok(hasMessage(r.text, 'password_rules_hint'), 'what works (a passphrase) is shown');
  assert.match(r.text, /id="new_password-error"/);
}

test('Mon espace refuses motdepasse123 and a listed word with digits, explains, then takes a passphrase', async () => {
  const c = new Client(portier.url);
  assert.equal((await c.signIn('chloe', PASSWORD)).status, 303);
  const change = (next) => c.submit('/mon-espace', '/mon-espace/mot-de-passe',
    { current_password: PASSWORD, new_password: next, confirm_password: next });
  assertExplained(await change(WEAK), 'guessable');
  assertExplained(await change('Soleil123456'), 'common');
  // Her identifier and her name are both refused, the name named.
  const own = await change('chloe-bernard-2026');
  assertExplained(own, 'contains_identifier');
  assert.ok(decoded(own.text).includes(message('problem_contains_name').replace('{word}', 'Bernard')), 'the name is named');
  const ok = await change(PASSPHRASE);
  assert.equal(ok.status, 303);
  // She is told at once, at her address: if it was not her, she can act.
  const notice = await mailTo('chloe@example.org', /mot de passe du compte «\schloe\s»/);
  assert.match(notice.parsed.subject, /Votre mot de passe a été changé/);
  assert.ok(!notice.parsed.text.includes(PASSPHRASE), 'the password itself is never mailed');
  assert.equal((await new Client(portier.url).signIn('chloe', WEAK)).status, 401);
  assert.equal((await new Client(portier.url).signIn('chloe', PASSPHRASE)).status, 303);
});

test('every problem at once: a too-short password AND a different confirmation both appear in the summary', async () => {
  const c = new Client(portier.url);
  assert.equal((await c.signIn('temp.user', PASSWORD)).status, 303);
  const r = await c.submit('/mon-espace', '/mon-espace/mot-de-passe',
    { current_password: PASSWORD, new_password: 'court', confirm_password: 'autre chose' });
  assert.equal(r.status, 422);
  assert.match(r.text, /href="#new_password"/);
  assert.match(r.text, /href="#confirm_password"/);
  assert.match(r.text, /id="new_password-error"/);
  assert.match(r.text, /id="confirm_password-error"/);
  assert.ok(hasMessage(r.text, 'problem_mismatch'));
  assert.ok(decoded(r.text).includes(message('problem_too_short').replace('{min}', '12')));
  // The password fold is open on the answer: the fields in error are seen.
  assert.match(r.text, /<details class="card fold" id="mot-de-passe-fold" open>/);
});

test('the reset link refuses motdepasse123 with the explanation, then takes a passphrase', async () => {
  const asker = new Client(portier.url);
  const csrf = await asker.csrf('/mot-de-passe-oublie');
  const altcha = await robotSolution(portier.url);
  const asked = await asker.request('POST', '/mot-de-passe-oublie', { form: { csrf, target: 'marc.petit', altcha } });
  assert.ok(asked.status < 400, `reset asked (${asked.status})`);
  const mail = await mailTo('marc@example.org', /mot-de-passe-oublie\/nouveau\?jeton=/);
  const link = local(mail.parsed.text.match(/(http:\/\/portail\.test\/mot-de-passe-oublie\/nouveau\?jeton=[\w-]+)/)[1]);
  const phone = new Client(portier.url);
  const page = await phone.get(link);
  assert.equal(page.status, 200);
  assert.ok(hasMessage(page.text, 'password_rules_hint'), 'the form says what works before any refusal');
  const set = (next) => phone.request('POST', '/mot-de-passe-oublie/nouveau', { form: {
    csrf: csrfOf(page.text), type: 'lien', secret: link.split('jeton=')[1], new_password: next, confirm_password: next } });
  assertExplained(await set(WEAK), 'guessable');
  assertExplained(await set('azertyuiop12'), 'guessable');
  assert.equal((await set(PASSPHRASE)).status, 303);
  assert.equal((await new Client(portier.url).signIn('marc.petit', PASSPHRASE)).status, 303);
});

test('activation refuses motdepasse123 with the explanation, then takes a passphrase', async () => {
  const added = await portier.cliAsync(['user', 'add', '--identifier', 'lea.roux', '--email', 'lea@example.org', '--name', 'Léa Roux']);
  assert.equal(added.status, 0, added.stderr);
  const mail = await mailTo('lea@example.org', /premiere-connexion\/activer\?jeton=/);
  const link = local(mail.parsed.text.match(/(http:\/\/portail\.test\/premiere-connexion\/activer\?jeton=[\w-]+)/)[1]);
  const browser = new Client(portier.url);
  const page = await browser.get(link);
  assert.equal(page.status, 200);
  const activate = (next) => browser.request('POST', '/premiere-connexion/activer', { form: {
    csrf: csrfOf(page.text), type: 'lien', secret: link.split('jeton=')[1], new_password: next, confirm_password: next } });
  assertExplained(await activate(WEAK), 'guessable');
  assertExplained(await activate('passwordpassword'), 'guessable');
  assert.equal((await activate(PASSPHRASE)).status, 303);
  assert.equal((await new Client(portier.url).signIn('lea.roux', PASSPHRASE)).status, 303);
});

test('the forced change of a temporary password refuses 123456789012 and soleil123456', async () => {
  const cli = portier.cli(['user', 'temp-password', 'temp.user']);
  assert.equal(cli.status, 0, cli.stderr);
  const temporary = cli.stdout.match(/temporary password for temp\.user: (\S+)/)[1];
  const c = new Client(portier.url);
  assert.equal((await c.signIn('temp.user', temporary)).headers.get('location'), '/connexion/nouveau-mot-de-passe');
  const change = (next) => c.submit('/connexion/nouveau-mot-de-passe', '/connexion/nouveau-mot-de-passe',
    { new_password: next, confirm_password: next });
  const digits = await change('123456789012');
  assert.equal(digits.status, 422);
  assert.ok(hasMessage(digits.text, 'password_rules_hint'));
  assertExplained(await change('soleil123456'), 'common');
  assert.equal((await change(PASSPHRASE)).status, 303);
});

// `portier serve` with `lines` as portier.toml: it must exit at once.
function serveWith(lines, env = {}) {
  const config = tempConfig(lines.join('\n') + '\n');
  try {
    const r = spawnSync(binary, ['serve', '--config', config.path], {
      env: { ...process.env, PORTIER_DATA_DIR: portier.dataDir + '-strict', PORTIER_LISTEN: '127.0.0.1:0', ...env },
      encoding: 'utf8', timeout: 15000,
    });
    return { status: r.status, stderr: r.stderr, path: config.path };
  } finally {
    config.remove();
  }
}

test('an unknown key or a mistyped section stops start-up with its line number', () => {
  const r = serveWith(['[server]', 'listen = "127.0.0.1:0"', '[sever]', 'public_url = "http://x"', '[mail]', 'smtp_ulr = "smtp://a"']);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /portier\.toml line 4: unknown key sever\.public_url/);
  assert.match(r.stderr, /portier\.toml line 6: unknown key mail\.smtp_ulr/);
  assert.doesNotMatch(r.stderr, /listening on/);
});

test('mail.smtp_tls = "none" towards a relay on another machine stops start-up; loopback is fine', () => {
  const r = serveWith(['[mail]', 'smtp_url = "smtp://relay.example.org:25"', 'smtp_tls = "none"']);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /mail\.smtp_tls: "none" is allowed only for a relay on this machine/);
  // The suite's own server runs with smtp_tls = "none" towards the loopback sink.
  assert.ok(portier.port, 'the loopback relay is accepted');
});

test('a configured word list that is missing stops start-up, naming it', () => {
  const r = serveWith(['[security]', 'password_wordlists = ["/usr/share/dict/french", "/nonexistent/mots-courants.txt"]']);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /security\.password_wordlists: cannot read \/nonexistent\/mots-courants\.txt/);
});
