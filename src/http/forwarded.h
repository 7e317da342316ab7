#pragma once
// Who the client is behind trusted reverse proxies (server.trusted_proxies).
// Only a request whose TCP peer is a trusted proxy has its forwarding headers
// read; the client is then the right-most X-Forwarded-For (or, without that
// header, Forwarded "for=") address that is not itself a trusted proxy:
// whatever a client wrote into the header itself stays to the left of what
// its first trusted proxy appended, and is never believed.
#include <optional>
#include <string>

#include "http/request.h"
#include "throttle/address_ranges.h"

namespace portier::http {

struct ForwardedFacts {
  std::string client_ip;       // the peer itself when nothing usable was forwarded
  std::optional<bool> https;   // X-Forwarded-Proto (right-most value), when present and known
};

// `peer` must be a trusted proxy (the caller checks): from anyone else
// nothing forwarded is read.
ForwardedFacts resolve_forwarded(const Headers& headers, const std::string& peer, const AddressRanges& trusted);

// Removes the forwarding and client-certificate headers, so that nothing
// after the HTTP layer can read what a client may have forged: the layer has
// resolved them into Request::remote_ip, tls and client_certificate.
void strip_forwarding_headers(Headers& headers);

// The client-certificate headers a trusted proxy may send: RFC 9440 and the
// one deploy/nginx/portier.conf sets from $ssl_client_escaped_cert.
inline constexpr const char* kClientCertHeader = "client-cert";
inline constexpr const char* kClientCertChainHeader = "client-cert-chain";
inline constexpr const char* kNginxClientCertHeader = "x-client-cert";

}  // namespace portier::http
