// The token side of the OpenID Connect provider over HTTP: discovery field
// by field, the token endpoint's refusals (RFC 6749 5.2), client
// authentication (client_secret_basic, client_secret_post,
// private_key_jwt with its replay cache), client_credentials with opaque
// and JWT (RFC 9068) access tokens, introspection (RFC 7662), revocation
// (RFC 7009) and UserInfo's Bearer refusals. npm openid-client where it
// fits, raw fetch for malformed requests. The code flow's own cases come
// with the authorization endpoint (tests/integration/oidc_conformance*).
//
// The cases that need a registered client skip, saying why, while
// `portier client add` is not in this build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as client from 'openid-client';
import * as jose from 'jose';
import { Portier } from '../support/portier.js';
import { freePort } from '../support/nginx.js';

let portier;
let issuer;
let clientCliMissing = null;
const clients = {};

function addClient(name, args) {
  const r = portier.cli(['client', 'add', '--name', name, ...args]);
  const id = r.stdout.match(/^client_id: (\S+)$/m)?.[1];
  const secret = r.stdout.match(/^client_secret: (\S+)$/m)?.[1];
  if (r.status !== 0 || !id) return { error: `portier client add: exit ${r.status}: ${(r.stderr || r.stdout).trim()}` };
  return { id, secret };
}

let signingKey;  // private_key_jwt client's ES256 key pair

before(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  portier = new Portier({
    env: { PORTIER_LISTEN: `127.0.0.1:${port}`, PORTIER_PUBLIC_URL: issuer },
    toml: ['[oidc]', 'enabled = true', 'access_token_lifetime = 300'],
  });
  const probe = portier.cli(['client', 'list']);
  if (probe.status !== 0) {
    clientCliMissing = `\`portier client\` is not in this build (${(probe.stderr || probe.stdout).trim().slice(0, 80)})`;
  } else {
    const redirect = ['--redirect-uri', 'https://app.example.org/cb'];
    const grants = ['--grant-type', 'client_credentials', '--grant-type', 'authorization_code', '--grant-type', 'refresh_token'];
    const scopes = ['--scope', 'openid', '--scope', 'email', '--scope', 'phone'];
    clients.basic = addClient('Basic app', [...redirect, ...grants, ...scopes]);
    clients.post = addClient('Post app', [...redirect, ...grants, ...scopes, '--auth-method', 'client_secret_post']);
    clients.api = addClient('JWT app', [...redirect, ...grants, ...scopes, '--access-token', 'jwt', '--audience', 'https://api.example.org']);
    clients.noCc = addClient('No cc', [...redirect]);
    const { publicKey, privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
    signingKey = { key: privateKey, kid: 'rp-key-1' };
    const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'rp-key-1', alg: 'ES256', use: 'sig' };
    const jwksFile = join(portier.dataDir, 'rp-jwks.json');
    writeFileSync(jwksFile, JSON.stringify({ keys: [jwk] }));
    clients.signer = addClient('Signer', [...redirect, ...grants, ...scopes, '--auth-method', 'private_key_jwt', '--jwks', jwksFile]);
    for (const [k, c] of Object.entries(clients)) if (c.error) throw new Error(`${k}: ${c.error}`);
  }
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
});

const needsClients = (t) => {
  if (clientCliMissing) { t.skip(clientCliMissing); return true; }
  return false;
};

async function post(path, form, headers = {}) {
  const res = await fetch(issuer + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: typeof form === 'string' ? form : new URLSearchParams(form).toString(),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, text, json };
}

const basicAuth = (id, secret) =>
  'Basic ' + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');

async function configFor(c, auth) {
  return client.discovery(new URL(issuer), c.id, {}, auth, { execute: [client.allowInsecureRequests] });
}

