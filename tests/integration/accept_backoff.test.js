// Out of file descriptors (EMFILE), the accept loop pauses and resumes
// instead of spinning, logs at a bounded rate, and serves again once
// descriptors are free. The server runs under `ulimit -n 64` with the
// connection cap set above it, so accept() itself fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { Portier, binary } from '../support/portier.js';
import { rawExchange, statusOf, waitFor } from './helpers.js';

let portier;
let proc;
let output = '';
let port;

before(async () => {
  portier = new Portier({ toml: ['[server]', 'max_connections = 1000', 'max_connections_per_ip = 1000'] });
  proc = spawn('sh', ['-c', 'ulimit -n 64 && exec "$0" "$@"', binary, ...portier.args(['serve'])],
    { env: portier.env, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.on('data', (c) => { output += c; });
  proc.stderr.on('data', (c) => { output += c; });
  await waitFor(() => /listening on http:\/\/[\d.]+:(\d+)/.test(output), { ms: 15000, what: 'portier listening' });
  port = Number(output.match(/listening on http:\/\/[\d.]+:(\d+)/)[1]);
});

after(async () => {
  if (proc && proc.exitCode === null) {
    const exited = new Promise((r) => proc.on('exit', r));
    proc.kill('SIGTERM');
    await exited;
  }
  await portier?.cleanup();
});

test('EMFILE: the accept loop backs off, logs a few lines, and serves again once descriptors are free', async () => {
  const sockets = [];
  for (let i = 0; i < 120; i++) {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => {});
    sockets.push(s);
  }
  await waitFor(() => /accept failed on the public listener: Too many open files/.test(output), {
    ms: 10000, what: 'an EMFILE accept failure',
  });
  // Let the loop run into the limit for a while: at 100 ms pauses, a second
  // gives about ten failures and one log line per interval.
  await new Promise((r) => setTimeout(r, 1000));
  const lines = output.split('\n').filter((l) => /accept failed/.test(l));
  assert.equal(lines.length, 1, lines.join('\n'));

  for (const s of sockets) s.destroy();
  await waitFor(async () => statusOf((await rawExchange(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', { timeout: 2000 })).text) === 200,
    { ms: 15000, what: 'the server to answer again' });
  assert.equal(proc.exitCode, null, 'still running');
});
