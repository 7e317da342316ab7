// Journey: single sign-on in a real browser. Two applications on loopback
// (small relying parties built on npm openid-client, in this process) rely
// on portier: the member signs in once at the first, the second asks for
// consent (it is not a trusted client) then opens without a new sign-in,
// prompt=login shows the form again, and the application's logout ends the
// portier session. axe checks the pages portier shows on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import * as client from 'openid-client';
import { launchBrowser, newContext, member, expectNoAxeViolations, screenshot } from './support/browser.js';
import { Portier } from '../support/portier.js';
import { freePort } from '../support/nginx.js';

let browser;
let portier;
const apps = [];

// A relying party: /login starts the code flow (PKCE, state, nonce kept in
// memory for the one browser of the test), /cb finishes it and greets,
// /logout sends the browser to portier's end-session endpoint.
async function startApp(name, registration) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const app = { name, base, pending: null, idToken: null };
  const args = ['client', 'add', '--name', name, '--redirect-uri', `${base}/cb`, '--post-logout-redirect-uri', `${base}/bye`, ...registration];
  const r = portier.cli(args);
  assert.equal(r.status, 0, r.stderr);
  app.id = r.stdout.match(/^client_id: (\S+)$/m)[1];
  app.secret = r.stdout.match(/^client_secret: (\S+)$/m)[1];
  app.server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, base);
      if (!app.config) {
        app.config = await client.discovery(new URL(portier.url), app.id, { redirect_uris: [`${base}/cb`] },
          client.ClientSecretBasic(app.secret), { execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks] });
      }
      if (url.pathname === '/login') {
        const verifier = client.randomPKCECodeVerifier();
        app.pending = { verifier, state: client.randomState(), nonce: client.randomNonce() };
        const target = client.buildAuthorizationUrl(app.config, {
          redirect_uri: `${base}/cb`, scope: 'openid profile email', state: app.pending.state, nonce: app.pending.nonce,
          code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
          ...Object.fromEntries(url.searchParams),
        });
        res.writeHead(302, { location: target.href }).end();
      } else if (url.pathname === '/cb') {
        const tokens = await client.authorizationCodeGrant(app.config, url, {
          pkceCodeVerifier: app.pending.verifier, expectedState: app.pending.state, expectedNonce: app.pending.nonce });
        app.idToken = tokens.id_token;
        app.claims = tokens.claims();
        // Names come from UserInfo (the ID token carries only what the client registered for it).
        const info = await client.fetchUserInfo(app.config, tokens.access_token, app.claims.sub);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(`<!doctype html><html lang="fr"><title>${name}</title><h1 id="hello">Bonjour ${info.name}</h1>`);
      } else if (url.pathname === '/logout') {
        const target = client.buildEndSessionUrl(app.config, { id_token_hint: app.idToken, post_logout_redirect_uri: `${base}/bye`, state: 'bye-state' });
        res.writeHead(302, { location: target.href }).end();
      } else if (url.pathname === '/bye') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(`<!doctype html><html lang="fr"><title>${name}</title><h1 id="bye">Au revoir (${url.searchParams.get('state')})</h1>`);
      } else {
        res.writeHead(404).end();
      }
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e?.stack || e));
    }
  });
  await new Promise((r) => app.server.listen(port, '127.0.0.1', r));
  apps.push(app);
  return app;
}

before(async () => {
  browser = await launchBrowser();
  const port = await freePort();
  portier = new Portier({
    env: { PORTIER_LISTEN: `127.0.0.1:${port}`, PORTIER_PUBLIC_URL: `http://127.0.0.1:${port}` },
    toml: ['[oidc]', 'enabled = true'],
  });
  portier.addUser(member);
  await portier.start();
  await startApp('Agenda des gardes', ['--trusted']);
  await startApp('Formation continue', []);
});

after(async () => {
  await browser?.close();
  for (const a of apps) a.server.close();
  await portier?.cleanup();
});

test('one sign-in for two applications, consent for the untrusted one, prompt=login, logout from an application', async () => {
  const [agenda, formation] = apps;
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    // The first application sends the member to portier's sign-in page,
    // which says which application she is signing in to.
    await page.goto(`${agenda.base}/login`);
    await page.waitForURL(`${portier.url}/connexion`);
    assert.match(await page.getByTestId('sign-in-application').textContent(), /Agenda des gardes/);
    await expectNoAxeViolations(page, 'sign-in for an application');
    await page.locator('#identifier').fill(member.identifier);
    await page.locator('#password').fill(member.password);
    await Promise.all([page.waitForURL(`${agenda.base}/cb**`), page.getByTestId('sign-in-submit').click()]);
    assert.equal(await page.locator('#hello').textContent(), `Bonjour ${member.name}`);
    assert.deepEqual(agenda.claims.amr, ['pwd']);

    // The second one is not trusted: a consent page, in French, with what it will receive.
    await page.goto(`${formation.base}/login`);
    await page.waitForURL(`${portier.url}/autorisation/consentement`);
    assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /Formation continue/);
    assert.match(await page.getByTestId('oidc-consent-scopes').textContent(), /adresse électronique/);
    await expectNoAxeViolations(page, 'consent');
    await screenshot(page, 'oidc-consent', { docs: true });
    await Promise.all([page.waitForURL(`${formation.base}/cb**`), page.getByTestId('oidc-consent-allow').click()]);
    assert.equal(formation.claims.sub, agenda.claims.sub);
    assert.equal(formation.claims.sid, agenda.claims.sid, 'one portier session behind both');

    // prompt=login: the form again, although she is signed in.
    await page.goto(`${agenda.base}/login?prompt=login`);
    await page.waitForURL(`${portier.url}/connexion`);
    assert.match(await page.getByTestId('sign-in-application').textContent(), /Agenda des gardes/);
    await page.locator('#identifier').fill(member.identifier);
    await page.locator('#password').fill(member.password);
    await Promise.all([page.waitForURL(`${agenda.base}/cb**`), page.getByTestId('sign-in-submit').click()]);

    // Mon espace lists both applications.
    await page.goto(`${portier.url}/mon-espace`);
    const rows = page.getByTestId('application-row');
    assert.equal(await rows.count(), 2);
    await page.locator('#applications-fold > summary').click();
    await expectNoAxeViolations(page, 'Mon espace with applications');

    // Logging out of the application ends the portier session too.
    await page.goto(`${agenda.base}/logout`);
    await page.waitForURL(`${agenda.base}/bye**`);
    assert.equal(await page.locator('#bye').textContent(), 'Au revoir (bye-state)');
    await page.goto(`${portier.url}/mon-espace`);
    assert.match(page.url(), /\/connexion/);
  } finally {
    await context.close();
  }
});
