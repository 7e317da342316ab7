// With oidc.enabled false (the default) the token side's endpoints exist
// but answer 404, in OAuth JSON, whatever is sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier } from '../support/portier.js';

let portier;

before(async () => {
  portier = new Portier();
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
});

test('discovery, token, userinfo, introspection and revocation answer 404', async () => {
  const basic = 'Basic ' + Buffer.from('someone:secret').toString('base64');
  const requests = [
    ['GET', '/.well-known/openid-configuration', {}],
    ['POST', '/token', { authorization: basic }],
    ['GET', '/userinfo', { authorization: 'Bearer x' }],
    ['POST', '/userinfo', { authorization: 'Bearer x' }],
    ['POST', '/introspect', { authorization: basic }],
    ['POST', '/revoke', { authorization: basic }],
  ];
  for (const [method, path, headers] of requests) {
    const body = method === 'POST' ? new URLSearchParams({ grant_type: 'client_credentials', token: 'x' }) : undefined;
    const r = await fetch(portier.url + path, { method, headers, body });
    assert.equal(r.status, 404, `${method} ${path}`);
    assert.match(r.headers.get('content-type'), /^application\/json/, `${method} ${path}`);
    assert.equal((await r.json()).error, 'not_found', `${method} ${path}`);
  }
});
