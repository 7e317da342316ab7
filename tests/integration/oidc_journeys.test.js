// An application's authorization request survives what a member may go
// through before the sign-in completes: the second step, the forced change
// of a temporary password, a forgotten password (link by mail), and the
// first connection of an invited member. Each journey starts at the
// application and must end at its redirect URI with a code that
// openid-client redeems (signature checks on).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { Browser } from '../support/browser.js';
import { Rp } from '../support/rp.js';
import { robotSolution } from '../support/robot.js';
import { freePort } from '../support/nginx.js';

const PASSWORD = 'ruisseau-lanterne-hiver-42';
const NEW_PASSWORD = 'garrigue-phare-tilleul-77';
const REDIRECT = 'http://127.0.0.1:9/cb';
let smtp;
let portier;
let rp;

before(async () => {
  smtp = await new SmtpSink().start();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  portier = new Portier({
    env: { PORTIER_LISTEN: `127.0.0.1:${port}`, PORTIER_PUBLIC_URL: url, PORTIER_SECOND_STEP: 'required' },
    // Support staff here sign in with the password alone: an application
    // asking for two factors must still get them.
    toml: [...smtp.mailConfig(), '[oidc]', 'enabled = true', '[security]', 'robot_max_number = 1000',
      '[second_step]', 'policy_support = "off"'],
  });
  portier.addUser({ identifier: 'helene', email: 'helene@example.org', password: PASSWORD, name: 'Hélène', role: 'support' });
  for (const who of ['anna', 'temp.user', 'forgetful', 'newcomer'])
    portier.addUser({ identifier: who, email: `${who}@example.org`, password: PASSWORD, name: who });
  const r = portier.cli(['client', 'add', '--name', 'Agenda', '--redirect-uri', REDIRECT, '--trusted']);
  assert.equal(r.status, 0, r.stderr);
  const id = r.stdout.match(/^client_id: (\S+)$/m)[1];
  const secret = r.stdout.match(/^client_secret: (\S+)$/m)[1];
  await portier.start();
  rp = await Rp.discover({ issuer: url, clientId: id, clientSecret: secret, redirectUri: REDIRECT });
});

after(async () => {
  await portier?.cleanup();
  await smtp?.stop();
});

const path = (page) => new URL(page.url).pathname;


// The second step by email: the newest code mailed to `who` not used yet.
const usedCodes = new Set();
async function secondStep(browser, page, who, stop) {
  assert.equal(path(page), '/connexion/code', `${page.url}\n${page.text.slice(0, 300)}`);
  const codeOf = (m) => m.parsed.text.match(/\b(\d{8})\b/)?.[1];
  const m = await smtp.waitFor((m) => m.to === `${who}@example.org` && codeOf(m) && !usedCodes.has(codeOf(m)));
  usedCodes.add(codeOf(m));
  return browser.submitForm(page, { method: 'email', code: codeOf(m) }, { action: '/connexion/code', stop });
}

async function start(browser) {
  const req = await rp.authorizationRequest({ scope: 'openid email' });
  const page = await browser.follow(req.url.href, { stop: rp.atRedirectUri() });
  assert.equal(path(page), '/connexion');
  return { req, page };
}

async function finish(page, req, who) {
  assert.ok(page.location && rp.atRedirectUri()(new URL(page.location)), `${page.status} ${page.url}\n${page.text?.slice(0, 300)}`);
  const tokens = await rp.callback(page.location, req);
  assert.equal(tokens.claims().email, undefined);
  const info = await rp.userinfo(tokens.access_token, tokens.claims().sub);
  assert.equal(info.email, `${who}@example.org`);
  assert.deepEqual(tokens.claims().amr, ['pwd', 'otp', 'mfa']);
  assert.equal(tokens.claims().acr, 'urn:portier:acr:mfa');
}

test('through the second step', async () => {
  const browser = new Browser();
  const stop = rp.atRedirectUri();
  const { req, page } = await start(browser);
  let next = await browser.submitForm(page, { identifier: 'anna', password: PASSWORD }, { action: '/connexion', stop });
  next = await secondStep(browser, next, 'anna', stop);
  await finish(next, req, 'anna');
});

test('through the forced change of a temporary password', async () => {
  const cli = portier.cli(['user', 'temp-password', 'temp.user']);
  const temporary = cli.stdout.match(/temporary password for temp\.user: (\S+)/)[1];
  const browser = new Browser();
  const stop = rp.atRedirectUri();
  const { req, page } = await start(browser);
  let next = await browser.submitForm(page, { identifier: 'temp.user', password: temporary }, { action: '/connexion', stop });
  next = await secondStep(browser, next, 'temp.user', stop);
  assert.equal(path(next), '/connexion/nouveau-mot-de-passe');
  next = await browser.submitForm(next, { new_password: NEW_PASSWORD, confirm_password: NEW_PASSWORD }, { stop });
  await finish(next, req, 'temp.user');
});

