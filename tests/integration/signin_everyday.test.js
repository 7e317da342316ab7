// Everyday sign-in (issue 10, items 3-6, 8, 10) against the real server, a
// real SMTP server and a stub SMS gateway: the email address as well as the
// identifier (counters per account), the remembered identifier's cookie,
// the second step's auto-send, per-channel cooldown and countdown, warnings
// before the last attempt, first connection for an active account, and the
// robot check's no-JavaScript wait.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier, Client } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { SmsGateway } from '../support/sms_gateway.js';
import { robotSolution } from '../support/robot.js';
import { cookieOf, testids, decodeEntities, waitFor } from './helpers.js';

const PASSWORD = 'ruisseau-lanterne-hiver-42';
let smtp;
let gateway;
let portier;

before(async () => {
  smtp = await new SmtpSink().start();
  gateway = await new SmsGateway().start();
  portier = new Portier({ env: { PORTIER_SECOND_STEP: 'required' }, toml: [
    '[server]', 'public_url = "http://portail.test"',
    ...smtp.mailConfig(),
    'from_address = "no-reply@portail.test"',
    '[sms]', `gateway_url = "http://127.0.0.1:${gateway.port}/sms"`, 'body_format = "json"',
    'body_template = "{\\"to\\": \\"{{to}}\\", \\"text\\": \\"{{text}}\\"}"',
    '[security]', 'robot_max_number = 1000', 'robot_no_script_wait = 5',
    '[activation]', 'per_client_limit = 200',
  ] });
  for (const id of ['alice', 'claire', 'bruno', 'denis', 'emma', 'fanny'])
    portier.addUser({ identifier: id, email: `${id}@example.org`, password: PASSWORD, name: `${id} Martin` });
  // Two accounts of one practice share one address: it names neither.
  portier.addUser({ identifier: 'dupont', email: 'cabinet@example.org', password: PASSWORD });
  portier.addUser({ identifier: 'durand', email: 'cabinet@example.org', password: PASSWORD });
  await portier.start();
});
after(async () => {
  await portier?.cleanup();
  await smtp?.stop();
  await gateway?.stop();
});

