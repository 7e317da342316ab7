// Debian's Apache with mod_auth_openidc (libapache2-mod-auth-openidc) as a
// real relying party: two protected applications, each its own virtual host
// on its own loopback port and its own OpenID Connect client, both pointed
// at one provider (NodeOp, or portier). Each application's page is a tiny
// CGI script that prints who got in and how (OIDC_CLAIM_sub, _acr, _amr...),
// one `NAME=value` line each, so that tests can assert it.
//
//   const apache = await new Apache().start({
//     provider: op.issuer,                    // discovery: <issuer>/.well-known/openid-configuration
//     clients: [{ id, secret }, { id, secret }],
//   });
//   apache.apps[0].url;         // the protected page of application 1
//   apache.apps[0].logoutUrl;   // ends its session, then the provider's (RP-initiated logout)
//   apache.apps[0].redirectUri, .postLogoutRedirectUri, .backchannelLogoutUri: what to register
//   await apache.stop();
//
// The ports are chosen by Apache.reserve() before start() so that clients can
// be registered with their redirect URIs first: `const apache = await new
// Apache().reserve()`, register with apache.apps[i].redirectUri..., then
// start({ provider, clients }).
//
// Run as root (CI), the parent process keeps root and the children serve as
// www-data, as Debian's own configuration does: the folder they read is made
// traversable for them. Run as another user, User/Group are left out and
// everything runs as that user.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './nginx.js';

export const apacheBinary = process.env.APACHE_BIN || '/usr/sbin/apache2';
export const modulesDir = process.env.APACHE_MODULES || '/usr/lib/apache2/modules';

// Why not, when the harness cannot run here (null when it can).
export function apacheMissing() {
  if (!existsSync(apacheBinary)) return `${apacheBinary} not found (Debian package apache2; scripts/install-deps.sh --test)`;
  if (!existsSync(join(modulesDir, 'mod_auth_openidc.so'))) {
    return `${modulesDir}/mod_auth_openidc.so not found (Debian package libapache2-mod-auth-openidc; scripts/install-deps.sh --test)`;
  }
  return null;
}

const modules = ['mpm_prefork', 'authn_core', 'authz_core', 'authz_user', 'alias', 'mime', 'cgi', 'env', 'auth_openidc'];

// The protected page: the claims mod_auth_openidc passed on, sorted.
const whoami = `#!/bin/sh
printf 'Content-Type: text/plain; charset=utf-8\\r\\nCache-Control: no-store\\r\\n\\r\\n'
printf 'REMOTE_USER=%s\\n' "$REMOTE_USER"
env | grep '^OIDC_CLAIM_' | sort
`;

function userExists(name) {
  return spawnSync('id', ['-u', name]).status === 0;
}

