#pragma once
// Client certificates as a TLS-terminating proxy forwards them, decoded to
// DER. Only the HTTP layer calls these, and only for requests from
// `server.trusted_proxies`; the result is then verified like a handshake
// certificate (CertificateVerifier, source Proxy). Pure text handling: no
// OpenSSL, no guess: a value that is not exactly one of the formats below is
// refused (std::nullopt), and hostile input never crashes (tests/fuzz).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portier::tls {

struct ForwardedCertificate {
  std::string leaf_der;                // the client's certificate, DER (not yet checked to be one)
  std::vector<std::string> chain_der;  // intermediates the proxy forwarded (Client-Cert-Chain), may be empty
};

// RFC 9440 `Client-Cert`: one Structured Field Byte Sequence, `:<base64 DER>:`
// (RFC 8941), optionally with parameters, which are ignored.
std::optional<ForwardedCertificate> parse_client_cert(std::string_view value);

// RFC 9440 `Client-Cert-Chain`: a Structured Field List of Byte Sequences,
// comma-separated, at most kMaxForwardedChain of them. An empty value is an
// empty chain; any malformed member refuses the whole list.
std::optional<std::vector<std::string>> parse_client_cert_chain(std::string_view value);

// nginx's `$ssl_client_escaped_cert`: the leaf as URL-escaped PEM, sent in a
// header the deployment names (the documented configuration uses
// `X-Client-Cert`). Empty, or nginx's "-" for no certificate: std::nullopt.
std::optional<ForwardedCertificate> parse_escaped_pem(std::string_view value);

// Both RFC 9440 fields of one request in one call: the certificate, and its
// chain when the chain field is present and well-formed (a malformed chain
// refuses the certificate too: the proxy sent something it should not).
std::optional<ForwardedCertificate> parse_rfc9440(std::string_view client_cert,
                                                  std::optional<std::string_view> client_cert_chain);

// Longer header values are refused before any decoding.
inline constexpr std::size_t kMaxForwardedValue = 64 * 1024;
inline constexpr std::size_t kMaxForwardedChain = 8;

}  // namespace portier::tls
