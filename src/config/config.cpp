#include "config/config.h"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <toml++/toml.h>

#include "config/assistance_config_reader.h"
#include "config/config_file.h"
#include "config/listener_config_reader.h"
#include "config/loopback.h"
#include "config/card_config_reader.h"
#include "config/email_change_config_reader.h"
#include "config/federation_config_reader.h"
#include "config/oidc_config_reader.h"
#include "config/shared_address_config_reader.h"
#include "config/sms_config_reader.h"
#include "config/toml_text_check.h"
#include "common/display_time.h"
#include "credential/password_hasher.h"
#include "notify/mime_message.h"

namespace portier {
namespace {



void apply_env(Config& c) {
  auto env = [](const char* name) -> const char* {
    const char* v = std::getenv(name);
    return (v && *v) ? v : nullptr;
  };
  if (auto v = env("PORTIER_LISTEN")) c.server.listen = v;
  if (auto v = env("PORTIER_PUBLIC_URL")) c.server.public_url = v;
  if (auto v = env("PORTIER_METRICS_TOKEN")) c.server.metrics_token = v;
  if (auto v = env("PORTIER_DATA_DIR")) c.storage.data_dir = v;
  if (auto v = env("PORTIER_DATABASE")) c.storage.database = v;
  if (auto v = env("PORTIER_DATABASE_URL")) {
    c.storage.postgres_url = v;
    c.storage.backend = "postgres";
  }
  if (auto v = env("PORTIER_LOG_LEVEL")) c.log.level = v;
  if (auto v = env("PORTIER_ASSETS_DIR")) c.assets_dir = v;
  if (auto v = env("PORTIER_ROBOT_HMAC_KEY")) c.security.robot_hmac_key = v;
  if (auto v = env("PORTIER_SMTP_URL")) c.mail.smtp_url = v;
  if (auto v = env("PORTIER_SMTP_USERNAME")) c.mail.smtp_username = v;
  if (auto v = env("PORTIER_SMTP_PASSWORD")) c.mail.smtp_password = v;
  if (auto v = env("PORTIER_MAIL_FROM")) c.mail.from_address = v;
  apply_sms_env(c.sms);
  // Numeric overrides: a malformed value becomes 0 and fails validation.
  auto number = [](const char* v) -> std::uint32_t {
    char* end = nullptr;
    auto n = std::strtoul(v, &end, 10);
    return (*end == '\0' && n < 0xffffffffUL) ? static_cast<std::uint32_t>(n) : 0;
  };
  if (auto v = env("PORTIER_ARGON2_MEMORY_KIB")) c.security.argon2_memory_kib = number(v);
  if (auto v = env("PORTIER_ARGON2_ITERATIONS")) c.security.argon2_iterations = number(v);
  if (auto v = env("PORTIER_SECOND_STEP")) c.second_step.policy = v;
  if (auto v = env("PORTIER_LOCKOUT_CLIENT_FREE_FAILURES")) c.lockout.client_free_failures = static_cast<int>(number(v));
}

// A value that came from the environment is not in the file the operator is
// reading: "server.listen (from PORTIER_LISTEN): …" says where to look.
void name_environment_overrides(std::vector<std::string>& problems) {
  static const std::pair<const char*, const char*> kOverrides[] = {
      {"server.listen", "PORTIER_LISTEN"},       {"server.public_url", "PORTIER_PUBLIC_URL"},
      {"storage.data_dir", "PORTIER_DATA_DIR"},  {"storage.database", "PORTIER_DATABASE"},
      {"storage.postgres_url", "PORTIER_DATABASE_URL"},
      {"log.level", "PORTIER_LOG_LEVEL"},        {"security.robot_hmac_key", "PORTIER_ROBOT_HMAC_KEY"},
      {"mail.smtp_url", "PORTIER_SMTP_URL"},     {"mail.smtp_password", "PORTIER_SMTP_PASSWORD"},
      {"mail.from_address", "PORTIER_MAIL_FROM"}, {"sms.gateway_url", "PORTIER_SMS_GATEWAY_URL"},
      {"sms.secret", "PORTIER_SMS_SECRET"},      {"security.argon2", "PORTIER_ARGON2_MEMORY_KIB/ITERATIONS"},
      {"second_step.policy", "PORTIER_SECOND_STEP"},
      {"lockout.client_free_failures", "PORTIER_LOCKOUT_CLIENT_FREE_FAILURES"}};
  for (auto& problem : problems)
    for (auto [key, env] : kOverrides) {
      const std::string prefix = std::string(key) + ":";
      if (problem.rfind(prefix, 0) != 0) continue;
      std::string var = env;
      if (var.find('/') != std::string::npos) {  // either argon2 variable
        const char* m = std::getenv("PORTIER_ARGON2_MEMORY_KIB");
        const char* i = std::getenv("PORTIER_ARGON2_ITERATIONS");
        if (!(m && *m) && !(i && *i)) continue;
      } else if (const char* v = std::getenv(env); !v || !*v) {
        continue;
      }
      problem.insert(std::string(key).size(), " (from " + var + ")");
    }
}

void validate_storage(const StorageConfig& s, std::vector<std::string>& p) {
  if (s.backend != "sqlite" && s.backend != "postgres")
    p.push_back("storage.backend: \"sqlite\" or \"postgres\", got '" + s.backend + "'");
  if (s.backend == "postgres" && s.postgres_url.empty())
    p.push_back("storage.postgres_url: required when storage.backend is \"postgres\" "
                "(a libpq connection string such as \"host=db.example.org dbname=portier sslmode=verify-full\")");
  if (s.pool_size < 0 || s.pool_size > 200) p.push_back("storage.pool_size: 0..200 (0: worker_threads + 2)");
  if (s.statement_timeout.count() < 0) p.push_back("storage.statement_timeout_ms: 0 or more (0: no limit)");
}

void validate_mail(const MailConfig& m, std::vector<std::string>& p) {
  if (!is_plain_mail_address(m.from_address))
    p.push_back("mail.from_address: expected a plain address such as no-reply@example.org, got '" + m.from_address + "'");
  if (!m.reply_to.empty() && !is_plain_mail_address(m.reply_to))
    p.push_back("mail.reply_to: expected a plain address such as assistance@example.org");
  if (!m.smtp_url.empty() && m.smtp_url.rfind("smtp://", 0) != 0 && m.smtp_url.rfind("smtps://", 0) != 0)
    p.push_back("mail.smtp_url: must start with smtp:// or smtps://, or be empty to write mail to files");
  if (m.smtp_tls != "starttls" && m.smtp_tls != "none")
    p.push_back("mail.smtp_tls: starttls or none (smtps:// URLs always use TLS)");
  // Without TLS the relay login and every code and reset link would cross the
  // network in clear: "none" is for a relay on this machine (the tests' sink).
  else if (m.smtp_tls == "none" && m.smtp_url.rfind("smtp://", 0) == 0 && !is_loopback_host(url_host(m.smtp_url)))
    p.push_back("mail.smtp_tls: \"none\" is allowed only for a relay on this machine (127.0.0.0/8, ::1, localhost); "
                "the relay " + url_host(m.smtp_url) + " needs starttls, or an smtps:// URL");
  if (!m.smtp_password.empty() && m.smtp_username.empty())
    p.push_back("mail.smtp_password: set without mail.smtp_username");
  if (m.smtp_timeout.count() < 1 || m.smtp_timeout.count() > 600) p.push_back("mail.smtp_timeout: 1 to 600 seconds");
  int dkim_set = !m.dkim_domain.empty() + !m.dkim_selector.empty() + !m.dkim_key_file.empty();
  if (dkim_set != 0 && dkim_set != 3)
    p.push_back("mail.dkim_domain, dkim_selector, dkim_key_file: set all three or none");
  if (!m.dkim_key_file.empty() && !std::ifstream(m.dkim_key_file))
    p.push_back("mail.dkim_key_file: cannot read " + m.dkim_key_file);
  if (m.outbox_poll_interval.count() < 1 || m.outbox_poll_interval.count() > 3600)
    p.push_back("mail.outbox_poll_interval: 1 to 3600 seconds");
  if (m.retry_max_age.count() < 60) p.push_back("mail.retry_max_age: at least 60 seconds");
}

// "no-reply@localhost" → "localhost"; empty without an "@".
std::string mail_domain(const std::string& address) {
  auto at = address.rfind('@');
  return at == std::string::npos ? std::string() : address.substr(at + 1);
}

// security.strong_sign_in_roles: known roles, and a way to obey them.
void validate_strong_sign_in_roles(const Config& c, std::vector<std::string>& p) {
  const auto& roles = c.security.strong_sign_in_roles;
  for (const auto& r : roles)
    if (r != "member" && r != "support" && r != "admin")
      p.push_back("security.strong_sign_in_roles: unknown role '" + r + "' (member, support or admin)");
  // Without the card or Pro Santé Connect, those members could never sign in.
  if (!roles.empty() && !c.card.enabled && c.health_card_providers().empty())
    p.push_back("security.strong_sign_in_roles: needs [card] enabled = true or a Pro Santé Connect provider "
                "([[federation.providers]] preset \"psc\" or \"psc-sandbox\"): otherwise these members could "
                "not sign in at all");
}

bool is_colour(const std::string& s) {
  if (s.size() != 7 || s[0] != '#') return false;
  for (std::size_t i = 1; i < 7; ++i)
    if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

}  // namespace

std::string Config::database_path() const {
  return storage.database.empty() ? storage.data_dir + "/portier.db" : storage.database;
}
std::string Config::secret_key_path() const {
  return security.secret_key_file.empty() ? storage.data_dir + "/secret.key" : security.secret_key_file;
}

bool split_listen(const std::string& listen, std::string& host, std::uint16_t& port) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  auto p = listen.substr(colon + 1);
  if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos) return false;
  auto n = std::stoul(p);
  if (n > 65535) return false;
  port = static_cast<std::uint16_t>(n);
  return true;
}

