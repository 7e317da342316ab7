// The "I'm not a robot" endpoint and the widget's files. The guarded forms
// themselves are driven by the recovery journeys (tests/e2e, tests/support/robot.js).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { Portier, Client } from '../support/portier.js';
import { solve } from '../support/robot.js';

let portier;

before(async () => {
  portier = new Portier();
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
});

test('GET /robot/defi answers a fresh signed challenge, never cached', async () => {
  const c = new Client(portier.url);
  const r = await c.get('/robot/defi');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/json');
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const challenge = JSON.parse(r.text);
  assert.deepEqual(Object.keys(challenge).sort(), ['algorithm', 'challenge', 'maxnumber', 'salt', 'signature']);
  assert.equal(challenge.algorithm, 'SHA-256');
  assert.equal(challenge.maxnumber, 100000);
  const expires = Number(challenge.salt.match(/\?expires=(\d+)$/)[1]);
  const inMinutes = (expires * 1000 - Date.now()) / 60000;
  assert.ok(inMinutes > 19 && inMinutes <= 20, `expires in ${inMinutes} min`);
  assert.ok(solve(challenge).length > 0);
  const again = JSON.parse((await c.get('/robot/defi')).text);
  assert.notEqual(again.challenge, challenge.challenge);
});

test('the widget files are served from /static/vendor/ with script and style types', { skip: !existsSync('static/vendor/altcha.js') && 'run make assets first' }, async () => {
  const c = new Client(portier.url);
  for (const [path, type] of [['altcha.js', /^text\/javascript/], ['worker.js', /^text\/javascript/], ['altcha.css', /^text\/css/]]) {
    const r = await c.get(`/static/vendor/${path}`);
    assert.equal(r.status, 200, path);
    assert.match(r.headers.get('content-type'), type, path);
  }
  assert.equal((await c.get('/static/vendor/missing.js')).status, 404);
});
