// The client-certificate headers a trusted proxy forwards (tls/forwarded_certificate.h):
// RFC 9440 Client-Cert and Client-Cert-Chain, nginx's escaped PEM. The same
// bytes go to every parser. Invariants: no crash; what is accepted is
// non-empty, no longer than its encoding, within the chain limit; and
// encoding the result again the canonical way parses back to the same bytes.
#include <sodium.h>

#include "fuzz_check.h"
#include "tls/forwarded_certificate.h"

using namespace portier;

namespace {
std::string base64(const std::string& bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::string escaped_pem(const std::string& der) {
  std::string b64 = base64(der), out = "-----BEGIN%20CERTIFICATE-----%0A";
  for (std::size_t i = 0; i < b64.size(); i += 64) {
    for (char c : b64.substr(i, 64)) out += c == '+' ? "%2B" : c == '/' ? "%2F" : c == '=' ? "%3D" : std::string(1, c);
    out += "%0A";
  }
  return out + "-----END%20CERTIFICATE-----%0A";
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  auto value = fuzz::as_text(data, size);

  if (auto cert = tls::parse_client_cert(value)) {
    FUZZ_CHECK(!cert->leaf_der.empty() && cert->leaf_der.size() <= value.size());
    FUZZ_CHECK(cert->chain_der.empty());
    auto again = tls::parse_client_cert(":" + base64(cert->leaf_der) + ":");
    FUZZ_CHECK(again && again->leaf_der == cert->leaf_der);
  }

  if (auto chain = tls::parse_client_cert_chain(value)) {
    FUZZ_CHECK(chain->size() <= tls::kMaxForwardedChain);
    std::string joined;
    for (const auto& der : *chain) {
      FUZZ_CHECK(!der.empty() && der.size() <= value.size());
      joined += (joined.empty() ? ":" : ", :") + base64(der) + ":";
    }
    auto again = tls::parse_client_cert_chain(joined);
    FUZZ_CHECK(again && *again == *chain);
  }

  if (auto cert = tls::parse_escaped_pem(value)) {
    FUZZ_CHECK(!cert->leaf_der.empty() && cert->leaf_der.size() <= value.size());
    auto again = tls::parse_escaped_pem(escaped_pem(cert->leaf_der));
    FUZZ_CHECK(again && again->leaf_der == cert->leaf_der);
  }
  return 0;
}