ConfigLoad load_config(const std::string& path) {
  ConfigLoad out;
  auto& c = out.config;
  auto& p = out.problems;
  if (!path.empty()) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      p.push_back(path + ": cannot read the file");
      return out;
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (auto bad = toml_text_problem(text)) {
      p.push_back(path + ": " + *bad);
      return out;
    }
    ConfigFile t;
    try {
      t = ConfigFile(toml::parse(text, path), path);
    } catch (const toml::parse_error& e) {
      p.push_back(path + ": " + std::string(e.description()) + " (line " +
                  std::to_string(e.source().begin.line) + ")");
      return out;
    }
    read(t, "server.listen", c.server.listen, p);
    read(t, "server.public_url", c.server.public_url, p);
    read(t, "server.io_threads", c.server.io_threads, p);
    read(t, "server.worker_threads", c.server.worker_threads, p);
    read(t, "server.worker_queue_limit", c.server.worker_queue_limit, p);
    read(t, "server.hashing_threads", c.server.hashing_threads, p);
    read(t, "server.hashing_queue", c.server.hashing_queue, p);
    read(t, "server.max_connections", c.server.max_connections, p);
    read(t, "server.refused_log_interval", c.server.refused_log_interval, p);
    read(t, "server.metrics_listen", c.server.metrics_listen, p);
    read(t, "server.metrics_token", c.server.metrics_token, p);
    read(t, "server.max_header_bytes", c.server.max_header_bytes, p);
    read(t, "server.max_body_bytes", c.server.max_body_bytes, p);
    read(t, "server.read_timeout", c.server.read_timeout, p);
    read(t, "server.idle_timeout", c.server.idle_timeout, p);
    read(t, "server.write_timeout", c.server.write_timeout, p);
    read(t, "server.max_connections_per_ip", c.server.max_connections_per_ip, p);
    read(t, "server.shutdown_grace", c.server.shutdown_grace, p);
    read_listener_config(t, c.server.listeners, c.server.trusted_proxies, p);
    read(t, "storage.data_dir", c.storage.data_dir, p);
    read(t, "storage.database", c.storage.database, p);
    read(t, "storage.backend", c.storage.backend, p);
    read(t, "storage.postgres_url", c.storage.postgres_url, p);
    read(t, "storage.pool_size", c.storage.pool_size, p);
    read(t, "storage.statement_timeout_ms", c.storage.statement_timeout, p);
    read(t, "security.secret_key_file", c.security.secret_key_file, p);
    read(t, "security.argon2_memory_kib", c.security.argon2_memory_kib, p);
    read(t, "security.argon2_iterations", c.security.argon2_iterations, p);
    read(t, "security.argon2_parallelism", c.security.argon2_parallelism, p);
    read(t, "security.password_min_length", c.security.password_min_length, p);
    read(t, "security.password_max_length", c.security.password_max_length, p);
    read_string_list(t, "security.password_wordlists", c.security.password_wordlists, "[\"/usr/share/dict/french\"]", p);
    // The older single-file key is refused rather than aliased: taken alone it
    // would replace the dictionaries too, and silently keep common words in.
    if (t.at_path("security.password_blocklist"))
      p.push_back("security.password_blocklist: replaced by security.password_wordlists, a list of files, e.g. "
                  "[\"/usr/share/dict/french\", \"/usr/share/dict/american-english\", \"/usr/share/john/password.lst\"]");
    read(t, "security.session_idle_timeout", c.security.session_idle_timeout, p);
    read(t, "security.session_absolute_timeout", c.security.session_absolute_timeout, p);
    read(t, "security.sign_in_flow_lifetime", c.security.sign_in_flow_lifetime, p);
    read(t, "security.temporary_password_lifetime", c.security.temporary_password_lifetime, p);
    read(t, "security.reauth_max_failures", c.security.reauth_max_failures, p);
    read(t, "security.console_confirmation_period", c.security.console_confirmation_period, p);
    read(t, "security.setup_link_lifetime", c.security.setup_link_lifetime, p);
    read(t, "security.robot_hmac_key", c.security.robot_hmac_key, p);
    read(t, "security.robot_challenge_lifetime", c.security.robot_challenge_lifetime, p);
    read(t, "security.robot_max_number", c.security.robot_max_number, p);
    read(t, "security.robot_no_script_wait", c.security.robot_no_script_wait, p);
    read_string_list(t, "security.strong_sign_in_roles", c.security.strong_sign_in_roles, "[\"member\", \"admin\"]", p);
    read(t, "portal.name", c.portal.name, p);
    read(t, "portal.logo_url", c.portal.logo_url, p);
    read(t, "portal.primary_colour", c.portal.primary_colour, p);
    read(t, "portal.default_language", c.portal.default_language, p);
    read(t, "portal.time_zone", c.portal.time_zone, p);
    read(t, "portal.phone_default_country", c.portal.phone_default_country, p);
    read(t, "portal.legal_notice_fr", c.portal.legal_notice_fr, p);
    read(t, "portal.legal_notice_en", c.portal.legal_notice_en, p);
    read(t, "portal.contact_fr", c.portal.contact_fr, p);
    read(t, "portal.contact_en", c.portal.contact_en, p);
    read(t, "portal.assistance_fr", c.portal.assistance_fr, p);
    read(t, "portal.assistance_en", c.portal.assistance_en, p);
    read(t, "portal.assistance_email", c.portal.assistance_email, p);
    read(t, "recovery.lifetime", c.recovery.lifetime, p);
    read(t, "recovery.resend_cooldown", c.recovery.resend_cooldown, p);
    read(t, "recovery.max_code_attempts", c.recovery.max_code_attempts, p);
    read(t, "recovery.per_target_limit", c.recovery.per_target_limit, p);
    read(t, "recovery.per_client_limit", c.recovery.per_client_limit, p);
    read(t, "recovery.limit_window", c.recovery.limit_window, p);
    read(t, "recovery.answer_floor_ms", c.recovery.answer_floor, p);
    read(t, "activation.invitation_lifetime", c.activation.invitation_lifetime, p);
    read(t, "activation.per_target_limit", c.activation.per_target_limit, p);
    read(t, "activation.per_client_limit", c.activation.per_client_limit, p);
    read(t, "activation.limit_window", c.activation.limit_window, p);
    read(t, "mail.from_address", c.mail.from_address, p);
    read(t, "mail.from_name", c.mail.from_name, p);
    read(t, "mail.reply_to", c.mail.reply_to, p);
    read(t, "mail.smtp_url", c.mail.smtp_url, p);
    read(t, "mail.smtp_tls", c.mail.smtp_tls, p);
    read(t, "mail.smtp_username", c.mail.smtp_username, p);
    read(t, "mail.smtp_password", c.mail.smtp_password, p);
    read(t, "mail.smtp_timeout", c.mail.smtp_timeout, p);
    read(t, "mail.dkim_domain", c.mail.dkim_domain, p);
    read(t, "mail.dkim_selector", c.mail.dkim_selector, p);
    read(t, "mail.dkim_key_file", c.mail.dkim_key_file, p);
    read(t, "mail.outbox_poll_interval", c.mail.outbox_poll_interval, p);
    read(t, "mail.retry_max_age", c.mail.retry_max_age, p);
    read_sms_config(t, c.sms, p);
    read_assistance_config(t, c.assistance, p);
    read_email_change_config(t, c.email_change, p);
    read_card_config(t, c.card, p);
    read_oidc_config(t, c.oidc, p);
    read_federation_config(t, c.federation, p);
    read_shared_address_config(t, c.lockout.shared, p);
    read(t, "lockout.threshold", c.lockout.threshold, p);
    read(t, "lockout.period", c.lockout.period, p);
    read(t, "lockout.ceiling", c.lockout.ceiling, p);
    read(t, "lockout.device_cookie_lifetime", c.lockout.device_cookie_lifetime, p);
    read(t, "lockout.client_free_failures", c.lockout.client_free_failures, p);
    read(t, "lockout.client_window", c.lockout.client_window, p);
    read(t, "lockout.client_base_delay_ms", c.lockout.client_base_delay, p);
    read(t, "lockout.client_max_delay_ms", c.lockout.client_max_delay, p);
    read(t, "lockout.successes_per_account", c.lockout.successes_per_account, p);
    read(t, "lockout.successes_per_client", c.lockout.successes_per_client, p);
    read(t, "lockout.success_window", c.lockout.success_window, p);
    read(t, "second_step.policy", c.second_step.policy, p);
    read(t, "second_step.policy_member", c.second_step.policy_member, p);
    read(t, "second_step.policy_support", c.second_step.policy_support, p);
    read(t, "second_step.policy_admin", c.second_step.policy_admin, p);
    read(t, "second_step.code_lifetime", c.second_step.code_lifetime, p);
    read(t, "second_step.max_attempts", c.second_step.max_attempts, p);
    read(t, "second_step.resend_cooldown", c.second_step.resend_cooldown, p);
    read(t, "second_step.hourly_cap", c.second_step.hourly_cap, p);
    read(t, "second_step.account_failure_threshold", c.second_step.account_failure_threshold, p);
    read(t, "second_step.ceiling", c.second_step.ceiling, p);
    read(t, "second_step.allow_code_fallback_with_app", c.second_step.allow_code_fallback_with_app, p);
    read(t, "second_step.password_known_after", c.second_step.password_known_after, p);
    read(t, "log.level", c.log.level, p);
    read(t, "assets_dir", c.assets_dir, p);
    // Last: every key above has been consulted; what is left is a typo.
    auto unknown = t.unknown_keys();
    p.insert(p.end(), unknown.begin(), unknown.end());
  }
  apply_env(c);
  auto more = validate(c);
  name_environment_overrides(more);
  p.insert(p.end(), more.begin(), more.end());
  return out;
}

