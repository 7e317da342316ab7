// The [oidc] keys of logout, apart from oidc_config.cpp so that the
// provider's parts can grow their keys without editing one function.
#include "config/config_file.h"
#include "config/oidc_config.h"

namespace portier {

void read_oidc_logout_config(const ConfigFile& t, OidcConfig& o, std::vector<std::string>& p) {
  const char* key = "oidc.backchannel_retry_delays";
  auto node = t.at_path(key);
  if (!node) return;
  auto* list = node.as_array();
  if (!list) {
    p.push_back(std::string(key) + ": expected a list of seconds, such as [30, 60, 180, 300]");
    return;
  }
  std::vector<std::chrono::seconds> delays;
  for (auto& item : *list) {
    auto v = item.value<std::int64_t>();
    if (!v || !item.is_integer()) {
      p.push_back(std::string(key) + ": expected a list of whole seconds, such as [30, 60, 180, 300]");
      return;
    }
    delays.emplace_back(*v);
  }
  o.backchannel_retry_delays = std::move(delays);
}

void validate_oidc_logout_config(const OidcConfig& o, std::vector<std::string>& p) {
  // Relying parties expect a logout within minutes; past a day the member
  // has long since been signed out by the application's own expiry.
  if (o.backchannel_retry_delays.size() > 10)
    p.push_back("oidc.backchannel_retry_delays: at most 10 retries");
  for (auto d : o.backchannel_retry_delays)
    if (d.count() < 1 || d.count() > 86400) {
      p.push_back("oidc.backchannel_retry_delays: each delay between 1 and 86400 seconds");
      break;
    }
}

}  // namespace portier
