#pragma once
// RFC 6238 time-based one-time passwords over liboath, with the defaults every
// authenticator app understands (HMAC-SHA1, 6 digits, 30-second steps), and
// the base32 text that apps accept as a key. Pure functions: no storage, no
// clock of its own. Never implements HMAC itself.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace portier::totp {

inline constexpr std::size_t kSecretBytes = 20;  // 160 bits, the RFC 4226 recommendation for SHA-1
inline constexpr unsigned kDigits = 6;
inline constexpr Seconds kStep{30};

// The time step (counter) that contains `at`: floor(unix time / 30).
std::int64_t step_of(TimePoint at);

// The code of the step containing `at`; `digits` is 6 to 8.
std::string generate(std::string_view secret, TimePoint at, unsigned digits = kDigits);

// The newest step in [step_of(now) - window, step_of(now) + window] whose code
// equals `code`, compared in constant time; nullopt when none does (or when
// `code` is not `kDigits` digits). The window absorbs clock drift between
// the phone and the server and the time it takes to type.
std::optional<std::int64_t> match(std::string_view secret, std::string_view code, TimePoint now, int window = 1);

// RFC 4648 base32, upper case, without padding (a 20-byte secret is 32 characters).
std::string base32_encode(std::string_view bytes);
// Accepts what a member may copy: lower case, spaces, dashes, padding.
// nullopt when the text is not base32.
std::optional<std::string> base32_decode(std::string_view text);

}  // namespace portier::totp
