// Changing the email address (issue 9, item 2) over HTTP against the real
// server and a real SMTP sink: the change needs the password, nothing changes
// until the new mailbox answers (link or code, single use, tries counted),
// the old address is told at once and can cancel ("pas moi"), the switch
// revokes pending reset links and ends the other sessions, the audit keeps
// masked values, the console starts the same flow and cannot write the
// address, and Mon espace's profile form ignores an email field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier, Client } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { decodeEntities } from './helpers.js';
import { staffWithApp, consoleId, signedIn, csrfOf } from './staff_session.js';

const PASSWORD = 'Lanterne-Garrigue-Phare-31';
let portier;
let smtp;
let agentClient;
// The support agent, signed in with an app once for the whole file.
const theAgent = async () => (agentClient ??= await staffWithApp(portier, 'agent', PASSWORD));

before(async () => {
  smtp = await new SmtpSink().start();
  portier = new Portier({ env: { PORTIER_SECOND_STEP: 'optional' },
    toml: smtp.mailConfig(['from_address = "no-reply@example.org"']) });
  for (const who of ['anne', 'bruno', 'chloe', 'denis', 'emma', 'fanny', 'gilles'])
    portier.addUser({ identifier: who, email: `${who}@example.org`, password: PASSWORD, name: `Dr ${who}` });
  portier.addUser({ identifier: 'agent', email: 'agent@example.org', password: PASSWORD, name: 'Agent', role: 'support' });
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
  await smtp?.stop();
});

const emailOf = (identifier) => portier.cli(['user', 'show', identifier]).stdout.match(/^email:\s+(\S+)$/m)[1];
const pathOf = (url) => { const u = new URL(url); return u.pathname + u.search; };

// Asks for `to` from `client`'s Mon espace; returns the two mails (new, old).
async function ask(client, to, password = PASSWORD) {
  const r = await client.submit('/mon-espace/courriel', '/mon-espace/courriel', { new_email: to, email_password: password });
  return r;
}
async function mailsFor(oldAddress, newAddress) {
  const confirm = await smtp.waitFor((m) => m.to === newAddress && /Confirmez/.test(m.parsed.subject));
  const told = await smtp.waitFor((m) => m.to === oldAddress && /Changement d.adresse e-mail/.test(m.parsed.subject));
  return {
    link: pathOf(confirm.parsed.text.match(/(http\S+\/changement-courriel\/confirmer\?jeton=[\w-]+)/)[1]),
    code: confirm.parsed.text.match(/\b([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})\b/)[1],
    cancel: pathOf(told.parsed.text.match(/(http\S+\/changement-courriel\/pas-moi\?jeton=[\w-]+)/)[1]),
    told,
  };
}
async function postLink(client, link, action) {
  const page = await client.get(link);
  assert.equal(page.status, 200, `${link} opens`);
  const token = new URL('http://x' + link).searchParams.get('jeton');
  return client.request('POST', action, { form: { csrf: csrfOf(page.text), jeton: token } });
}

test('without the current password nothing is sent and nothing changes', async () => {
  const c = await signedIn(portier, 'anne', PASSWORD);
  const before = smtp.messages.length;
  for (const password of ['', 'pas-le-bon-mot-de-passe']) {
    const r = await ask(c, 'anne.nouvelle@example.org', password);
    assert.equal(r.status, 422);
    assert.match(r.text, /id="email_password-error"/);
  }
  assert.equal(emailOf('anne'), 'anne@example.org');
  assert.equal(smtp.messages.length, before, 'no mail for a refused request');
});

test('the profile form ignores an email field', async () => {
  const c = await signedIn(portier, 'anne', PASSWORD);
  const r = await c.submit('/mon-espace', '/mon-espace/profil', { display_name: 'Dr Anne', email: 'pirate@evil.example' });
  assert.equal(r.status, 303);
  assert.equal(emailOf('anne'), 'anne@example.org');
});

