// portier as an OpenID Connect provider beside npm oidc-provider (the
// certified Node provider), in one run, same machine, same load generator:
//   - client_credentials grants per second (client_secret_basic)
//   - discovery and JWKS requests per second
//   - complete authorization-code round trips per second for a member
//     already signed in: GET authorize (PKCE S256, state, nonce) -> the
//     redirect with the code -> POST token (client_secret_basic, code_verifier)
//     -> an ID token
//   - resident memory (VmRSS) after the run, and the peak (VmHWM)
// Same key type (RS256 ID tokens) and token format (opaque access tokens,
// JWT ID tokens: oidc-provider's defaults). oidc-provider runs in a process
// of its own (tests/support/node_op.js) with its default in-memory adapter
// (an LRU of 1000 entries: no database, and bounded memory), portier on
// SQLite with its defaults.
// wrk drives the GETs and the grants; the round trips, which need a fresh
// code each, run in this process over keep-alive connections.
//
// What portier does not serve yet (404, or a `portier client` command that
// does not exist) prints "n/a": no figure is made up.
//
// Usage: node bench/oidc.mjs [seconds per measurement] [connections]
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Portier, Client } from '../tests/support/portier.js';
import { NodeOpProcess } from '../tests/support/node_op.js';
import { Browser } from '../tests/support/browser.js';
import { freePort } from '../tests/support/nginx.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.argv[2] || 10);
const CONNECTIONS = Number(process.argv[3] || 8);
const PASSWORD = 'correct horse battery staple';
const cores = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
// Never contacted: the round trip stops at the redirect carrying the code.
const redirectUri = 'http://127.0.0.1:9/callback';

