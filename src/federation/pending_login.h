#pragma once
// What begin() asked of the provider, kept server-side until the answer comes
// back (the web part stores it in a flow and puts only the flow's random id
// in a cookie): never sent to the browser, since the PKCE verifier and the
// nonce prove that the answer belongs to this request.
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"

namespace portier::federation {

struct PendingLogin {
  std::string provider;       // configured provider id
  std::string state;          // 256 random bits, echoed by the provider
  std::string nonce;          // 256 random bits, must come back in the ID token
  std::string code_verifier;  // PKCE (RFC 7636), 43 characters
  std::string redirect_uri;   // sent again with the code, as RFC 6749 §4.1.3 requires
  std::string acr_values;     // what was asked; the ID token's acr must be one of them
  TimePoint issued_at{};
};

std::string to_json(const PendingLogin& login);
// InvalidInput for anything but what to_json wrote.
Result<PendingLogin> pending_login_from_json(std::string_view json);

}  // namespace portier::federation
