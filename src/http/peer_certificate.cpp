#include "http/peer_certificate.h"

#include <openssl/x509.h>

namespace portier::http {
namespace {

std::string der(X509* cert) {
  int n = i2d_X509(cert, nullptr);
  if (n <= 0) return {};
  std::string out(static_cast<std::size_t>(n), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  i2d_X509(cert, &p);
  return out;
}

}  // namespace

std::optional<PresentedCertificate> presented_certificate(SSL* ssl) {
  X509* leaf = SSL_get0_peer_certificate(ssl);
  if (!leaf) return std::nullopt;
  PresentedCertificate out;
  out.leaf_der = der(leaf);
  // On the server side the chain excludes the leaf; it may be absent on a
  // resumed session (the verifier then builds the chain from its bundle).
  if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl))
    for (int i = 0; i < sk_X509_num(chain); ++i) {
      X509* c = sk_X509_value(chain, i);
      if (X509_cmp(c, leaf) != 0) out.chain_der.push_back(der(c));
    }
  return out;
}

}  // namespace portier::http
