// Small helpers shared by the integration suites (not a test file itself).
import net from 'node:net';
import { readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Resolves `value` after `ms` without keeping the process alive: for races
// against an event that normally comes first.
export const deadline = (ms, value = null) => new Promise((r) => setTimeout(() => r(value), ms).unref());

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

// Runs `action` and returns { result, added }: the rows of `query` (one value
// a row, such as an id_hash) that it added. How a test names "the flow (or
// session) just started" on both backends: rowid is SQLite's alone, and
// times in whole seconds can tie.
export async function rowsAddedBy(portier, query, action) {
  const rows = () => portier.sql(query).split('\n').filter(Boolean);
  const before = new Set(rows());
  const result = await action();
  return { result, added: rows().filter((r) => !before.has(r)) };
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
      const bytes = Buffer.concat(chunks);
      resolve({ text: bytes.toString('utf8'), bytes, error });
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

// The translated message `key`, read from templates/i18n so that wording
// changes do not break the tests.
const catalogs = {};
export function message(key, lang = 'fr') {
  // fr.json, then every <area>.fr.json beside it, as the server loads them.
  catalogs[lang] ??= Object.assign({}, ...[`${lang}.json`,
    ...readdirSync(new URL('../../templates/i18n/', import.meta.url)).filter((f) => f.endsWith(`.${lang}.json`))]
    .map((f) => JSON.parse(readFileSync(new URL(`../../templates/i18n/${f}`, import.meta.url), 'utf8'))));
  const text = catalogs[lang][key];
  if (typeof text !== 'string') throw new Error(`no message ${key} in ${lang}.json`);
  return text;
}

// Page text with the HTML entities a template engine produces decoded.
export function decodeEntities(html) {
  return html.replace(/&(amp|lt|gt|quot|apos|#(\d+)|#x([\da-f]+));/gi, (m, name, dec, hex) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[name.toLowerCase()];
  });
}

export function hasMessage(html, key, lang = 'fr') {
  return decodeEntities(html).includes(message(key, lang));
}

// The <input> tag whose name (or id) is `name`, or null.
export function inputTag(html, name, attr = 'name') {
  return html.match(new RegExp(`<input\\b[^>]*\\b${attr}="${name}"[^>]*>`))?.[0] ?? null;
}

export function inputValue(html, name) {
  return inputTag(html, name)?.match(/\bvalue="([^"]*)"/)?.[1];
}

// Splits a raw HTTP/1.1 response; `complete` is true when the body has the
// declared Content-Length.
export function parseRaw(bytes) {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return { complete: false };
  const head = bytes.subarray(0, end).toString('latin1');
  const body = bytes.subarray(end + 4);
  const length = Number(head.match(/\r\ncontent-length: *(\d+)/i)?.[1]);
  return { head, body: body.toString('utf8'), complete: Number.isFinite(length) && body.length === length };
}
