// TLS on loopback, in one run on this machine: handshakes per second (full
// and resumed, Node clients) and requests per second (wrk, keep-alive)
// over portier's own HTTPS against its plain HTTP, and beside nginx
// terminating TLS in front of the same portier (the shipped card block).
// Usage: node bench/tls.mjs [seconds] [connections]
import { execFileSync } from 'node:child_process';
import tls from 'node:tls';

import { Portier } from '../tests/support/portier.js';
import { Nginx, nginxInstalled } from '../tests/support/nginx.js';
import { ServerCertificates } from '../tests/support/tls_certs.js';

const SECONDS = Number(process.argv[2] || 5);
const CONNECTIONS = Number(process.argv[3] || 32);

// New (full) or resumed handshakes per second: CLIENTS loops in this
// process, each connecting, completing the handshake (TLS 1.3) and closing,
// again and again; resumed ones present the session (ticket) of the
// previous connection. Certificates are not verified (as wrk does not).
const CLIENTS = 16;
async function handshakes(port, resumed) {
  const end = Date.now() + SECONDS * 1000;
  let done = 0;
  let failed = 0;
  const loop = async () => {
    let session;
    while (Date.now() < end) {
      await new Promise((resolve) => {
        const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, session: resumed ? session : undefined });
        socket.on('session', (s) => { session = s; });
        socket.once('secureConnect', () => {
          done++;
          // A TLS 1.3 ticket comes just after the handshake: wait for it when resuming.
          if (resumed && !session) socket.once('session', () => socket.destroy());
          else socket.destroy();
        });
        socket.once('error', () => { failed++; resolve(); });
        socket.once('close', resolve);
      });
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, loop));
  return `${(done / SECONDS).toFixed(0)}${failed ? ` (${failed} failed)` : ''}`;
}

function requests(url) {
  const out = execFileSync('wrk', ['-t2', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', url], { encoding: 'utf8' });
  const rps = out.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? '?';
  const p99 = out.match(/ 99%\s+(\S+)/)?.[1] ?? '?';
  return `${Number(rps).toFixed(0)}/s (p99 ${p99})`;
}

const certs = new ServerCertificates();
const server = certs.issue('bench');
const portier = new Portier({
  env: { PORTIER_LOG_LEVEL: 'warn' },
  toml: ['[server]', 'trusted_proxies = ["127.0.0.1"]', 'max_connections_per_ip = 1024',
    '[[server.listeners]]', 'address = "127.0.0.1:0"',
    '[[server.listeners]]', 'address = "127.0.0.1:0"', `tls_certificate = "${server.cert}"`, `tls_key = "${server.key}"`],
});
let nginx;
try {
  await portier.start();
  const deadline = Date.now() + 5000;
  let m;
  while (!(m = portier.output.match(/also listening on https:\/\/127\.0\.0\.1:(\d+)/)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  const tlsPort = Number(m[1]);
  console.log(`TLS, ${SECONDS} s per figure, ${CLIENTS} concurrent Node clients for handshakes, ${CONNECTIONS} keep-alive connections for requests (ECDSA P-256 certificate)`);
  console.log(`portier handshakes: ${await handshakes(tlsPort, false)}/s full, ${await handshakes(tlsPort, true)}/s resumed`);
  console.log(`portier GET /healthz: ${requests(`${portier.url}/healthz`)} plain HTTP, ${requests(`https://127.0.0.1:${tlsPort}/healthz`)} HTTPS`);
  if (nginxInstalled()) {
    const client = certs.issueClient('bench-client');
    nginx = await new Nginx({ upstreams: [portier.port],
      card: { upstream: portier.port, cert: server.cert, key: server.key, clientCa: client.ca } }).start();
    const port = nginx.card.port;
    console.log(`nginx (TLS) → portier (HTTP) handshakes: ${await handshakes(port, false)}/s full, ${await handshakes(port, true)}/s resumed`);
    console.log(`nginx (TLS) → portier (HTTP) GET /healthz: ${requests(`https://127.0.0.1:${port}/healthz`)}`);
  } else {
    console.log('nginx: not installed, skipped');
  }
} finally {
  await nginx?.cleanup();
  await portier.cleanup();
  certs.cleanup();
}
