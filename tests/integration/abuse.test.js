// Abuse limits, over HTTP against the real server (issue 9, items 6, 7, 9):
//   - SMS cannot be pumped: codes to numbers being added are capped per
//     account, per number and per day for the whole service, only to the
//     allowed country prefixes, with the robot check past the first few;
//   - no free text into a member's mailbox: the assistance acknowledgement
//     goes only to the address typed and carries nothing typed; suspension
//     notices at most once a day per account;
//   - codes typed by hand (recovery, invitation) count against the request,
//     whatever the address, and against the address, atomically, audited.
// "Different addresses" are real ones: the loopback network answers on all
// of 127.0.0.0/8, so requests leave from 127.0.0.x as the test chooses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { Portier, Client } from '../support/portier.js';
import { robotSolution } from '../support/robot.js';
import { decodeEntities, message, rowsAddedBy, waitFor } from './helpers.js';

const PASSWORD = 'ruisseau-lanterne-hiver-42';
let portier;

before(async () => {
  portier = new Portier({ toml: [
    '[security]', 'robot_max_number = 1000',
    '[sms]', 'verification_codes_per_account = 4', 'codes_per_number = 2', 'daily_ceiling = 5',
    'robot_check_after = 2',
    '[lockout]', 'threshold = 3', 'ceiling = 20',
    '[recovery]', 'per_client_limit = 8',
    '[activation]', 'per_client_limit = 8',
  ] });
  for (const id of ['alice', 'bruno', 'marie', 'rene', 'rita'])
    portier.addUser({ identifier: id, email: `${id}@example.org`, password: PASSWORD, name: `Dr ${id}` });
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
});

const sql = (statement) => portier.sql(statement);
const count = (statement) => Number(sql(statement));
const codeIn = (text) => text.match(/\b([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})\b/)[1];
const csrfOf = (html) => html.match(/name="csrf" value="([^"]+)"/)[1];

// The code in the newest message of `kind` to `to`, as the file mailer wrote
// it (the outbox erases bodies once sent). `seen`: files already read.
const seenFiles = new Set();
async function codeMailed(kind, to) {
  const dir = join(portier.dataDir, 'outbox');
  let text;
  await waitFor(() => {
    let files = [];
    try { files = readdirSync(dir).filter((f) => f.endsWith(`-${kind}.eml`) && !seenFiles.has(f)); } catch { return false; }
    for (const f of files) {
      const raw = readFileSync(join(dir, f), 'utf8');
      if (!new RegExp(`^To: .*${to}`, 'm').test(raw)) continue;
      seenFiles.add(f);
      text = raw;
      return true;
    }
    return false;
  }, { what: `a ${kind} message to ${to}` });
  return codeIn(text.replace(/=\r?\n/g, ''));
}

// A Client whose requests leave from `address` (127.0.0.x).
class ClientAt extends Client {
  constructor(base, address = '127.0.0.1') {
    super(base);
    this.address = address;
  }

  // The same browser (its cookies shared) from another address.
  from(address) {
    const c = new ClientAt(this.base, address);
    c.cookies = this.cookies;
    return c;
  }

