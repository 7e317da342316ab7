// A browser without a browser: HTTP requests with a cookie jar, redirects followed
// by hand (each hop visible), and HTML forms submitted the way a browser
// would (hidden inputs included). Enough to drive a provider and relying
// parties across origins: portier, NodeOp, Apache mod_auth_openidc.
//
//   const b = new Browser();
//   const r = await b.follow('http://127.0.0.1:8081/app1/');  // ends on a non-redirect
//   r.url; r.status; r.text; r.hops;                          // hops: every URL visited
//   await b.submitForm(r, { account: 'alice' });              // the page's first form
//
// The jar follows RFC 6265 where it matters here: cookies belong to a host
// (not a port: two loopback services on different ports share cookies, as
// in a real browser, so tests catch cookie-name clashes), Path prefixes,
// Max-Age/Expires, deletion by an expired cookie, and Secure cookies only
// over https. SameSite is recorded but not enforced: every service of a
// test is on 127.0.0.1, one site, where Lax and Strict cookies are sent
// anyway. Domain attributes are treated as host-only (loopback has no
// parent domain).

import http from 'node:http';
import https from 'node:https';

export class CookieJar {
  constructor() {
    this.cookies = []; // { name, value, host, path, expires (ms or null), secure, sameSite }
  }

  static defaultPath(url) {
    const p = url.pathname;
    if (!p.startsWith('/') || p.lastIndexOf('/') === 0) return '/';
    return p.slice(0, p.lastIndexOf('/'));
  }

  store(url, setCookies) {
    url = new URL(url);
    for (const line of setCookies) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const cookie = { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), host: url.hostname,
        path: CookieJar.defaultPath(url), expires: null, secure: false, sameSite: null };
      for (const attr of attrs) {
        const [k, ...rest] = attr.trim().split('=');
        const v = rest.join('=').trim();
        switch (k.toLowerCase()) {
          case 'path': if (v.startsWith('/')) cookie.path = v; break;
          case 'max-age': cookie.expires = Date.now() + Number(v) * 1000; break;
          case 'expires': if (cookie.expires === null) cookie.expires = Date.parse(v); break;
          case 'secure': cookie.secure = true; break;
          case 'samesite': cookie.sameSite = v; break;
          default: break;
        }
      }
      this.cookies = this.cookies.filter((c) => !(c.name === cookie.name && c.host === cookie.host && c.path === cookie.path));
      if (cookie.expires === null || cookie.expires > Date.now()) this.cookies.push(cookie);
    }
  }

  matching(url) {
    url = new URL(url);
    const now = Date.now();
    this.cookies = this.cookies.filter((c) => c.expires === null || c.expires > now);
    const pathMatches = (c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : c.path + '/');
    return this.cookies
      .filter((c) => c.host === url.hostname && pathMatches(c) && (!c.secure || url.protocol === 'https:'))
      // Longer paths first, as browsers send them.
      .sort((a, b) => b.path.length - a.path.length);
  }

  header(url) {
    return this.matching(url).map((c) => `${c.name}=${c.value}`).join('; ');
  }

  get(name, url) {
    return (url ? this.matching(url) : this.cookies).find((c) => c.name === name)?.value;
  }

  clear() {
    this.cookies = [];
  }
}

// A <form> of an HTML page: the first, or the first whose action's path is
// `action`; its action (absolute), method and every named <input>'s value
// (submit buttons and unchecked boxes left out).
export function parseForm(html, baseUrl, { action: path } = {}) {
  const attr = (tag, name) => {
    const m = tag.match(new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i'));
    return m ? decodeEntities(m[1] ?? m[2] ?? m[3]) : undefined;
  };
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)];
  const actionOf = (form) => new URL(attr(form[1], 'action') || baseUrl, baseUrl);
  const form = path ? forms.find((f) => actionOf(f).pathname === path) : forms[0];
  if (!form) throw new Error(`no form${path ? ` posting to ${path}` : ''} on ${baseUrl}:\n${html.slice(0, 800)}`);
  const fields = {};
  for (const [input] of form[2].matchAll(/<input\b[^>]*>/gi)) {
    const name = attr(input, 'name');
    const type = (attr(input, 'type') || 'text').toLowerCase();
    if (!name || type === 'submit' || ((type === 'checkbox' || type === 'radio') && !/\bchecked\b/i.test(input))) continue;
    fields[name] = attr(input, 'value') ?? '';
  }
  return { action: actionOf(form).href, method: (attr(form[1], 'method') || 'GET').toUpperCase(), fields };
}

