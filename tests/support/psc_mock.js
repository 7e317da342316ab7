// A mock of Pro Santé Connect on npm oidc-provider (tests/support/node_op.js),
// shaped like the real one where a relying party can tell:
// - the realm path /auth/realms/esante-wallet and the discovery document at
//   the non-standard …/.well-known/wallet-openid-configuration;
// - authorization on another host than the token endpoint: the document
//   names http://localhost:PORT/… for authorization_endpoint (and
//   end_session_endpoint, where the browser's session cookie is), 127.0.0.1
//   for every other endpoint (PSC: wallet.esw… against auth.esw…);
// - scope `scope_all` with SubjectNameID ("8" + a valid RPPS), SubjectRefPro,
//   names and email, delivered by UserInfo (not in the ID token), acr eidas1;
// - UserInfo as a JWT signed by the provider's key (application/jwt).
// The ID token and UserInfo are signed here, by keys the mock publishes at
// its jwks_uri, so that a test can make it misbehave one way at a time:
//
//   const psc = await new PscMock({ redirectUri }).start();
//   psc.discoveryUrl; psc.issuer; psc.clientId; psc.clientSecret;
//   psc.signInAs(psc.practitioner.id);        // every login completes as her, acr eidas1
//   psc.misbehave('wrong-nonce');             // wrong-iss, wrong-nonce, bad-signature, no-acr, unknown-kid; null: behave
//   psc.rotateKeys();                         // a new key, published beside the old one, signs from now on
//   psc.signWith('PS256');                    // ID token and UserInfo in PS256; the JWKs then name no alg
//   await psc.stop();
//
// RP-initiated logout (end_session_endpoint, oidc-provider's /session/end):
// the relying party's id_token_hint is checked here against the mock's own
// keys (the ID tokens are re-signed by them, which oidc-provider does not
// know), recorded in psc.endSessionRequests, and the request goes on to
// oidc-provider without it (client_id names the client). oidc-provider then
// shows its confirmation form (one button, "yes"): a test posts it like any
// form, or sets psc.confirmLogout = true to have the mock confirm at once (a
// redirect to the form's action would need its xsrf: the mock posts it
// itself and answers with the provider's redirect). psc.logouts counts the
// sessions oidc-provider ended (a later sign-in then logs in afresh:
// psc.op.logins grows).
//
// new PscMock({ ..., endSession: false }): no end_session_endpoint announced.
//
// A second client authenticates by private key (private_key_jwt, RFC 7523):
//   new PscMock({ redirectUri, keyClient: { clientId: 'reseau-cle', jwks: { keys: [publicJwk] } } })
import { constants, createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { NodeOp, rsaSigningJwk } from './node_op.js';

export const PSC_REALM = '/auth/realms/esante-wallet';
export const PSC_DISCOVERY_PATH = `${PSC_REALM}/.well-known/wallet-openid-configuration`;

// An RPPS: 10 digits and a Luhn check digit.
export function rppsFrom(tenDigits) {
  for (let check = 0; check <= 9; check += 1) {
    const digits = `${tenDigits}${check}`;
    let sum = 0;
    [...digits].reverse().forEach((d, i) => {
      let v = Number(d) * (i % 2 ? 2 : 1);
      if (v > 9) v -= 9;
      sum += v;
    });
    if (sum % 10 === 0) return digits;
  }
  throw new Error('unreachable');
}

const b64url = (x) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');
const publicJwk = ({ kty, n, e, kid, alg, use }) => ({ kty, n, e, kid, alg, use });

// RS256, or PS256 (RSASSA-PSS, SHA-256, 32-byte salt) with the same RSA key.
function signJwt(jwk, claims, typ = 'JWT', alg = 'RS256') {
  const input = `${b64url({ alg, kid: jwk.kid, typ })}.${b64url(claims)}`;
  const key = createPrivateKey({ key: jwk, format: 'jwk' });
  const signature = sign('sha256', Buffer.from(input),
    alg === 'PS256' ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : key);
  return `${input}.${signature.toString('base64url')}`;
}

function verifyJwt(jwk, jwt) {
  const [h, p, sig] = jwt.split('.');
  if (!sig) return false;
  const header = JSON.parse(Buffer.from(h, 'base64url').toString());
  if (header.kid !== jwk.kid) return false;
  const { kty, n, e } = jwk;
  return verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey({ key: { kty, n, e }, format: 'jwk' }),
    Buffer.from(sig, 'base64url'));
}

const decodePayload = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

