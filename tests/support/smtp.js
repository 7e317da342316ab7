// A real SMTP server for the tests (npm smtp-server, no TLS, any or no
// login), collecting what portier sends and parsing it with mailparser.
// Shared by tests/integration (mail, recovery) and tests/e2e.
//
//   const smtp = await new SmtpSink().start();   // smtp.port: a free port
//   ... portier sends to smtp://127.0.0.1:${smtp.port} with smtp_tls = "none"
//   const m = await smtp.waitFor((m) => m.to === 'marie@example.org');
//   await smtp.stop(); await smtp.start();        // down, then back on the SAME port
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export class SmtpSink {
  // rejectRecipients: addresses answered "550 5.1.1" at RCPT TO (a
  // permanent refusal); deferRecipients: answered "450 4.2.1" (try later).
  // delayMs: each message is acknowledged that long after its data arrived
  // (a slow relay: keeps a sender busy while others may claim messages).
  constructor({ port = 0, rejectRecipients = [], deferRecipients = [], delayMs = 0 } = {}) {
    this.port = port;
    this.delayMs = delayMs;
    this.rejectRecipients = new Set(rejectRecipients);
    this.deferRecipients = new Set(deferRecipients);
    this.messages = []; // { raw, parsed, from, to, envelope, receivedAt }
    this.server = null;
  }

  // Listens on 127.0.0.1 (on this.port, 0 the first time); resolves to this.
  async start() {
    if (this.server) return this;
    this.server = new SMTPServer({
      authOptional: true,
      disableReverseLookup: true, // no DNS here; a lookup per connection would dominate the timing
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 200,
      onAuth: (auth, session, cb) => cb(null, { user: auth.username }),
      onRcptTo: (address, session, cb) => {
        const a = address.address.toLowerCase();
        if (this.rejectRecipients.has(a)) {
          return cb(Object.assign(new Error(`5.1.1 <${a}>: Recipient address rejected: no such user`), { responseCode: 550 }));
        }
        if (this.deferRecipients.has(a)) {
          return cb(Object.assign(new Error('4.2.1 Mailbox busy, try again later'), { responseCode: 450 }));
        }
        cb();
      },
      onData: (stream, session, cb) => {
        const chunks = [];
        stream.on('data', (c) => chunks.push(c));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks);
          try {
            const parsed = await simpleParser(raw);
            if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
            this.messages.push({
              raw,
              parsed,
              from: session.envelope.mailFrom && session.envelope.mailFrom.address,
              to: session.envelope.rcptTo.map((r) => r.address).join(','),
              envelope: session.envelope,
              receivedAt: Date.now(),
            });
            cb(null, 'Message queued as test-' + this.messages.length);
          } catch (e) {
            cb(e);
          }
        });
      },
    });
    await new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    // Answer each SMTP command at once: without this, Nagle's algorithm on
    // this side and delayed ACKs on the client's add ~40 ms per exchange,
    // which a real relay does not (it would skew bench/ figures).
    this.server.server.on('connection', (socket) => socket.setNoDelay(true));
    this.port = this.server.server.address().port;
    this.url = `smtp://127.0.0.1:${this.port}`;
    return this;
  }

  // The [mail] lines of a portier.toml that sends here (no TLS on loopback),
  // with a 1 s outbox pace so that tests do not wait.
  mailConfig(extra = []) {
    return ['[mail]', `smtp_url = "${this.url}"`, 'smtp_tls = "none"', 'outbox_poll_interval = 1', ...extra];
  }

  // Stops listening and drops open connections; the port is kept so that
  // start() comes back on it (an SMTP relay going down and up again).
  async stop() {
    if (!this.server) return;
    const server = this.server;
    this.server = null;
    await new Promise((resolve) => server.close(resolve));
  }

  // Resolves with the first message (received so far or later) for which
  // predicate(message) is true; rejects after `timeout` ms.
  async waitFor(predicate = () => true, timeout = 5000) {
    const end = Date.now() + timeout;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (Date.now() > end) throw new Error(`no matching mail within ${timeout} ms (${this.messages.length} received)`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  clear() {
    this.messages = [];
  }
}
