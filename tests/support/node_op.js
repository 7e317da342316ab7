// npm oidc-provider (the OpenID Foundation certified Node provider) run in
// this process on a loopback port: the reference provider that the relying
// party harnesses (tests/support/apache.js, tests/support/rp.js) are proven
// against before they are pointed at portier, the other column of
// bench/oidc.mjs, and the base of mocks of other providers (Pro Santé
// Connect): issuer path, discovery path, clients, claims and acr are options.
//
//   const op = await new NodeOp({
//     clients: [{ client_id: 'app', client_secret: 's', redirect_uris: ['http://127.0.0.1:1/cb'] }],
//     accounts: { alice: { email: 'alice@example.org', name: 'Alice Martin' } },
//   }).start();
//   op.issuer;                 // http://127.0.0.1:PORT (+ issuerPath)
//   op.signInAs('alice', { acr: 'eidas1', amr: ['pwd', 'otp'] });
//   ...                        // every login interaction now completes at once
//   await op.stop();
//
// Signing in without a user interface: the interaction page
// (GET /interaction/:uid) completes login and consent at once for the account
// given to signInAs(); without one, it is a one-field HTML form
// (<form method="post"><input name="account">, plus optional acr and amr)
// that a test client fills and posts. Consent is implicit by default
// (`consent: false`: a grant of every requested scope and claim is created
// on the fly, like a first-party "trusted" client); `consent: true` makes the
// same page also answer the consent prompt.
//
// The logout confirmation page of RP-initiated logout is reduced to one form
// that says yes when posted (a test client posts it like any form).
import http from 'node:http';
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Provider from 'oidc-provider';

const listen = (server, port) => new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, '127.0.0.1', () => resolve(server.address().port));
});

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

// An RS256 signing key as a private JWK (what oidc-provider's `jwks` takes).
export function rsaSigningJwk() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
}

export class NodeOp {
  // port: 0 = a free one. issuerPath: a path under which the provider lives
  // ('' or e.g. '/auth/realms/esante-wallet'). discoveryPath: where the
  // discovery document is also served (default: the standard
  // <issuer>/.well-known/openid-configuration only). clients: client
  // metadata as oidc-provider takes it (RFC 7591 names). accounts: id ->
  // claims (any standard or custom claim; `sub` is the id). claims: scope ->
  // claim names (oidc-provider's `claims` option; the defaults below cover
  // openid, email, profile and phone). acrValues: the acr values announced.
  // ttl, features, extra: merged into the provider configuration as given.
  constructor({
    port = 0, issuerPath = '', discoveryPath = null, clients = [], accounts = {}, claims = null,
    acrValues = [], consent = false, features = {}, ttl = {}, extra = {}, proxyHeaders = false,
  } = {}) {
    Object.assign(this, { port, issuerPath: issuerPath.replace(/\/$/, ''), discoveryPath, clients, accounts,
      claims, acrValues, consent, features, ttl, extra, proxyHeaders });
    this.autoLogin = null;
    this.jwk = rsaSigningJwk();
    // Who signed in through an interaction, oldest first (tests assert on it).
    this.logins = [];
    // Back-channel logout tokens the provider delivered are not kept here:
    // the receiving application sees them.
  }

  // Every later login interaction completes at once as `accountId`, with the
  // acr and amr given (the ID token carries them); null turns that off.
  signInAs(accountId, { acr, amr } = {}) {
    this.autoLogin = accountId === null ? null : { accountId, acr, amr };
    return this;
  }

