// A stand-in for an HTTP SMS gateway (node:http, no TLS, 127.0.0.1),
// recording every request exactly as portier made it, and answering what
// the test says. Shared by tests/integration and tests/e2e.
//
//   const gw = await new SmsGateway().start();          // gw.port: a free port
//   ... portier sends to gw.url + '/sms' (sms.gateway_url, http:// is allowed to loopback)
//   gw.answer = { status: 500, body: 'down' };          // every later request gets this
//   const r = await gw.waitFor((r) => r.json?.to === '+33612345678');
//   r.method, r.url, r.path, r.query, r.headers['authorization'], r.body, r.json, r.form
//   await gw.stop(); await gw.start();                   // down, then back on the SAME port
import { createServer } from 'node:http';

export class SmsGateway {
  // answer: { status, body, headers } sent to every request (a function
  // (request) => answer may decide per request).
  constructor({ port = 0, answer = { status: 200, body: '{"status":"OK","id":"sms-1"}' } } = {}) {
    this.port = port;
    this.answer = answer;
    this.requests = []; // { method, url, path, query, headers, body, json, form, receivedAt }
    this.server = null;
    this.sockets = new Set();
  }

  // Listens on 127.0.0.1 (on this.port, 0 the first time); resolves to this.
  async start() {
    if (this.server) return this;
    this.server = createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const parsed = new URL(req.url, 'http://127.0.0.1');
        const type = (req.headers['content-type'] || '').split(';')[0].trim();
        const record = {
          method: req.method,
          url: req.url,
          path: parsed.pathname,
          query: Object.fromEntries(parsed.searchParams),
          headers: req.headers, // lower-cased names, as node gives them
          body,
          json: undefined,
          form: undefined,
          receivedAt: Date.now(),
        };
        if (type === 'application/json') {
          try { record.json = JSON.parse(body); } catch { record.json = null; } // null: not JSON at all
        } else if (type === 'application/x-www-form-urlencoded') {
          record.form = Object.fromEntries(new URLSearchParams(body));
        }
        this.requests.push(record);
        const a = typeof this.answer === 'function' ? this.answer(record) : this.answer;
        res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...(a.headers || {}) });
        res.end(a.body ?? '');
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = this.server.address().port;
    this.url = `http://127.0.0.1:${this.port}`;
    return this;
  }

  // Stops listening and drops kept-alive connections (portier keeps one);
  // the port is kept so that start() comes back on it.
  async stop() {
    if (!this.server) return;
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise((resolve) => server.close(resolve));
  }

  // Resolves with the first request (received so far or later) for which
  // predicate(request) is true; rejects after `timeout` ms.
  async waitFor(predicate = () => true, timeout = 5000) {
    const end = Date.now() + timeout;
    for (;;) {
      const found = this.requests.find(predicate);
      if (found) return found;
      if (Date.now() > end) throw new Error(`no matching SMS request within ${timeout} ms (${this.requests.length} received)`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  clear() {
    this.requests = [];
  }
}
