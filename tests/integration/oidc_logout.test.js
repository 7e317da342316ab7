// OpenID Connect logout: back-channel logout tokens delivered to a stub of
// an application on loopback (checked with npm jose against the JWKS), with
// retries; RP-initiated logout at /logout (confirmation page, registered
// post_logout_redirect_uri and state, refusals as pages).
//
// Until the authorization endpoint exists, "this session signed into the
// application" is written straight into oidc_session_clients (what
// LogoutService::record_use does when a code is issued), and no test holds
// a real ID token: the hint cases here are forgeries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import * as jose from 'jose';
import { Portier, Client } from '../support/portier.js';
import { waitFor, hasMessage, inputValue, testids } from './helpers.js';

const PASSWORD = 'Chardon-Estuaire-Lampion-58';
const EVENT = 'http://schemas.openid.net/event/backchannel-logout';
let portier;
let stub;
let agenda;    // a client with a back-channel URI and a post-logout redirect
let flaky;     // a client whose back-channel endpoint fails twice first

// The application's back-channel endpoint: records every POST; `failFirst`
// requests to a path answer 503 before it accepts.
function startStub() {
  const received = [];
  const failures = new Map();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      received.push({ path: req.url, type: req.headers['content-type'], body, at: Date.now() });
      const left = failures.get(req.url) ?? 0;
      if (left > 0) {
        failures.set(req.url, left - 1);
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { 'cache-control': 'no-store' }).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    server, received, failures, base: `http://127.0.0.1:${server.address().port}`,
  })));
}

