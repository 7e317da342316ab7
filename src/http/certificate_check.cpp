#include "http/certificate_check.h"

#include "tls/certificate_verifier.h"
#include "tls/forwarded_certificate.h"
#include "http/forwarded.h"

namespace portier::http {
namespace {

tls::TrustSettings trust_of(const ListenerConfig& l) { return {l.client_ca, l.crl}; }

}  // namespace

Result<std::shared_ptr<const CertificateCheck>> CertificateCheck::load(const ListenerConfig& listener) {
  auto verifier = tls::CertificateVerifier::load(trust_of(listener));
  if (!verifier) return tl::unexpected(verifier.error());
  return std::make_shared<const CertificateCheck>(*verifier, listener);
}

Result<std::shared_ptr<const CertificateCheck>> CertificateCheck::refreshed(
    const std::shared_ptr<const CertificateCheck>& current) {
  auto verifier = tls::CertificateVerifier::reload_if_changed(current->verifier_, trust_of(current->listener_));
  if (!verifier) return tl::unexpected(verifier.error());
  if (*verifier == current->verifier_) return current;
  return std::make_shared<const CertificateCheck>(*verifier, current->listener_);
}

ClientCertificate CertificateCheck::judge(const PresentedCertificate& presented) const {
  return verifier_->verify(presented.leaf_der, presented.chain_der, CertificateSource::Handshake,
                           std::chrono::system_clock::now());
}

std::optional<ClientCertificate> CertificateCheck::from_proxy_headers(const Headers& headers) const {
  auto value = [&](std::string_view name) -> std::optional<std::string_view> {
    for (auto& [k, v] : headers)
      if (k == name) return std::string_view(v);
    return std::nullopt;
  };
  std::optional<tls::ForwardedCertificate> forwarded;
  if (auto rfc9440 = value(kClientCertHeader)) {
    forwarded = tls::parse_rfc9440(*rfc9440, value(kClientCertChainHeader));
  } else if (auto escaped = value(kNginxClientCertHeader)) {
    // nginx sends the header only with a certificate; "-" or empty means none.
    if (escaped->empty() || *escaped == "-") return std::nullopt;
    forwarded = tls::parse_escaped_pem(*escaped);
  } else {
    return std::nullopt;
  }
  if (!forwarded) {
    ClientCertificate unreadable;
    unreadable.verdict = CertificateVerdict::Unreadable;
    unreadable.source = CertificateSource::Proxy;
    return unreadable;
  }
  return verifier_->verify(forwarded->leaf_der, forwarded->chain_der, CertificateSource::Proxy,
                           std::chrono::system_clock::now());
}

}  // namespace portier::http
