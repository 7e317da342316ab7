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
  auto seconds = [&](const char* path, std::chrono::seconds& out) {
    std::int64_t v = out.count();
    number(path, v);
    out = std::chrono::seconds(v);
  };
  seconds("oidc.code_lifetime", o.code_lifetime);
  seconds("oidc.access_token_lifetime", o.access_token_lifetime);
  seconds("oidc.id_token_lifetime", o.id_token_lifetime);
  seconds("oidc.refresh_token_lifetime", o.refresh_token_lifetime);
  seconds("oidc.refresh_token_idle", o.refresh_token_idle);
  seconds("oidc.refresh_reuse_grace", o.refresh_reuse_grace);
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
  using std::chrono::seconds;
  if (o.code_lifetime < seconds(10) || o.code_lifetime > seconds(600))
    p.push_back("oidc.code_lifetime: between 10 and 600 seconds");
  // Signed tokens must not outlive the key that signed them in the JWKS.
  if (o.access_token_lifetime < seconds(60) || o.access_token_lifetime > o.max_token_lifetime)
    p.push_back("oidc.access_token_lifetime: between 60 seconds and oidc.max_token_lifetime");
  if (o.id_token_lifetime < seconds(60) || o.id_token_lifetime > o.max_token_lifetime)
    p.push_back("oidc.id_token_lifetime: between 60 seconds and oidc.max_token_lifetime");
  if (o.refresh_token_lifetime < std::chrono::hours(1) || o.refresh_token_lifetime > std::chrono::days(365))
    p.push_back("oidc.refresh_token_lifetime: between 3600 seconds and 365 days");
  if (o.refresh_token_idle < std::chrono::minutes(5) || o.refresh_token_idle > o.refresh_token_lifetime)
    p.push_back("oidc.refresh_token_idle: between 300 seconds and oidc.refresh_token_lifetime");
  if (o.refresh_reuse_grace > seconds(60)) p.push_back("oidc.refresh_reuse_grace: between 0 and 60 seconds");
}

}  // namespace portier
