// The shipped systemd unit (deploy/portier.service): systemd's own checker
// accepts it without a single warning, it keeps the hardening the operations
// guide promises, and the commands it runs are ones the binary knows.
// Skipped when systemd-analyze is not installed. And the shipped nginx
// configuration as installed, TLS included, passes `nginx -t` (it runs in
// front of two nodes in tests/integration/nodes.test.js, TLS aside).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binary } from '../support/portier.js';
import { nginxBinary, nginxInstalled, shippedConfig } from '../support/nginx.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const unitText = readFileSync(join(root, 'deploy', 'portier.service'), 'utf8');
const analyze = spawnSync('systemd-analyze', ['--version']).status === 0;
const skip = analyze ? false : 'systemd-analyze is not installed';

// `systemd-analyze verify` on `text` written as portier.service in a fresh
// folder, the installed path of the binary replaced by the one under test
// (verify refuses a command that does not exist). Returns its status and
// everything it printed: it reports bad values on stderr yet exits 0.
function verify(text) {
  const dir = mkdtempSync(join(tmpdir(), 'portier-unit-'));
  try {
    const path = join(dir, 'portier.service');
    writeFileSync(path, text.replaceAll('/usr/local/bin/portier', binary));
    const r = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8' });
    return { status: r.status, said: (r.stdout + r.stderr).trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Every `Key=value` of the [Service] section, a key that repeats as a list.
function serviceDirectives(text) {
  const section = text.split(/^\[Service\]$/m)[1].split(/^\[/m)[0];
  const d = new Map();
  for (const line of section.split('\n')) {
    const m = line.match(/^([A-Za-z]+)=(.*)$/);
    if (m) d.set(m[1], [...(d.get(m[1]) || []), m[2]]);
  }
  return d;
}

test('systemd-analyze verify accepts the unit without a warning', { skip }, () => {
  const r = verify(unitText);
  assert.equal(r.status, 0, r.said);
  assert.equal(r.said, '', 'no warning at all');
});

test('the check would see a mistake: a misspelt key and a bad value are reported', { skip }, () => {
  const typo = verify(unitText.replace('ProtectHome=yes', 'ProtectHomes=yes'));
  assert.match(typo.said, /Unknown key 'ProtectHomes'/);
  const bad = verify(unitText.replace('Type=exec', 'Type=forked'));
  assert.match(bad.said, /Failed to parse service type/);
});

test('the unit keeps the promised hardening', () => {
  const d = serviceDirectives(unitText);
  const one = (k) => { assert.equal(d.get(k)?.length, 1, `${k} once`); return d.get(k)[0]; };
  assert.equal(one('User'), 'portier');
  assert.equal(one('Group'), 'portier');
  assert.equal(one('DynamicUser'), 'no');
  assert.equal(one('Type'), 'exec', 'portier serve stays in the foreground and has no sd_notify');
  assert.equal(one('ProtectSystem'), 'strict');
  assert.equal(one('ReadWritePaths'), '/var/lib/portier', 'the data directory only');
  assert.equal(one('CapabilityBoundingSet'), '', 'no capability at all');
  assert.equal(one('UMask'), '0077');
  assert.equal(one('Restart'), 'on-failure');
  assert.equal(one('RestrictAddressFamilies'), 'AF_UNIX AF_INET AF_INET6');
  assert.equal(d.get('SystemCallFilter')[0], '@system-service');
  for (const k of ['PrivateTmp', 'NoNewPrivileges', 'ProtectHome', 'PrivateDevices', 'MemoryDenyWriteExecute',
    'LockPersonality', 'RestrictNamespaces'])
    assert.equal(one(k), 'yes', k);
  assert.equal(one('EnvironmentFile'), '/etc/portier/portier.env', 'a missing secrets file stops the start');
  assert.equal(one('ExecStartPre'), '/usr/local/bin/portier migrate');
  assert.equal(one('ExecStart'), '/usr/local/bin/portier serve');
});

test('the commands and variables of the unit are ones the binary understands', () => {
  // The unit's environment, pointed at a temporary data directory and an
  // empty configuration: ExecStartPre must succeed and create the database there.
  const d = serviceDirectives(unitText);
  const env = Object.fromEntries(d.get('Environment').map((e) => e.split('=')));
  assert.deepEqual(Object.keys(env).sort(), ['PORTIER_CONFIG', 'PORTIER_DATA_DIR']);
  const dir = mkdtempSync(join(tmpdir(), 'portier-unit-run-'));
  try {
    writeFileSync(join(dir, 'portier.toml'), '');
    const r = spawnSync(binary, d.get('ExecStartPre')[0].split(' ').slice(1), {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, PORTIER_CONFIG: join(dir, 'portier.toml'), PORTIER_DATA_DIR: join(dir, 'data') },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /applied \d+ migration/);
    assert.ok(existsSync(join(dir, 'data', 'portier.db')), 'the database is in PORTIER_DATA_DIR');
    const help = spawnSync(binary, ['--help'], { encoding: 'utf8' });
    assert.match(help.stdout, /^\s+serve\b/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nginx -t accepts the shipped nginx configuration as installed, TLS included', {
  skip: nginxInstalled() ? false : 'nginx is not installed (scripts/install-deps.sh --test)',
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'portier-nginx-t-'));
  try {
    // A throwaway certificate where the operator's would be; the files
    // nginx opens moved into this folder; everything else as shipped.
    const cert = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-subj', '/CN=portail.example.org', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
    { encoding: 'utf8' });
    assert.equal(cert.status, 0, cert.stderr);
    const site = readFileSync(shippedConfig, 'utf8')
      .replace(/\/etc\/ssl\/portier\/(carte-)?fullchain\.pem/g, join(dir, 'cert.pem'))
      .replace(/\/etc\/ssl\/portier\/(carte-)?privkey\.pem/g, join(dir, 'key.pem'))
      // The card block's CA bundle (the names sent in the handshake).
      .replaceAll('/etc/portier/igc-sante/fort-personnes-chain.pem', join(dir, 'cert.pem'))
      .replaceAll('/var/log/nginx/portier.access.log', join(dir, 'access.log'));
    writeFileSync(join(dir, 'site.conf'), site);
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir};`).join(' ');
    writeFileSync(join(dir, 'nginx.conf'), `events {}\nhttp {\n${temp}\ninclude ${join(dir, 'site.conf')};\n}\n`);
    const r = spawnSync(nginxBinary, ['-e', 'stderr', '-t', '-p', dir, '-c', join(dir, 'nginx.conf'),
      '-g', `pid ${join(dir, 'nginx.pid')}; error_log stderr;`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /test is successful/);
    assert.doesNotMatch(r.stderr, /\[warn\]|\[emerg\]/, r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
