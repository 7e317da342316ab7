// Journey, in French: a member lost the phone with the authenticator app and
// the recovery codes. The second step offers no code by email (the app is
// the strongest factor); the assistance resets the app from the console
// (reason and the agent's password); the member signs in and sets up a new
// app. axe on every page; screenshots for the docs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '../support/portier.js';
import { enrolApp, oathtool } from '../support/app.js';
import {
  launchBrowser, newContext, member, signIn, submitAndWait, startPortier, expectNoAxeViolations, screenshot, strings, openFold,
} from './support/browser.js';

const AGENT = { identifier: 'sophie.support', email: 'sophie@example.org', name: 'Sophie Support', password: 'Lanterne-Garrigue-Phare-31', role: 'support' };
const factors = JSON.parse(readFileSync(join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..', 'templates', 'i18n', 'factors.fr.json'), 'utf8'));
let browser;
let portier;
let agentKey;

async function enrolOverHttp(who) {
  const c = new Client(portier.url);
  await c.signIn(who.identifier, who.password);
  const { key, response } = await enrolApp(c, who.password);
  assert.equal(response.status, 200);
  return key;
}

before(async () => {
  browser = await launchBrowser();
  portier = await startPortier({ users: [AGENT, member], env: { PORTIER_SECOND_STEP: 'optional' } });
  agentKey = await enrolOverHttp(AGENT);
  await enrolOverHttp(member);  // the key is "lost" with the phone
});
after(async () => {
  await browser?.close();
  await portier?.cleanup();
});

test('lost app: no code by email, the assistance resets the app, the member sets up a new one', async () => {
  const fr = strings.fr;
  const memberContext = await newContext(browser);
  const agentContext = await newContext(browser);
  try {
    // 1. The member: password right, then only the app or a recovery code.
    const page = await memberContext.newPage();
    await signIn(page, portier.url, member.identifier, member.password);
    assert.match(page.url(), /\/connexion\/code$/);
    assert.equal(await page.getByTestId('second-step-send').count(), 0, 'no code by email or SMS');
    assert.equal((await page.getByTestId('second-step-app-only').textContent()).trim().startsWith(factors.factors_second_step_app_only), true);
    await expectNoAxeViolations(page, 'second step, app only');
    await screenshot(page, 'lost-app-second-step-fr', { docs: true });

    // 2. The assistance, signed in with its own app, resets the member's app.
    const desk = await agentContext.newPage();
    await signIn(desk, portier.url, AGENT.identifier, AGENT.password);
    await desk.locator('#app_code').fill(oathtool(agentKey, 30));
    await submitAndWait(desk, desk.getByTestId('app-code-submit'));
    await submitAndWait(desk, desk.getByTestId('nav-console'));
    await desk.getByLabel(fr.console_search_field, { exact: true }).fill('martin');
    await submitAndWait(desk, desk.getByTestId('console-search'));
    await submitAndWait(desk, desk.getByTestId('console-result').first());
    assert.equal((await desk.getByTestId('console-app').textContent()).trim(), factors.console_app_enrolled);
    await desk.getByTestId('group-acces').locator('summary').click();  // the actions are folded by group
    await desk.getByTestId('app_reset-reason').fill('Téléphone perdu, identité vérifiée par rappel');
    await desk.getByTestId('app_reset-agent-password').fill(AGENT.password);
    await expectNoAxeViolations(desk, 'console with the reset-app form');
    await submitAndWait(desk, desk.getByTestId('app_reset-submit'));
    assert.match(desk.url(), /info=app_reset/);
    assert.equal((await desk.getByTestId('notice').textContent()).trim(), factors.console_notice_app_reset);
    assert.equal((await desk.getByTestId('console-app').textContent()).trim(), factors.console_app_none);
    await screenshot(desk, 'lost-app-console-reset-fr', { docs: true });

    // 3. The member signs in (one step now) and sets up a new app.
    await signIn(page, portier.url, member.identifier, member.password);
    assert.match(page.url(), /\/mon-espace$/);
    await openFold(page, 'application');
    await submitAndWait(page, page.getByTestId('totp-section').getByTestId('totp-setup'));
    assert.equal(await page.getByTestId('totp-key').count(), 0, 'the page draws no key by itself');
    await submitAndWait(page, page.getByTestId('totp-new-key'));
    const key = (await page.getByTestId('totp-key').textContent()).trim();
    await page.reload();
    assert.equal((await page.getByTestId('totp-key').textContent()).trim(), key, 'a reload shows the same key');
    await page.locator('#totp_code').fill(oathtool(key));
    await page.locator('#current_password').fill(member.password);
    const enrolled = await submitAndWait(page, page.getByTestId('totp-submit'));
    assert.equal(enrolled.status(), 200);
    assert.equal((await page.getByTestId('recovery-codes').textContent()).trim().split(/\s+/).length, 10);
    await expectNoAxeViolations(page, 'new recovery codes after the reset');

    // 4. The new app opens the next sign-in.
    await page.goto(`${portier.url}/mon-espace`);
    await page.getByTestId('sign-out').click();
    await page.waitForURL('**/connexion?info=signed_out');
    await signIn(page, portier.url, member.identifier, member.password);
    await page.locator('#app_code').fill(oathtool(key, 30));
    await submitAndWait(page, page.getByTestId('app-code-submit'));
    assert.match(page.url(), /\/mon-espace$/);
  } finally {
    await memberContext.close();
    await agentContext.close();
  }
});
