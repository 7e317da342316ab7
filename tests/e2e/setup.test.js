// Journey 2: the first administrator is created from the setup link printed at
// start-up; a first attempt with an error shows the error summary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newContext, startPortier, signIn, submitAndWait, expectErrorSummaryLinked } from './support/browser.js';

let browser;
let portier;
before(async () => {
  browser = await launchBrowser();
  portier = await startPortier();
});
after(async () => {
  await browser?.close();
  await portier?.cleanup();
});

const admin = { identifier: 'admin.reseau', email: 'admin@example.org', name: 'Administration du réseau',
  password: 'verger-brume-citadelle-88' };

test('the first administrator is created with the setup link, then signs in', async () => {
  const link = portier.setupLink();
  assert.ok(link, `no setup link printed:\n${portier.output}`);
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    const first = await page.goto(link);
    assert.equal(first.status(), 200);
    await page.locator('#identifier').fill(admin.identifier);
    await page.locator('#display_name').fill(admin.name);
    await page.locator('#email').fill(admin.email);
    await page.locator('#password').fill(admin.password);
    await page.locator('#confirm_password').fill(admin.password + 'x');
    const rejected = await submitAndWait(page, page.getByTestId('setup-submit'));
    assert.equal(rejected.status(), 422);

    // The error summary lists the problem and links to the field in error.
    assert.deepEqual(await expectErrorSummaryLinked(page), ['#confirm_password']);
    const links = page.getByTestId('error-summary').getByRole('link');
    const field = page.locator('#confirm_password');
    assert.match(await page.title(), /^(Erreur|Error)/, 'the title says there is an error');
    // Following the link moves to the field.
    await links.first().click();
    assert.match(page.url(), /#confirm_password$/);
    assert.ok(await field.evaluate((el) => el === document.activeElement), 'the field in error gets the focus');

    // What was typed is kept except the passwords.
    assert.equal(await page.locator('#identifier').inputValue(), admin.identifier);
    assert.equal(await page.locator('#email').inputValue(), admin.email);
    assert.equal(await page.locator('#password').inputValue(), '');
    await page.locator('#password').fill(admin.password);
    await page.locator('#confirm_password').fill(admin.password);
    await Promise.all([page.waitForURL('**/connexion?info=setup_done'), page.getByTestId('setup-submit').click()]);
    await page.getByTestId('notice').waitFor();

    // The link served once.
    const again = await context.request.get(link);
    assert.equal(again.status(), 410);

    await signIn(page, portier.url, admin.identifier, admin.password);
    assert.match(page.url(), /\/mon-espace$/);
    assert.equal(await page.getByTestId('account-identifier').textContent(), admin.identifier);
  } finally {
    await context.close();
  }
});
