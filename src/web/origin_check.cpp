#include "web/origin_check.h"

#include <boost/url/parse.hpp>

#include "common/encoding.h"

namespace portier::web {

std::string origin_of(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || !parsed->has_authority() || parsed->has_userinfo()) return {};
  auto scheme = ascii_lower(parsed->scheme());
  if (scheme != "http" && scheme != "https") return {};
  auto host = ascii_lower(parsed->encoded_host());
  if (host.empty()) return {};
  std::string out = scheme + "://" + host;
  if (parsed->has_port()) {
    auto port = parsed->port();
    bool default_port = (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
    if (port.empty()) return out;
    if (!default_port) out += ":" + std::string(port);
  }
  return out;
}

std::optional<ForeignPost> foreign_post(std::string_view origin, std::string_view fetch_site,
                                        std::string_view own_origin) {
  origin = trim(origin);
  if (!origin.empty() && origin != "null") {
    auto o = origin_of(origin);
    if (o.empty() || o != own_origin) return ForeignPost::Origin;
  }
  if (!fetch_site.empty()) {
    auto site = ascii_lower(trim(fetch_site));
    // "none": the member acted directly (typed address, bookmark, reload).
    if (site != "same-origin" && site != "none") return ForeignPost::FetchSite;
  }
  return std::nullopt;
}

}  // namespace portier::web