test('through a forgotten password (link by mail), then the sign-in', async () => {
  const browser = new Browser();
  const stop = rp.atRedirectUri();
  const { req } = await start(browser);
  let page = await browser.get(`${portier.url}/mot-de-passe-oublie`);
  page = await browser.submitForm(page, { target: 'forgetful', altcha: await robotSolution(portier.url) }, { action: '/mot-de-passe-oublie' });
  const mail = await smtp.waitFor((m) => m.to === 'forgetful@example.org' && /jeton=/.test(m.parsed.text));
  const text = mail.parsed.text;
  const link = text.match(/(http:\/\/127\.0\.0\.1:\d+\/mot-de-passe-oublie\/nouveau\?jeton=[\w-]+)/)[1];
  page = await browser.follow(link);
  page = await browser.submitForm(page, { new_password: NEW_PASSWORD, confirm_password: NEW_PASSWORD }, { stop });
  assert.equal(path(page), '/connexion', page.url);
  page = await browser.submitForm(page, { identifier: 'forgetful', password: NEW_PASSWORD }, { action: '/connexion', stop });
  page = await secondStep(browser, page, 'forgetful', stop);
  await finish(page, req, 'forgetful');
});

test('through the first connection of an invited member', async () => {
  // Invited by the command line (no password): the link arrives by mail.
  const r = await portier.cliAsync(['user', 'add', '--identifier', 'invited', '--email', 'invited@example.org', '--name', 'Invited']);
  assert.equal(r.status, 0, r.stderr);
  const browser = new Browser();
  const stop = rp.atRedirectUri();
  const { req } = await start(browser);
  const mail = await smtp.waitFor((m) => m.to === 'invited@example.org' && /jeton=/.test(m.parsed.text));
  const link = mail.parsed.text.match(/(http:\/\/127\.0\.0\.1:\d+\/premiere-connexion\/activer\?jeton=[\w-]+)/)[1];
  let page = await browser.follow(link);
  page = await browser.submitForm(page, { new_password: NEW_PASSWORD, confirm_password: NEW_PASSWORD },
    { action: '/premiere-connexion/activer', stop });
  assert.equal(path(page), '/connexion', page.url);
  page = await browser.submitForm(page, { identifier: 'invited', password: NEW_PASSWORD }, { action: '/connexion', stop });
  page = await secondStep(browser, page, 'invited', stop);
  await finish(page, req, 'invited');
});

test('through a wrong password first (the request waits on the error page)', async () => {
  const browser = new Browser();
  const stop = rp.atRedirectUri();
  const { req, page } = await start(browser);
  const wrong = await browser.submitForm(page, { identifier: 'anna', password: 'not-the-password' }, { action: '/connexion', stop });
  assert.equal(wrong.status, 401);
  assert.match(wrong.text, /data-testid="sign-in-error"/);
  let next = await browser.submitForm(wrong, { identifier: 'anna', password: PASSWORD }, { action: '/connexion', stop });
  next = await secondStep(browser, next, 'anna', stop);
  await finish(next, req, 'anna');
});

test('a request left for more than its hour is not resumed: Mon espace instead', async () => {
  const browser = new Browser();
  const { page } = await start(browser);
  // The kept request expires (as an hour later); the sign-in then ends in Mon espace.
  portier.sql(`UPDATE flows SET expires_at = ${Portier.now() - 1} WHERE kind = 'oidc_authorization'`);
  let next = await browser.submitForm(page, { identifier: 'newcomer', password: PASSWORD }, { action: '/connexion' });
  next = await secondStep(browser, next, 'newcomer', () => false);
  assert.equal(path(next), '/mon-espace', next.hops.join('\n'));
});

test('an application asking for two factors (acr_values) gets the second step even where the role needs none', async () => {
  const browser = new Browser();
  const stop = rp.atRedirectUri();
  // Without acr_values: the password alone, as the role's policy says.
  let { req, page } = await start(browser);
  let next = await browser.submitForm(page, { identifier: 'helene', password: PASSWORD }, { action: '/connexion', stop });
  assert.ok(next.location && stop(new URL(next.location)), `${next.status} ${next.url}`);
  let tokens = await rp.callback(next.location, req);
  assert.deepEqual(tokens.claims().amr, ['pwd']);
  assert.equal(tokens.claims().acr, 'urn:portier:acr:pwd');

  // The same browser, an application asking for urn:portier:acr:mfa: the
  // one-factor session does not do, and the new sign-in asks for a code.
  req = await rp.authorizationRequest({ scope: 'openid', acr_values: 'urn:portier:acr:mfa' });
  page = await browser.follow(req.url.href, { stop });
  assert.equal(path(page), '/connexion', `${page.status} ${page.url}\n${page.text.slice(0, 1500)}`);
  next = await browser.submitForm(page, { identifier: 'helene', password: PASSWORD }, { action: '/connexion', stop });
  next = await secondStep(browser, next, 'helene', stop);
  assert.ok(next.location && stop(new URL(next.location)), `${next.status} ${next.url}`);
  tokens = await rp.callback(next.location, req);
  assert.deepEqual(tokens.claims().amr, ['pwd', 'otp', 'mfa']);
  assert.equal(tokens.claims().acr, 'urn:portier:acr:mfa');

  // An ordinary sign-in afterwards (no application) follows the role again.
  const plain = new Browser();
  const form = await plain.follow(`${portier.url}/connexion`);
  const done = await plain.submitForm(form, { identifier: 'helene', password: PASSWORD }, { action: '/connexion', stop: () => true });
  assert.equal(done.status, 303);
  assert.doesNotMatch(done.location, /\/connexion\/code/);
});
