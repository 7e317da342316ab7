// TLS on loopback, in one run on this machine: handshakes per second (full
// and resumed, `openssl s_time`) and requests per second (wrk, keep-alive)
// over portier's own HTTPS against its plain HTTP, and beside nginx
// terminating TLS in front of the same portier (the shipped card block).
// Usage: node bench/tls.mjs [seconds] [connections]
import { execFileSync } from 'node:child_process';

import { Portier } from '../tests/support/portier.js';
import { Nginx, nginxInstalled } from '../tests/support/nginx.js';
import { ServerCertificates } from '../tests/support/tls_certs.js';

const SECONDS = Number(process.argv[2] || 5);
const CONNECTIONS = Number(process.argv[3] || 32);

// New (full) or resumed handshakes per second, one client process.
function handshakes(port, resumed) {
  const out = execFileSync('openssl', ['s_time', '-connect', `127.0.0.1:${port}`, resumed ? '-reuse' : '-new',
    '-time', String(SECONDS)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const m = out.match(/(\d+) connections in (\d+) real seconds/);
  return m ? (Number(m[1]) / Number(m[2])).toFixed(0) : '?';
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
  console.log(`TLS, ${SECONDS} s per figure, ${CONNECTIONS} keep-alive connections for requests (ECDSA P-256 certificate)`);
  console.log(`portier handshakes: ${handshakes(tlsPort, false)}/s full, ${handshakes(tlsPort, true)}/s resumed`);
  console.log(`portier GET /healthz: ${requests(`${portier.url}/healthz`)} plain HTTP, ${requests(`https://127.0.0.1:${tlsPort}/healthz`)} HTTPS`);
  if (nginxInstalled()) {
    const client = certs.issueClient('bench-client');
    nginx = await new Nginx({ upstreams: [portier.port],
      card: { upstream: portier.port, cert: server.cert, key: server.key, clientCa: client.ca } }).start();
    const port = nginx.card.port;
    console.log(`nginx (TLS) → portier (HTTP) handshakes: ${handshakes(port, false)}/s full, ${handshakes(port, true)}/s resumed`);
    console.log(`nginx (TLS) → portier (HTTP) GET /healthz: ${requests(`https://127.0.0.1:${port}/healthz`)}`);
  } else {
    console.log('nginx: not installed, skipped');
  }
} finally {
  await nginx?.cleanup();
  await portier.cleanup();
  certs.cleanup();
}
