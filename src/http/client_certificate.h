#pragma once
// A client certificate as the rest of portier sees it. The HTTP layer
// verifies it against the listener's CA bundle and CRLs, whether the browser
// presented it in the TLS handshake or a trusted proxy forwarded it, and
// hands it on with the verdict: a certificate that failed is still carried so
// that the card page can say what to do (expired, revoked, unknown issuer).
// Only `CertificateVerdict::Valid` may ever sign anyone in. Plain values: no
// OpenSSL type leaves src/tls/.
#include <chrono>
#include <string>
#include <vector>

namespace portier::http {

enum class CertificateVerdict {
  Valid,          // chain to a configured CA, within validity, not revoked, usable for client authentication
  Expired,
  NotYetValid,
  Revoked,        // on a configured CRL
  RevocationUnknown,  // CRLs are configured but none current covers the issuer: fail closed
  UnknownIssuer,  // no chain to a configured CA (a wrong PKI, a self-made certificate)
  WrongUsage,     // key usage / extended key usage forbid client authentication
  Unreadable,     // not a certificate (a mangled proxy header)
};

enum class CertificateSource { Handshake, Proxy };

struct ClientCertificate {
  CertificateVerdict verdict = CertificateVerdict::Unreadable;
  CertificateSource source = CertificateSource::Handshake;
  std::string leaf_der;                 // the presented certificate, DER
  std::vector<std::string> chain_der;   // intermediates as presented (may be empty)
  std::string subject;                  // RFC 2253, UTF-8: for logs and pages only
  std::string issuer;                   // RFC 2253, UTF-8
  std::string serial_hex;               // upper-case hex
  std::string sha256_hex;               // lower-case hex of SHA-256(leaf_der): what a linked card is known by
  std::chrono::system_clock::time_point not_after{};
};

}  // namespace portier::http
