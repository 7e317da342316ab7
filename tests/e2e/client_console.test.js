// Journey: an administrator signed in with an authenticator app registers an
// application in the console: a mistake first (the error summary leads to
// the field), then the client_id and the secret shown once; then edits it
// from its page (a mistake first, then saved: the confirmation takes the
// focus). axe on each page; screenshots of the forms, the secret page and
// the edited application for review (tests/e2e/screenshots/, git-ignored).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Client } from '../support/portier.js';
import {
  launchBrowser, newContext, signIn, submitAndWait, startPortier, expectNoAxeViolations, expectErrorSummaryLinked,
  screenshot,
} from './support/browser.js';
import { newKeyPage } from '../support/app.js';

const ADMIN = { identifier: 'alice.admin', email: 'alice@example.org', name: 'Alice Admin', password: 'Lanterne-Garrigue-Phare-31', role: 'admin' };
let browser;
let portier;
let key;

const oathtool = (k, offset = 0) => execFileSync('oathtool',
  ['--totp', '-b', '-N', `@${Math.floor(Date.now() / 1000) + offset}`, k.replace(/\s+/g, '')], { encoding: 'utf8' }).trim();

before(async () => {
  browser = await launchBrowser();
  portier = await startPortier({ users: [ADMIN], env: { PORTIER_SECOND_STEP: 'optional' } });
  const c = new Client(portier.url);
  await c.signIn(ADMIN.identifier, ADMIN.password);
  const page = await newKeyPage(c);
  key = page.text.match(/data-testid="totp-key"[^>]*>([A-Z2-7 ]+)</)[1];
  const csrf = page.text.match(/name="csrf" value="([^"]+)"/)[1];
  const r = await c.request('POST', '/mon-espace/application', { form: { csrf, code: oathtool(key), current_password: ADMIN.password } });
  assert.equal(r.status, 200);
});
after(async () => {
  await browser?.close();
  await portier?.cleanup();
});

test('an administrator registers an application and sees its secret once', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await signIn(page, portier.url, ADMIN.identifier, ADMIN.password);
    await page.locator('#app_code').fill(oathtool(key, 30));
    await submitAndWait(page, page.getByTestId('app-code-submit'));
    await page.goto(`${portier.url}/support`);
    await submitAndWait(page, page.getByTestId('console-nav-clients'));
    assert.match(page.url(), /\/support\/applications$/);
    await expectNoAxeViolations(page, 'applications');
    await submitAndWait(page, page.getByTestId('clients-new'));

    await page.getByTestId('client-name').fill('Agenda partagé');
    await page.getByTestId('client-redirect-uris').fill('http://agenda.example.org/retour');
    await page.getByTestId('client-trusted').check();
    await page.getByTestId('client-agent-password').fill(ADMIN.password);
    await submitAndWait(page, page.getByTestId('client-submit'));
    await expectErrorSummaryLinked(page);
    await expectNoAxeViolations(page, 'application form with an error');
    await screenshot(page, 'console-client-error-fr');

    await page.getByTestId('client-redirect-uris').fill('https://agenda.example.org/retour');
    await page.getByTestId('client-post-logout-uris').fill('https://agenda.example.org/au-revoir');
    // A password is never sent back to the browser: typed again.
    await page.getByTestId('client-agent-password').fill(ADMIN.password);
    await screenshot(page, 'console-client-new-fr');
    await submitAndWait(page, page.getByTestId('client-submit'));
    const secret = (await page.getByTestId('client-secret').textContent()).trim();
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(await page.getByTestId('client-secret-once').isVisible());
    await expectNoAxeViolations(page, 'application secret');
    await screenshot(page, 'console-client-secret-fr');

    await submitAndWait(page, page.getByTestId('client-details-link'));
    assert.ok(!(await page.content()).includes(secret), 'not shown again');
    await expectNoAxeViolations(page, 'application details');
    await screenshot(page, 'console-client-details-fr');

    // Editing: pre-filled, the client_id shown but not a field.
    await submitAndWait(page, page.getByTestId('client-edit'));
    assert.match(page.url(), /\/support\/applications\/application\/modifier\?id=/);
    assert.equal(await page.getByTestId('client-name').inputValue(), 'Agenda partagé');
    assert.ok(await page.getByTestId('scopes-openid').isChecked());
    await expectNoAxeViolations(page, 'application edit form');
    await screenshot(page, 'console-client-edit-fr');

    await page.getByTestId('client-name').fill('Agenda partagé du réseau');
    await page.getByTestId('scopes-openid').uncheck();
    await page.getByTestId('client-redirect-uris').fill('https://agenda.example.org/retour\nhttps://agenda.example.org/*');
    await submitAndWait(page, page.getByTestId('client-edit-submit'));
    const linked = await expectErrorSummaryLinked(page);
    assert.deepEqual(linked, ['#client-redirect_uris', '#client-scopes']);
    await expectNoAxeViolations(page, 'application edit form with errors');
    await screenshot(page, 'console-client-edit-error-fr');
    // The summary's link leads to the first box of the group.
    await page.locator('.error-summary a[href="#client-scopes"]').click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'client-scopes');

    await page.getByTestId('scopes-openid').check();
    await page.getByTestId('scopes-rpps').check();
    await page.getByTestId('client-redirect-uris').fill('https://agenda.example.org/retour');
    await page.getByTestId('client-id-token-alg').selectOption('ES256');
    await submitAndWait(page, page.getByTestId('client-edit-submit'));
    assert.match(page.url(), /\/support\/applications\/application\?id=.*&info=updated$/);
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'notice', null, { timeout: 3000 });
    assert.equal((await page.getByTestId('client-heading-name').textContent()).trim(), 'Agenda partagé du réseau');
    await expectNoAxeViolations(page, 'application edited');
    await screenshot(page, 'console-client-edited-fr');
  } finally {
    await context.close();
  }
});
