// portier as an OpenID Connect provider, case by case after the OpenID
// Foundation's Basic OP and Config OP test plans, with npm openid-client as
// the relying party (signature checks on: tests/support/rp.js) and raw HTTP
// for what a library would refuse to send. One server for the file; each
// test signs in with its own cookie jar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier } from '../support/portier.js';
import { Browser } from '../support/browser.js';
import { Rp } from '../support/rp.js';
import { freePort } from '../support/nginx.js';

const PASSWORD = 'ruisseau-lanterne-hiver-42';
const REDIRECT = 'http://127.0.0.1:9/cb';          // never served: the test stops at it
const REDIRECT_B = 'http://127.0.0.1:9/other-cb';
let portier;
let web;        // confidential, trusted, client_secret_basic
let post;       // confidential, trusted, client_secret_post
let asking;     // confidential, not trusted: consent page
let spa;        // public, PKCE
let issuer;

function addClient(args) {
  const r = portier.cli(['client', 'add', ...args]);
  assert.equal(r.status, 0, r.stderr || r.stdout);
  return { id: r.stdout.match(/^client_id: (\S+)$/m)[1], secret: r.stdout.match(/^client_secret: (\S+)$/m)?.[1] };
}

before(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  portier = new Portier({
    env: { PORTIER_LISTEN: `127.0.0.1:${port}`, PORTIER_PUBLIC_URL: issuer },
    toml: ['[oidc]', 'enabled = true'],
  });
  portier.addUser({ identifier: 'anna', email: 'anna@example.org', password: PASSWORD, name: 'Anna Martin', phone: '+33612345678' });
  portier.addUser({ identifier: 'bruno', email: 'bruno@example.org', password: PASSWORD, name: 'Bruno Petit' });
  web = addClient(['--name', 'Agenda', '--redirect-uri', REDIRECT, '--trusted', '--scope', 'openid', '--scope', 'profile',
    '--scope', 'email', '--scope', 'phone', '--scope', 'offline_access']);
  post = addClient(['--name', 'Dossier', '--redirect-uri', REDIRECT_B, '--trusted', '--auth-method', 'client_secret_post']);
  asking = addClient(['--name', 'Formation', '--redirect-uri', REDIRECT, '--scope', 'openid', '--scope', 'email']);
  spa = addClient(['--name', 'Mobile', '--redirect-uri', REDIRECT, '--public', '--trusted']);
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
});

const rpFor = (c, { auth, redirectUri = REDIRECT } = {}) =>
  Rp.discover({ issuer, clientId: c.id, clientSecret: c.secret, redirectUri, auth });

// Fills the sign-in form when the provider shows it.
function signInAs(identifier) {
  return async (page, browser, stop) => {
    assert.equal(new URL(page.url).pathname, '/connexion', `${page.status} ${page.url}\n${page.text.slice(0, 300)}`);
    return browser.submitForm(page, { identifier, password: PASSWORD }, { action: '/connexion', stop });
  };
}

async function signedInBrowser(rp, identifier = 'anna', params = {}) {
  const browser = new Browser();
  const result = await rp.signIn(browser, { authenticate: signInAs(identifier), ...params });
  return { browser, result };
}

// The authorization answer at the redirect URI, not followed.
async function authorize(browser, url) {
  const r = await browser.follow(url, { stop: (u) => u.origin === new URL(REDIRECT).origin });
  return r;
}

const later = (seconds) => new Promise((r) => setTimeout(r, seconds * 1000 + 50));

test('discovery (Config OP): issuer, endpoints and what is supported', async () => {
  const r = await fetch(`${issuer}/.well-known/openid-configuration`);
  assert.equal(r.status, 200);
  const d = await r.json();
  assert.equal(d.issuer, issuer);
  assert.equal(d.authorization_endpoint, `${issuer}/authorize`);
  assert.equal(d.jwks_uri, `${issuer}/.well-known/jwks.json`);
  assert.deepEqual(d.response_types_supported, ['code']);
  assert.ok(d.code_challenge_methods_supported.includes('S256') && !d.code_challenge_methods_supported.includes('plain'));
  assert.ok(d.id_token_signing_alg_values_supported.includes('RS256'));
  assert.ok(!d.id_token_signing_alg_values_supported.includes('none'));
  assert.equal(d.authorization_response_iss_parameter_supported, true);
  assert.equal(d.request_parameter_supported, false);
  const jwks = await (await fetch(d.jwks_uri)).json();
  assert.ok(jwks.keys.length >= 1 && jwks.keys.every((k) => k.kid && !k.d));
});