test('discovery announces exactly what the provider does', async () => {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  const d = await res.json();
  assert.equal(d.issuer, issuer, 'the issuer is public_url without a trailing slash');
  assert.equal(d.authorization_endpoint, `${issuer}/authorize`);
  assert.equal(d.token_endpoint, `${issuer}/token`);
  assert.equal(d.userinfo_endpoint, `${issuer}/userinfo`);
  assert.equal(d.jwks_uri, `${issuer}/.well-known/jwks.json`);
  assert.equal(d.end_session_endpoint, `${issuer}/logout`);
  assert.equal(d.introspection_endpoint, `${issuer}/introspect`);
  assert.equal(d.revocation_endpoint, `${issuer}/revoke`);
  assert.equal(d.backchannel_logout_supported, true);
  assert.equal(d.backchannel_logout_session_supported, true);
  assert.deepEqual(d.response_types_supported, ['code']);
  assert.deepEqual(d.response_modes_supported, ['query', 'form_post']);
  assert.deepEqual(d.grant_types_supported, ['authorization_code', 'refresh_token', 'client_credentials']);
  assert.deepEqual(d.subject_types_supported, ['public']);
  assert.deepEqual(d.id_token_signing_alg_values_supported, ['RS256', 'ES256', 'EdDSA']);
  assert.deepEqual(d.token_endpoint_auth_methods_supported,
    ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none']);
  assert.deepEqual(d.token_endpoint_auth_signing_alg_values_supported, ['RS256', 'ES256', 'EdDSA']);
  assert.deepEqual(d.code_challenge_methods_supported, ['S256']);
  for (const s of ['openid', 'offline_access', 'profile', 'email', 'phone', 'rpps', 'roles'])
    assert.ok(d.scopes_supported.includes(s), s);
  for (const c of ['sub', 'auth_time', 'acr', 'amr', 'sid', 'name', 'email', 'email_verified', 'phone_number', 'rpps', 'roles'])
    assert.ok(d.claims_supported.includes(c), c);
  assert.equal(d.claims_parameter_supported, true);
  assert.equal(d.request_parameter_supported, false);
  assert.equal(d.request_uri_parameter_supported, false);
  assert.equal(d.authorization_response_iss_parameter_supported, true);
  assert.deepEqual(d.acr_values_supported, ['urn:portier:acr:pwd', 'urn:portier:acr:mfa']);
  assert.deepEqual(d.ui_locales_supported, ['fr', 'en']);
  assert.deepEqual(d.prompt_values_supported, ['none', 'login', 'consent']);
});

test('openid-client accepts the discovery document as is', async () => {
  const config = await client.discovery(new URL(issuer), 'anyone', {}, client.None(),
    { execute: [client.allowInsecureRequests] });
  assert.equal(config.serverMetadata().issuer, issuer);
});

test('userinfo refuses a missing, unknown or doubly sent token with the Bearer challenge', async () => {
  const none = await fetch(`${issuer}/userinfo`);
  assert.equal(none.status, 401);
  assert.match(none.headers.get('www-authenticate'), /^Bearer /);
  const bad = await fetch(`${issuer}/userinfo`, { headers: { authorization: 'Bearer not-a-token' } });
  assert.equal(bad.status, 401);
  assert.match(bad.headers.get('www-authenticate'), /^Bearer realm="portier", error="invalid_token"$/);
  assert.equal((await bad.json()).error, 'invalid_token');
  const forged = await fetch(`${issuer}/userinfo`, {
    headers: { authorization: 'Bearer eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJqdGkiOiJ4In0.' } });
  assert.equal(forged.status, 401, 'alg none is nobody');
  const body = await post('/userinfo', { access_token: 'not-a-token' });
  assert.equal(body.status, 401);
  const twice = await post('/userinfo', { access_token: 'a' }, { authorization: 'Bearer b' });
  assert.equal(twice.status, 400);
  assert.equal(twice.json.error, 'invalid_request');
});

test('the token endpoint wants an authenticated client', async (t) => {
  if (needsClients(t)) return;  // (without a client store the endpoint is 404)
  const anonymous = await post('/token', { grant_type: 'client_credentials' });
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.json.error, 'invalid_client');
  assert.match(anonymous.headers.get('www-authenticate'), /^Basic /);
  assert.equal(anonymous.headers.get('cache-control'), 'no-store');
  const unknown = await post('/token', { grant_type: 'client_credentials' }, { authorization: basicAuth('ghost', 'x') });
  assert.equal(unknown.status, 401);
  assert.equal(unknown.json.error, 'invalid_client');
  const garbled = await post('/token', { grant_type: 'client_credentials' }, { authorization: 'Basic !!!' });
  assert.equal(garbled.status, 401);
  const getToken = await fetch(`${issuer}/token`);
  assert.equal(getToken.status, 405);
});

