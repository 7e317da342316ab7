// Outgoing mail through a real SMTP server: `portier mail test`, its exit
// codes when the relay is down or refuses, DKIM signatures that verify, and
// `portier mail list`. (Messages queued by requests and delivered later are
// covered with the recovery pages, which enqueue them.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Portier } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { waitFor } from './helpers.js';

const require = createRequire(import.meta.url);
const { dkimVerify } = require('mailauth/lib/dkim/verify');

const FROM = 'no-reply@portail.example.org';
let smtp;
const portiers = [];

// A portier whose configuration file (in its data folder) holds `mail` settings.
function portierWith(mail) {
  const p = new Portier();
  const lines = Object.entries(mail).map(([k, v]) => `${k} = ${JSON.stringify(v)}`);
  const path = join(p.dataDir, 'portier.toml');
  writeFileSync(path, `[mail]\n${lines.join('\n')}\n`);
  p.config = path;
  portiers.push(p);
  return p;
}

const relay = () => ({ smtp_url: smtp.url, smtp_tls: 'none', from_address: FROM, from_name: 'Réseau Santé Île-de-France', smtp_timeout: 5 });

before(async () => {
  smtp = await new SmtpSink({ rejectRecipients: ['nobody@example.org'] }).start();
});

after(async () => {
  for (const p of portiers) await p.cleanup();
  await smtp?.stop();
});