function addClient(name, args) {
  const r = portier.cli(['client', 'add', '--name', name, '--redirect-uri', 'https://app.example.org/cb', ...args]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.match(/^client_id: ([A-Za-z0-9_-]+)$/m)[1];
}

before(async () => {
  stub = await startStub();
  portier = new Portier({ toml: ['[oidc]', 'enabled = true', 'backchannel_retry_delays = [1, 1, 1]'] });
  for (const who of ['lea', 'marc', 'nina', 'oscar', 'paul', 'quentin'])
    portier.addUser({ identifier: who, email: `${who}@example.org`, password: PASSWORD, name: who });
  await portier.start();
  agenda = addClient('Agenda partagé', ['--backchannel-logout-uri', `${stub.base}/agenda/bc`,
    '--post-logout-redirect-uri', 'https://agenda.example.org/au-revoir']);
  flaky = addClient('Dossier', ['--backchannel-logout-uri', `${stub.base}/flaky/bc`]);
});

after(async () => {
  await portier?.cleanup();
  stub?.server.close();
});

async function signedIn(identifier) {
  const c = new Client(portier.url);
  assert.equal((await c.signIn(identifier, PASSWORD)).status, 303, `${identifier} signs in`);
  return c;
}
const stillIn = async (c) => (await c.get('/mon-espace')).status === 200;

// The newest session of `identifier` signed into `clientId`, as the
// authorization endpoint records it when it issues a code. Returns its sid.
function usedBy(identifier, clientId) {
  const [sid, account] = portier.sql(`SELECT sid, account_id FROM sessions WHERE account_id =
    (SELECT id FROM accounts WHERE identifier = '${identifier}') ORDER BY created_at DESC LIMIT 1`).split('|');
  const now = Portier.now();
  portier.sql(`INSERT INTO oidc_session_clients (sid, account_id, client_id, first_used_at, last_used_at)
    VALUES ('${sid}', ${account}, '${clientId}', ${now}, ${now})`);
  return { sid, account };
}

const tokensTo = (path) => stub.received.filter((r) => r.path === path);

async function verify(body) {
  const params = new URLSearchParams(body);
  const token = params.get('logout_token');
  assert.ok(token, body);
  const jwks = jose.createRemoteJWKSet(new URL(`${portier.url}/.well-known/jwks.json`));
  return jose.jwtVerify(token, jwks, { issuer: 'http://localhost:8080', typ: 'logout+jwt' });
}

test('signing out sends the application a logout token signed by a published key', async () => {
  const c = await signedIn('lea');
  const { sid, account } = usedBy('lea', agenda);
  const before = tokensTo('/agenda/bc').length;
  const page = await c.get('/mon-espace');
  const out = await c.request('POST', '/deconnexion', { form: { csrf: inputValue(page.text, 'csrf') } });
  assert.equal(out.status, 303);
  await waitFor(() => tokensTo('/agenda/bc').length > before, { what: 'a back-channel logout' });
  const got = tokensTo('/agenda/bc').at(-1);
  assert.equal(got.type, 'application/x-www-form-urlencoded');
  const { payload, protectedHeader } = await verify(got.body);
  assert.equal(protectedHeader.typ, 'logout+jwt');
  assert.equal(protectedHeader.alg, 'RS256');
  assert.equal(payload.aud, agenda);
  assert.equal(payload.sid, sid);
  assert.match(payload.sub, /^\S{32}$/, 'the public sub of ID tokens (oidc/subject.h), not the account id');
  assert.notEqual(payload.sub, account);
  assert.deepEqual(payload.events, { [EVENT]: {} });
  assert.equal(payload.nonce, undefined);
  assert.ok(payload.jti && payload.iat && payload.exp > payload.iat);
  await waitFor(() => portier.sql("SELECT detail FROM audit_events WHERE event = 'oidc.backchannel_sent'")
    .includes(`client ${agenda}`), { what: 'the audit event' });
});

test('ending the other sessions in Mon espace signs them out of their applications', async () => {
  const other = await signedIn('marc');
  const { sid } = usedBy('marc', agenda);
  const here = await signedIn('marc');
  const page = await here.get('/mon-espace');
  const r = await here.request('POST', '/mon-espace/sessions',
    { form: { csrf: inputValue(page.text, 'csrf'), session: 'others', confirm: '1', current_password: PASSWORD } });
  assert.equal(r.status, 303, r.text);
  assert.equal(await stillIn(other), false);
  await waitFor(async () => {
    for (const t of tokensTo('/agenda/bc')) if ((await verify(t.body)).payload.sid === sid) return true;
    return false;
  }, { what: 'the logout token of the ended session' });
});

test('ending sessions on the command line reaches the applications through the running server', async () => {
  const c = await signedIn('quentin');
  const { sid } = usedBy('quentin', agenda);
  const r = portier.cli(['user', 'end-sessions', 'quentin']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(await stillIn(c), false);
  // Queued by the command, delivered by the server's worker at its next poll (5 s).
  await waitFor(async () => {
    for (const t of tokensTo('/agenda/bc')) if ((await verify(t.body)).payload.sid === sid) return true;
    return false;
  }, { ms: 8000, what: 'the logout token of the session the command ended' });
});

test('a delivery that fails twice is delivered on the third attempt', async () => {
  stub.failures.set('/flaky/bc', 2);
  const c = await signedIn('nina');
  usedBy('nina', flaky);
  const page = await c.get('/mon-espace');
  await c.request('POST', '/deconnexion', { form: { csrf: inputValue(page.text, 'csrf') } });
  await waitFor(() => stub.failures.get('/flaky/bc') === 0 && tokensTo('/flaky/bc').length === 3,
    { ms: 8000, what: 'three attempts, a second apart' });
  const row = () => portier.sql(`SELECT status, attempts FROM oidc_backchannel_queue WHERE client_id = '${flaky}'`);
  await waitFor(() => row() === 'sent|3', { what: 'the delivery recorded as sent' });
  const attempts = tokensTo('/flaky/bc');
  assert.ok(attempts[1].at - attempts[0].at >= 900, 'retried after the configured delay, not at once');
});

test('RP-initiated logout without a hint asks first; No keeps the member signed in', async () => {
  const c = await signedIn('oscar');
  const ask = await c.get(`/logout?client_id=${agenda}&post_logout_redirect_uri=${encodeURIComponent(
    'https://agenda.example.org/au-revoir')}&state=xyz`);
  assert.equal(ask.status, 200);
  assert.equal(testids(ask.text, 'logout-yes'), 1);
  assert.match(ask.text, /Agenda partagé/, 'the application is named');
  const no = await c.request('POST', '/logout/confirmation', { form: {
    csrf: inputValue(ask.text, 'csrf'), client_id: agenda, choice: 'no' } });
  assert.equal(no.status, 303);
  assert.equal(await stillIn(c), true);
});

test('Yes signs out, tells the other applications, and returns to the registered address with the state', async () => {
  const c = await signedIn('paul');
  const { sid } = usedBy('paul', agenda);
  const ask = await c.get(`/logout?client_id=${agenda}&post_logout_redirect_uri=${encodeURIComponent(
    'https://agenda.example.org/au-revoir')}&state=xyz`);
  assert.equal(inputValue(ask.text, 'state'), 'xyz');
  const yes = await c.request('POST', '/logout/confirmation', { form: {
    csrf: inputValue(ask.text, 'csrf'), client_id: agenda, choice: 'yes',
    post_logout_redirect_uri: 'https://agenda.example.org/au-revoir', state: 'xyz' } });
  assert.equal(yes.status, 303);
  assert.equal(yes.headers.get('location'), 'https://agenda.example.org/au-revoir?state=xyz');
  assert.equal(await stillIn(c), false);
  await waitFor(async () => {
    for (const t of tokensTo('/agenda/bc')) if ((await verify(t.body)).payload.sid === sid) return true;
    return false;
  }, { what: 'the back-channel logout of the confirmed sign-out' });
  assert.match(portier.sql("SELECT detail FROM audit_events WHERE event = 'oidc.logout'"), new RegExp(agenda));
});

test('an unregistered post_logout_redirect_uri is refused with a page, never followed', async () => {
  const c = new Client(portier.url);
  for (const q of [`client_id=${agenda}&post_logout_redirect_uri=${encodeURIComponent('https://evil.example.net/')}`,
    `post_logout_redirect_uri=${encodeURIComponent('https://agenda.example.org/au-revoir')}`,
    `client_id=nobody&post_logout_redirect_uri=${encodeURIComponent('https://agenda.example.org/au-revoir')}`]) {
    const r = await c.get(`/logout?${q}`);
    assert.equal(r.status, 400, q);
    assert.equal(r.headers.get('location'), null);
  }
  const r = await c.get(`/logout?client_id=${agenda}&post_logout_redirect_uri=${encodeURIComponent('https://evil.example.net/')}`);
  assert.ok(hasMessage(r.text, 'oidc_logout_error_redirect'));
  const en = await c.get(`/logout?ui_locales=en-GB&client_id=${agenda}&post_logout_redirect_uri=x`);
  assert.ok(hasMessage(en.text, 'oidc_logout_error_redirect', 'en'), 'ui_locales chooses the language');
});

test('a forged id_token_hint is refused and signs nobody out', async () => {
  const c = await signedIn('lea');
  const { privateKey } = await jose.generateKeyPair('RS256');
  const forged = await new jose.SignJWT({ sid: 'x', sub: '1' }).setProtectedHeader({ alg: 'RS256', kid: 'forged' })
    .setIssuer('http://localhost:8080').setAudience(agenda).setIssuedAt().setExpirationTime('5m').sign(privateKey);
  for (const method of ['GET', 'POST']) {
    const r = method === 'GET'
      ? await c.get(`/logout?id_token_hint=${forged}`)
      : await c.request('POST', '/logout', { form: { id_token_hint: forged }, headers: { origin: 'https://agenda.example.org' } });
    assert.equal(r.status, 400, method);
    assert.ok(hasMessage(r.text, 'oidc_logout_error_hint'));
  }
  assert.equal(await stillIn(c), true);
});

test('Yes without a return address ends on the signed-out page, in the signed-out layout', async () => {
  const c = await signedIn('marc');
  const ask = await c.get('/logout?ui_locales=en');
  assert.equal(testids(ask.text, 'logout-yes'), 1);
  assert.ok(hasMessage(ask.text, 'oidc_logout_confirm_effect', 'en'));
  const yes = await c.request('POST', '/logout/confirmation', { form: { csrf: inputValue(ask.text, 'csrf'), choice: 'yes' } });
  assert.equal(yes.status, 303);
  const done = await c.get(yes.headers.get('location'));
  assert.equal(testids(done.text, 'logout-done'), 1);
  assert.equal(testids(done.text, 'sign-out'), 0, 'no "sign out" button: nobody is signed in');
  assert.equal(await stillIn(c), false);
});

test('not signed in: the signed-out page, or straight back to the application', async () => {
  const c = new Client(portier.url);
  const page = await c.get('/logout');
  assert.equal(page.status, 200);
  assert.equal(testids(page.text, 'logout-done'), 1);
  const back = await c.get(`/logout?client_id=${agenda}&state=a%20b&post_logout_redirect_uri=${encodeURIComponent(
    'https://agenda.example.org/au-revoir')}`);
  assert.equal(back.status, 303);
  assert.equal(back.headers.get('location'), 'https://agenda.example.org/au-revoir?state=a%20b');
  const metrics = await c.get('/metrics');
  assert.match(metrics.text, /portier_oidc_logouts_total\{kind="refused"\} \d+/);
  assert.match(metrics.text, /portier_oidc_backchannel_logouts_total\{outcome="sent"\} \d+/);
});
