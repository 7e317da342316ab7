#pragma once
// The client-certificate judge of one listener: its client_ca and CRLs
// (tls::CertificateVerifier), applied to what the browser presented in the
// handshake or what a trusted proxy forwarded in a header. Loaded at start,
// again on SIGHUP (CRLs refreshed), swapped as a whole.
#include <chrono>
#include <memory>
#include <optional>

#include "common/result.h"
#include "config/listener_config.h"
#include "http/client_certificate.h"
#include "http/peer_certificate.h"
#include "http/request.h"

namespace portier::tls {
class CertificateVerifier;
}

namespace portier::http {

class CertificateCheck {
public:
  static Result<std::shared_ptr<const CertificateCheck>> load(const ListenerConfig& listener);

  ClientCertificate judge(const PresentedCertificate& presented) const;
  // The certificate in Client-Cert (+ Client-Cert-Chain), or in nginx's
  // X-SSL-Client-Cert (escaped PEM); nothing when no such header is set. A
  // header that holds no certificate gives a Unreadable verdict.
  std::optional<ClientCertificate> from_proxy_headers(const Headers& headers) const;

  explicit CertificateCheck(std::shared_ptr<const tls::CertificateVerifier> verifier) : verifier_(std::move(verifier)) {}

private:
  std::shared_ptr<const tls::CertificateVerifier> verifier_;
};

}  // namespace portier::http
