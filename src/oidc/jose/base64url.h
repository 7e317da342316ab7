#pragma once
// base64url without padding (RFC 7515 §2), as every JOSE member is written.
// Encoding is common/encoding.h's base64url_encode; decoding is strict:
// padding, whitespace and characters outside the URL-safe alphabet refused.
#include <optional>
#include <string>
#include <string_view>

namespace portier::oidc::jose {

std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace portier::oidc::jose
