// Server certificates for the HTTPS tests, made with the openssl command at
// test time: one CA, then as many leaves for 127.0.0.1 as a test needs (a
// SIGHUP test swaps one for another). The smart-card PKI (client
// certificates, CRLs) is tests/support/pki.js's.
//
//   const certs = new ServerCertificates();      // a CA in a fresh folder
//   const { cert, key } = certs.issue('a');      // a.pem, a.key (0600)
//   certs.fingerprint(cert)                      // 'AB:CD:…', as Node's tls reports it
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const openssl = (args, cwd) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

export class ServerCertificates {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'portier-tls-'));
    this.ca = join(this.dir, 'ca.pem');
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key',
      '-out', 'ca.pem', '-days', '2', '-subj', '/CN=portier test server CA'], this.dir);
    this.serial = 1;
  }

  // A leaf for 127.0.0.1 signed by the CA: { cert, key } paths.
  issue(name, { cn = `portier test ${name}` } = {}) {
    writeFileSync(join(this.dir, `${name}.ext`), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
    openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`,
      '-out', `${name}.csr`, '-subj', `/CN=${cn}`], this.dir);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', String(++this.serial),
      '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`], this.dir);
    chmodSync(join(this.dir, `${name}.key`), 0o600);
    return { cert: join(this.dir, `${name}.pem`), key: join(this.dir, `${name}.key`) };
  }

  // A client certificate (clientAuth) under a client CA of its own, made on
  // first use: { cert, key, ca } paths. For the TLS plumbing only; the card
  // PKI with CPS subjects and CRLs is tests/support/pki.js.
  issueClient(name, { subject = `/CN=${name}` } = {}) {
    if (!this.clientCa) {
      openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'client-ca.key',
        '-out', 'client-ca.pem', '-days', '2', '-subj', '/CN=portier test client CA'], this.dir);
      this.clientCa = join(this.dir, 'client-ca.pem');
    }
    writeFileSync(join(this.dir, `${name}.ext`), 'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
    openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`,
      '-out', `${name}.csr`, '-subj', subject, '-multivalue-rdn'], this.dir);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'client-ca.pem', '-CAkey', 'client-ca.key',
      '-set_serial', String(++this.serial), '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`], this.dir);
    chmodSync(join(this.dir, `${name}.key`), 0o600);
    return { cert: join(this.dir, `${name}.pem`), key: join(this.dir, `${name}.key`), ca: this.clientCa };
  }

  // SHA-256 fingerprint as tls.TLSSocket#getPeerCertificate().fingerprint256 gives it.
  fingerprint(certFile) {
    return new X509Certificate(readFileSync(certFile)).fingerprint256;
  }

  cleanup() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