test('happy path: code flow with PKCE, every ID token check of the plans, signature by kid', async () => {
  const rp = await rpFor(web);
  const before = Math.floor(Date.now() / 1000);
  const { result } = await signedInBrowser(rp, 'anna', { scope: 'openid' });
  const id = result.idToken;
  assert.equal(id.iss, issuer);
  assert.equal(id.aud, web.id);
  assert.ok(id.exp > id.iat && id.iat >= before - 1);
  assert.ok(id.auth_time >= before - 1 && id.auth_time <= id.iat);
  assert.equal(id.nonce, result.nonce);
  assert.ok(typeof id.acr === 'string' && id.acr.length > 0);
  assert.deepEqual(id.amr, ['pwd']);
  assert.ok(id.sid);
  assert.ok(/^[A-Za-z0-9_-]+$/.test(id.sub) && id.sub !== 'anna');
  // The answer carried iss (RFC 9207) and the state.
  const cb = new URL(result.callbackUrl);
  assert.equal(cb.searchParams.get('iss'), issuer);
  assert.equal(cb.searchParams.get('state'), result.state);
  // Signed by the key its kid names, checked again with jose.
  const { protectedHeader } = await rp.verifyJwt(result.tokens.id_token);
  assert.equal(protectedHeader.alg, 'RS256');
  assert.ok(protectedHeader.kid);
});

test('userinfo by GET, POST with the header and POST in the body; claims by scope', async () => {
  const rp = await rpFor(web);
  const { result } = await signedInBrowser(rp, 'anna', { scope: 'openid profile email phone' });
  const at = result.tokens.access_token;
  const info = await rp.userinfo(at, result.idToken.sub);
  assert.equal(info.sub, result.idToken.sub);
  assert.equal(info.email, 'anna@example.org');
  assert.equal(info.email_verified, true);
  assert.equal(info.name, 'Anna Martin');
  assert.equal(info.phone_number, '+33612345678');
  const viaPost = await fetch(`${issuer}/userinfo`, { method: 'POST', headers: { authorization: `Bearer ${at}` } });
  assert.equal(viaPost.status, 200);
  assert.equal((await viaPost.json()).sub, info.sub);
  const inBody = await fetch(`${issuer}/userinfo`, { method: 'POST', body: new URLSearchParams({ access_token: at }) });
  assert.equal(inBody.status, 200);
  assert.equal((await inBody.json()).email, 'anna@example.org');
  const bad = await fetch(`${issuer}/userinfo`, { headers: { authorization: 'Bearer nope' } });
  assert.equal(bad.status, 401);
  assert.match(bad.headers.get('www-authenticate'), /Bearer/);
});

test('scope openid alone: userinfo says only who', async () => {
  const rp = await rpFor(web);
  const { result } = await signedInBrowser(rp, 'anna', { scope: 'openid' });
  const info = await rp.userinfo(result.tokens.access_token, result.idToken.sub);
  assert.equal(info.email, undefined);
  assert.equal(info.name, undefined);
});

test('no nonce in the code flow is accepted, and the ID token then has none', async () => {
  const rp = await rpFor(web);
  const browser = new Browser();
  const req = await rp.authorizationRequest();
  req.url.searchParams.delete('nonce');
  let page = await authorize(browser, req.url.href);
  page = await signInAs('anna')(page, browser, rp.atRedirectUri());
  const tokens = await rp.callback(page.location, { ...req, nonce: undefined });
  assert.equal(tokens.claims().nonce, undefined);
});

test('single sign-on: a second client gets a code without a sign-in page; parameter order and unknown parameters do not matter', async () => {
  const rp = await rpFor(web);
  const { browser, result } = await signedInBrowser(rp);
  const rpB = await rpFor(post, { auth: 'client_secret_post', redirectUri: REDIRECT_B });
  const req = await rpB.authorizationRequest({ extra_unknown: 'ignored' });
  const shuffled = new URL(req.url.origin + req.url.pathname);
  [...req.url.searchParams.entries()].reverse().forEach(([k, v]) => shuffled.searchParams.append(k, v));
  const answer = await authorize(browser, shuffled.href);
  assert.ok(answer.location?.startsWith(REDIRECT_B), `${answer.status} ${answer.url}`);
  assert.ok(!answer.hops.some((u) => new URL(u).pathname === '/connexion'));
  const tokens = await rpB.callback(answer.location, req);   // client_secret_post at the token endpoint
  assert.equal(tokens.claims().sub, result.idToken.sub);
  assert.equal(tokens.claims().sid, result.idToken.sid);
});

test('prompt=none: a code when signed in, login_required when not', async () => {
  const rp = await rpFor(web);
  const { browser } = await signedInBrowser(rp);
  const req = await rp.authorizationRequest({ prompt: 'none' });
  const ok = await authorize(browser, req.url.href);
  await rp.callback(ok.location, req);
  const stranger = new Browser();
  const req2 = await rp.authorizationRequest({ prompt: 'none' });
  const refused = await authorize(stranger, req2.url.href);
  const u = new URL(refused.location);
  assert.equal(u.searchParams.get('error'), 'login_required');
  assert.equal(u.searchParams.get('state'), req2.state);
  assert.equal(u.searchParams.get('iss'), issuer);
});

