// Debian's nginx in front of portier nodes, run by the test user with the
// shipped configuration (deploy/nginx/portier.conf): the upstream addresses,
// the listening address and the log path are replaced, the TLS lines and the
// port-80 redirect left out (the tests speak plain HTTP on loopback).
// Everything else, proxy headers, retries, limits and timeouts, is the file
// operators install. Each replacement must find its line: a change to the
// shipped file that this generator no longer understands fails loudly.
//
//   const nginx = await new Nginx({ upstreams: [portA, portB], port }).start();
//   // with the card host too (TLS, client certificates forwarded):
//   new Nginx({ upstreams, card: { upstream: portC, cert, key, clientCa } }); nginx.card.port
//   nginx.url; nginx.served();  // [{ method, uri, status, upstreams: [port...] }]
//   await nginx.stop();
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const shippedConfig = join(root, 'deploy', 'nginx', 'portier.conf');
export const nginxBinary = process.env.NGINX_BIN || '/usr/sbin/nginx';
export const nginxInstalled = () => existsSync(nginxBinary) && spawnSync(nginxBinary, ['-v']).status === 0;

// A port nobody listens on right now (the kernel's choice, released at once).
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function replaceOnce(text, pattern, replacement, what) {
  const matches = text.match(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g'));
  if (!matches || matches.length !== 1) throw new Error(`deploy/nginx/portier.conf: expected one ${what}, found ${matches?.length ?? 0}`);
  return text.replace(pattern, replacement);
}

// The card host's block of the shipped file (TLS terminated by nginx, the
// card forwarded), made to run here: its upstream, its TLS port, the test
// certificates; everything else as shipped.
function cardBlock(block, { port, upstream, cert, key, clientCa, accessLog }) {
  let text = block;
  text = replaceOnce(text, /^(\s*server\s+)\S+:8081(\s[^;]*;)$/m, `$1127.0.0.1:${upstream}$2`, 'card upstream server line');
  text = replaceOnce(text, /^\s*listen 443 ssl http2;$/m, `    listen 127.0.0.1:${port} ssl;`, 'card TLS listen line');
  text = replaceOnce(text, /^\s*listen \[::\]:443 ssl http2;\n/m, '', 'card IPv6 TLS listen line');
  text = replaceOnce(text, /ssl_certificate\s+\S+;/, `ssl_certificate ${cert};`, 'card ssl_certificate');
  text = replaceOnce(text, /ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${key};`, 'card ssl_certificate_key');
  text = replaceOnce(text, /ssl_client_certificate\s+\S+;/, `ssl_client_certificate ${clientCa};`, 'card ssl_client_certificate');
  text = replaceOnce(text, /access_log \S+ portier;/, `access_log ${accessLog} portier;`, 'card access_log');
  text = replaceOnce(text, /^(\s*)proxy_pass (http:\/\/portier_card;)$/m, '$1proxy_pass $2\n$1proxy_bind 127.0.0.2;', 'card proxy_pass');
  return text;
}

// The shipped site configuration made to run here. `card`: also run the
// card host's block ({ port, upstream, cert, key, clientCa }); left out otherwise.
export function siteConfig({ upstreams, port, accessLog, card = null }) {
  let text = readFileSync(shippedConfig, 'utf8');
  const cardPattern = /^# --- card sign-in[\s\S]*?^# --- end of card sign-in ---\n/m;
  const card_ = text.match(cardPattern);
  if (!card_) throw new Error('deploy/nginx/portier.conf: no card sign-in block');
  text = text.replace(cardPattern, '');
  const servers = [...text.matchAll(/^(\s*server\s+)\S+:8080(\s[^;]*;)$/gm)];
  if (servers.length < 1) throw new Error('deploy/nginx/portier.conf: no upstream server line');
  const params = servers[0][2];
  text = text.replace(/^\s*server\s+\S+:8080\s[^;]*;\n/gm, '');
  text = replaceOnce(text, /^upstream portier \{\n/m,
    'upstream portier {\n' + upstreams.map((p) => `    server 127.0.0.1:${p}${params}\n`).join(''), 'upstream block');
  text = replaceOnce(text, /^server \{\n\s+listen 80;[\s\S]*?\n\}\n/m, '', 'port-80 redirect server');
  text = replaceOnce(text, /^\s*listen 443 ssl http2;$/m, `    listen 127.0.0.1:${port};`, 'TLS listen line');
  text = replaceOnce(text, /^\s*listen \[::\]:443 ssl http2;\n/m, '', 'IPv6 TLS listen line');
  text = text.replace(/^\s*ssl_\w+\s[^;]*;\n/gm, '');
  text = replaceOnce(text, /access_log \S+ portier;/, `access_log ${accessLog} portier;`, 'access_log');
  // nginx reaches the nodes from 127.0.0.2, the address the nodes list in
  // server.trusted_proxies: on one machine the test clients are 127.0.0.1,
  // and a client must not share its address with the trusted proxy.
  text = text.replace(/^(\s*)proxy_pass (http:\/\/portier\w*;)$/gm, '$1proxy_pass $2\n$1proxy_bind 127.0.0.2;');
  if (card) text += cardBlock(card_[0], { ...card, accessLog });
  return text;
}

export class Nginx {
  // `port`: where nginx listens (default: a free one at start); known in
  // advance, it can be the nodes' server.public_url before they start.
  constructor({ upstreams, port = 0, card = null }) {
    this.upstreams = upstreams;
    this.port = port;
    this.card = card;
    this.dir = mkdtempSync(join(tmpdir(), 'portier-nginx-'));
    this.output = '';
  }

  async start() {
    if (!this.port) this.port = await freePort();
    this.url = `http://127.0.0.1:${this.port}`;
    this.accessLog = join(this.dir, 'access.log');
    for (const t of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(this.dir, 'tmp', t), { recursive: true });
    if (this.card && !this.card.port) this.card.port = await freePort();
    writeFileSync(join(this.dir, 'portier.conf'),
      siteConfig({ upstreams: this.upstreams, port: this.port, accessLog: this.accessLog, card: this.card }));
    // Run as root (the CI container), the master would hand the workers to
    // `nobody`, who cannot enter this private folder.
    const user = process.getuid && process.getuid() === 0 ? 'user root;\n' : '';
    writeFileSync(join(this.dir, 'nginx.conf'), `${user}worker_processes 1;
events { worker_connections 1024; }
http {
    client_body_temp_path ${this.dir}/tmp/body;
    proxy_temp_path ${this.dir}/tmp/proxy;
    fastcgi_temp_path ${this.dir}/tmp/fastcgi;
    uwsgi_temp_path ${this.dir}/tmp/uwsgi;
    scgi_temp_path ${this.dir}/tmp/scgi;
    include ${this.dir}/portier.conf;
}
`);
    const args = ['-e', 'stderr', '-p', this.dir, '-c', join(this.dir, 'nginx.conf'),
      '-g', `daemon off; pid ${this.dir}/nginx.pid; error_log stderr;`];
    const test = spawnSync(nginxBinary, ['-t', ...args], { encoding: 'utf8' });
    if (test.status !== 0) throw new Error(`nginx -t refused the configuration:\n${test.stderr}`);
    this.proc = spawn(nginxBinary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    this.proc.stdout.on('data', (c) => { this.output += c; });
    this.proc.stderr.on('data', (c) => { this.output += c; });
    const end = Date.now() + 10000;
    while (!(await this.accepts())) {
      if (this.proc.exitCode !== null) throw new Error(`nginx exited:\n${this.output}`);
      if (Date.now() > end) throw new Error(`nginx did not listen:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return this;
  }

  accepts() {
    return new Promise((resolve) => {
      const s = net.connect(this.port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
  }

  // The requests nginx passed on, oldest first: which node(s) each went to
  // (several when it retried on the next one) and what came back.
  served() {
    let text = '';
    try { text = readFileSync(this.accessLog, 'utf8'); } catch { return []; }
    return text.trim().split('\n').filter(Boolean).map((line) => {
      // ... "METHOD URI" STATUS BYTES TIME ADDR[, ADDR...] STATUS[, STATUS...]
      const m = line.match(/^\S+ \S+ "(\S+) (\S+)" (\d+) \d+ \S+ (.*)$/);
      if (!m) throw new Error(`access log line not understood: ${line}`);
      const upstreams = m[4].split(' ').filter((t) => t.includes(':')).map((a) => Number(a.replace(',', '').split(':').pop()));
      return { method: m[1], uri: m[2], status: Number(m[3]), upstreams, line };
    });
  }

  async stop() {
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGQUIT'); // graceful: finish requests, then exit
      await this.exited;
    }
  }

  async cleanup() {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