const sql = (statement) => portier.sql(statement);
const csrfOf = (html) => html.match(/name="csrf" value="([^"]+)"/)[1];
const mailsTo = (to) => smtp.messages.filter((m) => m.to === to);
const codeMailsTo = (to) => mailsTo(to).filter((m) => /\b\d{8}\b/.test(m.parsed.text));
const codeIn = (m) => m.parsed.text.match(/\b(\d{8})\b/)[1];
const text = (html) => decodeEntities(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

test('the email address signs in like the identifier; counters are the account\'s whichever is typed', async () => {
  const r = await new Client(portier.url).signIn('Alice@Example.org', PASSWORD);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/connexion/code', 'the password step passed with the address');
  const form = await new Client(portier.url).get('/connexion');
  assert.match(form.text, /<label for="identifier">Identifiant ou adresse e-mail<\/label>/);

  // Alternating identifier and address: still five attempts in all.
  const attacker = new Client(portier.url);
  const typed = ['claire', 'claire@example.org', 'CLAIRE', 'Claire@example.org'];
  let last;
  for (const [i, who] of typed.entries()) {
    last = await attacker.signIn(who, `pas-le-bon-${i}`);
    assert.equal(last.status, 401);
  }
  assert.equal(testids(last.text, 'last-attempt-warning'), 1, 'the fourth failure warns');
  assert.match(text(last.text), /encore une erreur et la connexion à ce compte sera suspendue pendant une heure/);
  const fifth = await attacker.signIn('claire@example.org', 'pas-le-bon-5');
  assert.equal(fifth.status, 429, 'the fifth failure suspends, by address as by identifier');
  const page = text(fifth.text);
  assert.match(page, /Connexion suspendue/);
  assert.match(page, /jusqu’au /);
  assert.doesNotMatch(page, /depuis ce navigateur/);
  assert.match(fifth.text, /data-testid="suspended-reset"/);
  assert.match(fifth.text, /href="\/assistance" data-testid="suspended-assistance"/);
  assert.equal((await attacker.signIn('claire', PASSWORD)).status, 429, 'the identifier is suspended too');
});

test('an unknown address warns and is suspended exactly like a known one', async () => {
  const a = new Client(portier.url);
  const b = new Client(portier.url);
  let known; let unknown;
  for (let i = 0; i < 4; i++) {
    known = await a.signIn('denis@example.org', 'pas-le-bon-mot');
    unknown = await b.signIn('personne@example.org', 'pas-le-bon-mot');
  }
  const strip = (r) => r.text.replace(/name="csrf" value="[^"]+"/g, '').replace(/value="[^"]*"/g, '');
  assert.equal(known.status, unknown.status);
  assert.equal(testids(unknown.text, 'last-attempt-warning'), 1);
  assert.equal(strip(known), strip(unknown));
});

test('an address shared by two accounts names neither (same answer as a wrong password)', async () => {
  const shared = await new Client(portier.url).signIn('cabinet@example.org', PASSWORD);
  assert.equal(shared.status, 401);
  assert.equal(testids(shared.text, 'sign-in-error'), 1);
  assert.equal((await new Client(portier.url).signIn('dupont', PASSWORD)).status, 303, 'the identifier works');
});

test('"Se souvenir de mon identifiant": a long-lived HttpOnly Lax cookie, forgotten when unticked or "not me"', async () => {
  const c = new Client(portier.url);
  const r = await c.submit('/connexion', '/connexion', { identifier: 'emma@example.org', password: PASSWORD, remember_identifier: '1' });
  assert.equal(r.status, 303);
  const cookie = cookieOf(r.setCookies, 'portier_identifiant');
  assert.ok(cookie, 'the identifier is remembered');
  assert.equal(cookie.value, 'emma', 'the account\'s identifier, not the address typed');
  assert.match(cookie.header, /HttpOnly/);
  assert.match(cookie.header, /SameSite=Lax/);
  assert.match(cookie.header, /Path=\//);
  const maxAge = Number(cookie.header.match(/Max-Age=(\d+)/)[1]);
  assert.ok(maxAge >= 300 * 86400, `long-lived (${maxAge} s)`);
  assert.doesNotMatch(r.headers.get('location'), /emma/, 'never in the URL');

  const fresh = await c.get('/connexion');
  assert.match(fresh.text, /id="identifier" name="identifier" type="text" value="emma"/);
  assert.match(fresh.text, /id="remember_identifier" name="remember_identifier" value="1"[^>]* checked/);
  assert.equal(testids(fresh.text, 'sign-in-not-me'), 1);

  const notMe = await c.request('POST', '/connexion/oublier-identifiant', { form: { csrf: csrfOf(fresh.text) } });
  assert.equal(notMe.status, 303);
  assert.match(cookieOf(notMe.setCookies, 'portier_identifiant').header, /Max-Age=0/);
  const after = await c.get('/connexion');
  assert.match(after.text, /name="identifier" type="text" value=""/);

  // Unticking on the next submission forgets it too.
  await c.submit('/connexion', '/connexion', { identifier: 'emma', password: PASSWORD, remember_identifier: '1' });
  assert.equal(c.cookies.get('portier_identifiant'), 'emma');
  const unticked = await c.submit('/connexion', '/connexion', { identifier: 'emma', password: 'faux-mot-de-passe' });
  assert.match(cookieOf(unticked.setCookies, 'portier_identifiant').header, /Max-Age=0/);
  assert.equal(c.cookies.has('portier_identifiant'), false);
});

test('one channel only: the code is sent on arrival, once; a reload sends nothing; the countdown is in the markup', async () => {
  const c = new Client(portier.url);
  const before = codeMailsTo('alice@example.org').length; // the first test's sign-in sent one
  const r = await c.signIn('alice', PASSWORD);
  assert.equal(r.headers.get('location'), '/connexion/code');
  await waitFor(() => codeMailsTo('alice@example.org').length > before, { ms: 10000, what: 'the code' });
  const first = await c.get('/connexion/code');
  await c.get('/connexion/code');
  assert.match(first.text, /data-testid="second-step-sent"/);
  assert.equal(testids(first.text, 'second-step-send'), 0, 'no "send" click needed');
  const button = first.text.match(/<button[^>]*data-testid="second-step-resend"[^>]*>[^<]*<\/button>/)[0];
  assert.match(button, / disabled/);
  assert.match(button, /data-countdown="\d+"/);
  assert.match(decodeEntities(button), /Renvoyer le code \(dans \d+\u00a0s\)/);
  assert.match(first.text, /<script src="\/static\/js\/countdown\.js" defer><\/script>/);
  const script = await c.get('/static/js/countdown.js');
  assert.equal(script.status, 200);
  assert.match(script.headers.get('content-type'), /javascript/);
  await new Promise((res) => setTimeout(res, 300));
  assert.equal(codeMailsTo('alice@example.org').length, before + 1, 'one code for the arrival and the reloads');

  // A direct "send again" inside the cooldown is refused, as a warning.
  const again = await c.request('POST', '/connexion/code/envoi', { form: { csrf: csrfOf(first.text), via: 'email' } });
  assert.equal(again.headers.get('location'), '/connexion/code?info=too_soon');
  const refused = await c.get('/connexion/code?info=too_soon');
  assert.match(refused.text, /class="notice notice-warning" role="alert" data-testid="second-step-refusal"/);
  assert.equal(codeMailsTo('alice@example.org').length, before + 1);
});

test('the preferred channel is pre-selected; switching channel is allowed at once, the cooldown is per channel', async () => {
  sql(`UPDATE accounts SET phone = '+33612345678', phone_verified_at = ${Portier.now()}, code_channel = 'sms' WHERE identifier = 'bruno'`);
  const c = new Client(portier.url);
  assert.equal((await c.signIn('bruno', PASSWORD)).headers.get('location'), '/connexion/code');
  const page = await c.get('/connexion/code');
  assert.match(page.text, /id="via-sms" name="via" value="sms" checked/);
  assert.doesNotMatch(page.text, /id="via-email" name="via" value="email" checked/);
  assert.equal(gateway.requests.length, 0, 'two channels: nothing sent before she chooses');
  const csrf = csrfOf(page.text);

  const bySms = await c.request('POST', '/connexion/code/envoi', { form: { csrf, via: 'sms' } });
  assert.equal(bySms.headers.get('location'), '/connexion/code#code');
  await gateway.waitFor((q) => q.json?.to === '+33612345678', 10000);
  const afterSms = await c.get('/connexion/code');
  assert.match(afterSms.text, /<button[^>]*data-testid="second-step-resend"[^>]* disabled/);
  const switchButton = afterSms.text.match(/<button[^>]*data-testid="second-step-switch"[^>]*>/)[0];
  assert.doesNotMatch(switchButton, /disabled/, 'the other channel is not held by the cooldown');

  const byEmail = await c.request('POST', '/connexion/code/envoi', { form: { csrf, via: 'email' } });
  assert.equal(byEmail.headers.get('location'), '/connexion/code#code', 'switched at once');
  const mail = await smtp.waitFor((m) => m.to === 'bruno@example.org' && /\b\d{8}\b/.test(m.parsed.text), 10000);
  const again = await c.request('POST', '/connexion/code/envoi', { form: { csrf, via: 'email' } });
  assert.equal(again.headers.get('location'), '/connexion/code?info=too_soon', 'the same channel waits');

  // Wrong codes: the last try of this sign-in is announced.
  let wrong;
  for (let i = 0; i < 4; i++) wrong = await c.request('POST', '/connexion/code', { form: { csrf, method: 'email', code: '00000000' } });
  assert.equal(wrong.status, 422);
  assert.match(text(wrong.text), /c’est votre dernier essai pour cette connexion/);
  const ok = await c.request('POST', '/connexion/code', { form: { csrf, method: 'email', code: codeIn(mail) } });
  assert.equal(ok.headers.get('location'), '/mon-espace');
});

test('the last wrong code before the account\'s code suspension is announced with its length', async () => {
  // Nine wrong codes in a row already on the account (threshold 10).
  const id = sql("SELECT id FROM accounts WHERE identifier = 'fanny'");
  sql(`INSERT INTO sign_in_lockouts (key, account_id, failures, locked_until, until_reset, updated_at) VALUES ('code:account:${id}', ${id}, 8, NULL, 0, ${Portier.now()})`);
  const c = new Client(portier.url);
  await c.signIn('fanny', PASSWORD);
  const page = await c.get('/connexion/code');
  const wrong = await c.request('POST', '/connexion/code', { form: { csrf: csrfOf(page.text), method: 'email', code: '00000000' } });
  assert.equal(wrong.status, 422);
  assert.match(text(wrong.text), /encore un code erroné et la vérification par code de ce compte sera suspendue pendant une heure/);
  const suspended = await c.request('POST', '/connexion/code', { form: { csrf: csrfOf(page.text), method: 'email', code: '00000000' } });
  assert.match(text(suspended.text), /la vérification est suspendue jusqu’au/);
  assert.match(suspended.text, /data-testid="second-step-suspended"/);
});

test('after a sign-out the identifier is pre-filled, through a short-lived cookie, not the URL', async () => {
  const c = new Client(portier.url);
  const before = codeMailsTo('cabinet@example.org').length;
  await c.signIn('dupont', PASSWORD);
  await waitFor(() => codeMailsTo('cabinet@example.org').length > before, { ms: 10000, what: 'the code' });
  const mail = codeMailsTo('cabinet@example.org').at(-1);
  const page = await c.get('/connexion/code');
  const ok = await c.request('POST', '/connexion/code', { form: { csrf: csrfOf(page.text), method: 'email', code: codeIn(mail) } });
  assert.equal(ok.headers.get('location'), '/mon-espace');
  const csrf = await c.csrf('/mon-espace');
  const out = await c.request('POST', '/deconnexion', { form: { csrf } });
  assert.equal(out.headers.get('location'), '/connexion?info=signed_out');
  const handed = cookieOf(out.setCookies, 'portier_identifiant_recent');
  assert.equal(handed.value, 'dupont');
  assert.match(handed.header, /SameSite=Strict/);
  assert.ok(Number(handed.header.match(/Max-Age=(\d+)/)[1]) <= 900, 'short-lived');
  const form = await c.get('/connexion?info=signed_out');
  assert.match(form.text, /name="identifier" type="text" value="dupont"/);
  assert.doesNotMatch(form.text, /id="remember_identifier"[^>]* checked/, 'not remembered unless asked');
});

test('"Première connexion": an active account is mailed "already active"; the page is the same for every target', async () => {
  portier.addUser({ identifier: 'gina', email: 'gina@example.org' }); // pending, invited
  const answer = async (target) => {
    const client = new Client(portier.url);
    const csrf = await client.csrf('/premiere-connexion');
    const altcha = await robotSolution(portier.url);
    const r = await client.request('POST', '/premiere-connexion', { form: { csrf, target, altcha } });
    return { status: r.status, body: r.text.replace(/name="csrf" value="[^"]+"/g, '') };
  };
  const active = await answer('emma');
  const pending = await answer('gina@example.org');
  const unknown = await answer('personne.inconnue');
  assert.equal(active.status, 200);
  assert.equal(pending.status, 200);
  assert.equal(unknown.status, 200);
  assert.equal(active.body, unknown.body);
  assert.equal(pending.body, unknown.body);

  const told = await smtp.waitFor((m) => m.to === 'emma@example.org' && /déjà actif/.test(m.parsed.subject), 10000);
  assert.match(told.parsed.text, /Votre identifiant\u00a0: emma/);
  assert.match(told.parsed.text, /http:\/\/portail\.test\/connexion\b/);
  assert.match(told.parsed.text, /http:\/\/portail\.test\/mot-de-passe-oublie/);
  assert.match(told.parsed.html, /href="http:\/\/portail\.test\/connexion"/);
  assert.equal(told.parsed.text.includes("'"), false, 'typographic apostrophes');
});

test('without JavaScript the robot check is a short wait: too early is refused, then it passes once', async () => {
  const c = new Client(portier.url);
  const page = await c.get('/mot-de-passe-oublie');
  assert.match(page.text, /<noscript><input type="hidden" name="altcha_attente" value="[^"]+">/);
  assert.match(text(page.text), /patientez 5 secondes après l’ouverture de cette page/);
  assert.match(page.text, /<noscript>.*href="\/assistance"/s);
  const token = page.text.match(/name="altcha_attente" value="([^"]+)"/)[1];
  const early = await c.request('POST', '/mot-de-passe-oublie', { form: { csrf: csrfOf(page.text), target: 'alice', altcha_attente: token } });
  assert.equal(early.status, 422);
  assert.match(text(early.text), /le délai d’attente n’est pas écoulé/);
  assert.match(early.text, new RegExp(`name="altcha_attente" value="${token}"`), 'the same token: the wait is not started again');
  const forged = token.replace(/^\d+/, (t) => String(Number(t) - 60));
  const bad = await c.request('POST', '/mot-de-passe-oublie', { form: { csrf: csrfOf(early.text), target: 'alice', altcha_attente: forged } });
  assert.equal(bad.status, 422, 'a token dated back is refused (signature)');
  // The wait itself is the condition under test: 5 s, the configured minimum.
  await new Promise((res) => setTimeout(res, 5200));
  const ok = await c.request('POST', '/mot-de-passe-oublie', { form: { csrf: csrfOf(bad.text), target: 'alice', altcha_attente: token } });
  assert.equal(ok.status, 303, 'accepted after the wait');
  const replay = await c.request('POST', '/mot-de-passe-oublie', { form: { csrf: csrfOf(bad.text), target: 'alice', altcha_attente: token } });
  assert.equal(replay.status, 422, 'once only');
});

test('after proving a mobile number, SMS becomes the preferred channel in one click', async () => {
  const e = new Client(portier.url);
  const before = codeMailsTo('emma@example.org').length;
  await e.signIn('emma', PASSWORD);
  await waitFor(() => codeMailsTo('emma@example.org').length > before, { ms: 10000, what: 'the code' });
  const codePage = await e.get('/connexion/code');
  const signed = await e.request('POST', '/connexion/code', { form: { csrf: csrfOf(codePage.text), method: 'email', code: codeIn(codeMailsTo('emma@example.org').at(-1)) } });
  assert.equal(signed.headers.get('location'), '/mon-espace');
  const csrf = await e.csrf('/mon-espace');
  const started = await e.request('POST', '/mon-espace/mobile', { form: { csrf, new_phone: '06 98 76 54 32', phone_password: PASSWORD } });
  assert.equal(started.headers.get('location'), '/mon-espace/mobile');
  const sms = await gateway.waitFor((q) => q.json?.to === '+33698765432', 10000);
  const verify = await e.get('/mon-espace/mobile');
  const ok = await e.request('POST', '/mon-espace/mobile/code', { form: { csrf: csrfOf(verify.text), code: sms.json.text.match(/\d{8}/)[0] } });
  assert.equal(ok.headers.get('location'), '/mon-espace/mobile/verifie');
  const offer = await e.get('/mon-espace/mobile/verifie');
  assert.equal(offer.status, 200);
  assert.match(text(offer.text), /Voulez-vous recevoir désormais vos codes de connexion par SMS plutôt que par e-mail/);
  const accepted = await e.request('POST', '/mon-espace/mobile/sms-prefere', { form: { csrf: csrfOf(offer.text) } });
  assert.equal(accepted.headers.get('location'), '/mon-espace?info=channel_saved#codes');
  assert.equal(sql("SELECT code_channel FROM accounts WHERE identifier = 'emma'"), 'sms');
  const gone = await e.get('/mon-espace/mobile/verifie');
  assert.equal(gone.status, 303, 'no offer once SMS is preferred');
});

test('after an activation the sign-in form is pre-filled with the new identifier', async () => {
  // gina was invited twice above (user add, then "Première connexion"): the latest link.
  const invitations = () => mailsTo('gina@example.org').filter((m) => /jeton=/.test(m.parsed.text));
  await waitFor(() => invitations().length >= 2, { ms: 10000, what: 'two invitations' });
  const invitation = invitations().at(-1);
  const link = invitation.parsed.text.match(/http:\/\/portail\.test(\/premiere-connexion\/activer\?jeton=[\w-]+)/)[1];
  const c = new Client(portier.url);
  const page = await c.get(link);
  assert.equal(page.status, 200);
  const done = await c.request('POST', '/premiere-connexion/activer', { form: {
    csrf: csrfOf(page.text), type: 'lien', secret: link.split('jeton=')[1], new_password: PASSWORD, confirm_password: PASSWORD } });
  assert.equal(done.headers.get('location'), '/connexion?info=account_activated');
  assert.equal(cookieOf(done.setCookies, 'portier_identifiant_recent').value, 'gina');
  const form = await c.get('/connexion?info=account_activated');
  assert.match(form.text, /name="identifier" type="text" value="gina"/);
});

test('after a password reset the sign-in form is pre-filled with the identifier', async () => {
  const c = new Client(portier.url);
  const csrf = await c.csrf('/mot-de-passe-oublie');
  const before = mailsTo('denis@example.org').filter((m) => /jeton=/.test(m.parsed.text)).length;
  const asked = await c.request('POST', '/mot-de-passe-oublie', { form: { csrf, target: 'denis@example.org', altcha: await robotSolution(portier.url) } });
  assert.equal(asked.status, 303);
  await waitFor(() => mailsTo('denis@example.org').filter((m) => /jeton=/.test(m.parsed.text)).length > before, { ms: 10000, what: 'the reset link' });
  const mail = mailsTo('denis@example.org').filter((m) => /jeton=/.test(m.parsed.text)).at(-1);
  const link = mail.parsed.text.match(/http:\/\/portail\.test(\/mot-de-passe-oublie\/nouveau\?jeton=[\w-]+)/)[1];
  const page = await c.get(link);
  assert.equal(page.status, 200);
  const chosen = 'sentier-bruyere-falaise-64';
  const done = await c.request('POST', '/mot-de-passe-oublie/nouveau', { form: {
    csrf: csrfOf(page.text), type: page.text.match(/name="type" value="([^"]+)"/)[1], secret: link.split('jeton=')[1],
    new_password: chosen, confirm_password: chosen } });
  assert.equal(done.headers.get('location'), '/connexion?info=password_reset');
  assert.equal(cookieOf(done.setCookies, 'portier_identifiant_recent').value, 'denis');
  const form = await c.get('/connexion?info=password_reset');
  assert.match(form.text, /name="identifier" type="text" value="denis"/);
});
