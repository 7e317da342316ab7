// Times under a server running in UTC: the display zone (portal.time_zone,
// Europe/Paris by default) decides what members read, not the server's TZ.
// The assistance slots are Paris opening hours (9 h to 18 h) and their
// labels Paris times; a reset page shows its expiry in Paris time. (The New
// York server of words.test.js checks the same for mail and pages.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier, Client } from '../support/portier.js';
import { robotSolution } from '../support/robot.js';
import { parisDateTime, parisTimeOfDay } from '../support/display_time.js';

let portier;

before(async () => {
  portier = new Portier({ env: { TZ: 'UTC' }, toml: ['[security]', 'robot_max_number = 1000'] });
  portier.addUser({ identifier: 'claire.martin', email: 'claire@example.org', name: 'Claire Martin', password: 'ruisseau-lanterne-hiver-42' });
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
});

const parisHour = (date) => Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: 'numeric', hourCycle: 'h23' }).format(date));

test('assistance slots are Paris opening hours, labelled in Paris time', async () => {
  const page = await new Client(portier.url).get('/assistance');
  assert.equal(page.status, 200);
  const slots = [...page.text.matchAll(/name="slot" value="(\d+)"[^>]*><label for="[^"]+">([^<]+)</g)];
  assert.ok(slots.length > 0, 'slots are offered');
  for (const [, id, label] of slots) {
    const at = new Date(Number(id) * 1000);
    assert.equal(label, parisTimeOfDay(at), `slot ${id}`);
    const hour = parisHour(at);
    assert.ok(hour >= 9 && hour < 18, `slot ${id} at ${hour} h in Paris is within the opening hours`);
  }
  assert.match(page.text, /Les heures sont celles de Paris/);
  assert.doesNotMatch(page.text, /\b(UTC|CET|CEST)\b/);
});

test('a reset page shows its expiry in Paris time', async () => {
  const client = new Client(portier.url);
  const csrf = await client.csrf('/mot-de-passe-oublie');
  const altcha = await robotSolution(portier.url);
  const asked = Date.now();
  const r = await client.request('POST', '/mot-de-passe-oublie', { form: { csrf, target: 'claire.martin', altcha } });
  assert.equal(r.status, 303);
  const page = await client.get('/mot-de-passe-oublie/code');
  const shown = page.text.match(/data-testid="recovery-expires">([^<]+)</)[1];
  const expected = [0, 1, 2].map((s) => parisDateTime(new Date(asked + 3600_000 + s * 1000)));
  assert.ok(expected.includes(shown), `"${shown}" is one of ${expected.join(' / ')}`);
  assert.doesNotMatch(page.text, /\b(UTC|CET|CEST)\b/);
});
