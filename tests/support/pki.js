// The test PKI (tests/pki/make-test-pki.sh, described in tests/pki/README.md)
// for integration and browser tests: written once per process into a
// temporary folder, removed when the process exits.
//
//   const pki = await makeTestPki();
//   pki.caBundle, pki.crl                   // a listener's client_ca and crl
//   pki.server.cert, pki.server.key         // the TLS listener's own (127.0.0.1, localhost)
//   pki.serverCa                            // what a client trusts to reach it
//   pki.cards.valid.p12, pki.p12Password    // curl --cert-type P12, playwright clientCertificates
//   pki.cards.valid.rpps                    // the account's RPPS that this card maps to
//   rfc9440ClientCert(pki.cards.valid)      // the Client-Cert header a proxy would send
//   nginxEscapedCert(pki.cards.valid)       // nginx's $ssl_client_escaped_cert
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = join(root, 'tests', 'pki', 'make-test-pki.sh');

// Who each card says it is (make-test-pki.sh writes these subjects).
const DUPONT = { nationalId: '899700000013', rpps: '99700000013', surname: 'DUPONT', givenName: 'JEAN', title: 'Médecin' };
const CARDS = {
  valid: DUPONT,
  second: { nationalId: '899700000021', rpps: '99700000021', surname: 'LEFÈVRE', givenName: 'ÉLODIE', title: 'Pharmacien' },
  unmapped: { nationalId: '899700000039', rpps: '99700000039', surname: 'MARTIN', givenName: 'PAUL', title: 'Médecin' },
  establishment: { nationalId: '3750300005/0001234', finess: '750300005', surname: 'ROUX', givenName: 'CLAIRE', title: 'Secrétaire médicale' },
  adeli: { nationalId: '0751234567', adeli: '751234567', surname: 'BERNARD', givenName: 'LUC', title: 'Infirmier' },
  badCheckDigit: { nationalId: '899700000014', surname: 'PETIT', givenName: 'ANNE', title: 'Médecin' },
  // Refused by the verifier; the same holder as `valid`.
  expired: DUPONT,
  notYetValid: DUPONT,
  revoked: DUPONT,
  wrongUsage: DUPONT, // extendedKeyUsage emailProtection only
  noSignature: DUPONT, // keyUsage keyEncipherment only
  wrongCa: DUPONT, // issued by another root
};

const fileName = (name) => 'card-' + name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

let made = null;

// Resolves to the paths (and holders) of everything; the same object for
// every call in one process.
export function makeTestPki() {
  if (!made) made = generate();
  return made;
}

async function generate() {
  const dir = mkdtempSync(join(tmpdir(), 'portier-pki-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  await promisify(execFile)(script, [dir]);
  const at = (name) => join(dir, name);
  const cards = {};
  for (const [name, holder] of Object.entries(CARDS)) {
    const base = fileName(name);
    cards[name] = {
      name: base,
      pem: at(`${base}.pem`),
      key: at(`${base}.key`),
      der: at(`${base}.der`),
      p12: at(`${base}.p12`),
      ...holder,
    };
  }
  const server = (name) => ({ cert: at(`${name}.pem`), key: at(`${name}.key`), chain: at(`${name}-chain.pem`) });
  return {
    dir,
    p12Password: 'test',
    caBundle: at('ca-bundle.pem'), // root + intermediate: a listener's client_ca
    rootCa: at('root-ca.pem'),
    intermediateCa: at('intermediate-ca.pem'),
    otherRootCa: at('other-root-ca.pem'),
    crl: at('crl.pem'), // current, card-revoked on it
    crlDer: at('crl.der'),
    crlStale: at('crl-stale.pem'), // past its nextUpdate: RevocationUnknown
    rootCrl: at('root-crl.pem'), // covers the intermediate, not the cards
    serverCa: at('server-ca.pem'),
    server: server('server'),
    server2: server('server-2'), // same names, another key (SIGHUP reload)
    cards,
  };
}

// RFC 9440 Client-Cert value (a Structured Field byte sequence) for a card.
export function rfc9440ClientCert(card) {
  return `:${readFileSync(card.der).toString('base64')}:`;
}

// RFC 9440 Client-Cert-Chain value for certificates given as PEM files.
export function rfc9440ClientCertChain(...pemFiles) {
  return pemFiles
    .map((file) => {
      const body = readFileSync(file, 'utf8').replace(/-----[A-Z ]+-----|\s/g, '');
      return `:${body}:`;
    })
    .join(', ');
}

// nginx's $ssl_client_escaped_cert for a card: its PEM, URL-escaped.
export function nginxEscapedCert(card) {
  return encodeURIComponent(readFileSync(card.pem, 'utf8'));
}