  request(method, path, { form, headers = {}, body } = {}) {
    const h = { 'user-agent': this.userAgent, ...headers };
    if (this.cookies.size) h.cookie = this.cookieHeader();
    if (form) {
      h['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    if (body) h['content-length'] = Buffer.byteLength(body);
    const url = new URL(this.base + path);
    return new Promise((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method,
                                 headers: h, localAddress: this.address, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => { text += c; });
        res.on('end', () => {
          const setCookies = res.headers['set-cookie'] ?? [];
          for (const c of setCookies) {
            const [pair, ...attrs] = c.split(';');
            const eq = pair.indexOf('=');
            const name = pair.slice(0, eq).trim();
            const value = pair.slice(eq + 1).trim();
            if (value === '' || attrs.some((a) => /max-age=0/i.test(a.trim()))) this.cookies.delete(name);
            else this.cookies.set(name, value);
          }
          resolve({ status: res.statusCode, headers: new Headers(res.headers), text, setCookies });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}

async function signedIn(identifier) {
  const c = new ClientAt(portier.url);
  const r = await c.signIn(identifier, PASSWORD);
  assert.equal(r.status, 303, `sign-in of ${identifier}`);
  return c;
}

// ---------------------------------------------------------------- item 6

const smsCount = () => count("SELECT count(*) FROM outbox WHERE channel = 'sms'");

async function addPhone(c, phone, { robot = false } = {}) {
  const form = { new_phone: phone, phone_password: PASSWORD };
  if (robot) form.altcha = await robotSolution(portier.url);
  return c.submit('/mon-espace', '/mon-espace/mobile', form);
}

test('SMS pumping: foreign numbers refused when typed; caps per account, per number and per day; robot check past two', async () => {
  const alice = await signedIn('alice');
  const bruno = await signedIn('bruno');

  // A number outside France and its overseas departments: refused at entry.
  let r = await addPhone(alice, '+44 7911 123456');
  assert.equal(r.status, 422);
  assert.ok(decodeEntities(r.text).includes(message('problem_phone_prefix_refused')), 'a clear message');
  r = await addPhone(alice, '+269 321 23 45');  // the Comoros, not Mayotte (+262)
  assert.equal(r.status, 422);
  assert.equal(smsCount(), 0, 'nothing texted');

  // The legitimate path: two codes without any check.
  r = await addPhone(alice, '06 11 11 11 11');
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal(r.headers.get('location'), '/mon-espace/mobile');
  r = await addPhone(alice, '+262 692 12 34 56');
  assert.equal(r.status, 303, 'an overseas number works');
  assert.equal(smsCount(), 2);

  // The third asks for the robot check, on the page and on the form.
  const page = await alice.get('/mon-espace');
  assert.match(page.text, /data-testid="robot-check"/, 'Mon espace shows the check now');
  r = await addPhone(alice, '06 22 22 22 22');
  assert.equal(r.status, 422);
  assert.match(r.text, /data-testid="robot-check"/);
  assert.equal(smsCount(), 2, 'no SMS without the check');
  r = await addPhone(alice, '06 22 22 22 22', { robot: true });
  assert.equal(r.status, 303);
  r = await addPhone(alice, '06 33 33 33 33', { robot: true });
  assert.equal(r.status, 303);
  assert.equal(smsCount(), 4);

  // Per account: 4 a day, whatever the numbers.
  r = await addPhone(alice, '06 44 44 44 44', { robot: true });
  assert.equal(r.status, 429);
  assert.ok(decodeEntities(r.text).includes(message('problem_sms_capped')));
  assert.equal(smsCount(), 4);

  // Per number: 2 a day, whoever asks (alice's first number had one).
  r = await addPhone(bruno, '06 11 11 11 11');
  assert.equal(r.status, 303);
  r = await addPhone(bruno, '06 11 11 11 11', { robot: true });
  assert.equal(r.status, 429, 'the number had its two codes today');
  assert.equal(smsCount(), 5);

  // The service: 5 a day in all.
  r = await addPhone(bruno, '06 55 55 55 55', { robot: true });
  assert.equal(r.status, 429, 'the daily ceiling');
  assert.equal(smsCount(), 5);
  assert.ok(count("SELECT count(*) FROM audit_events WHERE event = 'phone.verification_capped'") >= 3, 'audited');
});

// ---------------------------------------------------------------- item 7

async function assistanceRequest(fields) {
  const c = new Client(portier.url);
  const page = await c.get('/assistance');
  assert.equal(page.status, 200);
  const offered = [...page.text.matchAll(/name="part" value="(\d+)"/g)].map((m) => m[1]);
  const body = new URLSearchParams({ csrf: csrfOf(page.text), ...fields });
  body.append('part', offered[0]);
  body.append('altcha', await robotSolution(portier.url));
  return c.request('POST', '/assistance', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString(),
  });
}

const acks = () => sql("SELECT recipient FROM outbox WHERE kind = 'assistance.acknowledgement'");

// Every message of `kind` the file mailer wrote, parsed.
async function mailsOf(kind) {
  const dir = join(portier.dataDir, 'outbox');
  let files = [];
  try { files = readdirSync(dir).filter((f) => f.endsWith(`-${kind}.eml`)); } catch { return []; }
  return Promise.all(files.map((f) => simpleParser(readFileSync(join(dir, f)))));
}

test('assistance: nothing typed is mailed, and only to the address typed', async () => {
  const typed = {
    name: 'Service client http://evil.example',
    phone: '06 99 99 99 99',
    message: 'Votre compte sera fermé : appelez le 08 99 12 34 56',
  };
  // A member's identifier: the request reaches staff, no mail to the member.
  let r = await assistanceRequest({ target: 'marie', ...typed });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.match(r.text, /data-testid="assistance-sent"/);
  assert.equal(acks(), '', 'typing an identifier makes the portal write to nobody');

  // An address typed: the acknowledgement goes there, with none of the text.
  r = await assistanceRequest({ target: 'rita@example.org', ...typed });
  assert.equal(r.status, 200);
  assert.equal(acks(), 'rita@example.org', 'one acknowledgement, to the address typed');
  await waitFor(async () => (await mailsOf('assistance.acknowledgement')).length === 1, { what: 'the mail' });
  const [mail] = await mailsOf('assistance.acknowledgement');
  assert.equal(mail.to.value[0].address, 'rita@example.org');
  const all = `${mail.subject}\n${mail.text}\n${mail.html}`;
  assert.match(all, /demande/, 'the acknowledgement itself');
  for (const bit of ['evil', 'Service client', 'fermé', '08 99', '99 99 99', '+33699'])
    assert.ok(!all.includes(bit), `"${bit}" is not in the mail`);
  // The team's notices (one per request) carry none of it either: a link to the console.
  await waitFor(async () => (await mailsOf('assistance.team_notice')).length === 2, { what: 'the team notices' });
  for (const notice of await mailsOf('assistance.team_notice')) {
    const text = `${notice.subject}\n${notice.text}\n${notice.html}`;
    assert.match(text, /\/support\/demandes\/demande\?id=\d+/);
    for (const bit of ['evil', 'Service client', 'fermé', '08 99', '99 99 99', '+33699', 'rita@'])
      assert.ok(!text.includes(bit), `"${bit}" is not in the team's mail`);
  }
});

test('suspension notices: two suspensions of one account the same day, one mail', async () => {
  // Marie's own browser, known to the account by its device cookie.
  const own = await signedIn('marie');
  const device = new ClientAt(portier.url);
  device.cookies.set('portier_device', own.cookies.get('portier_device'));
  const notices = () => count("SELECT count(*) FROM outbox WHERE kind = 'sign_in.suspended'"
    + " AND recipient = 'marie@example.org'");

  const stranger = new ClientAt(portier.url);
  for (let i = 0; i < 2; i++) assert.equal((await stranger.signIn('marie', `faux-${i}-mot-de-passe`)).status, 401);
  assert.equal((await stranger.signIn('marie', 'faux-3-mot-de-passe')).status, 429, 'unknown browsers suspended');
  assert.equal(notices(), 1, 'the member is told');

  for (let i = 0; i < 2; i++) assert.equal((await device.signIn('marie', `oubli-${i}-mot-de-passe`)).status, 401);
  assert.equal((await device.signIn('marie', 'oubli-3-mot-de-passe')).status, 429, 'her own browser suspended too');
  const target = sql("SELECT id FROM accounts WHERE identifier = 'marie'");
  assert.equal(count(`SELECT count(*) FROM audit_events WHERE event = 'sign_in.suspended' AND target_id = ${target}`
    + " AND detail NOT LIKE '%refused%'"), 2, 'two suspensions engaged');
  assert.equal(notices(), 1, 'still one notice today');
});

// ---------------------------------------------------------------- item 9

async function recoveryRequest(identifier, address) {
  const c = new ClientAt(portier.url, address);
  const csrf = await c.csrf('/mot-de-passe-oublie');
  const r = await c.request('POST', '/mot-de-passe-oublie',
    { form: { csrf, target: identifier, altcha: await robotSolution(portier.url) } });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  return { c, code: await codeMailed('recovery.password', `${identifier}@example.org`) };
}

const WRONG = ['2222-3333-4444-5555', '6666-7777-8888-9999', 'AAAA-BBBB-CCCC-DDDD', 'EEEE-FFFF-GGGG-HHHH',
  'JJJJ-KKKK-MMMM-NNNN', 'PPPP-QQQQ-RRRR-SSSS', 'TTTT-UUUU-VVVV-WWWW', 'XXXX-YYYY-ZZZZ-2345',
  '3456-789A-BCDE-FGHJ', 'KMNP-QRST-UVWX-YZ23'];

test('recovery codes: wrong tries from many addresses exhaust the request; the right code is then refused; audited', async () => {
  const { c, code } = await recoveryRequest('rene', '127.0.0.20');
  for (let i = 0; i < 5; i++) {
    const from = c.from(`127.0.0.${21 + i}`);
    const r = await from.submit('/mot-de-passe-oublie/code', '/mot-de-passe-oublie/code', { code: WRONG[i] });
    assert.equal(r.status, 422, `try ${i + 1}`);
  }
  // The page no longer offers the form; a POST with the right code is refused all the same.
  const csrf = await c.csrf('/mot-de-passe-oublie');
  const late = await c.from('127.0.0.30').request('POST', '/mot-de-passe-oublie/code', { form: { csrf, code } });
  assert.equal(late.status, 422, 'the right code, once the request is spent');
  assert.ok(decodeEntities(late.text).includes(message('problem_code_locked')));
  assert.ok(!/name="new_password"/.test(late.text), 'no password form');
  const target = sql("SELECT id FROM accounts WHERE identifier = 'rene'");
  assert.equal(count(`SELECT count(*) FROM audit_events WHERE event = 'recovery.code_rejected' AND target_id = ${target}`), 6);
});

test('recovery codes: parallel wrong tries never pass the maximum', async () => {
  const { result: { c }, added: [flow] } = await rowsAddedBy(portier,
    "SELECT id_hash FROM flows WHERE kind = 'recovery'", () => recoveryRequest('rene', '127.0.0.40'));
  assert.ok(flow, 'the request started a recovery flow');
  const flowBefore = count("SELECT count(*) FROM flows WHERE kind = 'recovery'");
  const csrf = await c.csrf('/mot-de-passe-oublie/code');
  const results = await Promise.all(WRONG.map((code, i) => c.from(`127.0.0.${41 + i}`)
    .request('POST', '/mot-de-passe-oublie/code', { form: { csrf, code } })));
  assert.ok(results.every((r) => r.status === 422));
  assert.equal(count(`SELECT attempts FROM flows WHERE id_hash = '${flow}'`), 5,
    'exactly 5 tries were counted');
  assert.equal(count("SELECT count(*) FROM flows WHERE kind = 'recovery'"), flowBefore);
  const checked = count("SELECT count(*) FROM audit_events WHERE event = 'recovery.code_rejected'"
    + " AND detail LIKE 'attempt %' AND ip BETWEEN '127.0.0.41' AND '127.0.0.50'");
  assert.equal(checked, 5, 'exactly 5 codes were checked, the others refused unchecked');
});

test('recovery codes posted to the new-password form count against the address', async () => {
  const c = new ClientAt(portier.url, '127.0.0.60');
  const csrf = await c.csrf('/mot-de-passe-oublie');
  for (let i = 0; i < 8; i++) {
    const r = await c.request('POST', '/mot-de-passe-oublie/nouveau',
      { form: { csrf, type: 'code', secret: WRONG[i], new_password: PASSWORD, confirm_password: PASSWORD } });
    assert.equal(r.status, 404, `try ${i + 1}: unknown code`);
  }
  const r = await c.request('POST', '/mot-de-passe-oublie/nouveau',
    { form: { csrf, type: 'code', secret: WRONG[8], new_password: PASSWORD, confirm_password: PASSWORD } });
  assert.equal(r.status, 429, 'the address used its tries');
  assert.ok(count("SELECT count(*) FROM audit_events WHERE event = 'recovery.code_rejected' AND ip = '127.0.0.60'") >= 8);
});

async function invite(identifier) {
  const r = await portier.cliAsync(['user', 'add', '--identifier', identifier, '--email', `${identifier}@example.org`]);
  assert.equal(r.status, 0, r.stderr);
  return codeMailed('account.invitation', `${identifier}@example.org`);
}

test('invitation codes: wrong tries from many addresses exhaust the request; the right code is then refused; audited', async () => {
  const code = await invite('ines');
  const c = new ClientAt(portier.url, '127.0.0.70');
  for (let i = 0; i < 5; i++) {
    const r = await c.from(`127.0.0.${71 + i}`).submit('/premiere-connexion/code', '/premiere-connexion/code', { code: WRONG[i] });
    if (i === 0) assert.ok(c.cookies.has('portier_invitation'), 'the first code opens the browser\'s code entry');
    assert.equal(r.status, 422, `try ${i + 1}`);
  }
  const late = await c.from('127.0.0.80').submit('/premiere-connexion/code', '/premiere-connexion/code', { code });
  assert.equal(late.status, 422, 'the right code, once the request is spent');
  assert.ok(!/name="new_password"/.test(late.text), 'no password form');
  assert.equal(count("SELECT count(*) FROM audit_events WHERE event = 'activation.code_rejected'"
    + " AND ip BETWEEN '127.0.0.70' AND '127.0.0.80'"), 6);
  // A browser that never tried gets the password form with the same code.
  const fresh = await new ClientAt(portier.url, '127.0.0.81').submit('/premiere-connexion/code', '/premiere-connexion/code', { code });
  assert.equal(fresh.status, 200);
  assert.match(fresh.text, /name="new_password"/);
});

test('invitation codes: parallel wrong tries never pass the maximum', async () => {
  const c = new ClientAt(portier.url, '127.0.0.90');
  const { result: r, added: [flow] } = await rowsAddedBy(portier, "SELECT id_hash FROM flows WHERE kind = 'activation'",
    () => c.submit('/premiere-connexion/code', '/premiere-connexion/code', { code: WRONG[0] }));
  assert.equal(r.status, 422);
  assert.ok(flow, 'the first code started an activation flow');
  assert.ok(c.cookies.has('portier_invitation'), 'the code entry is the browser\'s');
  const csrf = await c.csrf('/premiere-connexion/code');
  const results = await Promise.all(WRONG.map((code, i) => c.from(`127.0.0.${100 + i}`)
    .request('POST', '/premiere-connexion/code', { form: { csrf, code } })));
  assert.ok(results.every((x) => x.status === 422));
  assert.equal(count(`SELECT attempts FROM flows WHERE id_hash = '${flow}'`), 5,
    'exactly 5 tries were counted');
});