export class Apache {
  constructor({ logLevel = 'warn', extraVhost = '' } = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'portier-apache-'));
    this.logLevel = logLevel;
    this.extraVhost = extraVhost;
    this.output = '';
    this.apps = [];
  }

  // Chooses the two ports and fixes every URL a client registration needs.
  async reserve() {
    if (this.apps.length) return this;
    for (const name of ['app1', 'app2']) {
      const port = await freePort();
      const origin = `http://127.0.0.1:${port}`;
      const redirectUri = `${origin}/${name}/redirect_uri`;
      const postLogoutRedirectUri = `${origin}/logged-out.html`;
      this.apps.push({
        name, port, origin,
        url: `${origin}/${name}/`,
        redirectUri,
        postLogoutRedirectUri,
        // mod_auth_openidc's own logout: local session first, then the
        // provider's end_session_endpoint with id_token_hint, coming back to
        // the post-logout URI.
        logoutUrl: `${redirectUri}?logout=${encodeURIComponent(postLogoutRedirectUri)}`,
        backchannelLogoutUri: `${redirectUri}?logout=backchannel`,
      });
    }
    return this;
  }

  vhost(app, client, metadataUrl) {
    // Distinct cookie names: both applications are on 127.0.0.1, where a
    // browser shares cookies across ports.
    return `
<VirtualHost 127.0.0.1:${app.port}>
    ServerName 127.0.0.1:${app.port}
    DocumentRoot ${this.dir}/htdocs
    OIDCProviderMetadataURL ${metadataUrl}
    OIDCClientID ${client.id}
    OIDCClientSecret ${client.secret}
    OIDCRedirectURI ${app.redirectUri}
    OIDCCryptoPassphrase ${randomBytes(24).toString('hex')}
    OIDCPKCEMethod S256
    OIDCScope "openid email profile"
    OIDCCookie ${app.name}_session
    OIDCStateCookiePrefix ${app.name}_state_
    OIDCDefaultLoggedOutURL ${app.postLogoutRedirectUri}
    ScriptAlias /${app.name}/ ${this.dir}/cgi/whoami.cgi/
    <Location /${app.name}/>
        AuthType openid-connect
        Require valid-user
    </Location>
${this.extraVhost}
</VirtualHost>
`;
  }

  // provider: the issuer (discovery at <issuer>/.well-known/openid-configuration)
  // or metadataUrl given outright; clients: [{ id, secret }] for app1, app2.
  async start({ provider, metadataUrl, clients }) {
    await this.reserve();
    metadataUrl ??= `${provider.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const asRoot = process.getuid?.() === 0;
    const runAs = asRoot && userExists('www-data') ? 'www-data' : null;
    for (const d of ['cgi', 'htdocs', 'run', 'logs']) mkdirSync(join(this.dir, d), { recursive: true });
    writeFileSync(join(this.dir, 'cgi', 'whoami.cgi'), whoami, { mode: 0o755 });
    writeFileSync(join(this.dir, 'htdocs', 'logged-out.html'), '<!DOCTYPE html><title>Signed out</title><p>signed out</p>\n');
    if (runAs) {
      // www-data must reach the script and the page, and the cache's lock
      // files in run/; the configuration (with secrets) stays root's.
      chmodSync(this.dir, 0o755);
      const { uid, gid } = { uid: Number(spawnSync('id', ['-u', runAs]).stdout), gid: Number(spawnSync('id', ['-g', runAs]).stdout) };
      chownSync(join(this.dir, 'run'), uid, gid);
    }
    const conf = `ServerRoot ${this.dir}
ServerName 127.0.0.1
PidFile ${this.dir}/run/apache2.pid
DefaultRuntimeDir ${this.dir}/run
Mutex file:${this.dir}/run default
ErrorLog ${this.dir}/logs/error.log
LogLevel ${this.logLevel}
LogFormat "%h %u \\"%r\\" %>s" short
CustomLog ${this.dir}/logs/access.log short
${modules.map((m) => `LoadModule ${m}_module ${modulesDir}/mod_${m}.so`).join('\n')}
${runAs ? `User ${runAs}\nGroup ${runAs}` : ''}
# Enough idle children for the keep-alive connections of a test's browser
# plus the provider's back-channel logout calls: prefork starts at most one
# more a second, and a back-channel token waiting for it stalls logout.
StartServers 6
MinSpareServers 4
MaxSpareServers 8
TypesConfig /etc/mime.types
${this.apps.map((a) => `Listen 127.0.0.1:${a.port}`).join('\n')}
<Directory ${this.dir}/cgi>
    Options +ExecCGI
    Require all granted
</Directory>
<Directory ${this.dir}/htdocs>
    Require all granted
</Directory>
${this.apps.map((a, i) => this.vhost(a, clients[i], metadataUrl)).join('')}
`;
    this.confPath = join(this.dir, 'apache2.conf');
    writeFileSync(this.confPath, conf, { mode: 0o600 });
    const check = spawnSync(apacheBinary, ['-t', '-f', this.confPath], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`apache2 -t refused the configuration:\n${check.stderr}`);
    // detached: a process group of its own. The prefork parent signals its
    // whole group (SIGTERM to getpgrp()) when it stops or culls children,
    // which would otherwise include this Node process.
    this.proc = spawn(apacheBinary, ['-f', this.confPath, '-DFOREGROUND'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    this.proc.stdout.on('data', (c) => { this.output += c; });
    this.proc.stderr.on('data', (c) => { this.output += c; });
    const end = Date.now() + 10000;
    for (const app of this.apps) {
      while (!(await accepts(app.port))) {
        if (this.proc.exitCode !== null) throw new Error(`apache2 exited:\n${this.output}\n${this.errorLog()}`);
        if (Date.now() > end) throw new Error(`apache2 did not listen:\n${this.output}\n${this.errorLog()}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    return this;
  }

  errorLog() {
    try { return readFileSync(join(this.dir, 'logs', 'error.log'), 'utf8'); } catch { return ''; }
  }

  async stop() {
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGTERM'); // the parent stops its children, then exits
      await this.exited;
    }
  }

  async cleanup() {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function accepts(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

// The `NAME=value` lines of an application's page, as an object.
export function claimsOf(text) {
  return Object.fromEntries(text.trim().split('\n').filter((l) => l.includes('='))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}
