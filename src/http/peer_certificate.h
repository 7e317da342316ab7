#pragma once
// The certificate a TLS client presented in the handshake, as DER: the leaf
// and the intermediates it sent. Plain strings, for the verifier.
#include <openssl/ssl.h>

#include <optional>
#include <string>
#include <vector>

namespace portier::http {

struct PresentedCertificate {
  std::string leaf_der;
  std::vector<std::string> chain_der;  // intermediates, leaf excluded
};

// Nothing when the client sent no certificate.
std::optional<PresentedCertificate> presented_certificate(SSL* ssl);

}  // namespace portier::http
