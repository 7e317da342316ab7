// The relying-party harness proven against the reference provider (npm
// oidc-provider, tests/support/node_op.js) before it is pointed at portier:
// Apache mod_auth_openidc protecting two applications (tests/support/apache.js),
// driven with plain fetch and a cookie jar (tests/support/browser.js), and
// the openid-client helper (tests/support/rp.js) with its signature checks,
// and the Node example of docs/oidc.md.
// No portier here: this suite tests the harness.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeOp } from '../support/node_op.js';
import { Apache, apacheMissing, claimsOf } from '../support/apache.js';
import { Browser } from '../support/browser.js';
import { Rp } from '../support/rp.js';
import { freePort } from '../support/nginx.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const accounts = {
  'alice-0001': { email: 'alice@example.org', email_verified: true, name: 'Alice Martin', given_name: 'Alice', family_name: 'Martin' },
};

describe('Apache mod_auth_openidc against oidc-provider', { skip: apacheMissing() ?? false }, () => {
  let op;
  let apache;

  before(async () => {
    apache = await new Apache().reserve();
    const clients = apache.apps.map((app) => ({
      client_id: `${app.name}-client`,
      client_secret: `${app.name}-secret-${'x'.repeat(32)}`,
      redirect_uris: [app.redirectUri],
      post_logout_redirect_uris: [app.postLogoutRedirectUri],
      backchannel_logout_uri: app.backchannelLogoutUri,
      backchannel_logout_session_required: true,
    }));
    op = await new NodeOp({ clients, accounts, acrValues: ['urn:portier:acr:two-factor'] }).start();
    await apache.start({ provider: op.issuer, clients: clients.map((c) => ({ id: c.client_id, secret: c.client_secret })) });
  });

  after(async () => {
    await apache?.cleanup();
    await op?.stop();
  });

  test('sign in at app1, single sign-on into app2, logout ends both', async () => {
    const [app1, app2] = apache.apps;
    const browser = new Browser();

    // app1 sends the browser to the provider, whose sign-in page is a form.
    let page = await browser.follow(app1.url);
    assert.equal(page.status, 200, `${page.hops.join('\n')}\n${page.text}`);
    assert.ok(page.url.startsWith(`${op.issuer}/interaction/`), page.url);
    const authorize = new URL(page.hops.find((u) => u.startsWith(`${op.issuer}/auth`)));
    assert.equal(authorize.searchParams.get('client_id'), 'app1-client');
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(authorize.searchParams.get('scope'), 'openid email profile');

    // The member signs in (with a second factor): back on app1's page.
    page = await browser.submitForm(page, { account: 'alice-0001', acr: 'urn:portier:acr:two-factor', amr: 'pwd otp' });
    assert.equal(page.status, 200, `${page.text}\n${apache.errorLog()}`);
    assert.equal(page.url, app1.url);
    let claims = claimsOf(page.text);
    assert.equal(claims.OIDC_CLAIM_sub, 'alice-0001');
    assert.equal(claims.OIDC_CLAIM_acr, 'urn:portier:acr:two-factor');
    assert.equal(claims.OIDC_CLAIM_amr, 'pwd,otp');
    assert.equal(claims.OIDC_CLAIM_email, 'alice@example.org');
    assert.equal(op.logins.length, 1);

    // app2: through the provider and back without a sign-in page.
    page = await browser.follow(app2.url);
    assert.equal(page.status, 200, apache.errorLog());
    assert.equal(page.url, app2.url);
    assert.ok(page.hops.some((u) => u.startsWith(`${op.issuer}/auth`)), 'app2 went through the provider');
    assert.ok(!page.hops.some((u) => u.includes('/interaction/')), 'no sign-in page on the way');
    claims = claimsOf(page.text);
    assert.equal(claims.OIDC_CLAIM_sub, 'alice-0001');
    assert.equal(claims.OIDC_CLAIM_acr, 'urn:portier:acr:two-factor');
    assert.equal(op.logins.length, 1);

    // Logout from app1: its session, then the provider's (a confirmation
    // form), then back to app1's signed-out page.
    page = await browser.follow(app1.logoutUrl);
    assert.ok(page.url.startsWith(`${op.issuer}/session/end`), page.url);
    page = await browser.submitForm(page);
    assert.equal(page.status, 200);
    assert.equal(page.url, app1.postLogoutRedirectUri);
    assert.match(page.text, /signed out/);

    // app1 and app2 both send the browser to the provider's sign-in again:
    // app2's session ended by the back-channel logout token the provider
    // sent to it.
    for (const app of [app1, app2]) {
      page = await browser.follow(app.url);
      assert.ok(page.url.startsWith(`${op.issuer}/interaction/`), `${app.name}: ${page.url}\n${apache.errorLog()}`);
    }
  });

  test('an unauthenticated request never reaches the protected page', async () => {
    const r = await new Browser().get(apache.apps[1].url);
    assert.equal(r.status, 302);
    assert.ok(r.location.startsWith(`${op.issuer}/auth?`), r.location);
    assert.doesNotMatch(r.text, /OIDC_CLAIM_/);
  });
});

