// Assistance requests, over HTTP against the real server and a real SMTP
// server: a visitor asks to be called back on a day and a part of it (robot
// check solved as the widget does), gets a recap with a reference and an
// acknowledgement that answers to the assistance; the team is told with a
// link only; support staff signed in with an authenticator app take the
// request (it goes "en cours"), schedule a day and an hour (validated
// against the opening hours; the member receives the time, then the new
// time) and close it with a note (the member is told, not the note); members
// get 403 on /support/demandes; bad input is answered 422 with the error
// summary. Credential changes made by staff are told to the member.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Portier, Client } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { robotSolution } from '../support/robot.js';
import { decodeEntities } from './helpers.js';
import { newKeyPage } from '../support/app.js';
import { escapeRegExp, parisDateTime, parisDateInputs, parisTimeOfDay } from '../support/display_time.js';
import { consoleId } from './staff_session.js';

const PASSWORD = 'Lanterne-Garrigue-Phare-31';
let smtp;
let portier;

before(async () => {
  smtp = await new SmtpSink().start();
  // "optional": the agent's sign-in asks for the app code once it has one,
  // so the console session is "pwd+app".
  portier = new Portier({ env: { PORTIER_SECOND_STEP: 'optional' }, toml: [
    '[server]', 'public_url = "http://portail.test"',
    '[mail]', `smtp_url = "${smtp.url}"`, 'smtp_tls = "none"', 'from_address = "no-reply@portail.test"',
    'outbox_poll_interval = 1', 'smtp_timeout = 3',
    '[security]', 'robot_max_number = 1000',
    // Open every day, all day: the test finds slots whenever it runs.
    '[assistance]', 'days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]', 'opening = "00:00"',
    'closing = "23:30"', 'slot_minutes = 30', 'days_ahead = 3', 'per_client_limit = 50',
  ] });
  portier.addUser({ identifier: 'claire.martin', email: 'claire@example.org', name: 'Claire Martin', password: PASSWORD });
  portier.addUser({ identifier: 'lea.petit', email: 'lea@example.org', name: 'Léa Petit', password: PASSWORD, phone: '+33611223344' });
  portier.addUser({ identifier: 'agent.sophie', email: 'sophie@example.org', name: 'Sophie Agent', password: PASSWORD, role: 'support' });
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
  await smtp?.stop();
});

const csrfOf = (html) => html.match(/name="csrf" value="([^"]+)"/)[1];
const partIds = (html) => [...html.matchAll(/name="part" value="(\d+)"/g)].map((m) => m[1]);
const referenceOf = (html) => html.match(/data-testid="assistance-reference">(A-[2-9A-Z]{4})</)?.[1];
// A slot start as the console's date and time fields send it, on the
// display zone's wall clock (Europe/Paris), whatever the machine's zone.
const dateTime = (seconds) => parisDateInputs(new Date(Number(seconds) * 1000));

function oathtool(key, offset = 0) {
  const at = `@${Math.floor(Date.now() / 1000) + offset}`;
  return execFileSync('oathtool', ['--totp', '-b', '-N', at, key.replace(/\s+/g, '')], { encoding: 'utf8' }).trim();
}

