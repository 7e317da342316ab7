// Journey 5: axe (WCAG 2.1 A and AA rules) finds nothing on the pages people
// meet, in their normal state and with errors, in French and in English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, newContext, startPortier, member, temporaryPassword, signIn, submitAndWait, expectNoAxeViolations, expectErrorSummaryLinked, openFold,
} from './support/browser.js';

const newcomer = { identifier: 'nouveau.venu', email: 'nouveau.venu@example.org', name: 'Nouveau Venu',
  password: 'initial-provisoire-pour-test-1' };
const locales = { fr: 'fr-FR', en: 'en-GB' };

let browser;
let portier;
before(async () => {
  browser = await launchBrowser();
  // No administrator: the setup page stays reachable.
  portier = await startPortier({ users: [member, newcomer] });
});
after(async () => {
  await browser?.close();
  await portier?.cleanup();
});

// Pages in `lang`, chosen by the browser's language (Accept-Language). Checks
// that neither sign in nor change anything share one visitor page, those of
// Mon espace one signed-in page (errors change nothing): a context costs time.
const shared = new Map();
async function sharedPage(key, lang, prepare = async () => {}) {
  if (!shared.has(key)) {
    const context = await newContext(browser, { locale: locales[lang] });
    const page = await context.newPage();
    await prepare(page);
    shared.set(key, { context, page });
  }
  return shared.get(key).page;
}
after(async () => {
  for (const { context } of shared.values()) await context.close().catch(() => {});
});

const visitor = (lang) => (fn) => sharedPage(`visitor-${lang}`, lang).then(fn);
const signedIn = (lang) => (fn) => sharedPage(`member-${lang}`, lang, async (page) => {
  const r = await signIn(page, portier.url, member.identifier, member.password);
  assert.equal(r.status(), 303);
}).then(fn);

// A page of its own, for a flow with state (the forced change).
async function withPage(lang, fn) {
  const context = await newContext(browser, { locale: locales[lang] });
  const page = await context.newPage();
  try {
    await fn(page);
  } finally {
    await context.close();
  }
}

async function open(page, path, status = 200) {
  const response = await page.goto(portier.url + path);
  assert.equal(response.status(), status, `${path} answered ${response.status()}`);
}

async function expectLang(page, lang) {
  assert.equal(await page.locator('html').getAttribute('lang'), lang);
}

