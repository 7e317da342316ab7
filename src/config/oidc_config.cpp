#include "config/oidc_config.h"

#include "config/oidc_config_reader.h"

namespace portier {

void read_oidc_config(const ConfigFile& t, OidcConfig& o, std::vector<std::string>& p) {
  auto number = [&](const char* path, std::int64_t& out) {
    if (auto node = t.at_path(path)) {
      if (auto v = node.value<std::int64_t>(); v && *v >= 0 && *v < 100'000'000) out = *v;
      else p.push_back(std::string(path) + ": expected a non-negative integer");
    }
  };
  if (auto node = t.at_path("oidc.enabled")) {
    if (auto v = node.value<bool>()) o.enabled = *v;
    else p.push_back("oidc.enabled: expected true or false");
  }
  std::int64_t days = o.key_rotation_days, lifetime = o.max_token_lifetime.count(), cache = o.jwks_max_age.count();
  number("oidc.key_rotation_days", days);
  number("oidc.max_token_lifetime", lifetime);
  number("oidc.jwks_max_age", cache);
  o.key_rotation_days = static_cast<int>(days);
  o.max_token_lifetime = std::chrono::seconds(lifetime);
  o.jwks_max_age = std::chrono::seconds(cache);
  read_oidc_logout_config(t, o, p);
}

void validate_oidc_config(const OidcConfig& o, std::vector<std::string>& p) {
  if (o.key_rotation_days < 7 || o.key_rotation_days > 365) p.push_back("oidc.key_rotation_days: between 7 and 365");
  if (o.max_token_lifetime < std::chrono::minutes(5) || o.max_token_lifetime > std::chrono::days(2))
    p.push_back("oidc.max_token_lifetime: between 300 and 172800 seconds (5 minutes to 2 days)");
  if (o.jwks_max_age < std::chrono::minutes(1) || o.jwks_max_age > std::chrono::days(1))
    p.push_back("oidc.jwks_max_age: between 60 and 86400 seconds");
  validate_oidc_logout_config(o, p);
}

}  // namespace portier
