// Shared helpers of the browser tier: one Chromium per test file, a fresh
// portier per test, accessibility checks and screenshots.
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Portier } from '../../support/portier.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
export const screenshotDir = join(root, 'tests', 'e2e', 'screenshots'); // git-ignored
export const docsScreenshotDir = join(root, 'docs', 'screenshots'); // committed

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// Desktop by default; `mobile` gives the 375px-wide viewport.
export const desktop = { viewport: { width: 1280, height: 900 } };
export const mobile = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

// A new browser context with French as the browser language unless told otherwise.
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({ ...desktop, locale: 'fr-FR', ...options });
  context.setDefaultTimeout(10000);
  context.setDefaultNavigationTimeout(10000);
  return context;
}

// Starts a portier with its own data folder; `users` are created before it starts.
export async function startPortier({ users = [], env } = {}) {
  const portier = new Portier({ env });
  for (const u of users) portier.addUser(u);
  await portier.start();
  return portier;
}

export const member = Object.freeze({
  identifier: 'claire.martin',
  email: 'claire.martin@example.org',
  name: 'Claire Martin',
  password: 'ruisseau-lanterne-hiver-42',
});

// Issues a temporary password with the command line and returns it.
export function temporaryPassword(portier, identifier) {
  const r = portier.cli(['user', 'temp-password', identifier]);
  assert.equal(r.status, 0, r.stderr);
  const m = r.stdout.match(/temporary password for \S+: (\S+)/);
  assert.ok(m, `no temporary password in: ${r.stdout}`);
  return m[1];
}

// Clicks `locator` (a submit button or a link) and waits until the page it
// leads to has loaded; returns the response of the request that was sent.
export async function submitAndWait(page, locator) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().frame() === page.mainFrame()),
    page.waitForEvent('load'),
    locator.click(),
  ]);
  return response;
}

// Opens the sign-in page and submits the form; returns the POST's response.
export async function signIn(page, base, identifier, password) {
  await page.goto(`${base}/connexion`);
  await page.locator('#identifier').fill(identifier);
  await page.locator('#password').fill(password);
  return submitAndWait(page, page.getByTestId('sign-in-submit'));
}

// Presses Tab until `selector` has the focus; fails after `max` presses.
export async function tabTo(page, selector, max = 25) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return i + 1;
  }
  assert.fail(`${selector} never received the focus after ${max} Tab presses`);
}

export async function focusedSelector(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    return el.id ? `#${el.id}` : el.outerHTML.slice(0, 80);
  });
}

export const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

function describe(violations) {
  return violations
    .map((v) => `- ${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}\n` +
      v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.replace(/\n/g, ' ')}`).join('\n'))
    .join('\n');
}

// Runs axe on the current page and fails with a readable list of violations.
export async function expectNoAxeViolations(page, label = page.url()) {
  // Legacy mode runs axe in the page itself: portier pages have no frames
  // (frame-ancestors 'none'), and it is twice as fast as the frame-aware run.
  const results = await new AxeBuilder({ page }).withTags(axeTags).setLegacyMode(true).analyze();
  assert.ok(results.passes.length > 0, `axe checked nothing on ${label}`);
  if (results.violations.length) {
    assert.fail(`axe found ${results.violations.length} violation(s) on ${label}:\n${describe(results.violations)}`);
  }
  return results;
}

// The error summary lists every field in error once, each entry linking to
// a field that exists, is marked aria-invalid (radios excepted) and shows the
// same message next to it. Returns the hrefs of the summary's links.
export async function expectErrorSummaryLinked(page) {
  const summary = page.getByTestId('error-summary');
  await summary.waitFor();
  const links = await summary.getByRole('link').evaluateAll((as) => as.map((a) => ({
    href: a.getAttribute('href'), text: a.textContent.trim(),
  })));
  const inline = await page.locator('.error-message').count();
  assert.equal(links.length, inline, `summary has ${links.length} link(s) for ${inline} message(s) by fields`);
  for (const { href, text } of links) {
    assert.match(href, /^#[\w-]+$/);
    const field = page.locator(href);
    assert.equal(await field.count(), 1, `${href} exists once`);
    const message = await field.evaluate((el) => {
      const box = el.closest('.field-error');
      return box?.querySelector('.error-message')?.textContent.trim() ?? null;
    });
    assert.ok(message, `${href} sits in a field marked in error`);
    assert.ok(text.endsWith(message), `summary entry "${text}" repeats "${message}"`);
    if ((await field.getAttribute('type')) !== 'radio') {
      assert.equal(await field.getAttribute('aria-invalid'), 'true', `${href} is aria-invalid`);
      const described = (await field.getAttribute('aria-describedby') ?? '').split(/\s+/);
      assert.ok(described.includes(`${href.slice(1)}-error`), `${href} is described by its message`);
    }
  }
  return links.map((l) => l.href);
}

// Full-page screenshot to tests/e2e/screenshots/<name>.png (ignored). `docs`
// marks the ones the documentation shows: `make screenshots`
// (PORTIER_DOCS_SCREENSHOTS=1) copies them to docs/screenshots/, where they are
// committed; `make test` leaves the work tree clean.
export async function screenshot(page, name, { docs = false } = {}) {
  mkdirSync(screenshotDir, { recursive: true });
  const file = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
  if (docs && process.env.PORTIER_DOCS_SCREENSHOTS === '1') {
    mkdirSync(docsScreenshotDir, { recursive: true });
    copyFileSync(file, join(docsScreenshotDir, `${name}.png`));
  }
  return file;
}

// Expected French and English strings, read from the same files the server uses.
export const strings = {
  fr: JSON.parse(readFileSync(join(root, 'templates', 'i18n', 'fr.json'), 'utf8')),
  en: JSON.parse(readFileSync(join(root, 'templates', 'i18n', 'en.json'), 'utf8')),
};

// Mon espace folds each setting in a <details> (id "<section>-fold"): opens
// it as a person would, by its summary, unless it is already open.
export async function openFold(page, section) {
  const fold = page.locator(`#${section}-fold`);
  if (!(await fold.evaluate((d) => d.open))) await fold.locator(':scope > summary').click();
}