for (const lang of ['fr', 'en']) {
  test(`[${lang}] sign-in page`, () => visitor(lang)(async (page) => {
    await open(page, '/connexion');
    await expectLang(page, lang);
    await expectNoAxeViolations(page, `sign-in (${lang})`);
  }));

  test(`[${lang}] sign-in page with empty fields`, () => visitor(lang)(async (page) => {
    await open(page, '/connexion');
    const r = await submitAndWait(page, page.getByTestId('sign-in-submit'));
    assert.equal(r.status(), 422);
    assert.deepEqual(await expectErrorSummaryLinked(page), ['#identifier', '#password']);
    await expectNoAxeViolations(page, `sign-in with field errors (${lang})`);
  }));

  test(`[${lang}] sign-in page with a wrong password`, () => visitor(lang)(async (page) => {
    // An unknown identifier: the member's own failure count stays untouched.
    const r = await signIn(page, portier.url, 'personne.inconnue', 'pas-le-bon-mot-de-passe');
    assert.equal(r.status(), 401);
    await page.getByTestId('sign-in-error').waitFor();
    await expectNoAxeViolations(page, `sign-in refused (${lang})`);
  }));

  test(`[${lang}] Mon espace`, () => signedIn(lang)(async (page) => {
    await open(page, '/mon-espace');
    await expectLang(page, lang);
    // The password hint states the configured minimum length (12 by default).
    assert.match(await page.locator('#new_password-rules').textContent(), /\b12\b/);
    await expectNoAxeViolations(page, `Mon espace (${lang})`);
  }));

  test(`[${lang}] Mon espace with a profile error`, () => signedIn(lang)(async (page) => {
    await open(page, '/mon-espace');
    await openFold(page, 'profil');
    await page.locator('#display_name').fill('');
    const r = await submitAndWait(page, page.getByTestId('profile-submit'));
    assert.equal(r.status(), 422);
    assert.deepEqual(await expectErrorSummaryLinked(page), ['#display_name']);
    await expectNoAxeViolations(page, `Mon espace with profile errors (${lang})`);
  }));

  test(`[${lang}] Mon espace with sign-in code errors`, () => signedIn(lang)(async (page) => {
    await open(page, '/mon-espace');
    await openFold(page, 'codes');
    await page.locator('#channel-sms').check();
    await page.locator('#channel_password').fill('pas-le-bon-mot-de-passe');
    const r = await submitAndWait(page, page.getByTestId('channel-submit'));
    assert.equal(r.status(), 422);
    assert.deepEqual(await expectErrorSummaryLinked(page), ['#channel-email', '#channel_password']);
    await expectNoAxeViolations(page, `Mon espace with sign-in code errors (${lang})`);
  }));

  test(`[${lang}] Mon espace with a password error`, () => signedIn(lang)(async (page) => {
    await open(page, '/mon-espace');
    await openFold(page, 'mot-de-passe');
    await page.locator('#current_password').fill('pas-le-bon');
    await page.locator('#new_password').fill('court');
    await page.locator('#confirm_password').fill('autre');
    const r = await submitAndWait(page, page.getByTestId('password-submit'));
    assert.equal(r.status(), 422);
    assert.ok((await expectErrorSummaryLinked(page)).includes('#current_password'));
    await expectNoAxeViolations(page, `Mon espace with password errors (${lang})`);
  }));

  test(`[${lang}] forced password change page, normal and with an error`, () => withPage(lang, async (page) => {
    const temporary = temporaryPassword(portier, newcomer.identifier);
    await signIn(page, portier.url, newcomer.identifier, temporary);
    assert.match(page.url(), /\/connexion\/nouveau-mot-de-passe$/);
    await expectNoAxeViolations(page, `forced change (${lang})`);
    await page.locator('#new_password').fill('volcan-ardoise-prairie-51');
    await page.locator('#confirm_password').fill('volcan-ardoise-prairie-52');
    const r = await submitAndWait(page, page.getByTestId('required-change-submit'));
    assert.equal(r.status(), 422);
    assert.deepEqual(await expectErrorSummaryLinked(page), ['#confirm_password']);
    await expectNoAxeViolations(page, `forced change with an error (${lang})`);
  }));

  test(`[${lang}] setup page, normal and with errors`, () => visitor(lang)(async (page) => {
    const link = portier.setupLink();
    assert.ok(link, 'setup link printed');
    const response = await page.goto(link);
    assert.equal(response.status(), 200);
    await expectNoAxeViolations(page, `setup (${lang})`);
    await page.locator('#identifier').fill('x');
    await page.locator('#email').fill('pas-une-adresse');
    const r = await submitAndWait(page, page.getByTestId('setup-submit'));
    assert.equal(r.status(), 422);
    const fields = await expectErrorSummaryLinked(page);
    assert.ok(fields.includes('#identifier') && fields.includes('#email'), fields.join());
    await expectNoAxeViolations(page, `setup with errors (${lang})`);
  }));

  for (const [name, path, status] of [
    ['assistance', '/assistance', 200],
    ['legal notice', '/mentions-legales', 200],
    ['contact', '/contact', 200],
    ['forgotten password', '/mot-de-passe-oublie', 200],
    ['forgotten identifier', '/identifiant-oublie', 200],
    ['first connection', '/premiere-connexion', 200],
    ['error page (404)', '/page-qui-n-existe-pas', 404],
  ]) {
    test(`[${lang}] ${name}`, () => visitor(lang)(async (page) => {
      await open(page, path, status);
      await expectLang(page, lang);
      await expectNoAxeViolations(page, `${name} (${lang})`);
    }));
  }
}