test('prompt=login asks again and gives a later auth_time; max_age=10000 does not, max_age=1 does', async () => {
  const rp = await rpFor(web);
  const { browser, result } = await signedInBrowser(rp);
  await later(1);
  const again = await rp.signIn(browser, { prompt: 'login', authenticate: signInAs('anna') });
  assert.ok(again.idToken.auth_time > result.idToken.auth_time);
  const kept = await rp.signIn(browser, { max_age: '10000' });   // no authenticate: a sign-in page would throw
  assert.equal(kept.idToken.auth_time, again.idToken.auth_time);
  await later(1);
  const fresh = await rp.signIn(browser, { max_age: '1', authenticate: signInAs('anna') });
  assert.ok(fresh.idToken.auth_time > again.idToken.auth_time);
});

test('id_token_hint of the signed-in member with prompt=none gives a code; login_hint fills the identifier', async () => {
  const rp = await rpFor(web);
  const { browser, result } = await signedInBrowser(rp);
  const hinted = await rp.signIn(browser, { prompt: 'none', id_token_hint: result.tokens.id_token });
  assert.equal(hinted.idToken.sub, result.idToken.sub);
  const req = await rp.authorizationRequest({ login_hint: 'bruno' });
  const page = await authorize(new Browser(), req.url.href);
  assert.match(page.text, /name="identifier"[^>]*value="bruno"|value="bruno"[^>]*name="identifier"/);
});

test('ui_locales=en shows the sign-in page in English; acr_values gives an acr', async () => {
  const rp = await rpFor(web);
  const req = await rp.authorizationRequest({ ui_locales: 'en-GB fr' });
  const page = await authorize(new Browser(), req.url.href);
  assert.match(page.text, /<html lang="en"/);
  const { result } = await signedInBrowser(rp, 'anna', { acr_values: 'urn:portier:acr:pwd' });
  assert.equal(result.idToken.acr, 'urn:portier:acr:pwd');
});

test('a code works once: reused, it is refused and what it gave is revoked', async () => {
  const rp = await rpFor(web);
  const { result } = await signedInBrowser(rp, 'anna', { scope: 'openid email' });
  const code = new URL(result.callbackUrl).searchParams.get('code');
  const reuse = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { authorization: 'Basic ' + Buffer.from(`${web.id}:${web.secret}`).toString('base64') },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: result.codeVerifier }),
  });
  assert.equal(reuse.status, 400);
  assert.equal((await reuse.json()).error, 'invalid_grant');
  const info = await fetch(`${issuer}/userinfo`, { headers: { authorization: `Bearer ${result.tokens.access_token}` } });
  assert.equal(info.status, 401, 'the access token from the reused code is revoked');
});

test('an unregistered redirect_uri gets our error page, never a redirect; so does an unknown client', async () => {
  const rp = await rpFor(web);
  const req = await rp.authorizationRequest();
  req.url.searchParams.set('redirect_uri', 'https://evil.example/cb');
  const r = await new Browser().get(req.url.href);
  assert.equal(r.status, 400);
  assert.equal(r.location, null);
  assert.match(r.text, /data-testid="oidc-untrusted"/);
  req.url.searchParams.set('client_id', 'nobody');
  const r2 = await new Browser().get(req.url.href);
  assert.equal(r2.status, 400);
  assert.equal(r2.location, null);
});

test('missing response_type, request objects and plain PKCE are errors sent back to the client', async () => {
  const rp = await rpFor(web);
  const cases = [
    [(u) => u.searchParams.delete('response_type'), 'invalid_request'],
    [(u) => u.searchParams.set('request', 'eyJhbGciOiJub25lIn0.e30.'), 'request_not_supported'],
    [(u) => u.searchParams.set('code_challenge_method', 'plain'), 'invalid_request'],
    [(u) => u.searchParams.set('response_type', 'id_token'), 'unsupported_response_type'],
    [(u) => { u.searchParams.delete('code_challenge'); u.searchParams.delete('code_challenge_method'); }, 'invalid_request'],
  ];
  for (const [change, error] of cases) {
    const req = await rp.authorizationRequest();
    change(req.url);
    const r = await new Browser().get(req.url.href);
    assert.equal(r.status, 303, `${error}: ${r.status} ${r.text.slice(0, 200)}`);
    const u = new URL(r.location);
    assert.equal(u.searchParams.get('error'), error);
    assert.equal(u.searchParams.get('state'), req.state);
  }
});

