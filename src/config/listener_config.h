#pragma once
// The [[server.listeners]] tables (each listener plain or TLS, with its
// client-certificate mode) and server.trusted_proxies. Checked at start:
// modes, pairs of keys that go together, readable files. Whether a key
// matches its certificate is checked where the TLS context is built
// (http/tls_context.h), still before anything is served.
#include <string>
#include <vector>

namespace portier {

struct ListenerConfig {
  std::string address;          // host:port; port 0 picks a free one
  std::string tls_certificate;  // PEM, leaf first then intermediates; empty: plain HTTP
  std::string tls_key;          // PEM private key of tls_certificate
  // "none": never asks. "optional": asks in the initial handshake (TLS 1.2
  // too), accepts anything and lets the page judge. "required": the handshake
  // fails without a certificate (machine clients, never the card page).
  // On a plain listener "optional" means: believe certificates forwarded by
  // a trusted proxy (server.trusted_proxies).
  std::string client_certificates = "none";
  std::string client_ca;        // PEM bundle of the CAs client certificates must chain to
  std::vector<std::string> crl; // PEM or DER CRL files, re-read on SIGHUP

  bool is_tls() const { return !tls_certificate.empty(); }
  bool asks_client_certificate() const { return client_certificates != "none"; }
};

void validate_listeners(const std::vector<ListenerConfig>& listeners, std::vector<std::string>& problems);
void validate_trusted_proxies(const std::vector<std::string>& ranges, std::vector<std::string>& problems);

}  // namespace portier
