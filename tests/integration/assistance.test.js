// Assistance requests, over HTTP against the real server and a real SMTP
// server: a visitor asks to be called back (robot check solved as the widget
// does) and gets an acknowledgement; support staff signed in with an
// authenticator app take the request, schedule a slot (the member receives
// the time) and close it with a note; members get 403 on /support/demandes;
// bad input is answered 422 with the error summary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Portier, Client } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { robotSolution } from '../support/robot.js';
import { decodeEntities } from './helpers.js';
import { newKeyPage } from '../support/app.js';
import { escapeRegExp, parisDateTime } from '../support/display_time.js';

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
  portier.addUser({ identifier: 'agent.sophie', email: 'sophie@example.org', name: 'Sophie Agent', password: PASSWORD, role: 'support' });
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
  await smtp?.stop();
});

const csrfOf = (html) => html.match(/name="csrf" value="([^"]+)"/)[1];
const slotIds = (html) => [...html.matchAll(/name="slot" value="(\d+)"/g)].map((m) => m[1]);

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
  const offered = slotIds(page.text);
  assert.ok(offered.length >= 3, 'the form offers slots');
  const body = new URLSearchParams({ csrf: csrfOf(page.text), ...fields });
  for (const s of slots ?? offered.slice(0, 2)) body.append('slot', s);
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
  // The acknowledgement goes to the address typed (the account's, here).
  const [ack] = await mailsTo('claire@example.org', 1);
  assert.match(ack.parsed.subject, /assistance/i);
  assert.doesNotMatch(ack.parsed.text, /code de connexion/, 'the message text is not echoed to the mailbox');
  assert.doesNotMatch(ack.parsed.text, /Claire Martin/, 'nor the name typed');

  const c = await agent();
  let q = await c.get('/support/demandes?statut=new');
  assert.equal(q.status, 200);
  const id = q.text.match(/data-testid="request-(\d+)"/)[1];
  let page = await c.get(`/support/demandes/demande?id=${id}`);
  assert.equal(page.status, 200);
  assert.match(decodeEntities(page.text), /Je ne reçois pas le code de connexion\./);
  assert.match(page.text, /\+33612345678/);

  let t = await c.request('POST', '/support/demandes/prendre', { form: { csrf: csrfOf(page.text), id } });
  assert.equal(t.status, 303);
  assert.equal(t.headers.get('location'), `/support/demandes/demande?id=${id}&info=taken`);
  page = await c.get(`/support/demandes/demande?id=${id}`);
  assert.match(page.text, /data-testid="request-schedule-form"/);

  const chosen = offered[1];
  t = await c.request('POST', '/support/demandes/planifier', { form: { csrf: csrfOf(page.text), id, slot: chosen } });
  assert.equal(t.status, 303, t.text.slice(0, 300));
  const [, confirmation] = await mailsTo('claire@example.org', 2);
  // The time as the server writes it in French, in Paris time whatever the
  // zone of the machine.
  const when = escapeRegExp(parisDateTime(new Date(Number(chosen) * 1000)));
  assert.match(confirmation.parsed.subject, new RegExp(when));
  assert.match(confirmation.parsed.text, new RegExp(`vous rappellera le ${when}`));
  assert.doesNotMatch(confirmation.parsed.text, /33612345678|12 34 56 78/, "the number typed is not mailed back");
  assert.match(confirmation.parsed.text, /numéro indiqué dans votre demande/);

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
  page = await c.get(`/support/demandes/demande?id=${id}`);
  assert.match(decodeEntities(page.text), /Rappelée, canal passé en e-mail\./);
  q = await c.get('/support/demandes?statut=done');
  assert.match(q.text, new RegExp(`data-testid="request-${id}"`));
  // The request is on the member's account page in the console.
  const accountId = execFileSync('sqlite3', [join(portier.dataDir, 'portier.db'),
    "SELECT id FROM accounts WHERE identifier = 'claire.martin'"], { encoding: 'utf8' }).trim();
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
  const strip = (html) => html.replace(/name="csrf" value="[^"]+"/g, '');
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

  ({ r } = await sendRequest({ target: 'claire.martin', message: 'é'.repeat(3001) }));
  assert.equal(r.status, 422);
  assert.match(r.text, /href="#message"/);

  ({ r } = await sendRequest({ target: 'claire.martin', message: 'Bonjour' }, { robot: false }));
  assert.equal(r.status, 422);
  assert.match(r.text, /href="#robot-check"/);

  // Four slots, and one that was never offered.
  const page = await new Client(portier.url).get('/assistance');
  const offered = slotIds(page.text);
  ({ r } = await sendRequest({ target: 'claire.martin', message: 'Bonjour' }, { slots: offered.slice(0, 4) }));
  assert.equal(r.status, 422);
  ({ r } = await sendRequest({ target: 'claire.martin', message: 'Bonjour' }, { slots: ['12345'] }));
  assert.equal(r.status, 422);
  // None of these was stored.
  const c = await agent();
  const q = await c.get('/support/demandes?statut=new');
  assert.doesNotMatch(decodeEntities(q.text), /é{20}/);
});
