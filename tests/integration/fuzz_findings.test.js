// What the fuzz targets (tests/fuzz) found, replayed against the real binary:
// an Accept-Language weight outside RFC 9110's qvalue no longer outranks
// every language, and a configuration toml++ 3.3.0 would mishandle stops
// start-up with its line instead of reaching undefined behaviour.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Portier, Client, binary } from '../support/portier.js';
import { tempConfig } from './helpers.js';

let portier;

before(async () => {
  portier = new Portier();
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
});

const lang = async (header) =>
  (await new Client(portier.url).get('/connexion', { headers: { 'accept-language': header } })).text.match(
    /<html lang="(\w+)"/,
  )?.[1];

test('Accept-Language: a malformed weight counts for nothing, valid weights still decide', async () => {
  assert.equal(await lang('fr;q=2, en;q=0.5'), 'en', 'q=2 is not a trump card');
  assert.equal(await lang('fr;q=inf, en;q=0.1'), 'en');
  assert.equal(await lang('fr;Q=0.1, en;q=0.5'), 'en', 'Q is the same weight as q');
  assert.equal(await lang('fr;q=0.4, en;q=0.8'), 'en');
  assert.equal(await lang('en;q=0.4, fr;q=0.8'), 'fr');
  assert.equal(await lang('en;q=2'), 'fr', 'nothing acceptable: the portal default');
});

test('a configuration with a non-ASCII key stops start-up with its line', () => {
  const env = { ...portier.env, PORTIER_LISTEN: '' };
  const bad = tempConfig('[portal]\nname = "Réseau Santé"\nlégal = "x"\n');
  const good = tempConfig('[portal]\nname = "Réseau Santé" # é\ndefault_language = "de"\n');
  try {
    const r = spawnSync(binary, ['serve', '--config', bad.path], { env, encoding: 'utf8', timeout: 10000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /line 3: a character outside the ASCII range/);
    assert.equal(r.stdout, '', 'nothing served');
    // French text inside quotes and comments is fine: the file is read and
    // its one real problem reported (never served: no port is taken).
    const ok = spawnSync(binary, ['serve', '--config', good.path], { env, encoding: 'utf8', timeout: 10000 });
    assert.equal(ok.status, 2, ok.stderr);
    assert.match(ok.stderr, /portal\.default_language/);
    assert.doesNotMatch(ok.stderr, /outside the ASCII range/);
  } finally {
    bad.remove();
    good.remove();
  }
});