std::vector<std::string> validate(const Config& c) {
  std::vector<std::string> p;
  std::string host;
  std::uint16_t port;
  if (!split_listen(c.server.listen, host, port)) p.push_back("server.listen: expected host:port, got '" + c.server.listen + "'");
  validate_listeners(c.server.listeners, p);
  validate_trusted_proxies(c.server.trusted_proxies, p);
  const auto& url = c.server.public_url;
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
    p.push_back("server.public_url: must start with http:// or https://");
  else if (url.back() == '/')
    p.push_back("server.public_url: must not end with '/'");
  validate_storage(c.storage, p);
  if (c.server.io_threads < 0 || c.server.io_threads > 256) p.push_back("server.io_threads: 0..256");
  if (c.server.worker_threads < 0 || c.server.worker_threads > 256) p.push_back("server.worker_threads: 0..256");
  if (c.server.worker_queue_limit < 1) p.push_back("server.worker_queue_limit: at least 1");
  if (c.server.max_header_bytes < 1024) p.push_back("server.max_header_bytes: at least 1024");
  if (c.server.max_body_bytes < 1024) p.push_back("server.max_body_bytes: at least 1024");
  if (c.server.read_timeout.count() < 1) p.push_back("server.read_timeout: at least 1 second");
  if (c.server.idle_timeout.count() < 1) p.push_back("server.idle_timeout: at least 1 second");
  if (c.server.write_timeout.count() < 1) p.push_back("server.write_timeout: at least 1 second");
  if (c.server.max_connections_per_ip < 1) p.push_back("server.max_connections_per_ip: at least 1");
  if (c.server.hashing_threads < 0 || c.server.hashing_threads > 256) p.push_back("server.hashing_threads: 0..256");
  if (c.server.hashing_queue < 0 || c.server.hashing_queue > 100000) p.push_back("server.hashing_queue: 0..100000");
  if (c.server.max_connections < 0) p.push_back("server.max_connections: 0 (derived) or more");
  if (c.server.refused_log_interval.count() < 1) p.push_back("server.refused_log_interval: at least 1 second");
  if (!c.server.metrics_listen.empty()) {
    std::string mhost;
    std::uint16_t mport = 0;
    if (!split_listen(c.server.metrics_listen, mhost, mport))
      p.push_back("server.metrics_listen: expected host:port, got '" + c.server.metrics_listen + "'");
  }
  if (!c.server.metrics_token.empty() && c.server.metrics_token.size() < 32)
    p.push_back("server.metrics_token: at least 32 characters (a random secret)");
  if (c.storage.data_dir.empty()) p.push_back("storage.data_dir: must not be empty");
  for (auto& e : validate(Argon2Params{c.security.argon2_memory_kib, c.security.argon2_iterations,
                                       c.security.argon2_parallelism}))
    p.push_back("security.argon2: " + e);
  if (c.security.password_min_length < 8) p.push_back("security.password_min_length: at least 8 (NIST SP 800-63B)");
  if (c.security.password_max_length < 64 || c.security.password_max_length > 1024)
    p.push_back("security.password_max_length: between 64 and 1024");
  if (c.security.password_min_length > c.security.password_max_length)
    p.push_back("security.password_min_length: larger than password_max_length");
  if (c.security.password_wordlists.empty())
    p.push_back("security.password_wordlists: at least one list (common passwords would be accepted)");
  for (const auto& list : c.security.password_wordlists)
    if (!std::ifstream(list))
      p.push_back("security.password_wordlists: cannot read " + list +
                  " (install wfrench, wamerican and john-data, or name the lists you have)");
  if (c.security.session_idle_timeout.count() < 60) p.push_back("security.session_idle_timeout: at least 60 seconds");
  if (c.security.session_absolute_timeout < c.security.session_idle_timeout)
    p.push_back("security.session_absolute_timeout: shorter than session_idle_timeout");
  if (c.security.sign_in_flow_lifetime.count() < 60) p.push_back("security.sign_in_flow_lifetime: at least 60 seconds");
  if (c.security.temporary_password_lifetime.count() < 3600) p.push_back("security.temporary_password_lifetime: at least 3600 seconds");
  if (c.security.console_confirmation_period.count() < 0 || c.security.console_confirmation_period > std::chrono::minutes(30))
    p.push_back("security.console_confirmation_period: 0 to 1800 seconds");
  if (c.security.reauth_max_failures < 2 || c.security.reauth_max_failures > 20)
    p.push_back("security.reauth_max_failures: 2 to 20");
  if (c.security.setup_link_lifetime.count() < 60) p.push_back("security.setup_link_lifetime: at least 60 seconds");
  if (!c.security.robot_hmac_key.empty() &&
      (c.security.robot_hmac_key.size() != 64 ||
       c.security.robot_hmac_key.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos))
    p.push_back("security.robot_hmac_key: 64 hexadecimal characters, or empty to derive it from the server key");
  if (c.security.robot_challenge_lifetime.count() < 60 || c.security.robot_challenge_lifetime.count() > 24 * 3600)
    p.push_back("security.robot_challenge_lifetime: between 60 and 86400 seconds");
  // Below 1000 the check costs a robot nothing; above 10 million a slow
  // hospital PC works for minutes (the widget tries every number up to it).
  if (c.security.robot_no_script_wait.count() < 5 || c.security.robot_no_script_wait.count() > 600)
    p.push_back("security.robot_no_script_wait: between 5 and 600 seconds");
  if (c.security.robot_max_number < 1000 || c.security.robot_max_number > 10'000'000)
    p.push_back("security.robot_max_number: between 1000 and 10000000");
  // A reset link must outlive a slow mailbox (seed S2) but not a working day.
  if (c.recovery.lifetime.count() < 600 || c.recovery.lifetime.count() > 24 * 3600)
    p.push_back("recovery.lifetime: between 600 and 86400 seconds");
  if (c.recovery.resend_cooldown.count() < 10 || c.recovery.resend_cooldown > c.recovery.lifetime)
    p.push_back("recovery.resend_cooldown: at least 10 seconds and less than recovery.lifetime");
  if (c.recovery.max_code_attempts < 1 || c.recovery.max_code_attempts > 20)
    p.push_back("recovery.max_code_attempts: between 1 and 20");
  if (c.recovery.per_target_limit < 1) p.push_back("recovery.per_target_limit: at least 1");
  if (c.recovery.per_client_limit < 1) p.push_back("recovery.per_client_limit: at least 1");
  if (c.recovery.limit_window.count() < 60) p.push_back("recovery.limit_window: at least 60 seconds");
  if (c.recovery.answer_floor.count() > 5000) p.push_back("recovery.answer_floor_ms: at most 5000");
  // An invitation waits for a member back from leave, but not for ever.
  if (c.activation.invitation_lifetime.count() < 3600 || c.activation.invitation_lifetime.count() > 90 * 86400)
    p.push_back("activation.invitation_lifetime: between 3600 and 7776000 seconds");
  if (c.activation.per_target_limit < 1) p.push_back("activation.per_target_limit: at least 1");
  if (c.activation.per_client_limit < 1) p.push_back("activation.per_client_limit: at least 1");
  if (c.activation.limit_window.count() < 60) p.push_back("activation.limit_window: at least 60 seconds");
  const auto& ss = c.second_step;
  for (auto [key, value] : {std::pair{"policy", &ss.policy}, {"policy_member", &ss.policy_member},
                            {"policy_support", &ss.policy_support}, {"policy_admin", &ss.policy_admin}}) {
    bool blank_ok = std::string_view(key) != "policy";
    if ((blank_ok && value->empty()) || *value == "required" || *value == "optional" || *value == "off") continue;
    p.push_back(std::string("second_step.") + key + ": required, optional or off" + (blank_ok ? " (or empty)" : ""));
  }
  if (ss.code_lifetime.count() < 60 || ss.code_lifetime.count() > 3600)
    p.push_back("second_step.code_lifetime: between 60 and 3600 seconds");
  if (ss.max_attempts < 1 || ss.max_attempts > 10) p.push_back("second_step.max_attempts: between 1 and 10");
  if (ss.resend_cooldown.count() < 10 || ss.resend_cooldown >= ss.code_lifetime)
    p.push_back("second_step.resend_cooldown: at least 10 seconds and less than code_lifetime");
  if (ss.hourly_cap < 1) p.push_back("second_step.hourly_cap: at least 1");
  if (ss.account_failure_threshold < ss.max_attempts)
    p.push_back("second_step.account_failure_threshold: at least max_attempts");
  // NIST SP 800-63B 5.2.2: no more than 100 consecutive failed attempts.
  if (ss.ceiling <= ss.account_failure_threshold || ss.ceiling > 100)
    p.push_back("second_step.ceiling: above second_step.account_failure_threshold and at most 100");
  if (ss.password_known_after < 1 || ss.password_known_after > 20)
    p.push_back("second_step.password_known_after: between 1 and 20");
  const auto& l = c.lockout;
  if (l.threshold < 3 || l.threshold > 50) p.push_back("lockout.threshold: between 3 and 50");
  if (l.period.count() < 60 || l.period.count() > 7 * 24 * 3600) p.push_back("lockout.period: between 60 and 604800 seconds");
  // NIST SP 800-63B 5.2.2: no more than 100 consecutive failed attempts.
  if (l.ceiling <= l.threshold || l.ceiling > 100) p.push_back("lockout.ceiling: above lockout.threshold and at most 100");
  if (l.device_cookie_lifetime.count() < 86400) p.push_back("lockout.device_cookie_lifetime: at least 86400 seconds");
  if (l.client_free_failures < 1) p.push_back("lockout.client_free_failures: at least 1");
  if (l.client_window.count() < 60) p.push_back("lockout.client_window: at least 60 seconds");
  if (l.successes_per_account < 5) p.push_back("lockout.successes_per_account: at least 5");
  if (l.successes_per_client < 5) p.push_back("lockout.successes_per_client: at least 5");
  if (l.success_window.count() < 60) p.push_back("lockout.success_window: at least 60 seconds");
  if (l.client_max_delay.count() > 30000 || l.client_base_delay > l.client_max_delay)
    p.push_back("lockout.client_base_delay_ms and client_max_delay_ms: base <= max <= 30000");
  if (c.portal.name.empty() || c.portal.name.size() > 80) p.push_back("portal.name: 1 to 80 characters");
  if (!is_colour(c.portal.primary_colour)) p.push_back("portal.primary_colour: expected #rrggbb");
  if (c.portal.default_language != "fr" && c.portal.default_language != "en")
    p.push_back("portal.default_language: fr or en");
  try {
    DisplayTime probe(c.portal.time_zone);
  } catch (const std::exception& e) {
    p.push_back("portal.time_zone: " + std::string(e.what()));
  }
  // Mail from a sender at localhost is refused or sent to spam by every real
  // mailbox: a deployment with a real address must name a real sender.
  if (!is_loopback_host(url_host(c.server.public_url)) && is_loopback_host(mail_domain(c.mail.from_address)))
    p.push_back("mail.from_address: '" + c.mail.from_address + "' is an address at this machine, but server.public_url (" +
                c.server.public_url + ") is not: set mail.from_address to an address of your domain, "
                "such as no-reply@example.org");
  if (c.portal.phone_default_country.size() < 2 || c.portal.phone_default_country[0] != '+')
    p.push_back("portal.phone_default_country: expected +NN");
  if (!c.portal.logo_url.empty() && (c.portal.logo_url[0] != '/' || c.portal.logo_url.rfind("//", 0) == 0))
    p.push_back("portal.logo_url: a path on this server, such as /static/logo.svg");
  validate_mail(c.mail, p);
  validate_sms_config(c.sms, p);
  validate_assistance_config(c.assistance, p);
  validate_email_change_config(c.email_change, p);
  validate_card_config(c.card, p);
  validate_oidc_config(c.oidc, p);
  validate_federation_config(c.federation, p);
  validate_strong_sign_in_roles(c, p);
  validate_shared_address_config(c.lockout.shared, p);
  static const char* levels[] = {"trace", "debug", "info", "warn", "error"};
  if (std::find(std::begin(levels), std::end(levels), c.log.level) == std::end(levels))
    p.push_back("log.level: one of trace, debug, info, warn, error");
  return p;
}

}  // namespace portier