async function mailsTo(address, count, timeout = 8000) {
  const end = Date.now() + timeout;
  for (;;) {
    const found = smtp.messages.filter((m) => m.to === address);
    if (found.length >= count) return found;
    if (Date.now() > end) throw new Error(`expected ${count} mail(s) to ${address}, got ${found.length}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// Sends the public form as a browser would; `robot` false leaves the check out.
async function sendRequest(fields, { robot = true, slots } = {}) {
  const c = new Client(portier.url);
  const page = await c.get('/assistance');
  assert.equal(page.status, 200);
  const offered = partIds(page.text);
  assert.ok(offered.length >= 3, 'the form offers parts of days');
  const body = new URLSearchParams({ csrf: csrfOf(page.text), phone: '06 12 34 56 78', ...fields });
  for (const s of slots ?? offered.slice(0, 2)) body.append('part', s);
  if (robot) body.append('altcha', await robotSolution(portier.url));
  const r = await c.request('POST', '/assistance', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString(),
  });
  return { r, offered };
}

// An agent with an authenticator app, signed in with an app code ("pwd+app").
async function agentClient() {
  let c = new Client(portier.url);
  let r = await c.signIn('agent.sophie', PASSWORD);
  assert.equal(r.status, 303);
  const page = await newKeyPage(c);
  assert.equal(page.status, 200);
  const key = page.text.match(/data-testid="totp-key"[^>]*>([A-Z2-7 ]+)</)[1];
  r = await c.request('POST', '/mon-espace/application',
    { form: { csrf: csrfOf(page.text), code: oathtool(key), current_password: PASSWORD } });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  // Sign in again: the password, then a code of the next step (the
  // enrolment's own code is spent).
  c = new Client(portier.url);
  r = await c.signIn('agent.sophie', PASSWORD);
  assert.match(r.headers.get('location'), /^\/connexion\/code/);
  r = await c.submit('/connexion/code', '/connexion/code', { method: 'app', code: oathtool(key, 30) });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  return c;
}

let sharedAgent;
async function agent() {
  sharedAgent ??= await agentClient();
  return sharedAgent;
}

test('an assistance request is scheduled and the member receives the slot', async () => {
  const { r, offered } = await sendRequest({
    target: 'claire@example.org', name: 'Claire Martin', phone: '06 12 34 56 78',
    message: 'Je ne reçois pas le code de connexion.',
  });
  assert.equal(r.status, 200, r.text.slice(0, 400));
  assert.match(r.text, /data-testid="assistance-sent"/);
  // The recap: a short reference to quote, the number and the times chosen.
  const reference = referenceOf(r.text);
  assert.ok(reference, 'the recap shows the reference');
  assert.match(decodeEntities(r.text), /06 12 34 56 78/);
  assert.match(decodeEntities(r.text), /, (le matin|l’après-midi)</);
  // The acknowledgement goes to the address typed (the account's, here),
  // names the reference, and a reply reaches the assistance.
  const [ack] = await mailsTo('claire@example.org', 1);
  assert.match(ack.parsed.subject, /assistance/i);
  assert.match(ack.parsed.subject, new RegExp(reference));
  assert.match(ack.parsed.text, new RegExp(`référence[\\s\\S]*${reference}`));
  assert.equal(ack.parsed.replyTo.value[0].address, 'assistance@example.org');
  // The team is told (portal.assistance_email by default): the reference and
  // a link to the console, nothing typed.
  const [team] = await mailsTo('assistance@example.org', 1);
  assert.match(team.parsed.subject, new RegExp(reference));
  assert.doesNotMatch(team.parsed.text, /code de connexion|Claire Martin|12 34 56 78|claire@example/);
  assert.doesNotMatch(ack.parsed.text, /code de connexion/, 'the message text is not echoed to the mailbox');
  assert.doesNotMatch(ack.parsed.text, /Claire Martin/, 'nor the name typed');

  const link = team.parsed.text.match(/http:\/\/portail\.test\/support\/demandes\/demande\?id=(\d+)/);
  assert.ok(link, 'the team mail links to the console page');
  const id = link[1];

  const c = await agent();
  let q = await c.get('/support/demandes?statut=new');
  assert.equal(q.status, 200);
  assert.match(q.text, new RegExp(`data-testid="request-${id}">${reference}<`));
  // The console's menu counts the new requests.
  assert.match(q.text, /data-testid="console-nav-requests"[^>]*>Demandes <span data-testid="console-nav-requests-count">\(\d+<span class="visually-hidden"> nouvelles?<\/span>\)/);
  const before = Number(q.text.match(/console-nav-requests-count">\((\d+)/)[1]);
  let page = await c.get(`/support/demandes/demande?id=${id}`);
  assert.equal(page.status, 200);
  assert.match(decodeEntities(page.text), /Je ne reçois pas le code de connexion\./);
  // The number as the agent dials it, tap-to-call.
  assert.match(page.text, /<a href="tel:\+33612345678">06 12 34 56 78<\/a>/);
  assert.match(page.text, new RegExp(`data-testid="request-reference">${reference}<`));
  // The account's state, with a link to its console page.
  assert.match(page.text, /data-testid="request-account-status">actif</);
  assert.match(page.text, /data-testid="request-account-link"/);

  let t = await c.request('POST', '/support/demandes/prendre', { form: { csrf: csrfOf(page.text), id } });
  assert.equal(t.status, 303);
  assert.equal(t.headers.get('location'), `/support/demandes/demande?id=${id}&info=taken`);
  page = await c.get(`/support/demandes/demande?id=${id}`);
  assert.match(page.text, /data-testid="request-schedule-form"/);
  assert.match(page.text, /data-testid="request-status">En cours</, 'taken: in progress');
  q = await c.get('/support/demandes?statut=in_progress');
  assert.match(q.text, new RegExp(`data-testid="request-${id}"`));
  const after = q.text.match(/console-nav-requests-count">\((\d+)/);
  assert.equal(after ? Number(after[1]) : 0, before - 1, 'one new request fewer in the menu');

  // Outside the opening hours, between two slots, or without a day: 422, nothing booked.
  const chosen = offered[1];
  const { date, time } = dateTime(chosen);
  for (const [fields, problem] of [[{ date, time: '23:45' }, /heures d’ouverture/], [{ date, time: '12:10' }, /heures d’ouverture/],
    [{ date: '2020-01-06', time: '10:00' }, /heures d’ouverture/], [{ date: '', time }, /jour du rappel/]]) {
    t = await c.request('POST', '/support/demandes/planifier', { form: { csrf: csrfOf(page.text), id, ...fields } });
    assert.equal(t.status, 422, JSON.stringify(fields));
    assert.match(t.text, /data-testid="error-summary"/);
    assert.match(decodeEntities(t.text), problem);
  }
  t = await c.request('POST', '/support/demandes/planifier', { form: { csrf: csrfOf(page.text), id, date, time } });
  assert.equal(t.status, 303, t.text.slice(0, 300));
  const [, confirmation] = await mailsTo('claire@example.org', 2);
  // The time as the server writes it in French, in Paris time whatever the
  // zone of the machine.
  const when = escapeRegExp(parisDateTime(new Date(Number(chosen) * 1000)));
  assert.match(confirmation.parsed.subject, new RegExp(when));
  assert.match(confirmation.parsed.text, new RegExp(`vous rappellera le ${when}`));
  assert.doesNotMatch(confirmation.parsed.text, /33612345678|12 34 56 78/, "the number typed is not mailed back");
  assert.match(confirmation.parsed.text, /numéro indiqué dans votre demande/);
  assert.equal(confirmation.parsed.replyTo.value[0].address, 'assistance@example.org');

  // Another time: the member is told it changed.
  page = await c.get(`/support/demandes/demande?id=${id}`);
  assert.match(page.text, new RegExp(`name="date" type="date" value="${date}"`), 'the form shows the booked day');
  const later = dateTime(Number(chosen) + 3600);
  t = await c.request('POST', '/support/demandes/planifier', { form: { csrf: csrfOf(page.text), id, ...later } });
  assert.equal(t.status, 303, t.text.slice(0, 300));
  const [, , moved] = await mailsTo('claire@example.org', 3);
  assert.match(moved.parsed.subject,
    new RegExp(`Nouvelle heure de rappel.*${escapeRegExp(parisTimeOfDay(new Date((Number(chosen) + 3600) * 1000)))}`));

  q = await c.get('/support/demandes?statut=scheduled');
  assert.match(q.text, new RegExp(`data-testid="request-${id}"`));

  page = await c.get(`/support/demandes/demande?id=${id}`);
  // Closing needs a note.
  t = await c.request('POST', '/support/demandes/clore', { form: { csrf: csrfOf(page.text), id, note: '  ' } });
  assert.equal(t.status, 422);
  assert.match(t.text, /data-testid="error-summary"/);
  t = await c.request('POST', '/support/demandes/clore',
    { form: { csrf: csrfOf(page.text), id, note: 'Rappelée, canal passé en e-mail.' } });
  assert.equal(t.status, 303);
  // The member is told it is closed; the note stays with staff.
  const [, , , closed] = await mailsTo('claire@example.org', 4);
  assert.match(closed.parsed.subject, new RegExp(`${reference} est close`));
  assert.doesNotMatch(closed.parsed.text, /canal passé/);
  assert.equal(closed.parsed.replyTo.value[0].address, 'assistance@example.org');
  page = await c.get(`/support/demandes/demande?id=${id}`);
  assert.match(decodeEntities(page.text), /Rappelée, canal passé en e-mail\./);
  q = await c.get('/support/demandes?statut=done');
  assert.match(q.text, new RegExp(`data-testid="request-${id}"`));
  // The request is on the member's account page in the console.
  const accountId = portier.sql("SELECT id FROM accounts WHERE identifier = 'claire.martin'");
  const account = await c.get(`/support/compte?id=${accountId}`);
  assert.equal(account.status, 200);
  assert.match(account.text, new RegExp(`data-testid="console-request-row"[\\s\\S]*?demande\\?id=${id}"`));
  // Closed: nothing more can be done with it.
  t = await c.request('POST', '/support/demandes/prendre', { form: { csrf: csrfOf(page.text), id } });
  assert.equal(t.headers.get('location'), `/support/demandes/demande?id=${id}&info=conflict`);
});

test('an unknown identifier gets the same page; a typed address gets the acknowledgement', async () => {
  const unknown = await sendRequest({ target: 'personne.inconnue', message: 'Bonjour' });
  assert.equal(unknown.r.status, 200);
  const typed = await sendRequest({ target: 'nouveau@example.org', message: 'Bonjour' });
  assert.equal(typed.r.status, 200);
  assert.ok(referenceOf(unknown.r.text) && referenceOf(typed.r.text), 'both pages give a reference');
  assert.notEqual(referenceOf(unknown.r.text), referenceOf(typed.r.text));
  const strip = (html) => html.replace(/name="csrf" value="[^"]+"/g, '').replace(/A-[2-9A-Z]{4}/g, 'A-XXXX');
  assert.equal(strip(unknown.r.text), strip(typed.r.text), 'the same answer whether or not an account matched');
  await mailsTo('nouveau@example.org', 1);
});

test('a member without the support role gets 403 on /support/demandes (GET and POST)', async () => {
  const c = new Client(portier.url);
  const r = await c.signIn('claire.martin', PASSWORD);
  assert.equal(r.status, 303);
  assert.equal((await c.get('/support/demandes')).status, 403);
  assert.equal((await c.get('/support/demandes/demande?id=1')).status, 403);
  const csrf = await c.csrf('/mon-espace');
  for (const path of ['/support/demandes/prendre', '/support/demandes/planifier', '/support/demandes/clore'])
    assert.equal((await c.request('POST', path, { form: { csrf, id: '1', note: 'x' } })).status, 403, path);
  // Signed out: to the sign-in page.
  const anonymous = await new Client(portier.url).get('/support/demandes');
  assert.equal(anonymous.status, 303);
});

test('bad input: no slot, a 3001-character message, a missing robot check → 422 with the error summary', async () => {
  let { r } = await sendRequest({ target: 'claire.martin', message: 'Bonjour' }, { slots: [] });
  assert.equal(r.status, 422);
  assert.match(r.text, /data-testid="error-summary"/);
  assert.match(r.text, /href="#slots"/);

  // The number to call back is required.
  ({ r } = await sendRequest({ target: 'claire.martin', message: 'Bonjour', phone: ' ' }));
  assert.equal(r.status, 422);
  assert.match(r.text, /href="#phone"/);
  assert.match(decodeEntities(r.text), /Indiquez le numéro où l’assistance peut vous rappeler/);
  ({ r } = await sendRequest({ target: 'claire.martin', message: 'Bonjour', phone: '12' }));
  assert.equal(r.status, 422);
  assert.match(r.text, /href="#phone"/);

  ({ r } = await sendRequest({ target: 'claire.martin', message: 'é'.repeat(3001) }));
  assert.equal(r.status, 422);
  assert.match(r.text, /href="#message"/);

  ({ r } = await sendRequest({ target: 'claire.martin', message: 'Bonjour' }, { robot: false }));
  assert.equal(r.status, 422);
  assert.match(r.text, /href="#robot-check"/);

  // Four parts of days, and one that was never offered.
  const page = await new Client(portier.url).get('/assistance');
  const offered = partIds(page.text);
  ({ r } = await sendRequest({ target: 'claire.martin', message: 'Bonjour' }, { slots: offered.slice(0, 4) }));
  assert.equal(r.status, 422);
  ({ r } = await sendRequest({ target: 'claire.martin', message: 'Bonjour' }, { slots: ['12345'] }));
  assert.equal(r.status, 422);
  // None of these was stored.
  const c = await agent();
  const q = await c.get('/support/demandes?statut=new');
  assert.doesNotMatch(decodeEntities(q.text), /é{20}/);
});

test('a signed-in member finds her identifier, name and phone already in the form', async () => {
  const c = new Client(portier.url);
  assert.equal((await c.signIn('lea.petit', PASSWORD)).status, 303);
  const page = await c.get('/assistance');
  assert.equal(page.status, 200);
  assert.match(page.text, /id="target" name="target" type="text" value="lea\.petit"/);
  assert.match(page.text, /id="phone" name="phone" type="tel" value="06 11 22 33 44"/);
  assert.match(page.text, /id="name" name="name" type="text" value="Léa Petit"/);
  // Signed out: empty.
  const anonymous = await new Client(portier.url).get('/assistance');
  assert.match(anonymous.text, /id="phone" name="phone" type="tel" value=""/);
});

test('credential changes made by staff are told to the member, without the reason or the password', async () => {
  const c = await agent();
  const id = await consoleId(c, 'lea.petit');
  const act = async (path, fields) => {
    const page = await c.get(`/support/compte?id=${id}`);
    return c.request('POST', path, { form: { csrf: csrfOf(page.text), id, ...fields } });
  };
  let r = await act('/support/compte/mot-de-passe-temporaire',
    { delivery: 'show', reason: 'Appel du 12, identité vérifiée', agent_password: PASSWORD });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const shown = decodeEntities(r.text).match(/data-testid="temporary-password"[^>]*>([^<]+)</)?.[1];
  let [notice] = await mailsTo('lea@example.org', 1);
  assert.match(notice.parsed.subject, /Un mot de passe temporaire a été créé pour votre compte/);
  assert.doesNotMatch(notice.parsed.text, /Appel du 12/, 'not the agent\'s reason');
  if (shown) assert.ok(!notice.parsed.text.includes(shown.trim()), 'not the password');

  r = await act('/support/compte/suspension', { reason: 'Bloquée au téléphone', agent_password: PASSWORD });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  [, notice] = await mailsTo('lea@example.org', 2);
  assert.match(notice.parsed.subject, /La connexion à votre compte a été débloquée/);
  assert.doesNotMatch(notice.parsed.text, /Bloquée au téléphone/);
  assert.match(notice.parsed.text, /http:\/\/portail\.test\/connexion/);
});
