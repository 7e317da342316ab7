// Authenticator apps for the test suites: codes from Debian's oathtool (an
// implementation independent of the server's liboath), and the enrolment as
// Mon espace does it since the key is drawn on POST (GET never changes state).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

export const keyOf = (html) => html.match(/data-testid="totp-key"[^>]*>([A-Z2-7 ]+)</)[1];
export const csrfOf = (html) => html.match(/name="csrf" value="([^"]+)"/)[1];
export const RECOVERY_CODE_RE = /\b[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}\b/g;

// The app code of the current 30-second step (or `offset` seconds away).
export function oathtool(key, offset = 0) {
  const at = `@${Math.floor(Date.now() / 1000) + offset}`;
  return execFileSync('oathtool', ['--totp', '-b', '-N', at, key.replace(/\s+/g, '')], { encoding: 'utf8' }).trim();
}

// Draws a new key (POST /mon-espace/application/nouvelle-cle) and returns
// the enrolment page that shows it: { status, text } of the GET.
export async function newKeyPage(client) {
  const r = await client.submit('/mon-espace/application', '/mon-espace/application/nouvelle-cle', {});
  assert.equal(r.status, 303, `new key: ${r.status} ${r.text.slice(0, 200)}`);
  return client.get('/mon-espace/application');
}

// Draws a key and confirms it with the first code and the password (and,
// when replacing, `currentCode` from the current app or a recovery code).
// Returns { key, codes, response }.
export async function enrolApp(client, password, { currentCode } = {}) {
  const page = await newKeyPage(client);
  const key = keyOf(page.text);
  const form = { csrf: csrfOf(page.text), code: oathtool(key), current_password: password };
  if (currentCode !== undefined) form.current_app_code = currentCode;
  const response = await client.request('POST', '/mon-espace/application', { form });
  return { key, codes: response.text.match(RECOVERY_CODE_RE) ?? [], response };
}