test('POST to the authorization endpoint works like GET', async () => {
  const rp = await rpFor(web);
  const { browser } = await signedInBrowser(rp);
  const req = await rp.authorizationRequest();
  const body = Object.fromEntries(req.url.searchParams);
  const r = await browser.request('POST', `${issuer}/authorize`, { body, headers: { origin: 'http://127.0.0.1:9' } });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const tokens = await rp.callback(r.location, req);
  assert.ok(tokens.claims().sub);
});

test('response_mode=form_post answers with a form posting the code to the application', async () => {
  const rp = await rpFor(web);
  const { browser } = await signedInBrowser(rp);
  const req = await rp.authorizationRequest({ response_mode: 'form_post' });
  const r = await browser.get(req.url.href);
  assert.equal(r.status, 200);
  assert.match(r.text, new RegExp(`action="${REDIRECT.replace(/[/.]/g, '\\$&')}"`));
  assert.match(r.text, /name="code" value="[^"]+"/);
  assert.match(r.text, new RegExp(`name="state" value="${req.state}"`));
  assert.match(r.headers.get('content-security-policy'), /form-action http:\/\/127\.0\.0\.1:9/);
});

test('PKCE: a wrong verifier is refused', async () => {
  const rp = await rpFor(web);
  const browser = new Browser();
  const req = await rp.authorizationRequest();
  let page = await authorize(browser, req.url.href);
  page = await signInAs('anna')(page, browser, rp.atRedirectUri());
  await assert.rejects(rp.callback(page.location, { ...req, codeVerifier: 'x'.repeat(43) }), (e) => e.error === 'invalid_grant');
});

test('a public client uses PKCE and no secret', async () => {
  const rp = await rpFor(spa, { auth: 'none' });
  const { result } = await signedInBrowser(rp);
  assert.equal(result.idToken.aud, spa.id);
});

test('refresh tokens rotate and are bound to their client', async () => {
  const rp = await rpFor(web);
  const { result } = await signedInBrowser(rp, 'anna', { scope: 'openid offline_access' });
  assert.ok(result.tokens.refresh_token, 'offline_access gives a refresh token');
  const next = await rp.refresh(result.tokens.refresh_token);
  assert.ok(next.refresh_token && next.refresh_token !== result.tokens.refresh_token);
  assert.equal(next.claims().sub, result.idToken.sub);
  assert.equal(next.claims().auth_time, result.idToken.auth_time);
  const other = await rpFor(post, { auth: 'client_secret_post', redirectUri: REDIRECT_B });
  await assert.rejects(other.refresh(next.refresh_token), (e) => e.error === 'invalid_grant');
});

test('consent: an untrusted client asks once, remembers, and is listed and withdrawn in Mon espace', async () => {
  const rp = await rpFor(asking);
  const browser = new Browser();
  const req = await rp.authorizationRequest({ scope: 'openid email' });
  let page = await authorize(browser, req.url.href);
  page = await signInAs('anna')(page, browser, rp.atRedirectUri());
  assert.equal(new URL(page.url).pathname, '/autorisation/consentement');
  assert.match(page.text, /Formation/);
  assert.match(page.text, /adresse électronique/);
  page = await browser.submitForm(page, { decision: 'allow' }, { action: '/autorisation/consentement', stop: rp.atRedirectUri() });
  assert.ok(page.location, `${page.status} ${page.url} ${page.text.slice(0, 1500)}`);
  await rp.callback(page.location, req);
  // Remembered: straight back.
  const again = await rp.signIn(browser, { scope: 'openid email' });
  assert.ok(again.idToken.sub);
  // Mon espace lists it; withdrawing it asks again next time.
  let espace = await browser.get(`${issuer}/mon-espace`);
  assert.match(espace.text, /data-testid="application-row"[\s\S]*Formation/);
  espace = await browser.submitForm(espace, { client_id: asking.id }, { action: '/mon-espace/applications/retirer' });
  assert.match(espace.text, /data-testid="notice"/);
  const req3 = await rp.authorizationRequest({ scope: 'openid email' });
  const asked = await authorize(browser, req3.url.href);
  assert.equal(new URL(asked.url).pathname, '/autorisation/consentement');
  // Refusing sends access_denied back.
  const denied = await browser.submitForm(asked, { decision: 'deny' }, { action: '/autorisation/consentement', stop: rp.atRedirectUri() });
  assert.equal(new URL(denied.location).searchParams.get('error'), 'access_denied');
});

test('prompt=none for a client never allowed answers consent_required', async () => {
  const rp = await rpFor(asking);
  const { browser } = await signedInBrowser(await rpFor(web), 'bruno');
  const req = await rp.authorizationRequest({ prompt: 'none', scope: 'openid email' });
  const r = await authorize(browser, req.url.href);
  assert.equal(new URL(r.location).searchParams.get('error'), 'consent_required');
});
