// The operator's fallback (second_step.allow_code_fallback_with_app = true):
// a member with an authenticator app may still finish the second step with
// a code by email. Off by default (tests/integration/factors.test.js).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier, Client } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { csrfOf, enrolApp } from '../support/app.js';

const PASSWORD = 'Lanterne-Garrigue-Phare-31';
let smtp;
let portier;

before(async () => {
  smtp = await new SmtpSink().start();
  portier = new Portier({
    env: { PORTIER_SECOND_STEP: 'optional' },
    toml: [...smtp.mailConfig(), '[second_step]', 'allow_code_fallback_with_app = true'],
  });
  portier.addUser({ identifier: 'gilles', email: 'gilles@example.org', password: PASSWORD, name: 'gilles' });
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
  await smtp?.stop();
});

test('with the operator\'s fallback, a member with an app may get a code by email', async () => {
  let c = new Client(portier.url);
  await c.signIn('gilles', PASSWORD);
  const { response } = await enrolApp(c, PASSWORD);
  assert.equal(response.status, 200);
  c = new Client(portier.url);
  const r = await c.signIn('gilles', PASSWORD);
  assert.equal(r.headers.get('location'), '/connexion/code');
  const page = await c.get('/connexion/code');
  assert.match(page.text, /action="\/connexion\/code\/envoi"/);
  assert.doesNotMatch(page.text, /data-testid="second-step-app-only"/);
  const sent = await c.request('POST', '/connexion/code/envoi', { form: { csrf: csrfOf(page.text), via: 'email' } });
  assert.equal(sent.status, 303);
  const mail = await smtp.waitFor((m) => m.to === 'gilles@example.org' && /\b\d{8}\b/.test(m.parsed.text));
  const code = mail.parsed.text.match(/\b(\d{8})\b/)[1];
  const done = await c.submit('/connexion/code', '/connexion/code', { method: 'email', code });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), '/mon-espace');
});
