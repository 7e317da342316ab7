// Outgoing SMS through an HTTP gateway stub (tests/support/sms_gateway.js):
// `portier sms test` makes exactly the configured request (JSON with a
// bearer token from the environment, or a form with an API key), and maps
// the gateway's answers to exit 4 "unavailable" (retried by the outbox) or
// "refused" (failed for good). SMS queued by the outbox worker are covered
// in the unit tier (ChannelMailer routing): no page queues an SMS yet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readdirSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Portier } from '../support/portier.js';
import { SmsGateway } from '../support/sms_gateway.js';

const SECRET = 'tok_9f8e7d6c5b4a';
let gateway;
const portiers = [];

// A portier whose configuration file holds an [sms] section; the secret comes
// from the environment, as the documentation recommends.
function portierWith(sms, env = { PORTIER_SMS_SECRET: SECRET }) {
  const p = new Portier({ env });
  const lines = Object.entries(sms).map(([k, v]) => `${k} = ${JSON.stringify(v)}`);
  const path = join(p.dataDir, 'portier.toml');
  writeFileSync(path, `[sms]\n${lines.join('\n')}\n`);
  p.config = path;
  portiers.push(p);
  return p;
}

const jsonApi = () => ({
  gateway_url: `${gateway.url}/v1/sms/send`,
  headers: ['Authorization: Bearer {{secret}}', 'X-Client: portier'],
  body_template: '{"to":"{{to}}","text":"{{text}}","sender":"{{sender}}"}',
  body_format: 'json',
  sender: 'PORTAIL',
  timeout: 5,
});

before(async () => {
  gateway = await new SmsGateway().start();
});

after(async () => {
  for (const p of portiers) await p.cleanup();
  await gateway?.stop();
});

test('sms test makes exactly the configured JSON request, secret from the environment', async () => {
  gateway.clear();
  gateway.answer = { status: 200, body: '{"status":"OK","id":"sms-1"}' };
  const portier = portierWith(jsonApi());
  const text = 'Votre code : 123456 "x" \\ é & a=b\nfin';
  const r = await portier.cliAsync(['sms', 'test', '+33612345678', '--text', text]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^OK: HTTP 200: \{"status":"OK","id":"sms-1"\}/m, "the gateway's answer is printed");
  assert.match(r.stdout, /SMS gateway 127\.0\.0\.1:\d+ \(POST, json\)/);
  assert.equal(gateway.requests.length, 1);
  const req = gateway.requests[0];
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/v1/sms/send');
  assert.equal(req.headers['content-type'], 'application/json');
  assert.equal(req.headers['authorization'], `Bearer ${SECRET}`);
  assert.equal(req.headers['x-client'], 'portier');
  assert.deepEqual(req.json, { to: '+33612345678', text, sender: 'PORTAIL' });
  assert.equal(req.body, JSON.stringify({ to: '+33612345678', text, sender: 'PORTAIL' }), 'the exact bytes');
  assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET), 'the secret is never printed');
});