test('with the password, nothing changes until the code comes back; the old address is told; the switch is single use and ends the other sessions', async () => {
  const c = await signedIn(portier, 'bruno', PASSWORD);
  const other = await signedIn(portier, 'bruno', PASSWORD);
  const r = await ask(c, 'bruno.neuf@example.org');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/mon-espace/courriel?info=email_change_sent');
  const { code, told } = await mailsFor('bruno@example.org', 'bruno.neuf@example.org');
  assert.equal(emailOf('bruno'), 'bruno@example.org', 'not before the proof');
  assert.match(told.parsed.text, /b•+@example\.org/, 'the old address sees the new one masked');
  assert.doesNotMatch(told.parsed.text, /bruno\.neuf/);
  const pending = await c.get('/mon-espace/courriel');
  assert.match(pending.text, /data-testid="email-change-pending"/);

  const done = await c.submit('/mon-espace/courriel', '/mon-espace/courriel/code', { code: code.toLowerCase() });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), '/mon-espace?info=email_changed');
  assert.equal(emailOf('bruno'), 'bruno.neuf@example.org');
  const notice = await smtp.waitFor((m) => m.to === 'bruno@example.org' && /a été modifiée/.test(m.parsed.subject));
  assert.match(notice.parsed.text, /\/assistance/);
  assert.equal((await c.get('/mon-espace')).status, 200, 'the confirming browser stays signed in');
  assert.equal((await other.get('/mon-espace')).status, 303, 'the other session ended');
  // Single use: the same code again finds nothing pending.
  const again = await c.submit('/mon-espace/courriel', '/mon-espace/courriel/code', { code });
  assert.equal(again.status, 303);
  assert.equal(again.headers.get('location'), '/mon-espace/courriel');
});

test('the link opens a form (GET changes nothing) and its POST switches once', async () => {
  const c = await signedIn(portier, 'chloe', PASSWORD);
  const other = await signedIn(portier, 'chloe', PASSWORD);
  assert.equal((await ask(c, 'chloe.neuf@example.org')).status, 303);
  const { link, code } = await mailsFor('chloe@example.org', 'chloe.neuf@example.org');
  const reader = new Client(portier.url);  // the new mailbox, on another device, not signed in
  const page = await reader.get(link);
  assert.equal(page.status, 200);
  assert.match(page.text, /data-testid="email-change-masked">c•+@example\.org</);
  assert.equal((await reader.get(link)).status, 200, 'opening twice is fine');
  assert.equal(emailOf('chloe'), 'chloe@example.org', 'GET never changes state');
  const token = new URL('http://x' + link).searchParams.get('jeton');
  const r = await reader.request('POST', '/changement-courriel/confirmer', { form: { csrf: csrfOf(page.text), jeton: token } });
  assert.equal(r.status, 200);
  assert.match(r.text, /data-testid="email-change-result"/);
  assert.equal(emailOf('chloe'), 'chloe.neuf@example.org');
  assert.equal((await reader.get(link)).status, 404, 'spent');
  const late = await c.submit('/mon-espace/courriel', '/mon-espace/courriel/code', { code });
  assert.equal(late.headers.get('location'), '/mon-espace/courriel', 'the code died with the link');
  assert.equal((await c.get('/mon-espace')).status, 200, 'the browser that asked (with the password) stays signed in');
  assert.equal((await other.get('/mon-espace')).status, 303, 'any other session ends at the switch');
});

test('"this was not me" cancels the pending change', async () => {
  const c = await signedIn(portier, 'denis', PASSWORD);
  assert.equal((await ask(c, 'voleur@evil.example')).status, 303);
  const { link, cancel } = await mailsFor('denis@example.org', 'voleur@evil.example');
  const owner = new Client(portier.url);
  const r = await postLink(owner, cancel, '/changement-courriel/pas-moi');
  assert.equal(r.status, 200);
  assert.match(r.text, /href="\/mot-de-passe-oublie"/, 'suggests changing the password');
  assert.match(r.text, /href="\/assistance"/);
  assert.equal((await new Client(portier.url).get(link)).status, 404, 'the link to the new address is dead');
  assert.equal(emailOf('denis'), 'denis@example.org');
  assert.equal((await owner.get(cancel)).status, 404, 'single use');
});

