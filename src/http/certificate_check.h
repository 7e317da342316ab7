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
  // `current` itself when neither client_ca nor a CRL file changed (a stat
  // per file), a new judge when one did, or why the new files do not load
  // (the caller keeps `current`).
  static Result<std::shared_ptr<const CertificateCheck>> refreshed(const std::shared_ptr<const CertificateCheck>& current);

  ClientCertificate judge(const PresentedCertificate& presented) const;
  // The certificate in Client-Cert (+ Client-Cert-Chain), or in nginx's
  // X-Client-Cert (escaped PEM); nothing when no such header is set. A
  // header that holds no certificate gives a Unreadable verdict.
  std::optional<ClientCertificate> from_proxy_headers(const Headers& headers) const;

  CertificateCheck(std::shared_ptr<const tls::CertificateVerifier> verifier, ListenerConfig listener)
      : verifier_(std::move(verifier)), listener_(std::move(listener)) {}

private:
  std::shared_ptr<const tls::CertificateVerifier> verifier_;
  ListenerConfig listener_;
};

}  // namespace portier::http