const basic = (id, secret) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const memory = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+)`, 'm'))[1]);
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
};

// A result is { rate, errors } or { na: 'why' }.
const na = (why) => ({ na: why });

// One wrk run; 200 answers counted apart from the rest (bench/status.lua).
function wrk(url, { body = '', authorization = '' } = {}) {
  const out = execFileSync('wrk', ['-t2', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '-s', join(root, 'bench', 'status.lua'), url],
    { encoding: 'utf8', env: { ...process.env, BENCH_BODY: body, BENCH_AUTHORIZATION: authorization } });
  const [, ok, other] = out.match(/ok=(\d+) other=(\d+)/).map(Number);
  return { rate: ok / SECONDS, errors: other };
}

// Probes `url` once the way wrk will send it: a 404 means "not there yet".
async function probe(url, { body, authorization, expect }) {
  const res = await fetch(url, {
    method: body ? 'POST' : 'GET',
    headers: { ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...(authorization ? { authorization } : {}) },
    body,
  });
  const text = await res.text();
  if (res.status === 404) return na('404');
  if (res.status !== 200) return na(`${res.status}: ${text.slice(0, 120)}`);
  if (expect && !expect(JSON.parse(text))) return na(`unexpected answer: ${text.slice(0, 120)}`);
  return null;
}

async function measureGet(url, expect) {
  return (await probe(url, { expect })) ?? wrk(url);
}

async function measureClientCredentials(tokenEndpoint, client) {
  if (!client) return na('no client: `portier client add` failed');
  const body = 'grant_type=client_credentials';
  const authorization = basic(client.id, client.secret);
  return (await probe(tokenEndpoint, { body, authorization, expect: (j) => j.access_token && j.token_type })) ?? wrk(tokenEndpoint, { body, authorization });
}

// Authorization-code round trips for a signed-in browser (its cookies in
// `cookie`), CONNECTIONS at a time for SECONDS.
async function measureRoundTrips({ authorizationEndpoint, tokenEndpoint, issuer, client, cookie }) {
  if (!client) return na('no client: `portier client add` failed');
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const request = (url, { method = 'GET', headers = {}, body } = {}) => new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: { ...headers, ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
  const authorization = basic(client.id, client.secret);
  // One round trip: true when it ended with an ID token, else the reason.
  const roundTrip = async () => {
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(16).toString('base64url');
    const url = new URL(authorizationEndpoint);
    for (const [k, v] of Object.entries({
      response_type: 'code', client_id: client.id, redirect_uri: redirectUri, scope: 'openid', state,
      nonce: randomBytes(16).toString('base64url'), code_challenge_method: 'S256',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    })) url.searchParams.set(k, v);
    const a = await request(url, { headers: { cookie } });
    if (a.status === 404) return '404';
    const location = a.headers.location ? new URL(a.headers.location, url) : null;
    if (!location || location.origin + location.pathname !== redirectUri) return `authorize answered ${a.status} ${a.headers.location ?? a.text.slice(0, 120)}`;
    const code = location.searchParams.get('code');
    if (!code || location.searchParams.get('state') !== state) return `no code: ${location}`;
    if (location.searchParams.has('iss') && location.searchParams.get('iss') !== issuer) return `wrong iss: ${location}`;
    const t = await request(tokenEndpoint, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }).toString(),
    });
    if (t.status !== 200) return `token answered ${t.status}: ${t.text.slice(0, 120)}`;
    if (!JSON.parse(t.text).id_token) return 'no id_token';
    return true;
  };
  try {
    const first = await roundTrip();
    if (first === '404') return na('404');
    if (first !== true) return na(first);
    let ok = 0;
    let errors = 0;
    let firstError = null;
    const end = Date.now() + SECONDS * 1000;
    const started = Date.now();
    await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < end) {
        const r = await roundTrip().catch((e) => e.message);
        if (r === true) ok++;
        else { errors++; firstError ??= r; }
      }
    }));
    if (firstError) console.error(`  first failed round trip: ${firstError}`);
    return { rate: ok / ((Date.now() - started) / 1000), errors };
  } finally {
    agent.destroy();
  }
}

// Every measurement of one provider, then its memory.
async function measureProvider({ issuer, pid, codeClient, ccClient, cookie }) {
  let metadata = null;
  const discoveryUrl = `${issuer}/.well-known/openid-configuration`;
  const d = await fetch(discoveryUrl);
  if (d.status === 200) metadata = await d.json();
  const results = {};
  results.discovery = await measureGet(discoveryUrl, (j) => j.issuer === issuer);
  // portier's JWKS path is fixed; discovery names it when it exists.
  results.jwks = await measureGet(metadata?.jwks_uri ?? `${issuer}/.well-known/jwks.json`, (j) => Array.isArray(j.keys) && j.keys.length > 0);
  // Round trips before the grants: oidc-provider's default store is an LRU
  // of 1000 entries, where thousands of client_credentials tokens would push
  // the signed-in session out (each round trip reads it, keeping it fresh).
  results.roundTrips = await measureRoundTrips({
    authorizationEndpoint: metadata?.authorization_endpoint ?? `${issuer}/authorize`,
    tokenEndpoint: metadata?.token_endpoint ?? `${issuer}/token`, issuer, client: codeClient, cookie,
  });
  results.clientCredentials = await measureClientCredentials(metadata?.token_endpoint ?? `${issuer}/token`, ccClient);
  results.memory = memory(pid);
  return results;
}

// --- oidc-provider ---------------------------------------------------------
async function nodeProvider() {
  const code = { id: 'bench-code', secret: randomBytes(32).toString('base64url') };
  const cc = { id: 'bench-cc', secret: randomBytes(32).toString('base64url') };
  const op = await new NodeOpProcess({
    clients: [
      { client_id: code.id, client_secret: code.secret, redirect_uris: [redirectUri], token_endpoint_auth_method: 'client_secret_basic' },
      { client_id: cc.id, client_secret: cc.secret, grant_types: ['client_credentials'], response_types: [], redirect_uris: [] },
    ],
    accounts: { loadtest: { email: 'loadtest@example.org' } },
    signInAs: ['loadtest', { amr: ['pwd'] }],
  }).start();
  try {
    // Sign in once (the interaction completes at once), keep the cookies.
    const browser = new Browser();
    const url = new URL(`${op.issuer}/auth`);
    const verifier = randomBytes(32).toString('base64url');
    for (const [k, v] of Object.entries({ response_type: 'code', client_id: code.id, redirect_uri: redirectUri, scope: 'openid',
      code_challenge_method: 'S256', code_challenge: createHash('sha256').update(verifier).digest('base64url') })) url.searchParams.set(k, v);
    const r = await browser.follow(url.href, { stop: (u) => u.href.startsWith(redirectUri) });
    if (!r.location?.startsWith(redirectUri)) throw new Error(`oidc-provider sign-in failed: ${r.status} ${r.url}`);
    return await measureProvider({ issuer: op.issuer, pid: op.pid, codeClient: code, ccClient: cc, cookie: browser.jar.header(op.issuer) });
  } finally {
    await op.stop();
  }
}

// --- portier ---------------------------------------------------------------
// `portier client add …` prints client_id: and client_secret: lines; null
// while that command does not exist.
function addClient(portier, args) {
  const r = portier.cli(['client', 'add', ...args]);
  const id = r.stdout.match(/^client_id: (\S+)$/m)?.[1];
  const secret = r.stdout.match(/^client_secret: (\S+)$/m)?.[1];
  if (r.status !== 0 || !id || !secret) {
    console.error(`  portier client add ${args.join(' ')}: exit ${r.status}: ${(r.stderr || r.stdout).trim().split('\n')[0]}`);
    return null;
  }
  return { id, secret };
}

async function portierProvider() {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  // Real argon2id cost (the member signs in once); the success limits are
  // not what is measured.
  const portier = new Portier({
    env: { PORTIER_ARGON2_MEMORY_KIB: '19456', PORTIER_ARGON2_ITERATIONS: '2', PORTIER_LOG_LEVEL: 'warn',
      PORTIER_LISTEN: `127.0.0.1:${port}`, PORTIER_PUBLIC_URL: issuer },
    toml: ['[oidc]', 'enabled = true', '[server]', `hashing_threads = ${cores}`],
  });
  try {
    portier.addUser({ identifier: 'loadtest', email: 'loadtest@example.org', password: PASSWORD });
    const codeClient = addClient(portier, ['--name', 'bench-code', '--redirect-uri', redirectUri, '--trusted']);
    const ccClient = addClient(portier, ['--name', 'bench-cc', '--grant-type', 'client_credentials']);
    await portier.start();
    const client = new Client(portier.url);
    const signedIn = await client.signIn('loadtest', PASSWORD);
    if (signedIn.status !== 303) throw new Error(`portier sign-in failed: ${signedIn.status}`);
    return await measureProvider({ issuer, pid: portier.proc.pid, codeClient, ccClient, cookie: client.cookieHeader() });
  } finally {
    await portier.cleanup();
  }
}

// --- the table ---------------------------------------------------------------
const rows = [
  ['client_credentials grants/s', 'clientCredentials'],
  ['authorization-code round trips/s', 'roundTrips'],
  ['discovery requests/s', 'discovery'],
  ['JWKS requests/s', 'jwks'],
];
const cell = (r) => {
  if (r.na) return `n/a (${r.na})`;
  return `${r.rate.toFixed(0)}${r.errors ? ` (${r.errors} errors)` : ''}`;
};
const ratio = (node, ours) => (node.na || ours.na || !node.rate ? '' : `${(ours.rate / node.rate).toFixed(2)}×`);

console.log(`OpenID Connect providers, ${new Date().toISOString()}, ${cores} cores, ${SECONDS} s per measurement, ${CONNECTIONS} connections`);
const node = await nodeProvider();
const ours = await portierProvider();
const table = [['', 'oidc-provider', 'portier', 'portier / oidc-provider']];
for (const [label, key] of rows) table.push([label, cell(node[key]), cell(ours[key]), ratio(node[key], ours[key])]);
const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;
table.push(['resident memory after the run', mib(node.memory.rss), mib(ours.memory.rss), '']);
table.push(['peak resident memory', mib(node.memory.peak), mib(ours.memory.peak), '']);
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
for (const row of table) console.log(row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
