#pragma once
// Delivers one back-channel logout request: an HTTP POST of
// `logout_token=…` (application/x-www-form-urlencoded) to an application's
// backchannel_logout_uri. Implemented over Boost.Beast and OpenSSL in
// http/backchannel_poster.h; tests substitute a fake.
#include <string>

#include "common/result.h"

namespace portier::oidc {

class BackchannelSender {
public:
  virtual ~BackchannelSender() = default;
  // The HTTP status the application answered. InvalidInput when the URI may
  // never be called (not https, or http to a host that is not loopback):
  // retrying cannot help. Unavailable for network failures and timeouts.
  virtual Result<int> post_form(const std::string& uri, const std::string& body) = 0;
};

}  // namespace portier::oidc