test('a national number is sent in E.164 form', async () => {
  gateway.clear();
  gateway.answer = { status: 200, body: 'OK' };
  const portier = portierWith(jsonApi());
  const r = await portier.cliAsync(['sms', 'test', '06 12 34 56 78']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(gateway.requests[0].json.to, '+33612345678');
});

test('a form-encoded gateway with an API key in the body', async () => {
  gateway.clear();
  gateway.answer = { status: 201, body: 'queued' };
  const portier = portierWith({
    gateway_url: `${gateway.url}/api/send`,
    body_format: 'form',
    body_template: 'apikey={{secret}}&numero={{to_national}}&message={{text}}&expediteur={{sender}}',
    sender: 'Réseau',
    success_status: [201],
  });
  const text = 'code 654321 & more=yes +plus';
  const r = await portier.cliAsync(['sms', 'test', '+33612345678', '--text', text]);
  assert.equal(r.status, 0, r.stderr);
  const req = gateway.requests[0];
  assert.equal(req.method, 'POST');
  assert.equal(req.path, '/api/send');
  assert.equal(req.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.equal(req.headers['authorization'], undefined);
  assert.deepEqual(req.form, { apikey: SECRET, numero: '0612345678', message: text, expediteur: 'Réseau' });
});

test('a GET gateway takes percent-encoded values in the URL', async () => {
  gateway.clear();
  gateway.answer = { status: 200, body: 'OK' };
  const portier = portierWith({
    gateway_url: `${gateway.url}/send?key={{secret}}&to={{to_digits}}&msg={{text}}`,
    method: 'GET',
  });
  const r = await portier.cliAsync(['sms', 'test', '+33612345678', '--text', 'a&b=c d']);
  assert.equal(r.status, 0, r.stderr);
  const req = gateway.requests[0];
  assert.equal(req.method, 'GET');
  assert.deepEqual(req.query, { key: SECRET, to: '33612345678', msg: 'a&b=c d' });
  assert.equal(req.body, '');
});

test('a gateway answering 500 is unavailable (exit 4), without the secret in the detail', async () => {
  gateway.clear();
  gateway.answer = { status: 500, body: `internal error for token ${SECRET}` };
  const portier = portierWith(jsonApi());
  const r = await portier.cliAsync(['sms', 'test', '+33612345678']);
  assert.equal(r.status, 4);
  assert.match(r.stderr, /sms test failed \(unavailable, /);
  assert.match(r.stderr, /HTTP 500: internal error for token \[secret\]/);
  assert.ok(!r.stderr.includes(SECRET));
});

test('a gateway answering 400 refuses the SMS (exit 4)', async () => {
  gateway.clear();
  gateway.answer = { status: 400, body: '{"error":"invalid number"}' };
  const portier = portierWith(jsonApi());
  const r = await portier.cliAsync(['sms', 'test', '+33612345678']);
  assert.equal(r.status, 4);
  assert.match(r.stderr, /sms test failed \(refused, .*HTTP 400: \{"error":"invalid number"\}/);
});

test('success_body_contains not met: refused even with 200', async () => {
  gateway.clear();
  gateway.answer = { status: 200, body: '{"status":"ERROR","reason":"no credit"}' };
  const portier = portierWith({ ...jsonApi(), success_body_contains: '"status":"OK"' });
  const r = await portier.cliAsync(['sms', 'test', '+33612345678']);
  assert.equal(r.status, 4);
  assert.match(r.stderr, /refused.*no credit/);
});

test('a gateway that is down is unavailable', async () => {
  const down = await new SmsGateway().start();
  const url = down.url;
  await down.stop();
  const portier = portierWith({ ...jsonApi(), gateway_url: `${url}/sms` });
  const r = await portier.cliAsync(['sms', 'test', '+33612345678']);
  assert.equal(r.status, 4);
  assert.match(r.stderr, /unavailable/);
});

test('configuration problems are all listed (exit 2)', async () => {
  const portier = portierWith(
    { gateway_url: 'http://sms.example.org/send', method: 'PUT', body_format: 'xml', headers: ['Authorization Bearer {{secret}}'] },
    {},
  );
  const r = portier.cli(['sms', 'test', '+33612345678']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /sms\.gateway_url: https:\/\/ is required/);
  assert.match(r.stderr, /sms\.method/);
  assert.match(r.stderr, /sms\.body_format/);
  assert.match(r.stderr, /sms\.headers/);
  assert.match(r.stderr, /PORTIER_SMS_SECRET/);
});

test('without a gateway, SMS are written to .sms files', async () => {
  const portier = portierWith({});
  const r = await portier.cliAsync(['sms', 'test', '+33612345678', '--text', 'code 111222']);
  assert.equal(r.status, 0, r.stderr);
  const dir = join(portier.dataDir, 'outbox');
  assert.ok(existsSync(dir));
  const files = readdirSync(dir).filter((f) => f.endsWith('.sms'));
  assert.equal(files.length, 1);
  const content = readFileSync(join(dir, files[0]), 'utf8');
  assert.match(content, /^To: \+33612345678$/m);
  assert.match(content, /code 111222/);
});
