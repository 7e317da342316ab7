#include "http/forwarded.h"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <string_view>
#include <vector>

namespace portier::http {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Every comma-separated element of every line of `name`, in order (several
// header lines form one list, RFC 9110 5.3).
std::vector<std::string_view> elements(const Headers& headers, std::string_view name) {
  std::vector<std::string_view> out;
  for (auto& [k, v] : headers) {
    if (k != name) continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      out.push_back(trim(rest.substr(0, comma)));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  return out;
}

// "192.0.2.1", "192.0.2.1:4711", "[2001:db8::1]:4711", "2001:db8::1" (the
// Forwarded "for=" value already unquoted): the address, canonical, or
// nothing ("unknown", an obfuscated name, garbage).
std::optional<std::string> address_of(std::string_view s) {
  if (!s.empty() && s.front() == '[') {
    auto close = s.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    s = s.substr(1, close - 1);
  } else if (std::count(s.begin(), s.end(), ':') == 1) {
    s = s.substr(0, s.find(':'));
  }
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(std::string(s), ec);
  if (ec) return std::nullopt;
  return a.to_string();
}

// The "for=" values of Forwarded (RFC 7239), in order.
std::vector<std::string> forwarded_for(const Headers& headers) {
  std::vector<std::string> out;
  for (auto element : elements(headers, "forwarded")) {
    std::string_view rest = element;
    while (!rest.empty()) {
      auto semi = rest.find(';');
      auto pair = trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      auto eq = pair.find('=');
      if (eq == std::string_view::npos || lower(trim(pair.substr(0, eq))) != "for") continue;
      auto value = trim(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      out.emplace_back(value);
    }
  }
  return out;
}

}  // namespace

ForwardedFacts resolve_forwarded(const Headers& headers, const std::string& peer, const AddressRanges& trusted) {
  ForwardedFacts facts{peer, std::nullopt};
  std::vector<std::string> chain;
  for (auto e : elements(headers, "x-forwarded-for")) chain.emplace_back(e);
  if (chain.empty()) chain = forwarded_for(headers);
  // From the right: skip our own proxies; the first other address is the
  // client. An entry that is no address ends the walk: the nearest trusted
  // hop is then the best that is known.
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    auto address = address_of(*it);
    if (!address) break;
    facts.client_ip = *address;
    if (!trusted.contains(*address)) break;
  }
  auto proto = elements(headers, "x-forwarded-proto");
  if (!proto.empty()) {
    auto scheme = lower(proto.back());
    if (scheme == "https") facts.https = true;
    else if (scheme == "http") facts.https = false;
  }
  return facts;
}

void strip_forwarding_headers(Headers& headers) {
  std::erase_if(headers, [](const auto& h) {
    const auto& k = h.first;
    return k == "x-forwarded-for" || k == "forwarded" || k == "x-forwarded-proto" || k == kClientCertHeader ||
           k == kClientCertChainHeader || k == kNginxClientCertHeader;
  });
}

}  // namespace portier::http