test('client authentication: wrong secret, wrong method, two methods at once', async (t) => {
  if (needsClients(t)) return;
  const { basic, post: poster } = clients;
  const wrong = await post('/token', { grant_type: 'client_credentials' }, { authorization: basicAuth(basic.id, 'nope') });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.json.error, 'invalid_client');
  assert.match(wrong.headers.get('www-authenticate'), /^Basic realm="portier"/);
  const inForm = await post('/token', { grant_type: 'client_credentials', client_id: basic.id, client_secret: basic.secret });
  assert.equal(inForm.status, 401, 'a client_secret_basic client may not send its secret in the form');
  const viaBasic = await post('/token', { grant_type: 'client_credentials' }, { authorization: basicAuth(poster.id, poster.secret) });
  assert.equal(viaBasic.status, 401, 'nor a client_secret_post client in the header');
  const both = await post('/token', { grant_type: 'client_credentials', client_secret: basic.secret },
    { authorization: basicAuth(basic.id, basic.secret) });
  assert.equal(both.status, 401);
  const ok = await post('/token', { grant_type: 'client_credentials', client_id: poster.id, client_secret: poster.secret });
  assert.equal(ok.status, 200, ok.text);
});

test('grant refusals per RFC 6749 5.2', async (t) => {
  if (needsClients(t)) return;
  const auth = { authorization: basicAuth(clients.basic.id, clients.basic.secret) };
  const cases = [
    [{}, 400, 'invalid_request'],
    [{ grant_type: 'password', username: 'a', password: 'b' }, 400, 'unsupported_grant_type'],
    [{ grant_type: 'implicit' }, 400, 'unsupported_grant_type'],
    [{ grant_type: 'urn:ietf:params:oauth:grant-type:device_code' }, 400, 'unsupported_grant_type'],
    [{ grant_type: 'authorization_code', redirect_uri: 'https://app.example.org/cb' }, 400, 'invalid_request'],
    [{ grant_type: 'authorization_code', code: 'forged', redirect_uri: 'https://app.example.org/cb' }, 400, 'invalid_grant'],
    [{ grant_type: 'refresh_token', refresh_token: 'forged' }, 400, 'invalid_grant'],
    [{ grant_type: 'client_credentials', scope: 'openid' }, 400, 'invalid_scope'],
    [{ grant_type: 'client_credentials', scope: 'api.admin' }, 400, 'invalid_scope'],
    [{ grant_type: 'client_credentials', scope: 'profile' }, 400, 'invalid_scope'],  // not registered
  ];
  for (const [form, status, error] of cases) {
    const r = await post('/token', form, auth);
    assert.equal(r.status, status, `${JSON.stringify(form)}: ${r.text}`);
    assert.equal(r.json.error, error, JSON.stringify(form));
  }
  const repeated = await post('/token', 'grant_type=client_credentials&grant_type=client_credentials', auth);
  assert.equal(repeated.status, 400);
  assert.equal(repeated.json.error, 'invalid_request');
  const noGrant = await post('/token', { grant_type: 'client_credentials' },
    { authorization: basicAuth(clients.noCc.id, clients.noCc.secret) });
  assert.equal(noGrant.status, 400);
  assert.equal(noGrant.json.error, 'unauthorized_client');
});