test('wrong codes are counted; past the tries even the right code is refused; a second request at once is refused', async () => {
  const c = await signedIn(portier, 'emma', PASSWORD);
  assert.equal((await ask(c, 'emma.neuf@example.org')).status, 303);
  const { code } = await mailsFor('emma@example.org', 'emma.neuf@example.org');
  const soon = await ask(c, 'emma.autre@example.org');
  assert.equal(soon.status, 422, 'the resend cooldown');
  for (let i = 0; i < 5; i++) {
    const r = await c.submit('/mon-espace/courriel', '/mon-espace/courriel/code', { code: 'AAAA-AAAA-AAAA' });
    assert.equal(r.status, 422);
    assert.match(r.text, /id="code-error"/);
  }
  const right = await c.submit('/mon-espace/courriel', '/mon-espace/courriel/code', { code });
  assert.equal(right.status, 422);
  assert.equal(emailOf('emma'), 'emma@example.org');
});

test('a reset link mailed to the old address dies at the switch; the audit keeps masked values', async () => {
  const agent = await theAgent();
  const id = await consoleId(agent, 'fanny');
  const csrf = await agent.csrf(`/support/compte?id=${id}`);
  const sent = await agent.request('POST', '/support/compte/reinitialisation', { form: { csrf, id, reason: 'Appel' } });
  assert.equal(sent.status, 303);
  const reset = await smtp.waitFor((m) => m.to === 'fanny@example.org' && /mot-de-passe-oublie\/nouveau/.test(m.parsed.text));
  const resetLink = pathOf(reset.parsed.text.match(/(http\S+\/mot-de-passe-oublie\/nouveau\?jeton=[\w-]+)/)[1]);
  assert.equal((await new Client(portier.url).get(resetLink)).status, 200, 'the reset link works before');

  const c = await signedIn(portier, 'fanny', PASSWORD);
  assert.equal((await ask(c, 'fanny.neuve@example.org')).status, 303);
  const { link } = await mailsFor('fanny@example.org', 'fanny.neuve@example.org');
  assert.equal((await postLink(new Client(portier.url), link, '/changement-courriel/confirmer')).status, 200);
  assert.equal(emailOf('fanny'), 'fanny.neuve@example.org');
  assert.equal((await new Client(portier.url).get(resetLink)).status, 404, 'the pending reset link no longer works');

  const page = decodeEntities((await agent.get(`/support/compte?id=${id}`)).text);
  const rows = page.match(/<tr data-testid="console-audit-row" data-event="email_change\.[a-z_]+">[\s\S]*?<\/tr>/g);
  const completed = rows.find((row) => /data-event="email_change\.completed"/.test(row));
  assert.match(completed, /f•+@example\.org -> f•+@example\.org/);
  for (const row of rows) assert.doesNotMatch(row, /fanny(\.neuve)?@example\.org/, 'the audit keeps masked values only');
});

test('the console correction starts the same flow and cannot write the address; the console can cancel it', async () => {
  const agent = await theAgent();
  const id = await consoleId(agent, 'gilles');
  const act = async (path, form) => {
    const csrf = await agent.csrf(`/support/compte?id=${id}`);
    return agent.request('POST', path, { form: { csrf, id, reason: 'Appel du membre', ...form } });
  };
  const r = await act('/support/compte/courriel', { email: 'gilles.neuf@example.org', agent_password: PASSWORD });
  assert.equal(r.status, 303);
  assert.equal(emailOf('gilles'), 'gilles@example.org', 'not written by the console');
  const { told } = await mailsFor('gilles@example.org', 'gilles.neuf@example.org');
  assert.match(told.parsed.text, /assistance/i);
  let page = decodeEntities((await agent.get(`/support/compte?id=${id}`)).text);
  assert.match(page, /data-testid="pending-email"[\s\S]*?<strong>g•+@example\.org<\/strong>/);
  assert.match(page, /data-event="support\.email_change_requested"[\s\S]*?agent<\/td>[\s\S]*?g•+@example\.org -> g•+@example\.org; motif\s: Appel du membre/);
  const cancelled = await act('/support/compte/courriel/annuler', {});
  assert.equal(cancelled.status, 303);
  page = decodeEntities((await agent.get(`/support/compte?id=${id}`)).text);
  assert.doesNotMatch(page, /data-testid="pending-email"/);
  assert.match(page, /data-event="support\.email_change_cancelled"/);
  assert.equal(emailOf('gilles'), 'gilles@example.org');
});
