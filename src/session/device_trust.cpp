#include "session/device_trust.h"

#include <charconv>

#include "common/encoding.h"

namespace portier {

namespace {
constexpr char kEntrySeparator = '~';  // allowed in a cookie value, absent from base64url
}

std::string DeviceTrust::entry(AccountId account, const std::string& nonce) const {
  auto payload = std::to_string(account) + "." + nonce;
  return payload + "." + base64url_encode(secrets_.mac("device", payload));
}

std::vector<TrustedDevice> DeviceTrust::parse(std::string_view value) const {
  std::vector<TrustedDevice> out;
  if (value.size() > 1024) return out;
  while (!value.empty() && out.size() < kMaxEntries) {
    auto end = value.find(kEntrySeparator);
    auto item = value.substr(0, end);
    value = end == std::string_view::npos ? std::string_view() : value.substr(end + 1);
    auto last_dot = item.rfind('.');
    if (last_dot == std::string_view::npos) continue;
    auto payload = item.substr(0, last_dot);
    auto first_dot = payload.find('.');
    if (first_dot == std::string_view::npos) continue;
    auto expected = base64url_encode(secrets_.mac("device", payload));
    if (!constant_time_equal(expected, item.substr(last_dot + 1))) continue;
    AccountId id = 0;
    auto id_text = payload.substr(0, first_dot);
    auto [p, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
    if (ec != std::errc() || p != id_text.data() + id_text.size()) continue;
    out.push_back(TrustedDevice{id, std::string(payload.substr(first_dot + 1))});
  }
  return out;
}

std::optional<std::string> DeviceTrust::nonce_for(std::string_view value, AccountId account) const {
  for (auto& d : parse(value))
    if (d.account == account) return d.nonce;
  return std::nullopt;
}

std::string DeviceTrust::remember(std::string_view value, AccountId account) {
  auto devices = parse(value);
  std::string nonce;
  for (auto& d : devices)
    if (d.account == account) nonce = d.nonce;
  if (nonce.empty()) nonce = random_.token(16);
  std::string out = entry(account, nonce);
  std::size_t kept = 1;
  for (auto& d : devices) {
    if (d.account == account || kept == kMaxEntries) continue;
    out += kEntrySeparator + entry(d.account, d.nonce);
    ++kept;
  }
  return out;
}

}  // namespace portier
