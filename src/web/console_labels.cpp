#include "web/console_labels.h"

#include <algorithm>

#include "account/phone_format.h"

namespace portier::web {

std::string kind_label(Exchange& ex, std::string_view prefix, std::string_view kind) {
  auto key = std::string(prefix) + std::string(kind);
  std::replace(key.begin() + static_cast<std::ptrdiff_t>(prefix.size()), key.end(), '.', '_');
  auto text = ex.t(key);
  return text == key ? std::string(kind) : text;
}

namespace {

// "too many requests from this address" -> "too_many_requests_from_this_address";
// empty when the detail holds anything but ASCII letters and spaces (an
// agent's reason, a number, an address): those are never looked up.
std::string detail_key(std::string_view detail) {
  if (detail.empty() || detail.size() > 80) return {};
  std::string key = "console_detail_";
  for (char c : detail) {
    if (c >= 'a' && c <= 'z') key += c;
    else if (c >= 'A' && c <= 'Z') key += static_cast<char>(c - 'A' + 'a');
    else if (c == ' ' || c == '_') key += '_';
    else return {};
  }
  return key;
}

}  // namespace

std::string detail_label(Exchange& ex, std::string_view detail) {
  if (auto key = detail_key(detail); !key.empty()) {
    auto text = ex.t(key);
    if (text != key) return text;
  }
  // "...; reason: <the agent's words>": the agent's words stay as typed.
  static constexpr std::string_view kReason = "reason: ";
  std::size_t at = detail.substr(0, kReason.size()) == kReason ? 0 : detail.find("; " + std::string(kReason));
  if (at == std::string_view::npos) return std::string(detail);
  if (at != 0) at += 2;
  return std::string(detail.substr(0, at)) + ex.t("console_detail_reason") + std::string(detail.substr(at + kReason.size()));
}

void add_phone(boost::json::object& d, const std::optional<std::string>& e164) {
  if (!e164 || e164->empty()) return;
  d["phone"] = format_phone(*e164);
  if (auto href = phone_href(*e164); !href.empty()) d["phone_href"] = href;
}

}  // namespace portier::web
