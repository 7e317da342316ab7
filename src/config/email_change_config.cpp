#include "config/email_change_config.h"

#include "config/email_change_config_reader.h"

namespace portier {

void read_email_change_config(const ConfigFile& t, EmailChangeConfig& e, std::vector<std::string>& p) {
  auto number = [&](const char* path, std::int64_t& out) {
    if (auto node = t.at_path(path)) {
      if (auto v = node.value<std::int64_t>(); v && *v >= 0 && *v < 100'000'000) out = *v;
      else p.push_back(std::string(path) + ": expected a non-negative integer");
    }
  };
  std::int64_t lifetime = e.lifetime.count(), length = e.code_length, attempts = e.max_code_attempts,
               cooldown = e.resend_cooldown.count();
  number("email_change.lifetime", lifetime);
  number("email_change.code_length", length);
  number("email_change.max_code_attempts", attempts);
  number("email_change.resend_cooldown", cooldown);
  e.lifetime = std::chrono::seconds(lifetime);
  e.code_length = static_cast<int>(length);
  e.max_code_attempts = static_cast<int>(attempts);
  e.resend_cooldown = std::chrono::seconds(cooldown);
}

void validate_email_change_config(const EmailChangeConfig& e, std::vector<std::string>& p) {
  if (e.lifetime < std::chrono::minutes(10) || e.lifetime > std::chrono::hours(72))
    p.push_back("email_change.lifetime: between 600 and 259200 seconds (10 minutes to 3 days)");
  // Below 10 characters five tries start to matter; above 16 nobody types it.
  if (e.code_length < 10 || e.code_length > 16) p.push_back("email_change.code_length: between 10 and 16");
  if (e.max_code_attempts < 1 || e.max_code_attempts > 10) p.push_back("email_change.max_code_attempts: between 1 and 10");
  if (e.resend_cooldown < std::chrono::seconds(30) || e.resend_cooldown > std::chrono::hours(1))
    p.push_back("email_change.resend_cooldown: between 30 and 3600 seconds");
}

}  // namespace portier
