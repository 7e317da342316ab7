#include "credential/totp_service.h"

#include <sodium.h>

#include <cctype>
#include <cstring>
#include <utility>

#include "common/encoding.h"
#include "common/secret_box.h"
#include "credential/qr_svg.h"
#include "credential/totp.h"
#include "credential/totp_store.h"

namespace portier {

namespace {

constexpr int kRecoveryCodeCount = 10;
constexpr std::size_t kRecoveryCodeLength = 10;
// No 0/O, 1/I/L: a code copied from paper is typed back right.
constexpr std::string_view kRecoveryAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
constexpr std::string_view kRecoveryPurpose = "totp-recovery";

// Upper case, without the spaces and dashes a member may type or copy.
std::string normalize_recovery_code(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

// RFC 3986 unreserved characters stay, everything else is %XX: issuer and
// identifier go into the otpauth label and query.
std::string percent_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// Seeds are sealed under their own derivation of the server key
// (common/secret_box.h); the purpose string is that key's name.
constexpr std::string_view kBoxPurpose = "totp-secret-key";

std::string seal(const SecretHasher& secrets, Random& random, std::string_view secret) {
  return seal_secret(secrets, kBoxPurpose, random, secret);
}

Result<std::string> open_box(const SecretHasher& secrets, std::string_view box) {
  return open_secret(secrets, kBoxPurpose, box);
}

// Ten new codes as shown ("ABCDE-FGHJK") and as stored (keyed hashes).
std::pair<std::vector<std::string>, std::vector<std::string>> draw_recovery_codes(const SecretHasher& secrets,
                                                                                  Random& random) {
  std::vector<std::string> codes, hashes;
  for (int i = 0; i < kRecoveryCodeCount; ++i) {
    auto raw = random.from_alphabet(kRecoveryAlphabet, kRecoveryCodeLength);
    hashes.push_back(secrets.digest(kRecoveryPurpose, raw));
    codes.push_back(raw.substr(0, 5) + "-" + raw.substr(5));
  }
  return {std::move(codes), std::move(hashes)};
}

Result<TotpEnrolment> describe(const std::string& issuer, const Account& account, std::string_view secret) {
  TotpEnrolment e;
  e.secret_base32 = totp::base32_encode(secret);
  // The issuer appears both as the label prefix and as a parameter: older
  // apps read one, newer ones the other (Google Authenticator key format).
  e.otpauth_uri = "otpauth://totp/" + percent_encode(issuer) + ":" + percent_encode(account.identifier) +
                  "?secret=" + e.secret_base32 + "&issuer=" + percent_encode(issuer) +
                  "&algorithm=SHA1&digits=6&period=30";
  auto svg = qr_svg(e.otpauth_uri, issuer + " — " + account.identifier);
  if (!svg) return tl::unexpected(svg.error());
  e.qr_svg = std::move(*svg);
  return e;
}

// A pending key past its lifetime is as good as gone (it stays in its row
// until the next draw or cancel: nothing reads it). A key without a drawing
// time predates the lifetime and has expired too.
bool is_live_pending(const TotpCredential& row, TimePoint now) {
  return row.pending_box && row.pending_at && now - *row.pending_at < TotpService::kPendingLifetime;
}

}  // namespace

TotpService::TotpService(TotpStore& store, const SecretHasher& secrets, Random& random, const Clock& clock,
                         std::string issuer)
    : store_(store), secrets_(secrets), random_(random), clock_(clock), issuer_(std::move(issuer)) {}

Result<TotpEnrolment> TotpService::start_enrolment(const Account& account) {
  std::string secret(totp::kSecretBytes, '\0');
  random_.fill(reinterpret_cast<unsigned char*>(secret.data()), secret.size());
  if (auto saved = store_.save_pending(account.id, seal(secrets_, random_, secret), clock_.now()); !saved)
    return tl::unexpected(saved.error());
  return describe(issuer_, account, secret);
}

Result<TotpEnrolment> TotpService::pending_enrolment(const Account& account) {
  auto row = store_.find(account.id);
  if (!row) return tl::unexpected(row.error());
  if (!is_live_pending(*row, clock_.now())) return fail(ErrorCode::NotFound, "no enrolment pending");
  auto secret = open_box(secrets_, *row->pending_box);
  if (!secret) return tl::unexpected(secret.error());
  return describe(issuer_, account, *secret);
}

Result<std::optional<std::vector<std::string>>> TotpService::confirm_enrolment(AccountId account,
                                                                                std::string_view code) {
  auto row = store_.find(account);
  if (!row) return tl::unexpected(row.error());
  if (!is_live_pending(*row, clock_.now())) return fail(ErrorCode::NotFound, "no enrolment pending");
  auto secret = open_box(secrets_, *row->pending_box);
  if (!secret) return tl::unexpected(secret.error());
  auto step = totp::match(*secret, trim(code), clock_.now());
  if (!step) return std::optional<std::vector<std::string>>();
  auto [codes, hashes] = draw_recovery_codes(secrets_, random_);
  // The confirming code's step counts as used: it cannot sign in afterwards.
  if (auto done = store_.confirm(account, *row->pending_box, *step, clock_.now(), hashes); !done)
    return tl::unexpected(done.error());
  return std::optional<std::vector<std::string>>(std::move(codes));
}

Result<void> TotpService::cancel_enrolment(AccountId account) { return store_.clear_pending(account); }

Result<bool> TotpService::is_enrolled(AccountId account) {
  auto row = store_.find(account);
  if (!row) {
    if (row.error().code == ErrorCode::NotFound) return false;
    return tl::unexpected(row.error());
  }
  return row->is_enrolled();
}

Result<TotpVerdict> TotpService::verify(AccountId account, std::string_view code) {
  auto row = store_.find(account);
  if (!row) {
    if (row.error().code == ErrorCode::NotFound) return TotpVerdict::Wrong;
    return tl::unexpected(row.error());
  }
  if (!row->secret_box) return TotpVerdict::Wrong;
  auto secret = open_box(secrets_, *row->secret_box);
  if (!secret) return tl::unexpected(secret.error());
  auto step = totp::match(*secret, trim(code), clock_.now());
  if (!step) return TotpVerdict::Wrong;
  auto claimed = store_.claim_step(account, *step);
  if (!claimed) return tl::unexpected(claimed.error());
  return *claimed ? TotpVerdict::Accepted : TotpVerdict::Replayed;
}

Result<bool> TotpService::use_recovery_code(AccountId account, std::string_view code) {
  auto normalized = normalize_recovery_code(code);
  if (normalized.size() != kRecoveryCodeLength) return false;
  return store_.use_recovery_code(account, secrets_.digest(kRecoveryPurpose, normalized), clock_.now());
}

Result<int> TotpService::remaining_recovery_codes(AccountId account) { return store_.count_recovery_codes(account); }

Result<std::vector<std::string>> TotpService::regenerate_recovery_codes(AccountId account) {
  auto enrolled = is_enrolled(account);
  if (!enrolled) return tl::unexpected(enrolled.error());
  if (!*enrolled) return fail(ErrorCode::NotFound, "no authenticator app");
  auto [codes, hashes] = draw_recovery_codes(secrets_, random_);
  if (auto done = store_.replace_recovery_codes(account, hashes); !done) return tl::unexpected(done.error());
  return codes;
}

Result<void> TotpService::remove(AccountId account) { return store_.remove(account); }

}  // namespace portier