  configuration() {
    const accounts = this.accounts;
    const op = this;
    return {
      clients: this.clients,
      jwks: { keys: [this.jwk] },
      cookies: { keys: [randomBytes(32).toString('hex')] },
      // acr, amr and auth_time under `openid`: oidc-provider only puts them
      // in an ID token when the token's scope mask names them (acr needs
      // acrValues too), where portier always tells how the member signed in.
      claims: this.claims ?? {
        sid: null, iss: null,
        openid: ['sub', 'acr', 'amr', 'auth_time'],
        email: ['email', 'email_verified'],
        profile: ['name', 'family_name', 'given_name', 'preferred_username', 'locale', 'updated_at'],
        phone: ['phone_number', 'phone_number_verified'],
      },
      acrValues: this.acrValues,
      // oidc-provider refuses outgoing requests to special-use addresses
      // (SSRF protection), loopback included: every application of a test
      // (back-channel logout receivers...) is on 127.0.0.1.
      fetch: (url, options) => {
        delete options.dispatcher;
        return globalThis.fetch(url, options);
      },
      pkce: { required: () => true },
      async findAccount(ctx, id) {
        if (!Object.hasOwn(accounts, id)) return undefined;
        return { accountId: id, async claims() { return { ...accounts[id], sub: id }; } };
      },
      interactions: { url: (ctx, interaction) => `${op.issuerPath}/interaction/${interaction.uid}` },
      // No consent screen unless asked: grant what the client requested.
      async loadExistingGrant(ctx) {
        const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
        if (grantId) return ctx.oidc.provider.Grant.find(grantId);
        if (op.consent) return undefined;
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
        grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(' ') : 'openid');
        const claims = ctx.oidc.requestParamClaims;
        if (claims?.size) grant.addOIDCClaims([...claims]);
        await grant.save();
        return grant;
      },
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        introspection: { enabled: true },
        revocation: { enabled: true },
        backchannelLogout: { enabled: true },
        rpInitiatedLogout: {
          enabled: true,
          async logoutSource(ctx, form) {
            ctx.body = '<!DOCTYPE html><html><body>'
              + form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>')
              + '</body></html>';
          },
        },
        ...this.features,
      },
      ttl: { ...this.ttl },
      ...this.extra,
    };
  }

  async start() {
    this.server = http.createServer((req, res) => this.handle(req, res));
    // Keep-alive connections must not hold stop() back.
    this.server.keepAliveTimeout = 1000;
    this.port = await listen(this.server, this.port);
    this.origin = `http://127.0.0.1:${this.port}`;
    this.issuer = this.origin + this.issuerPath;
    this.provider = new Provider(this.issuer, this.configuration());
    this.provider.proxy = this.proxyHeaders;
    // Unexpected server errors show in the test output instead of vanishing
    // into a 500 page.
    this.provider.on('server_error', (ctx, err) => { console.error('oidc-provider server_error:', err); });
    this.callback = this.provider.callback();
    return this;
  }

  async handle(req, res) {
    try {
      const url = new URL(req.url, this.origin);
      if (this.discoveryPath && url.pathname === this.discoveryPath) {
        req.url = `${this.issuerPath}/.well-known/openid-configuration${url.search}`;
      }
      if (!req.url.startsWith(this.issuerPath + '/')) {
        res.writeHead(404).end();
        return;
      }
      // The provider routes below its mount point: it finds the mount path
      // again from originalUrl when it builds its own URLs.
      req.originalUrl = req.url;
      req.url = req.url.slice(this.issuerPath.length);
      if (req.url.startsWith('/interaction/')) {
        await this.interaction(req, res);
        return;
      }
      this.callback(req, res);
    } catch (err) {
      console.error('NodeOp:', err);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err.message));
    }
  }

  // GET: complete at once (signInAs) or show the form; POST: complete with
  // the posted account.
  async interaction(req, res) {
    const details = await this.provider.interactionDetails(req, res);
    let choice = this.autoLogin;
    if (req.method === 'POST') {
      const form = await readForm(req);
      choice = { accountId: form.account, acr: form.acr || undefined, amr: form.amr ? form.amr.split(' ') : undefined };
      if (!Object.hasOwn(this.accounts, choice.accountId)) {
        await this.provider.interactionFinished(req, res,
          { error: 'access_denied', error_description: 'unknown account' }, { mergeWithLastSubmission: false });
        return;
      }
    } else if (!choice || details.prompt.name !== 'login') {
      if (details.prompt.name === 'consent' && choice) {
        // signed in already, consent asked: grant it (below)
      } else {
        const action = `${this.issuerPath}/interaction/${details.uid}`;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end('<!DOCTYPE html><html><body>'
          + `<p>prompt: ${escapeHtml(details.prompt.name)}; client: ${escapeHtml(details.params.client_id)}</p>`
          + `<form method="post" action="${escapeHtml(action)}">`
          + '<input name="account"> <input name="acr"> <input name="amr"> <button>Continue</button></form></body></html>');
        return;
      }
    }
    const result = {};
    const accountId = details.session?.accountId ?? choice.accountId;
    if (details.prompt.name === 'login') {
      result.login = { accountId: choice.accountId, remember: true,
        ...(choice.acr ? { acr: choice.acr } : {}), ...(choice.amr ? { amr: choice.amr } : {}) };
      this.logins.push({ ...result.login, clientId: details.params.client_id });
    }
    if (this.consent) {
      const grant = details.grantId ? await this.provider.Grant.find(details.grantId)
        : new this.provider.Grant({ accountId: result.login?.accountId ?? accountId, clientId: details.params.client_id });
      const missing = details.prompt.details ?? {};
      grant.addOIDCScope(missing.missingOIDCScope?.join(' ') || String(details.params.scope || 'openid'));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
      result.consent = { grantId: await grant.save() };
    }
    await this.provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }

  async stop() {
    if (!this.server) return;
    this.server.closeAllConnections?.();
    await new Promise((resolve) => this.server.close(() => resolve()));
    this.server = null;
  }
}

// The same provider in a process of its own, for measurements (bench/oidc.mjs:
// its CPU and memory are then its own, not shared with the load generator).
// Options must be plain JSON (no `extra` functions); `signInAs` is
// [accountId, { acr, amr }].
//
//   const op = await new NodeOpProcess({ clients, accounts, signInAs: ['alice'] }).start();
//   op.issuer; op.pid; await op.stop();
export class NodeOpProcess {
  constructor(options) {
    this.options = options;
    this.output = '';
  }

  async start() {
    this.proc = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
      env: { ...process.env, NODE_OP_OPTIONS: JSON.stringify(this.options) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.pid = this.proc.pid;
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    await new Promise((resolve, reject) => {
      const onData = (chunk) => {
        this.output += chunk;
        const m = this.output.match(/^issuer: (\S+)$/m);
        if (m && !this.issuer) {
          this.issuer = m[1];
          resolve();
        }
      };
      this.proc.stdout.on('data', onData);
      this.proc.stderr.on('data', (c) => { this.output += c; });
      this.exited.then(({ code }) => reject(new Error(`oidc-provider exited (${code}):\n${this.output}`)));
      setTimeout(() => reject(new Error(`oidc-provider did not start:\n${this.output}`)), 15000).unref();
    });
    return this;
  }

  async stop() {
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGTERM');
      await this.exited;
    }
  }
}

// Run as a program: the child of NodeOpProcess.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { signInAs, ...options } = JSON.parse(process.env.NODE_OP_OPTIONS || '{}');
  const op = await new NodeOp(options).start();
  if (signInAs) op.signInAs(...signInAs);
  process.on('SIGTERM', () => op.stop().then(() => process.exit(0)));
  console.log(`issuer: ${op.issuer}`);
}
