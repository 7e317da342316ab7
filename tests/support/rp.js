// A strict relying party for portier's conformance tests, built on npm
// openid-client v6 (the certified Node relying party) and npm jose.
//
//   const rp = await Rp.discover({ issuer, clientId, clientSecret, redirectUri });
//   const { tokens, idToken } = await rp.signIn(browser, { scope: 'openid email' });
//   await rp.userinfo(tokens.access_token, idToken.sub);
//   await rp.refresh(tokens.refresh_token);
//   await rp.verifyJwt(tokens.id_token);   // jose, against the provider's JWKS
//
// Signature checks are ON. openid-client v6 validates every claim of an ID
// token (iss, aud, azp, exp, iat, nonce, auth_time against max_age...) but,
// by default, NOT its signature when the token comes straight from the
// token endpoint: OpenID Connect Core 3.1.3.7 lets a client rely on TLS
// there instead. A conformance suite must not, so discover() calls
// client.enableNonRepudiationChecks(config): from then on the code grant,
// the refresh grant (and JWT UserInfo/introspection answers) fetch the
// provider's jwks_uri and verify the JWS with the key named by its `kid`
// (and its `alg`) before anything is returned; a token with a bad
// signature, an unknown kid or alg `none` is an error. rp_harness.test.js
// proves it by tampering with a signature. verifyJwt() checks again with
// jose, independently of openid-client.
//
// Plain http is allowed (client.allowInsecureRequests): the tests run on
// loopback without TLS. Every other check stays as openid-client does it:
// state, PKCE S256, the `iss` parameter of the authorization response when
// the provider announces it (RFC 9207), nonce.
import * as client from 'openid-client';
import * as jose from 'jose';

export class Rp {
  constructor(config, { issuer, clientId, redirectUri }) {
    this.config = config;
    this.issuer = issuer;
    this.clientId = clientId;
    this.redirectUri = redirectUri;
    this.metadata = config.serverMetadata();
    this.jwks = jose.createRemoteJWKSet(new URL(this.metadata.jwks_uri));
  }

  // auth: 'client_secret_basic' (default), 'client_secret_post' or 'none'
  // (public client). metadata: more client metadata (e.g.
  // id_token_signed_response_alg). fetch: a fetch to see or change what
  // goes over the wire (tests of the checks themselves).
  static async discover({ issuer, clientId, clientSecret, redirectUri, auth = 'client_secret_basic', metadata = {}, fetch }) {
    const authentication = {
      client_secret_basic: () => client.ClientSecretBasic(clientSecret),
      client_secret_post: () => client.ClientSecretPost(clientSecret),
      none: () => client.None(),
    }[auth];
    if (!authentication) throw new Error(`unknown client authentication ${auth}`);
    const options = { execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks] };
    if (fetch) options[client.customFetch] = fetch;
    const config = await client.discovery(new URL(issuer), clientId,
      { redirect_uris: [redirectUri], ...metadata }, authentication(), options);
    return new Rp(config, { issuer, clientId, redirectUri });
  }

  // A fresh authorization request: the URL to send the browser to and the
  // secrets to check its answer with. PKCE S256, state and nonce always;
  // `params` adds or overrides (prompt, max_age, acr_values, login_hint...).
  async authorizationRequest({ scope = 'openid', ...params } = {}) {
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(this.config, {
      redirect_uri: this.redirectUri,
      scope,
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      ...params,
    });
    return { url, codeVerifier, state, nonce, maxAge: params.max_age === undefined ? undefined : Number(params.max_age) };
  }

  // The answer at the redirect URI (the URL the provider redirected to) ->
  // the token endpoint's answer, every check done. Throws on an error answer.
  async callback(callbackUrl, { codeVerifier, state, nonce, maxAge }) {
    return client.authorizationCodeGrant(this.config, new URL(callbackUrl), {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
      ...(maxAge !== undefined ? { maxAge } : {}),
    });
  }

  // Sends `browser` (tests/support/browser.js) through an authorization
  // request until the provider redirects to the redirect URI. When it stops
  // on a page instead (the provider's sign-in), `authenticate(page, browser)`
  // must carry on and return the next answer (its redirects followed up to
  // the redirect URI, e.g. by browser.submitForm(page, {...}, { stop })).
  // Returns { tokens, idToken (its claims), callbackUrl, ...request }.
  async signIn(browser, { authenticate, ...params } = {}) {
    const request = await this.authorizationRequest(params);
    const stop = this.atRedirectUri();
    let answer = await browser.follow(request.url.href, { stop });
    for (let pages = 0; !answer.location || !stop(new URL(answer.location)); pages++) {
      if (!authenticate || pages > 5) {
        throw new Error(`the provider did not come back to ${this.redirectUri}: ${answer.status} at ${answer.url}\n${answer.text.slice(0, 500)}`);
      }
      answer = await authenticate(answer, browser, stop);
    }
    const tokens = await this.callback(answer.location, request);
    return { ...request, callbackUrl: answer.location, tokens, idToken: tokens.claims() };
  }

  // A `stop` for Browser.follow(): true at this client's redirect URI.
  atRedirectUri() {
    const target = new URL(this.redirectUri);
    return (url) => url.origin === target.origin && url.pathname === target.pathname;
  }

  refresh(refreshToken, params) {
    return client.refreshTokenGrant(this.config, refreshToken, params);
  }

  // expectedSubject: the ID token's sub (openid-client checks they match).
  userinfo(accessToken, expectedSubject) {
    return client.fetchUserInfo(this.config, accessToken, expectedSubject);
  }

  clientCredentials(params) {
    return client.clientCredentialsGrant(this.config, params);
  }

  introspect(token, params) {
    return client.tokenIntrospection(this.config, token, params);
  }

  revoke(token, params) {
    return client.tokenRevocation(this.config, token, params);
  }

  // RP-initiated logout: the provider's end_session_endpoint with `params`
  // (id_token_hint, post_logout_redirect_uri, state).
  endSessionUrl(params) {
    return client.buildEndSessionUrl(this.config, params);
  }

  // Verifies a JWT (ID token, logout token, JWT access token) with jose
  // against the provider's JWKS: signature by kid, iss exactly the issuer,
  // aud (this client unless given), exp/iat/nbf. `none` is never accepted.
  // Returns { payload, protectedHeader }.
  verifyJwt(jwt, { audience = this.clientId, algorithms, typ, ...options } = {}) {
    return jose.jwtVerify(jwt, this.jwks, {
      issuer: this.metadata.issuer, audience, ...(algorithms ? { algorithms } : {}), ...(typ ? { typ } : {}), ...options,
    });
  }

  static decodeJwt(jwt) {
    return { header: jose.decodeProtectedHeader(jwt), payload: jose.decodeJwt(jwt) };
  }
}