test('client_credentials: an opaque token, introspected then revoked', async (t) => {
  if (needsClients(t)) return;
  const config = await configFor(clients.basic, client.ClientSecretBasic(clients.basic.secret));
  const tokens = await client.clientCredentialsGrant(config, { scope: 'email' });
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');
  assert.equal(tokens.expires_in, 300);
  assert.equal(tokens.scope, 'email');
  assert.equal(tokens.refresh_token, undefined);
  assert.equal(tokens.id_token, undefined);
  assert.ok(tokens.access_token.length >= 43 && !tokens.access_token.includes('.'), 'opaque');

  const seen = await client.tokenIntrospection(config, tokens.access_token);
  assert.equal(seen.active, true);
  assert.equal(seen.client_id, clients.basic.id);
  assert.equal(seen.scope, 'email');
  assert.equal(seen.iss, issuer);
  assert.ok(seen.exp > Date.now() / 1000);

  // Another client learns nothing of it, and cannot revoke it.
  const other = await configFor(clients.post, client.ClientSecretPost(clients.post.secret));
  assert.equal((await client.tokenIntrospection(other, tokens.access_token)).active, false);
  await client.tokenRevocation(other, tokens.access_token);
  assert.equal((await client.tokenIntrospection(config, tokens.access_token)).active, true);

  await client.tokenRevocation(config, tokens.access_token);
  assert.equal((await client.tokenIntrospection(config, tokens.access_token)).active, false);
  // RFC 7009: unknown tokens are answered 200 too.
  const unknown = await post('/revoke', { token: 'never-issued' }, { authorization: basicAuth(clients.basic.id, clients.basic.secret) });
  assert.equal(unknown.status, 200);
  const missing = await post('/revoke', {}, { authorization: basicAuth(clients.basic.id, clients.basic.secret) });
  assert.equal(missing.status, 400);
  // No member behind it: UserInfo says invalid_token.
  const again = await client.clientCredentialsGrant(config, {});
  const ui = await fetch(`${issuer}/userinfo`, { headers: { authorization: `Bearer ${again.access_token}` } });
  assert.equal(ui.status, 401);
});

test('client_credentials: an RFC 9068 JWT access token for the API audience', async (t) => {
  if (needsClients(t)) return;
  const config = await configFor(clients.api, client.ClientSecretBasic(clients.api.secret));
  const tokens = await client.clientCredentialsGrant(config, { scope: 'email phone' });
  const jwks = jose.createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
  const { payload, protectedHeader } = await jose.jwtVerify(tokens.access_token, jwks, {
    issuer, audience: 'https://api.example.org', typ: 'at+jwt', algorithms: ['RS256'],
  });
  assert.equal(protectedHeader.typ, 'at+jwt');
  assert.equal(payload.client_id, clients.api.id);
  assert.equal(payload.sub, clients.api.id);
  assert.equal(payload.scope, 'email phone');
  assert.equal(payload.exp - payload.iat, 300);
  assert.ok(payload.jti);
  const seen = await client.tokenIntrospection(config, tokens.access_token);
  assert.equal(seen.active, true);
  assert.equal(seen.jti, payload.jti);
  await client.tokenRevocation(config, tokens.access_token);
  assert.equal((await client.tokenIntrospection(config, tokens.access_token)).active, false,
    'a revoked JWT is inactive though its signature still checks');
});

test('private_key_jwt: an assertion works once', async (t) => {
  if (needsClients(t)) return;
  const { id } = clients.signer;
  const config = await configFor(clients.signer, client.PrivateKeyJwt(signingKey));
  const tokens = await client.clientCredentialsGrant(config, {});
  assert.ok(tokens.access_token);

  const now = Math.floor(Date.now() / 1000);
  const assertion = await new jose.SignJWT({ jti: `jti-${now}-replay` })
    .setProtectedHeader({ alg: 'ES256', kid: 'rp-key-1' })
    .setIssuer(id).setSubject(id).setAudience(`${issuer}/token`).setIssuedAt(now).setExpirationTime(now + 60)
    .sign(signingKey.key);
  const form = {
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  };
  const first = await post('/token', form);
  assert.equal(first.status, 200, first.text);
  const replay = await post('/token', form);
  assert.equal(replay.status, 401);
  assert.equal(replay.json.error, 'invalid_client');
  assert.match(replay.json.error_description, /already used/);

  const tooLong = await new jose.SignJWT({ jti: `jti-${now}-long` })
    .setProtectedHeader({ alg: 'ES256', kid: 'rp-key-1' })
    .setIssuer(id).setSubject(id).setAudience(issuer).setExpirationTime(now + 3600).sign(signingKey.key);
  const refused = await post('/token', { ...form, client_assertion: tooLong });
  assert.equal(refused.status, 401);
  const audit = portier.sql("SELECT event, detail FROM audit_events WHERE event LIKE 'oidc.token_%' ORDER BY id");
  assert.match(audit, /oidc\.token_issued\|client=\S+ grant=client_credentials/);
  assert.match(audit, /oidc\.token_refused\|endpoint=\/token client=\S+ reason=invalid_client:assertion_replayed/);
});
