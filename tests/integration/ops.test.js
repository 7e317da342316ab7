// Operations endpoints, security headers and language selection.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier, Client } from '../support/portier.js';

const PASSWORD = 'Velo-Rouge-Matin-42';
let portier;

before(async () => {
  portier = new Portier();
  portier.addUser({ identifier: 'alice', email: 'alice@example.org', password: PASSWORD });
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
});

test('/healthz and /readyz answer 200 in plain text', async () => {
  const c = new Client(portier.url);
  const h = await c.get('/healthz');
  assert.equal(h.status, 200);
  assert.equal(h.text.trim(), 'ok');
  assert.match(h.headers.get('content-type'), /^text\/plain/);
  const r = await c.get('/readyz');
  assert.equal(r.status, 200);
  assert.equal(r.text.trim(), 'ready');
});

test('/metrics exposes requests, sign-ins, queue depth and a latency histogram', async () => {
  const c = new Client(portier.url);
  const signIn = await c.signIn('alice', PASSWORD);
  assert.equal(signIn.status, 303);
  const failed = await new Client(portier.url).signIn('alice', 'Pas-le-bon-1234');
  assert.equal(failed.status, 401);

  const m = await c.get('/metrics');
  assert.equal(m.status, 200);
  assert.match(m.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const value = (re) => {
    const hit = m.text.match(re);
    assert.ok(hit, `missing ${re}\n${m.text}`);
    return Number(hit[1]);
  };
  assert.ok(value(/^portier_http_requests_total\{method="POST",route="\/connexion",status="303"\} (\d+)$/m) >= 1);
  assert.ok(value(/^portier_http_requests_total\{method="GET",route="\/connexion",status="200"\} (\d+)$/m) >= 2);
  assert.equal(value(/^portier_sign_ins_total\{outcome="success"\} (\d+)$/m), 1);
  assert.equal(value(/^portier_sign_ins_total\{outcome="failure"\} (\d+)$/m), 1);
  assert.ok(value(/^portier_worker_queue_depth\{pool="pages"\} (\d+)$/m) >= 0);
  assert.match(m.text, /^# TYPE portier_http_request_duration_seconds histogram$/m);
  const inf = value(/^portier_http_request_duration_seconds_bucket\{route="\/connexion",le="\+Inf"\} (\d+)$/m);
  const count = value(/^portier_http_request_duration_seconds_count\{route="\/connexion"\} (\d+)$/m);
  assert.equal(inf, count);
  assert.ok(count >= 4);
  assert.ok(value(/^portier_http_request_duration_seconds_sum\{route="\/connexion"\} ([\d.e+-]+)$/m) > 0);
  // Buckets are cumulative.
  const buckets = [...m.text.matchAll(/^portier_http_request_duration_seconds_bucket\{route="\/connexion",le="[^"]+"\} (\d+)$/gm)].map(
    (x) => Number(x[1]),
  );
  assert.ok(buckets.length > 3);
  for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i] >= buckets[i - 1], `buckets not cumulative: ${buckets}`);
  // Unknown paths share one label instead of growing the series without bound.
  await c.get('/nope-' + Math.random());
  const again = await c.get('/metrics');
  assert.doesNotMatch(again.text, /route="\/nope-/);
});

function assertSecurityHeaders(r) {
  const csp = r.headers.get('content-security-policy');
  assert.ok(csp, 'CSP present');
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(r.headers.get('referrer-policy'), 'Referrer-Policy present');
  assert.equal(r.headers.get('strict-transport-security'), null, 'no HSTS with an http public URL');
}

test('security headers on a page and on a 404', async () => {
  const c = new Client(portier.url);
  const page = await c.get('/connexion');
  assert.equal(page.status, 200);
  assertSecurityHeaders(page);
  assert.equal(page.headers.get('cache-control'), 'no-store');

  const missing = await c.get('/cette-page-n-existe-pas');
  assert.equal(missing.status, 404);
  assert.match(missing.headers.get('content-type'), /^text\/html/);
  assertSecurityHeaders(missing);

  const wrongMethod = await c.request('DELETE', '/connexion');
  assert.equal(wrongMethod.status, 405);
  assertSecurityHeaders(wrongMethod);
});

test('language: French by default, English on Accept-Language: en', async () => {
  const fr = await new Client(portier.url).get('/connexion');
  assert.match(fr.text, /<html lang="fr"/);
  const en = await new Client(portier.url).get('/connexion', { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
  assert.match(en.text, /<html lang="en"/);
  const de = await new Client(portier.url).get('/connexion', { headers: { 'accept-language': 'de-DE' } });
  assert.match(de.text, /<html lang="fr"/, 'unsupported languages fall back to the default');
});

test('language switch sets a cookie and redirects back to a local path only', async () => {
  const c = new Client(portier.url);
  const r = await c.get('/langue?choix=en&retour=/connexion');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/connexion');
  assert.ok(r.setCookies.some((h) => /^portier_lang=en;/.test(h)), `language cookie: ${r.setCookies}`);
  const page = await c.get('/connexion', { headers: { 'accept-language': 'fr' } });
  assert.match(page.text, /<html lang="en"/, 'the chosen language wins over Accept-Language');

  for (const retour of [
    '//evil.example',
    '/\\evil.example',
    '/\t/evil.example', // browsers drop tabs: this would become //evil.example
    '/\n/evil.example',
    'https://evil.example/',
    '%2F%2Fevil.example',
  ]) {
    const evil = await new Client(portier.url).get(`/langue?choix=en&retour=${encodeURIComponent(retour)}`);
    assert.equal(evil.status, 303);
    assert.equal(evil.headers.get('location'), '/', `retour=${retour}`);
  }
  const bad = await new Client(portier.url).get('/langue?choix=xx&retour=/connexion');
  assert.equal(bad.status, 303);
  assert.equal(bad.setCookies.length, 0, 'an unknown language sets no cookie');
});

test('HEAD answers carry the length GET would have; a 405 names the route\'s methods', async () => {
  const c = new Client(portier.url);
  for (const path of ['/connexion', '/healthz', '/mot-de-passe-oublie', '/static/portier.css']) {
    const get = await c.get(path);
    assert.equal(get.status, 200, path);
    const head = await c.request('HEAD', path);
    assert.equal(head.status, 200, path);
    assert.equal(head.text, '', `${path}: HEAD has no body`);
    assert.equal(Number(head.headers.get('content-length')), Buffer.byteLength(get.text), `${path}: HEAD length`);
  }
  const wrong = await c.request('DELETE', '/connexion');
  assert.equal(wrong.status, 405);
  assert.deepEqual(wrong.headers.get('allow').split(/,\s*/).sort(), ['GET', 'HEAD', 'POST']);
  const probe = await c.request('POST', '/healthz');
  assert.equal(probe.status, 405);
  assert.deepEqual(probe.headers.get('allow').split(/,\s*/).sort(), ['GET', 'HEAD']);
});