test('mail test delivers a multipart message with the expected headers', async () => {
  smtp.clear();
  const portier = portierWith({ ...relay(), reply_to: 'assistance@example.org' });
  const r = await portier.cliAsync(['mail', 'test', 'marie@example.org', '--lang', 'en']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^OK: 250 .*queued as test-1/m, 'the server\'s own words are printed');

  const m = await smtp.waitFor((x) => x.to === 'marie@example.org');
  assert.equal(m.from, FROM, 'envelope MAIL FROM');
  const p = m.parsed;
  assert.equal(p.from.value[0].address, FROM);
  assert.equal(p.from.value[0].name, 'Réseau Santé Île-de-France', 'RFC 2047 display name decodes');
  assert.equal(p.replyTo.value[0].address, 'assistance@example.org');
  assert.equal(p.to.value[0].address, 'marie@example.org');
  assert.match(p.subject, /test message/);
  assert.ok(p.date instanceof Date && Math.abs(p.date - Date.now()) < 60000, 'Date header is now');
  assert.match(p.messageId, /^<[0-9a-f]{32}@portail\.example\.org>$/);
  assert.equal(p.headers.get('auto-submitted'), 'auto-generated');
  assert.equal(p.headers.get('mime-version'), '1.0');
  assert.equal(p.headers.get('content-type').value, 'multipart/alternative');
  assert.match(p.text, /This test message was sent by/);
  assert.match(p.html, /<html lang="en">/);
  assert.ok(!/<img|<script|https?:\/\/[^"]*\.(png|gif|jpg)/i.test(p.html), 'no remote images or scripts');
  const raw = m.raw.toString('latin1');
  assert.ok(!/[^\r]\n/.test(raw), 'every line ends in CRLF');
});

test('mail test in French by default', async () => {
  smtp.clear();
  const portier = portierWith(relay());
  const r = await portier.cliAsync(['mail', 'test', 'jean@example.org']);
  assert.equal(r.status, 0, r.stderr);
  const m = await smtp.waitFor((x) => x.to === 'jean@example.org');
  assert.match(m.parsed.subject, /message de test/);
  assert.match(m.parsed.text, /Ce message de test a été envoyé/);
});

test('with the SMTP server down, mail test fails clearly with exit 4; back up, it works', async () => {
  const portier = portierWith(relay());
  const port = smtp.port;
  await smtp.stop();
  try {
    const r = await portier.cliAsync(['mail', 'test', 'marie@example.org']);
    assert.equal(r.status, 4, r.stdout + r.stderr);
    assert.match(r.stderr, /mail test failed \(unavailable/);
    assert.match(r.stderr, /connect/i);
    assert.equal(r.stdout, '');
  } finally {
    await smtp.start();
  }
  assert.equal(smtp.port, port, 'the sink restarts on the same port');
  smtp.clear();
  const again = await portier.cliAsync(['mail', 'test', 'marie@example.org']);
  assert.equal(again.status, 0, again.stderr);
  await smtp.waitFor((x) => x.to === 'marie@example.org');
});

test('a recipient refused with 550 fails with exit 4 and the server\'s words', async () => {
  const portier = portierWith(relay());
  const r = await portier.cliAsync(['mail', 'test', 'nobody@example.org']);
  assert.equal(r.status, 4);
  assert.match(r.stderr, /refused/);
  assert.match(r.stderr, /550/);
  assert.match(r.stderr, /no such user/);
});

test('STARTTLS is required by default: a server without it is refused', async () => {
  const portier = portierWith({ smtp_url: smtp.url, from_address: FROM, smtp_timeout: 5 });
  const r = await portier.cliAsync(['mail', 'test', 'marie@example.org']);
  assert.equal(r.status, 4);
  assert.match(r.stderr, /STARTTLS|SSL|TLS/i);
});

test('DKIM: the signature verifies against the published key', async () => {
  smtp.clear();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const portier = portierWith({});
  const keyFile = join(portier.dataDir, 'dkim.pem');
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const selector = 'portier2026';
  const domain = 'portail.example.org';
  writeFileSync(
    portier.config,
    `[mail]\n${Object.entries({ ...relay(), dkim_domain: domain, dkim_selector: selector, dkim_key_file: keyFile })
      .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
      .join('\n')}\n`,
  );
  const r = await portier.cliAsync(['mail', 'test', 'marie@example.org']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /DKIM portail\.example\.org/);
  const m = await smtp.waitFor((x) => x.to === 'marie@example.org');
  assert.match(m.raw.toString(), /^DKIM-Signature: /);

  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const asked = [];
  const resolver = async (name, type) => {
    asked.push(`${type} ${name}`);
    if (type === 'TXT' && name === `${selector}._domainkey.${domain}`) return [[`v=DKIM1; k=rsa; p=${spki}`]];
    throw Object.assign(new Error('NXDOMAIN'), { code: 'ENOTFOUND' });
  };
  const result = await dkimVerify(m.raw, { resolver });
  assert.deepEqual(asked, [`TXT ${selector}._domainkey.${domain}`]);
  assert.equal(result.results.length, 1);
  const sig = result.results[0];
  assert.equal(sig.status.result, 'pass', JSON.stringify(sig.status));
  assert.equal(sig.signingDomain, domain);
  assert.equal(sig.selector, selector);
  assert.equal(sig.algo, 'rsa-sha256');
  assert.equal(sig.format, 'relaxed/relaxed');

  // The same signature no longer verifies once the body is changed.
  const tampered = Buffer.from(m.raw.toString().replace('Bonjour', 'Bonsoir'));
  const bad = await dkimVerify(tampered, { resolver });
  assert.notEqual(bad.results[0].status.result, 'pass');
});

test('invalid mail settings stop start-up with every problem listed', () => {
  const portier = portierWith({ from_address: 'Portier <x@example.org>', smtp_tls: 'ssl', dkim_domain: 'example.org' });
  const r = portier.cli(['mail', 'list']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /mail\.from_address/);
  assert.match(r.stderr, /mail\.smtp_tls/);
  assert.match(r.stderr, /set all three or none/);
});

test('mail list runs on an empty outbox, and serve stops cleanly with the worker running', async () => {
  const portier = portierWith(relay());
  const r = portier.cli(['mail', 'list', '--status', 'failed']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  await portier.start();
  const started = Date.now();
  await portier.stop('SIGTERM');
  const { code } = await portier.exited;
  assert.equal(code, 0);
  assert.ok(Date.now() - started < 5000, 'the worker does not hold up shutdown');
  // Logs reach the pipe when the process exits (stdout is block-buffered).
  await waitFor(() => /outbox: sending through mail: smtp:\/\/127\.0\.0\.1/.test(portier.output), { what: 'the worker log' });
});