function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e) => {
    const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (named[e.toLowerCase()]) return named[e.toLowerCase()];
    return String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
}

// One HTTP exchange with node:http(s): fetch (undici) would replace the
// Sec-Fetch-Mode header set above.
function send(method, url, headers, body, tlsOptions = {}) {
  const transport = url.protocol === 'https:' ? https : http;
  const extra = url.protocol === 'https:' && Object.keys(tlsOptions).length ? { agent: false, ...tlsOptions } : {};
  return new Promise((resolve, reject) => {
    const req = transport.request(url, { method, ...extra, headers: { ...headers, ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (k !== 'set-cookie') h.set(k, Array.isArray(v) ? v.join(', ') : v);
        }
        resolve({ status: res.statusCode, headers: h, setCookies: res.headers['set-cookie'] ?? [],
          text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export class Browser {
  // `tls`: options for HTTPS requests (ca, and cert/key or pfx/passphrase:
  // the client certificate a smart card would present; card.test.js).
  constructor({ jar = new CookieJar(), userAgent = 'portier-tests', tls = {} } = {}) {
    this.jar = jar;
    this.userAgent = userAgent;
    this.tls = tls;
  }

  // One request, no redirect followed. body: a string, or an object sent as
  // an HTML form (application/x-www-form-urlencoded).
  async request(method, url, { body, headers = {} } = {}) {
    // What a browser's top-level navigation says: mod_auth_openidc answers
    // 401 instead of redirecting to the provider to a request that does not
    // ask for HTML or whose Sec-Fetch-Mode is not "navigate" (Node's fetch
    // says "cors" unless told otherwise).
    const h = { 'user-agent': this.userAgent, accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
      'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', ...headers };
    const cookie = this.jar.header(url);
    if (cookie) h.cookie = cookie;
    if (body && typeof body === 'object' && !(body instanceof URLSearchParams)) body = new URLSearchParams(body);
    if (body instanceof URLSearchParams) {
      h['content-type'] = 'application/x-www-form-urlencoded';
      body = body.toString();
    }
    const res = await send(method, new URL(url), h, body, this.tls);
    this.jar.store(url, res.setCookies);
    let location = res.headers.get('location');
    // A page that moves on by itself (<meta http-equiv="refresh">), as
    // portier answers an application after one of its own forms: browsers
    // go there at once, and so does follow().
    const refresh = !location && res.status === 200
      ? res.text.match(/<meta http-equiv="refresh" content="0;url=([^"]+)">/)?.[1]?.replaceAll('&amp;', '&') : null;
    if (refresh) location = refresh;
    return { url: String(url), status: res.status, headers: res.headers, text: res.text, refresh: Boolean(refresh),
      location: location ? new URL(location, url).href : null };
  }

  get(url, opts) { return this.request('GET', url, opts); }

  // Requests `url` and follows redirects (303/302/301 turn into GET, 307/308
  // keep the method and body) until an answer that is not one, or until
  // `stop(url)` says true for the next location (that redirect is then the
  // answer, not followed: how a test catches a code at a redirect_uri it
  // does not serve). The answer carries `hops`, every URL requested.
  async follow(url, { method = 'GET', body, stop = () => false, maxHops = 20 } = {}) {
    const hops = [];
    let r;
    for (;;) {
      hops.push(String(url));
      r = await this.request(method, url, { body });
      if (!((r.status >= 300 && r.status < 400) || r.refresh) || !r.location) break;
      if (stop(new URL(r.location)) || hops.length > maxHops) break;
      if (![307, 308].includes(r.status)) { method = 'GET'; body = undefined; }
      url = r.location;
    }
    r.hops = hops;
    return r;
  }

  // Submits the first form of `page` (an answer of request/follow), or the
  // one posting to the path `opts.action`, with `fields` added to or
  // replacing its inputs, and follows redirects (opts: as follow()).
  async submitForm(page, fields = {}, { action, ...opts } = {}) {
    const form = parseForm(page.text, page.url, { action });
    const data = { ...form.fields, ...fields };
    if (form.method === 'GET') {
      const target = new URL(form.action);
      for (const [k, v] of Object.entries(data)) target.searchParams.set(k, v);
      return this.follow(target.href, opts);
    }
    return this.follow(form.action, { ...opts, method: 'POST', body: data });
  }
}
