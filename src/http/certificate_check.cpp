#include "http/certificate_check.h"

// TEMPORARY until tls::CertificateVerifier lands (engineer cardlib): nothing
// is ever judged Valid.
namespace portier::http {

Result<std::shared_ptr<const CertificateCheck>> CertificateCheck::load(const ListenerConfig&) {
  return std::make_shared<const CertificateCheck>(nullptr);
}

ClientCertificate CertificateCheck::judge(const PresentedCertificate& presented) const {
  ClientCertificate out;
  out.verdict = CertificateVerdict::UnknownIssuer;
  out.leaf_der = presented.leaf_der;
  out.chain_der = presented.chain_der;
  return out;
}

std::optional<ClientCertificate> CertificateCheck::from_proxy_headers(const Headers& headers) const {
  return std::nullopt;
}

}  // namespace portier::http