describe('openid-client helper against oidc-provider', () => {
  let op;
  let rp;
  let redirectUri;

  before(async () => {
    redirectUri = `http://127.0.0.1:${await freePort()}/callback`;
    op = await new NodeOp({
      clients: [{ client_id: 'node-app', client_secret: 'node-app-secret-' + 'y'.repeat(32), redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'], post_logout_redirect_uris: [redirectUri] }],
      accounts,
      // A refresh token without offline_access: oidc-provider's default
      // issues none to a plain web client.
      extra: { issueRefreshToken: async () => true },
    }).start();
    op.signInAs('alice-0001', { acr: 'urn:portier:acr:password', amr: ['pwd'] });
    rp = await Rp.discover({ issuer: op.issuer, clientId: 'node-app', clientSecret: 'node-app-secret-' + 'y'.repeat(32), redirectUri });
  });

  after(async () => {
    await op?.stop();
  });

  test('code flow with PKCE, state and nonce; ID token verified against the JWKS; refresh; userinfo', async () => {
    const browser = new Browser();
    const result = await rp.signIn(browser, { scope: 'openid email profile' });
    const { tokens, idToken } = result;
    assert.equal(idToken.sub, 'alice-0001');
    assert.equal(idToken.iss, op.issuer);
    assert.equal(idToken.aud, 'node-app');
    assert.equal(idToken.acr, 'urn:portier:acr:password');
    assert.deepEqual(idToken.amr, ['pwd']);
    assert.equal(idToken.nonce, result.nonce);
    const verified = await rp.verifyJwt(tokens.id_token);
    assert.equal(verified.protectedHeader.alg, 'RS256');
    assert.equal(verified.protectedHeader.kid, op.jwk.kid);

    const info = await rp.userinfo(tokens.access_token, idToken.sub);
    assert.equal(info.email, 'alice@example.org');
    assert.equal(info.name, 'Alice Martin');

    const refreshed = await rp.refresh(tokens.refresh_token);
    assert.ok(refreshed.access_token);
    assert.notEqual(refreshed.access_token, tokens.access_token);
    assert.equal(refreshed.claims().sub, 'alice-0001');

    const end = rp.endSessionUrl({ id_token_hint: tokens.id_token, post_logout_redirect_uri: redirectUri, state: 'bye' });
    assert.equal(end.origin + end.pathname, `${op.issuer}/session/end`);
  });

  test('an ID token whose signature does not verify is refused by openid-client itself', async () => {
    // The provider's token response passes through a fetch that swaps the
    // ID token's signature for another valid-looking one.
    const tampering = await Rp.discover({
      issuer: op.issuer, clientId: 'node-app', clientSecret: 'node-app-secret-' + 'y'.repeat(32), redirectUri,
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        if (!String(url).endsWith('/token')) return res;
        const body = await res.json();
        const [h, p, s] = body.id_token.split('.');
        body.id_token = [h, p, Buffer.from(s, 'base64url').reverse().toString('base64url')].join('.');
        return new Response(JSON.stringify(body), { status: res.status, headers: { 'content-type': 'application/json' } });
      },
    });
    await assert.rejects(tampering.signIn(new Browser()), (err) => {
      assert.match(`${err.message} ${err.cause?.message ?? ''}`, /signature/i);
      return true;
    });
  });
});

// The Node example of docs/oidc.md, run as written (its ```js block), so that
// the documentation cannot drift from what works.
describe('the openid-client example of docs/oidc.md against oidc-provider', () => {
  let op;
  let app;
  let base;
  let file;

  before(async () => {
    const doc = readFileSync(join(root, 'docs', 'oidc.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## A Node application with openid-client'));
    const code = section.match(/```js\n([\s\S]*?)```/)[1];
    // Beside node_modules, where its `import 'openid-client'` resolves.
    mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
    file = join(root, 'node_modules', '.cache', `oidc-doc-example-${process.pid}.mjs`);
    writeFileSync(file, code);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    op = await new NodeOp({
      clients: [{ client_id: 'formation', client_secret: 'formation-secret-' + 'z'.repeat(32), redirect_uris: [`${base}/callback`],
        post_logout_redirect_uris: [`${base}/`], grant_types: ['authorization_code', 'refresh_token'] }],
      accounts, acrValues: ['urn:portier:acr:password'], extra: { issueRefreshToken: async () => true },
    }).start();
    op.signInAs('alice-0001', { acr: 'urn:portier:acr:password', amr: ['pwd'] });
    app = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env,
      ISSUER: op.issuer, CLIENT_ID: 'formation', CLIENT_SECRET: 'formation-secret-' + 'z'.repeat(32), BASE_URL: base } });
    app.output = '';
    app.stdout.on('data', (c) => { app.output += c; });
    app.stderr.on('data', (c) => { app.output += c; });
    const end = Date.now() + 10000;
    while (!(await fetch(`${base}/login`, { redirect: 'manual' }).then(() => true, () => false))) {
      if (app.exitCode !== null || Date.now() > end) throw new Error(`the example did not start:\n${app.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  after(async () => {
    app?.kill();
    await op?.stop();
    if (file) rmSync(file, { force: true });
  });

  test('signs in with PKCE, shows the claims and UserInfo, refreshes, signs out at the provider', async () => {
    const browser = new Browser();
    let page = await browser.follow(`${base}/`);
    assert.equal(page.status, 200, app.output);
    assert.equal(page.url, `${base}/`);
    assert.equal(page.text, 'sub alice-0001, acr urn:portier:acr:password, amr pwd, email alice@example.org\n');
    const authorize = new URL(page.hops.find((u) => u.startsWith(`${op.issuer}/auth?`)));
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(authorize.searchParams.get('nonce'));

    page = await browser.follow(`${base}/refresh`);
    assert.equal(page.status, 200, app.output);
    assert.match(page.text, /^sub alice-0001,/);

    page = await browser.follow(`${base}/logout`);
    const end = new URL(page.url);
    assert.equal(end.origin + end.pathname, `${op.issuer}/session/end`);
    assert.ok(end.searchParams.get('id_token_hint'));
    assert.equal(end.searchParams.get('post_logout_redirect_uri'), `${base}/`);
    // Confirmed at the provider, back to the application, signed out there:
    // it starts a new sign-in (the provider session is gone: a login interaction).
    const loginsBefore = op.logins.length;
    page = await browser.submitForm(page);
    assert.ok(page.hops.includes(`${base}/`), page.hops.join('\n'));
    assert.equal(op.logins.length, loginsBefore + 1);
  });
});

// NodeOp as the base of other providers' mocks (Pro Santé Connect lives
// under a path, with its own acr values): issuer path and a second
// discovery address.
describe('NodeOp under an issuer path', () => {
  let op;

  after(async () => {
    await op?.stop();
  });

  test('issuer, endpoints and discovery under the path; acr as configured', async () => {
    const redirectUri = `http://127.0.0.1:${await freePort()}/cb`;
    op = await new NodeOp({
      issuerPath: '/auth/realms/esante-wallet', discoveryPath: '/discovery.json',
      clients: [{ client_id: 'psc-client', client_secret: 'psc-secret-' + 'w'.repeat(32), redirect_uris: [redirectUri] }],
      accounts: { '899700000001': { given_name: 'Anna', family_name: 'Martin' } }, acrValues: ['eidas1'],
    }).start();
    assert.equal(op.issuer, `${op.origin}/auth/realms/esante-wallet`);
    const other = await (await fetch(`${op.origin}/discovery.json`)).json();
    assert.equal(other.issuer, op.issuer);
    assert.equal(other.authorization_endpoint, `${op.issuer}/auth`);
    assert.deepEqual(other.acr_values_supported, ['eidas1']);
    assert.equal((await fetch(`${op.origin}/.well-known/openid-configuration`)).status, 404);

    op.signInAs('899700000001', { acr: 'eidas1', amr: ['sc'] });
    const rp = await Rp.discover({ issuer: op.issuer, clientId: 'psc-client', clientSecret: 'psc-secret-' + 'w'.repeat(32), redirectUri });
    const { idToken } = await rp.signIn(new Browser(), { scope: 'openid profile' });
    assert.equal(idToken.iss, op.issuer);
    assert.equal(idToken.sub, '899700000001');
    assert.equal(idToken.acr, 'eidas1');
  });
});
