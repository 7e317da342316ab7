// Small helpers shared by the integration suites (not a test file itself).
import net from 'node:net';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls `fn` until it returns a truthy value or `ms` pass; returns that value.
export async function waitFor(fn, { ms = 5000, every = 25, what = 'condition' } = {}) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(every);
  }
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// Writes a temporary portier.toml; returns { path, remove }.
export function tempConfig(text) {
  const dir = mkdtempSync(join(tmpdir(), 'portier-config-'));
  const path = join(dir, 'portier.toml');
  writeFileSync(path, text);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// Sends `data` on a fresh TCP connection and collects everything the server
// sends until it closes. Resolves { text, closed, error }.
export function rawExchange(port, data, { timeout = 10000 } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks = [];
    let error = null;
    const timer = setTimeout(() => socket.destroy(new Error('raw exchange timed out')), timeout);
    socket.on('connect', () => socket.write(data));
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', (e) => { error = e; });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text: Buffer.concat(chunks).toString('utf8'), error });
    });
  });
}

// Tries to open a TCP connection; resolves true when refused.
export function connectionRefused(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); resolve(false); });
    s.on('error', (e) => resolve(e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET'));
  });
}

export function statusOf(rawResponse) {
  const m = rawResponse.match(/^HTTP\/1\.[01] (\d{3})/);
  return m ? Number(m[1]) : null;
}

export function cookieOf(setCookies, name) {
  for (const c of setCookies) {
    const [pair] = c.split(';');
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq).trim() === name) return { header: c, value: pair.slice(eq + 1).trim() };
  }
  return null;
}

export function testids(html, id) {
  return html.split(`data-testid="${id}"`).length - 1;
}

// Value of the element carrying data-testid="id" (text up to the next tag).
export function testidText(html, id) {
  const m = html.match(new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`));
  return m ? m[1] : null;
}
