#include "credential/totp.h"

#include <liboath/oath.h>

#include <cassert>
#include <cstdlib>
#include <memory>

#include "common/secret_hasher.h"

namespace portier::totp {

namespace {

// liboath must be initialised once per process before any call; a function
// static is initialised exactly once even when requests race to it.
void ensure_oath() {
  static const int rc = oath_init();
  assert(rc == OATH_OK && "liboath cannot initialise");
  (void)rc;
}

struct FreeDeleter {
  void operator()(char* p) const { std::free(p); }
};

}  // namespace

std::int64_t step_of(TimePoint at) { return to_unix(at) / kStep.count(); }

std::string generate(std::string_view secret, TimePoint at, unsigned digits) {
  ensure_oath();
  assert(digits >= 6 && digits <= 8 && "RFC 4226 codes have 6 to 8 digits");
  char out[16] = {};
  // Start offset 0 and a 30-second step: the RFC 6238 defaults apps assume.
  int rc = oath_totp_generate(secret.data(), secret.size(), static_cast<time_t>(to_unix(at)),
                              static_cast<unsigned>(kStep.count()), OATH_TOTP_DEFAULT_START_TIME, digits, out);
  assert(rc == OATH_OK && "oath_totp_generate failed");
  (void)rc;
  return std::string(out, digits);
}

std::optional<std::int64_t> match(std::string_view secret, std::string_view code, TimePoint now, int window) {
  if (code.size() != kDigits) return std::nullopt;
  for (char c : code)
    if (c < '0' || c > '9') return std::nullopt;
  // Every step of the window is computed and compared, matched or not, so
  // the time taken does not tell which step (or digit) was right.
  std::optional<std::int64_t> found;
  for (int offset = -window; offset <= window; ++offset) {
    auto at = now + offset * kStep;
    if (constant_time_equal(generate(secret, at), code)) found = step_of(at);
  }
  return found;
}

std::string base32_encode(std::string_view bytes) {
  ensure_oath();
  char* out = nullptr;
  size_t len = 0;
  int rc = oath_base32_encode(bytes.data(), bytes.size(), &out, &len);
  assert(rc == OATH_OK && "oath_base32_encode failed (out of memory)");
  (void)rc;
  std::unique_ptr<char, FreeDeleter> owned(out);
  std::string text(out, len);
  while (!text.empty() && text.back() == '=') text.pop_back();
  return text;
}

std::optional<std::string> base32_decode(std::string_view text) {
  ensure_oath();
  std::string clean;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '=') continue;
    clean.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  // liboath wants the padded form.
  while (clean.size() % 8 != 0) clean.push_back('=');
  char* out = nullptr;
  size_t len = 0;
  if (oath_base32_decode(clean.data(), clean.size(), &out, &len) != OATH_OK) return std::nullopt;
  std::unique_ptr<char, FreeDeleter> owned(out);
  return std::string(out, len);
}

}  // namespace portier::totp
