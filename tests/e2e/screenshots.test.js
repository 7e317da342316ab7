// Journey 4: screenshots of the sign-in page and Mon espace in French and in
// English (docs/screenshots/), plus error states and a phone-sized viewport
// (tests/e2e/screenshots/ only) for reviewing the design.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, newContext, startPortier, member, signIn, submitAndWait, screenshot, mobile, openFold,
} from './support/browser.js';

let browser;
let portier;
before(async () => {
  browser = await launchBrowser();
  portier = await startPortier({ users: [member] });
});
after(async () => {
  await browser?.close();
  await portier?.cleanup();
});

async function switchToEnglish(page) {
  const link = page.getByTestId('lang-switch');
  assert.equal(await link.getAttribute('hreflang'), 'en');
  await submitAndWait(page, link);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
}

test('sign-in page and Mon espace, in French then in English', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await page.goto(`${portier.url}/connexion`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    await screenshot(page, 'sign-in-fr', { docs: true });

    await signIn(page, portier.url, member.identifier, member.password);
    assert.match(page.url(), /\/mon-espace$/);
    await screenshot(page, 'account-fr', { docs: true });

    await switchToEnglish(page);
    assert.match(page.url(), /\/mon-espace$/, 'the language switch comes back to the same page');
    await screenshot(page, 'account-en', { docs: true });

    await submitAndWait(page, page.getByTestId('sign-out'));
    assert.equal(await page.locator('html').getAttribute('lang'), 'en', 'the language choice outlives the session');
    await page.goto(`${portier.url}/connexion`);
    await screenshot(page, 'sign-in-en', { docs: true });
  } finally {
    await context.close();
  }
});

test('error states', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await signIn(page, portier.url, member.identifier, 'pas-le-bon-mot-de-passe');
    await page.getByTestId('sign-in-error').waitFor();
    await screenshot(page, 'sign-in-error-fr');

    await page.goto(`${portier.url}/connexion`);
    await submitAndWait(page, page.getByTestId('sign-in-submit'));
    await page.getByTestId('error-summary').waitFor();
    await screenshot(page, 'sign-in-empty-fr');

    await signIn(page, portier.url, member.identifier, member.password);
    await openFold(page, 'profil');
    await page.locator('#display_name').fill('');
    await submitAndWait(page, page.getByTestId('profile-submit'));
    await page.getByTestId('error-summary').waitFor();
    await screenshot(page, 'account-error-fr');

    await page.goto(`${portier.url}/nulle-part`);
    await screenshot(page, 'not-found-fr');
  } finally {
    await context.close();
  }
});

test('phone-sized viewport (375px)', async () => {
  const context = await newContext(browser, mobile);
  const page = await context.newPage();
  try {
    await page.goto(`${portier.url}/connexion`);
    await screenshot(page, 'sign-in-mobile-fr');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `sign-in page scrolls sideways by ${overflow}px`);
    await signIn(page, portier.url, member.identifier, member.password);
    await screenshot(page, 'account-mobile-fr');
    const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow2 <= 0, `Mon espace scrolls sideways by ${overflow2}px`);
    const link = page.getByTestId('lang-switch');
    await submitAndWait(page, link);
    await screenshot(page, 'account-mobile-en');
  } finally {
    await context.close();
  }
});