export class PscMock {
  constructor({ redirectUri, postLogoutRedirectUri = null, clientId = 'reseau-test',
    clientSecret = randomBytes(24).toString('base64url'), keyClient = null, endSession = true } = {}) {
    const rpps = rppsFrom('1000123456');
    this.practitioner = {
      id: 'f:550dc1c8-d97b-4b1e-ac8c-8eb4471cf9dd',
      claims: {
        SubjectNameID: `8${rpps}`,
        given_name: 'Jeanne',
        family_name: 'Dupont',
        email: 'jeanne.dupont@example.org',
        preferred_username: `8${rpps}`,
        SubjectRefPro: { codeCivilite: 'MME', exercices: [{ codeProfession: '10', codeCategorieProfessionnelle: 'C',
          codeSavoirFaire: 'SM54', nomExercice: 'DUPONT', prenomExercice: 'Jeanne', activities: [] }] },
        SubjectOrganization: 'Cabinet Dupont',
        SubjectRole: ['10^1.2.250.1.213.1.1.5.5'],
      },
    };
    this.rpps = rpps;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.keys = [rsaSigningJwk()];
    this.published = [0];
    this.signer = 0;
    this.mode = null;
    this.alg = 'RS256';
    this.announceEndSession = endSession;
    this.endSessionRequests = [];
    this.logouts = 0;
    this.confirmLogout = false;
    const logoutUris = postLogoutRedirectUri ? { post_logout_redirect_uris: [postLogoutRedirectUri] } : {};
    const clients = [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'client_secret_basic', grant_types: ['authorization_code'], response_types: ['code'],
      ...logoutUris }];
    if (keyClient) {
      clients.push({ client_id: keyClient.clientId, redirect_uris: [redirectUri], jwks: keyClient.jwks,
        token_endpoint_auth_method: 'private_key_jwt', grant_types: ['authorization_code'], response_types: ['code'],
        ...(keyClient.alg ? { token_endpoint_auth_signing_alg: keyClient.alg } : {}), ...logoutUris });
    }
    this.op = new NodeOp({
      issuerPath: PSC_REALM,
      discoveryPath: PSC_DISCOVERY_PATH,
      clients,
      accounts: { [this.practitioner.id]: this.practitioner.claims },
      claims: {
        openid: ['sub', 'acr'],
        scope_all: ['SubjectNameID', 'SubjectRefPro', 'SubjectOrganization', 'SubjectRole', 'given_name', 'family_name',
          'email', 'preferred_username'],
      },
      acrValues: ['eidas1'],
    });
    // Every request passes here first (NodeOp's server calls this.handle).
    const handle = this.op.handle.bind(this.op);
    this.op.handle = (req, res) => this.handle(req, res, handle);
  }

  async start() {
    await this.op.start();
    this.op.provider.on('end_session.success', () => { this.logouts += 1; });
    this.issuer = this.op.issuer;
    this.discoveryUrl = `${this.op.origin}${PSC_DISCOVERY_PATH}`;
    this.walletOrigin = `http://localhost:${this.op.port}`;
    return this;
  }

  signInAs(accountId) {
    this.op.signInAs(accountId, { acr: 'eidas1' });
    return this;
  }

  misbehave(mode) {
    const modes = [null, 'wrong-iss', 'wrong-nonce', 'bad-signature', 'no-acr', 'unknown-kid'];
    if (!modes.includes(mode)) throw new Error(`PscMock: unknown misbehaviour ${mode}`);
    this.mode = mode;
    return this;
  }

  signWith(alg) {
    if (!['RS256', 'PS256'].includes(alg)) throw new Error(`PscMock: cannot sign with ${alg}`);
    this.alg = alg;
    return this;
  }

  rotateKeys() {
    this.keys.push(rsaSigningJwk());
    this.signer = this.keys.length - 1;
    this.published.push(this.signer);
    return this;
  }

  signingKey() {
    // unknown-kid: a key never published, as a provider that signs before it publishes.
    if (this.mode === 'unknown-kid') {
      this.unpublished ??= rsaSigningJwk();
      return this.unpublished;
    }
    return this.keys[this.signer];
  }

  async handle(req, res, next) {
    const url = new URL(req.url, this.op.origin);
    const path = url.pathname;
    if (path === `${PSC_REALM}/session/end` && req.method === 'GET' && !req.headers['x-psc-mock-inner']) {
      return this.endSession(req, res, url, next);
    }
    if (path === `${PSC_REALM}/jwks`) {
      res.writeHead(200, { 'content-type': 'application/json' });
      // A JWK without alg serves RS256 and PS256 (RFC 7517 §4.4).
      const jwk = (k) => (this.alg === 'RS256' ? publicJwk(k) : { ...publicJwk(k), alg: undefined });
      res.end(JSON.stringify({ keys: this.published.map((i) => jwk(this.keys[i])) }));
      return;
    }
    const rewrite = {
      [PSC_DISCOVERY_PATH]: (doc) => ({
        ...JSON.parse(doc),
        authorization_endpoint: `${this.walletOrigin}${PSC_REALM}/auth`,
        // The browser ends its session where it opened it: the session cookie is the wallet host's.
        // endSession: false, a provider that announces no RP-initiated logout.
        end_session_endpoint: this.announceEndSession ? `${this.walletOrigin}${PSC_REALM}/session/end` : undefined,
        userinfo_signing_alg_values_supported: [this.alg],
        id_token_signing_alg_values_supported: [this.alg],
      }),
      [`${PSC_REALM}/token`]: (body) => this.resignTokens(JSON.parse(body)),
      [`${PSC_REALM}/me`]: (body) => body,
    }[path];
    if (!rewrite) return next(req, res);
    // UserInfo's audience: the client the access token was issued to.
    let audience = this.clientId;
    if (path === `${PSC_REALM}/me`) {
      const bearer = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const token = bearer ? await this.op.provider.AccessToken.find(bearer) : null;
      if (token?.clientId) audience = token.clientId;
    }
    capture(res, (status, headers, body) => {
      if (status !== 200) return { headers, body };
      if (path === `${PSC_REALM}/me`) {
        const claims = { ...JSON.parse(body), iss: this.issuer, aud: audience };
        return { headers: { ...headers, 'content-type': 'application/jwt' }, body: signJwt(this.keys[this.signer], claims, 'JWT', this.alg) };
      }
      return { headers, body: JSON.stringify(rewrite(body)) };
    });
    return next(req, res);
  }

  // RP-initiated logout: the hint is judged by the mock's keys, then
  // oidc-provider ends its session (confirmation form, or at once).
  async endSession(req, res, url, next) {
    const hint = url.searchParams.get('id_token_hint');
    const seen = {
      idTokenHint: hint, clientId: url.searchParams.get('client_id'), state: url.searchParams.get('state'),
      postLogoutRedirectUri: url.searchParams.get('post_logout_redirect_uri'), hintValid: false,
    };
    if (hint) {
      seen.hintValid = this.published.some((i) => verifyJwt(this.keys[i], hint));
      if (seen.hintValid) seen.hintClaims = decodePayload(hint);
    }
    this.endSessionRequests.push(seen);
    if (hint && !seen.hintValid) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('invalid id_token_hint');
      return undefined;
    }
    url.searchParams.delete('id_token_hint');
    req.url = `${url.pathname}${url.search}`;
    if (!this.confirmLogout) return next(req, res);
    // Answer the confirmation form here: fetch it with the browser's cookies, post it, relay the redirect.
    const cookie = req.headers.cookie ?? '';
    const form = await fetch(`${this.op.origin}${req.url}`, { headers: { cookie, 'x-psc-mock-inner': '1' } });
    const html = await form.text();
    const action = html.match(/action="([^"]+)"/)?.[1];
    const fields = new URLSearchParams();
    for (const m of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields.append(m[1], m[2]);
    const setCookies = form.headers.getSetCookie?.() ?? [];
    const jar = [cookie, ...setCookies.map((c) => c.split(';')[0])].filter(Boolean).join('; ');
    const confirmed = await fetch(new URL(action.replaceAll('&amp;', '&'), this.op.origin), {
      method: 'POST', redirect: 'manual', body: fields,
      headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' },
    });
    const out = { location: confirmed.headers.get('location') };
    res.writeHead(confirmed.status, Object.fromEntries(Object.entries({
      location: out.location, 'set-cookie': confirmed.headers.getSetCookie?.(), 'cache-control': 'no-store',
    }).filter(([, v]) => v)));
    res.end();
    return undefined;
  }

  // The ID token oidc-provider made, its claims spoilt as asked, signed again.
  resignTokens(tokens) {
    if (!tokens.id_token) return tokens;
    const claims = decodePayload(tokens.id_token);
    if (this.mode === 'wrong-iss') claims.iss = `${this.op.origin}/auth/realms/autre`;
    if (this.mode === 'wrong-nonce') claims.nonce = randomBytes(16).toString('base64url');
    if (this.mode === 'no-acr') delete claims.acr;
    let idToken = signJwt(this.signingKey(), claims, 'JWT', this.alg);
    if (this.mode === 'bad-signature') idToken = `${idToken.slice(0, -6)}${idToken.slice(-6) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`;
    return { ...tokens, id_token: idToken };
  }

  async stop() {
    await this.op.stop();
  }
}

// Holds back what the provider writes, to answer transform(status, headers, body) instead.
function capture(res, transform) {
  const chunks = [];
  const write = res.write.bind(res);
  const end = res.end.bind(res);
  res.write = (chunk) => {
    chunks.push(Buffer.from(chunk));
    return true;
  };
  res.end = (chunk, ...rest) => {
    if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk));
    const headers = Object.fromEntries(Object.entries(res.getHeaders()));
    const out = transform(res.statusCode, headers, Buffer.concat(chunks).toString());
    for (const name of Object.keys(headers)) res.removeHeader(name);
    for (const [name, value] of Object.entries(out.headers)) {
      if (name !== 'content-length') res.setHeader(name, value);
    }
    res.setHeader('content-length', Buffer.byteLength(out.body));
    res.write = write;
    return end(out.body);
  };
}
