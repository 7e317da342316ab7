#include "app/app.h"

#include <fcntl.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "assistance/assistance_service.h"
#include "notify/mime_message.h"
#include "audit/audit_log.h"
#include "common/display_time.h"
#include "common/encoding.h"
#include "config/pages_threads.h"
#include "common/metrics.h"
#include "common/time_format.h"
#include "flow/identifier_reminder/identifier_reminder_service.h"
#include "flow/recovery/recovery_service.h"
#include "flow/second_step/second_step_service.h"
#include "flow/settings/app_settings_service.h"
#include "flow/settings/code_settings_service.h"
#include "flow/sign_in/suspension_notifier.h"
#include "throttle/sms_budget.h"
#include "flow/email_change/email_change_service.h"
#include "flow/settings/settings_service.h"
#include "credential/totp_service.h"
#include "flow/sign_in/sign_in_service.h"
#include "http/server.h"
#include "throttle/client_throttle.h"
#include "notify/channel_mailer.h"
#include "notify/dkim_signer.h"
#include "notify/file_mailer.h"
#include "notify/http_sms_sender.h"
#include "notify/smtp_mailer.h"
#include "robot/robot_check.h"
#include "storage/open_database.h"
#include "storage/stores/sql_activation_store.h"
#include "storage/stores/sql_account_store.h"
#include "storage/stores/sql_assistance_store.h"
#include "storage/stores/sql_audit_store.h"
#include "storage/stores/sql_flow_store.h"
#include "storage/stores/sql_lockout_store.h"
#include "storage/stores/sql_outbox_store.h"
#include "storage/stores/sql_rate_limit_store.h"
#include "storage/stores/sql_email_change_store.h"
#include "storage/stores/sql_recovery_store.h"
#include "storage/stores/sql_robot_challenge_store.h"
#include "storage/stores/sql_session_store.h"
#include "storage/stores/sql_totp_store.h"
#include "storage/stores/sql_signing_key_store.h"
#include "storage/stores/sql_client_store.h"
#include "storage/stores/sql_logout_store.h"
#include "http/backchannel_poster.h"
#include "oidc/backchannel_worker.h"
#include "oidc/logout_service.h"
#include "oidc/authorization_service.h"
#include "oidc/key_ring.h"
#include "oidc/subject.h"
#include "storage/stores/sql_consent_store.h"
#include "storage/stores/sql_linked_card_store.h"
#include "storage/stores/sql_federated_session_store.h"
#include "flow/card/card_sign_in_service.h"
#include "storage/stores/sql_federated_identity_store.h"
#include "flow/federation/federated_sign_in_service.h"
#include "flow/federation/federated_logout_service.h"
#include "http/beast_http_fetcher.h"
#include "flow/federation/federated_account_creation_service.h"
#include "storage/stores/sql_federated_account_store.h"
#include "app/oidc_token_parts.h"
#include "web/metrics_endpoint.h"
#include "web/router.h"

namespace portier {

namespace st = storage;

std::string load_or_create_server_key(const std::string& path) {
  if (!std::filesystem::exists(path)) {
    unsigned char key[32];
    randombytes_buf(key, sizeof key);
    auto hex = hex_encode(std::string_view(reinterpret_cast<char*>(key), sizeof key));
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd >= 0) {
      auto line = hex + "\n";
      bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
      ::close(fd);
      if (!ok) throw std::runtime_error("cannot write server key " + path);
      spdlog::info("created server key {}", path);
    }
    // EEXIST: another process created it first; read theirs below.
  }
  std::ifstream in(path);
  std::string hex;
  if (!in || !(in >> hex)) throw std::runtime_error("cannot read server key " + path);
  std::string key(32, '\0');
  size_t len = 0;
  if (hex.size() != 64 || sodium_hex2bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), hex.data(),
                                         hex.size(), nullptr, &len, nullptr) != 0 || len != 32)
    throw std::runtime_error("server key " + path + " must hold 64 hexadecimal characters");
  return key;
}

namespace {

storage::DatabaseSettings database_settings(const Config& c) {
  storage::DatabaseSettings d;
  d.backend = c.storage.backend == "postgres" ? storage::sql::Backend::Postgres : storage::sql::Backend::Sqlite;
  d.sqlite_path = c.database_path();
  d.postgres_url = c.storage.postgres_url;
  // A connection for each worker thread, and two for the outbox worker and
  // the maintenance tasks, so that no request waits on the pool.
  d.pool_size = c.storage.pool_size > 0 ? c.storage.pool_size : std::max(4, pages_threads(c.server) + 2);
  d.statement_timeout = c.storage.statement_timeout;
  return d;
}

// What the messages name: the SQLite file, or the server without its password.
std::string database_name(const Config& c) {
  return c.storage.backend == "postgres" ? storage::redact_database_url(c.storage.postgres_url) : c.database_path();
}

// The configured key (validated as 64 hex characters), else one derived from
// the server key: zero configuration, stable across restarts, and shared by
// every node that shares the server key.
std::string robot_hmac_key(const std::string& configured_hex, const SecretHasher& secrets) {
  if (configured_hex.empty()) return secrets.mac("robot-check-key", "");
  std::string key(32, '\0');
  size_t len = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), configured_hex.data(),
                     configured_hex.size(), nullptr, &len, nullptr) != 0 || len != 32)
    throw std::runtime_error("security.robot_hmac_key must hold 64 hexadecimal characters");
  return key;
}

// The assistance's settings. Replies to its mails go to the assistance's
// address; each new request is announced to assistance.team_email, else to
// that same address. An address a header could misread is left out (the
// message would fail at sending), never passed on.
AssistanceSettings assistance_settings(const Config& c) {
  AssistanceSettings a;
  a.hours = opening_hours(c.assistance);
  a.per_client = RateLimit{c.assistance.per_client_limit, c.assistance.limit_window};
  a.phone_default_country = c.portal.phone_default_country;
  const auto& own = c.portal.assistance_email;
  if (is_plain_mail_address(own)) a.reply_to = own;
  a.team_email = !c.assistance.team_email.empty() ? c.assistance.team_email : a.reply_to;
  a.team_lang = c.portal.default_language;
  a.public_url = c.server.public_url;
  return a;
}

}  // namespace

struct App::Parts {
  Config config;
  SystemClock clock;
  SodiumRandom random;
  Metrics metrics;
  std::shared_ptr<storage::sql::Database> db;
  std::unique_ptr<SecretHasher> secrets;
  std::unique_ptr<st::SqlAccountStore> accounts;
  std::unique_ptr<st::SqlSessionStore> session_store;
  std::unique_ptr<st::SqlFlowStore> flows;
  std::unique_ptr<st::SqlAuditStore> audit_store;
  std::unique_ptr<AuditLog> audit;
  std::unique_ptr<PasswordHasher> hasher;
  std::unique_ptr<PasswordPolicy> policy;
  std::unique_ptr<SessionService> sessions;
  std::unique_ptr<SignInService> sign_in;
  std::unique_ptr<SettingsService> settings;
  std::unique_ptr<AccountAdminService> admin;
  std::unique_ptr<SetupService> setup;
  std::unique_ptr<st::SqlRobotChallengeStore> robot_challenges;
  std::unique_ptr<RobotCheck> robot;
  std::unique_ptr<st::SqlOutboxStore> outbox;
  std::unique_ptr<MessageComposer> composer;
  std::function<void()> wake_outbox;  // set once the outbox worker runs
  std::unique_ptr<st::SqlRateLimitStore> rate_limits;
  std::unique_ptr<RateLimiter> limiter;
  std::unique_ptr<st::SqlRecoveryStore> recovery_store;
  std::unique_ptr<st::SqlLockoutStore> lockouts;
  std::unique_ptr<SignInGuard> guard;
  std::unique_ptr<DeviceTrust> devices;
  std::unique_ptr<ClientThrottle> client_throttle;
  std::unique_ptr<SignInGate> sign_in_gate;
  std::unique_ptr<LockoutAdminService> lockout_admin;
  std::unique_ptr<st::SqlTotpStore> totp_store;
  std::unique_ptr<TotpService> totp;
  std::unique_ptr<st::SqlSigningKeyStore> signing_keys;  // only when oidc.enabled
  std::unique_ptr<oidc::KeyRing> key_ring;
  // Registered OIDC clients: always built (cheap), so that `portier client`
  // and the console work before oidc.enabled is switched on.
  std::unique_ptr<st::SqlClientStore> clients;
  std::unique_ptr<ClientAdminService> client_admin;
  std::unique_ptr<st::SqlConsentStore> consents;                 // only when oidc.enabled
  std::unique_ptr<oidc::AuthorizationService> authorization;     // only when oidc.enabled
  std::unique_ptr<OidcTokenParts> oidc_tokens;  // only when oidc.enabled (app/oidc_token_parts.h)
  std::unique_ptr<Reauthentication> reauth;
  std::unique_ptr<AppSettingsService> app_settings;
  std::unique_ptr<SecondStepService> second_step;
  std::unique_ptr<SmsBudget> sms_budget;
  std::unique_ptr<SuspensionNotifier> suspension_notifier;
  std::unique_ptr<CodeSettingsService> code_settings;
  std::unique_ptr<RecoveryService> recovery;
  std::unique_ptr<IdentifierReminderService> reminder;
  std::unique_ptr<st::SqlAssistanceStore> assistance_store;
  std::unique_ptr<AssistanceService> assistance;
  std::unique_ptr<st::SqlActivationStore> activation_store;
  std::unique_ptr<ActivationService> activation;
  std::unique_ptr<AccountImport> account_import;
  std::unique_ptr<SupportService> support;
  std::unique_ptr<st::SqlEmailChangeStore> email_change_store;
  std::unique_ptr<EmailChangeService> email_change;
  // The smart-card sign-in (docs/card.md): always built (cheap); its pages
  // answer only when card.enabled.
  std::unique_ptr<st::SqlLinkedCardStore> linked_cards;
  std::unique_ptr<CardSignInService> card;
  // Sessions' ID tokens from a federated sign-in (docs/federation.md), sealed
  // at rest; always built (an empty table costs nothing), purged at expiry.
  std::unique_ptr<st::SqlFederatedSessionStore> federated_sessions;
  // The federated sign-in (docs/federation.md): one relying party per
  // [[federation.providers]]; built always, idle without providers.
  std::unique_ptr<http::BeastHttpFetcher> federation_http;
  std::vector<std::unique_ptr<federation::RelyingParty>> relying_parties;
  std::unique_ptr<st::SqlFederatedIdentityStore> federated_identities;
  std::unique_ptr<FederatedSignInService> federation;
  // Accounts created from Pro Santé Connect's claims (docs/federation.md):
  // built always; reached only from a provider with create_accounts.
  std::unique_ptr<st::SqlFederatedAccountStore> federated_accounts_store;
  std::unique_ptr<FederatedAccountCreationService> federated_accounts;
  // Signing out at the provider too: the session's kept ID token to its
  // end_session_endpoint (flow/federation/federated_logout_service.h).
  std::unique_ptr<FederatedLogoutService> federation_logout;
  // Mail transport and worker; declared last so the worker stops (and is
  // destroyed) before the stores and mailers it uses.
  std::unique_ptr<FileMailer> file_mailer;
  std::unique_ptr<SmtpMailer> smtp_mailer;
  std::unique_ptr<HttpSmsSender> sms_sender;
  std::unique_ptr<ChannelMailer> channel_mailer;
  Mailer* mailer = nullptr;
  std::unique_ptr<OutboxWorker> outbox_worker;
  // OpenID Connect logout, when oidc.enabled: the store and the session-end
  // listener always (the CLI ends sessions too), the back-channel worker
  // only while serving. Last, so the worker stops before what it uses goes.
  std::unique_ptr<st::SqlLogoutStore> logout_store;
  std::unique_ptr<oidc::LogoutService> logout;
  std::unique_ptr<http::BackchannelPoster> backchannel_poster;
  std::unique_ptr<oidc::BackchannelWorker> backchannel_worker;
};

// Mail goes to the SMTP relay when one is configured, else to files under
// <data_dir>/outbox (zero configuration); SMS likewise go to the HTTP
// gateway when sms.gateway_url is set, else to .sms files there.
// (A template only because App::Parts is private.)
template <typename Parts>
void build_mail(Parts& p) {
  const auto& m = p.config.mail;
  std::shared_ptr<const DkimSigner> dkim;
  if (!m.dkim_domain.empty()) {
    auto loaded = DkimSigner::load(DkimSettings{m.dkim_domain, m.dkim_selector, m.dkim_key_file});
    if (!loaded) throw std::runtime_error("mail.dkim: " + loaded.error().detail);
    dkim = std::move(*loaded);
  }
  MailSender sender{m.from_address, m.from_name.empty() ? p.config.portal.name : m.from_name, m.reply_to};
  p.file_mailer = std::make_unique<FileMailer>(p.config.outbox_dir(), sender, dkim, p.random, p.clock);
  p.mailer = p.file_mailer.get();
  if (!m.smtp_url.empty()) {
    p.smtp_mailer = std::make_unique<SmtpMailer>(
        SmtpSettings{m.smtp_url, m.smtp_tls, m.smtp_username, m.smtp_password, std::min(m.smtp_timeout, Seconds(10)),
                     m.smtp_timeout},
        sender, dkim, p.random, p.clock);
  }
  if (!p.config.sms.gateway_url.empty())
    p.sms_sender = std::make_unique<HttpSmsSender>(sms_gateway_settings(p.config.sms));
  // Each channel falls back to files on its own: a site may have a relay and no gateway yet.
  if (p.smtp_mailer || p.sms_sender) {
    Mailer& email = p.smtp_mailer ? static_cast<Mailer&>(*p.smtp_mailer) : *p.file_mailer;
    Mailer& sms = p.sms_sender ? static_cast<Mailer&>(*p.sms_sender) : *p.file_mailer;
    p.channel_mailer = std::make_unique<ChannelMailer>(email, sms);
    p.mailer = p.channel_mailer.get();
  }
  p.outbox_worker = std::make_unique<OutboxWorker>(
      *p.outbox, *p.mailer, p.clock,
      OutboxWorkerSettings{m.outbox_poll_interval, m.retry_max_age, std::chrono::minutes(5), 20}, &p.metrics);
}

// Queues a security notice to a member, in the portal's language (not the
// browser's: the browser may be the attacker's), with what every such notice
// carries (her name, her identifier, where to reset the password and to ask
// for help) plus `fields`. A failure is logged: the action it reports is done.
template <typename Parts>
void queue_account_notice(Parts& p, const Account& a, const std::string& kind, boost::json::object fields) {
  const auto& c = p.config;
  std::string lang = c.portal.default_language;
  fields["display_name"] = a.display_name;
  fields["identifier"] = a.identifier;
  fields["recovery"] = c.server.public_url + "/mot-de-passe-oublie";
  fields["assistance"] = c.server.public_url + "/assistance";
  auto m = p.composer->message(kind, lang, std::move(fields), MessageChannel::Email, a.email, a.id, p.clock.now());
  if (auto queued = p.outbox->enqueue(m); !queued)
    spdlog::error("cannot queue the {} notice for account {}: {}", kind, a.id, queued.error().detail);
  else if (p.wake_outbox)
    p.wake_outbox();
}

// A smart card linked to, or unlinked from, the account.
template <typename Parts>
void notify_card(Parts& p, const Account& a, const LinkedCard& card, bool linked, bool by_staff) {
  auto issuer = card.issuer;
  if (auto at = issuer.find("CN="); at != std::string::npos) {
    auto end = issuer.find(',', at);
    issuer = issuer.substr(at + 3, end == std::string::npos ? std::string::npos : end - at - 3);
  }
  queue_account_notice(p, a, linked ? "card.linked" : "card.unlinked",
                       {{"when", format_local_time(p.clock.now(), p.config.portal.default_language)},
                        {"holder", card.holder},
                        {"issuer", issuer},
                        {"by_staff", by_staff}});
}

// An identity at a federated provider (Pro Santé Connect…) linked to, or
// unlinked from, the account.
template <typename Parts>
void notify_federation(Parts& p, const Account& a, const FederatedLink& link, const std::string& label, bool linked,
                       bool by_staff) {
  queue_account_notice(p, a, linked ? "federation.linked" : "federation.unlinked",
                       {{"when", format_local_time(p.clock.now(), p.config.portal.default_language)},
                        {"provider", label},
                        {"identity_name", link.display_name},
                        {"by_staff", by_staff}});
}

// An account created from Pro Santé Connect's claims: welcome, what it is
// made of, and how to sign in.
template <typename Parts>
void notify_account_created(Parts& p, const Account& a, const AccountProposal& made) {
  queue_account_notice(p, a, "federation.account_created",
                       {{"when", format_local_time(p.clock.now(), p.config.portal.default_language)},
                        {"rpps", made.rpps},
                        {"profession", made.profession.label.empty() ? made.profession.code : made.profession.label},
                        {"sign_in", p.config.server.public_url + "/connexion"}});
}

// Sign-in suspended (or locked) by failed attempts.
template <typename Parts>
void notify_suspension(Parts& p, const Account& a, const Suspension& s) {
  const auto& c = p.config;
  auto lang = c.portal.default_language;
  queue_account_notice(p, a, s.until_reset ? "sign_in.locked" : "sign_in.suspended",
                       {{"until", s.until ? format_local_time(*s.until, lang) : std::string()},
                        {"threshold", c.lockout.threshold},
                        {"ceiling", c.lockout.ceiling}});
}

// Wrong answers to "your password again" ended every session of the
// account: someone may be using one of them.
template <typename Parts>
void notify_reauth_locked_out(Parts& p, const Account& a) {
  queue_account_notice(p, a, "account.reauth_locked_out",
                       {{"when", format_local_time(p.clock.now(), p.config.portal.default_language)},
                        {"max_failures", p.config.security.reauth_max_failures}});
}

// The password was right and the second step's code wrong in several
// sign-ins: someone seems to know the password.
template <typename Parts>
void notify_password_known(Parts& p, const Account& a) {
  queue_account_notice(p, a, "second_step.password_known", {{"count", p.config.second_step.password_known_after}});
}

// The member changed her password in Mon espace: if it was not her, she
// learns it at once (the reset flow sends the same notice).
template <typename Parts>
void notify_password_changed(Parts& p, const Account& a) {
  queue_account_notice(p, a, "password.changed",
                       {{"when", format_local_time(p.clock.now(), p.config.portal.default_language)},
                        {"this_session_kept", true}});
}

App::App(Config config, bool migrate_now) : parts_(std::make_unique<Parts>()) {
  auto& p = *parts_;
  p.config = std::move(config);
  auto& c = p.config;
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot initialise");
  set_display_time_zone(c.portal.time_zone);  // before any thread formats a moment
  std::filesystem::create_directories(c.storage.data_dir);
  ::chmod(c.storage.data_dir.c_str(), 0700);

  auto db = storage::open_database(database_settings(c));
  if (!db) throw std::runtime_error("cannot open database " + database_name(c) + ": " + db.error().detail);
  p.db = *db;
  if (migrate_now) {
    auto n = storage::migrate_database(*p.db);
    if (!n) throw std::runtime_error("migration failed: " + n.error().detail);
    if (*n > 0) spdlog::info("applied {} database migration(s)", *n);
  }
  p.secrets = std::make_unique<SecretHasher>(load_or_create_server_key(c.secret_key_path()));
  p.accounts = std::make_unique<st::SqlAccountStore>(p.db, p.clock);
  p.session_store = std::make_unique<st::SqlSessionStore>(p.db, p.clock);
  p.flows = std::make_unique<st::SqlFlowStore>(p.db);
  p.audit_store = std::make_unique<st::SqlAuditStore>(p.db);
  p.metrics.set_batching_source([db = p.db] {
    auto b = db->batching_stats();
    return Metrics::Batching{b.writes, b.batches};
  });
  p.audit = std::make_unique<AuditLog>(*p.audit_store, p.clock);

  auto& s = c.security;
  p.hasher = std::make_unique<PasswordHasher>(Argon2Params{s.argon2_memory_kib, s.argon2_iterations, s.argon2_parallelism});
  // Loaded once, shared read-only by every password form (a set of hashes, ~8 bytes a word).
  auto started = std::chrono::steady_clock::now();
  auto wordlist = PasswordWordlist::from_files(s.password_wordlists);
  if (!wordlist) throw std::runtime_error("security.password_wordlists: " + wordlist.error().detail);
  spdlog::debug("password word lists: {} words, {} KiB, {} ms", wordlist->size(), wordlist->memory_bytes() / 1024,
                std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
  p.policy = std::make_unique<PasswordPolicy>(PasswordPolicyConfig{s.password_min_length, s.password_max_length},
                                              std::make_shared<const PasswordWordlist>(std::move(*wordlist)));
  p.sessions = std::make_unique<SessionService>(*p.session_store, *p.secrets, p.random, p.clock,
                                                SessionPolicy{s.session_idle_timeout, s.session_absolute_timeout});
  const auto& l = c.lockout;
  p.lockouts = std::make_unique<st::SqlLockoutStore>(p.db);
  p.guard = std::make_unique<SignInGuard>(*p.lockouts, *p.secrets, p.clock,
                                          LockoutSettings{l.threshold, l.period, l.ceiling});
  p.devices = std::make_unique<DeviceTrust>(*p.secrets, p.random);
  p.lockout_admin = std::make_unique<LockoutAdminService>(*p.accounts, *p.lockouts, *p.audit, p.clock);
  p.totp_store = std::make_unique<st::SqlTotpStore>(p.db);
  p.totp = std::make_unique<TotpService>(*p.totp_store, *p.secrets, p.random, p.clock, c.portal.name);
  if (c.oidc.enabled) {
    // The OpenID Connect provider's signing keys: RS256 for ID tokens by
    // default, ES256 and EdDSA for clients that ask (oidc/key_ring.h).
    oidc::RotationPolicy policy;
    policy.rotation_period = std::chrono::days(c.oidc.key_rotation_days);
    policy.max_token_lifetime = c.oidc.max_token_lifetime;
    policy.jwks_max_age = c.oidc.jwks_max_age;
    p.signing_keys = std::make_unique<st::SqlSigningKeyStore>(p.db);
    p.key_ring = std::make_unique<oidc::KeyRing>(
        *p.signing_keys, *p.secrets, p.random, p.clock, policy,
        std::vector<oidc::jose::JwsAlg>(std::begin(oidc::jose::kAllAlgs), std::end(oidc::jose::kAllAlgs)));
  }
  p.clients = std::make_unique<st::SqlClientStore>(p.db);
  p.client_admin = std::make_unique<ClientAdminService>(*p.clients, *p.secrets, *p.audit, p.random, p.clock);
  if (c.oidc.enabled) {
    // Every way a session ends (pages, console, CLI, lockouts) goes through
    // SessionService: its listener queues the back-channel logouts.
    p.logout_store = std::make_unique<st::SqlLogoutStore>(p.db);
    p.logout = std::make_unique<oidc::LogoutService>(*p.logout_store, p.clock);
    p.sessions->set_end_listener(p.logout.get());
  }
  if (p.key_ring) {
    p.consents = std::make_unique<st::SqlConsentStore>(p.db);
    p.authorization = std::make_unique<oidc::AuthorizationService>(
        *p.clients, *p.consents, *p.flows, *p.key_ring, *p.secrets, p.random, p.clock,
        oidc::issuer_of(c.server.public_url));
    p.authorization->set_health_card_available(c.card.enabled || !c.health_card_providers().empty());
  }
  // The token side (oidc.enabled): codes, tokens, client authentication.
  if (p.key_ring)
    p.oidc_tokens =
        make_oidc_token_parts(c, p.db, *p.accounts, p.clients.get(), *p.key_ring, *p.secrets, p.random, p.clock);
  p.reauth = std::make_unique<Reauthentication>(
      *p.hasher, *p.lockouts, *p.sessions, *p.totp, *p.audit, p.clock,
      [&p](const Account& a, const ClientInfo&) { notify_reauth_locked_out(p, a); },
      ReauthSettings{s.reauth_max_failures});
  p.settings = std::make_unique<SettingsService>(*p.accounts, *p.sessions, *p.hasher, *p.policy, *p.reauth, *p.audit,
                                                 c.portal.name, c.portal.phone_default_country,
                                                 [&p](const Account& a) { notify_password_changed(p, a); });
  p.admin = std::make_unique<AccountAdminService>(
      *p.accounts, *p.sessions, *p.hasher, *p.policy, *p.audit, p.random, p.clock,
      AdminSettings{c.portal.name, c.portal.phone_default_country, s.temporary_password_lifetime});
  p.setup = std::make_unique<SetupService>(*p.accounts, *p.flows, *p.admin, *p.policy, *p.audit, *p.secrets, p.random,
                                           p.clock, s.setup_link_lifetime, c.portal.name);
  p.robot_challenges = std::make_unique<st::SqlRobotChallengeStore>(p.db);
  p.robot = std::make_unique<RobotCheck>(robot_hmac_key(s.robot_hmac_key, *p.secrets), *p.robot_challenges, p.random,
                                         p.clock, RobotCheckSettings{s.robot_challenge_lifetime, s.robot_max_number, s.robot_no_script_wait});
  p.outbox = std::make_unique<st::SqlOutboxStore>(p.db);
  p.composer = std::make_unique<MessageComposer>(c.assets_dir + "/templates/mail", c.portal.name, c.server.public_url);
  build_mail(p);
  p.app_settings = std::make_unique<AppSettingsService>(
      *p.totp, *p.reauth, *p.outbox, *p.composer, *p.audit, p.clock, [&p] { if (p.wake_outbox) p.wake_outbox(); },
      AppSettings{c.portal.default_language, c.server.public_url});
  p.rate_limits = std::make_unique<st::SqlRateLimitStore>(p.db);
  p.limiter = std::make_unique<RateLimiter>(*p.rate_limits, p.clock);
  p.client_throttle = std::make_unique<ClientThrottle>(
      *p.rate_limits, p.clock,
      ClientThrottleSettings{l.client_free_failures, l.client_window, l.client_base_delay, l.client_max_delay,
                             AddressRanges::parse(l.shared.ranges).value_or(AddressRanges{}), l.shared.free_failures});
  p.recovery_store = std::make_unique<st::SqlRecoveryStore>(p.db);
  p.sms_budget = std::make_unique<SmsBudget>(*p.rate_limits, *p.secrets, p.clock, sms_limits(c.sms));
  const auto& ss = c.second_step;
  p.second_step = std::make_unique<SecondStepService>(
      *p.accounts, *p.flows, *p.recovery_store, *p.lockouts, *p.limiter, *p.totp, *p.composer, *p.audit, *p.secrets,
      p.random, p.clock, [&p] { if (p.wake_outbox) p.wake_outbox(); },
      SecondStepSettings{[&c](Role r) { return c.second_step.policy_for(to_string(r)); }, s.sign_in_flow_lifetime,
                         ss.code_lifetime, ss.max_attempts, ss.resend_cooldown, ss.hourly_cap,
                         ss.account_failure_threshold, c.lockout.period, ss.ceiling,
                         ss.allow_code_fallback_with_app, ss.password_known_after, std::chrono::hours(24),
                         [&p](const Account& a) { notify_password_known(p, a); },
                         [&p](std::string_view e164) {
                           auto claimed = p.sms_budget->claim_code(e164);
                           if (!claimed) spdlog::error("SMS budget unavailable: {}", claimed.error().detail);
                           return claimed && *claimed == SmsRefusal::None;  // fails closed
                         }});
  p.code_settings = std::make_unique<CodeSettingsService>(
      *p.accounts, *p.flows, *p.recovery_store, *p.outbox, *p.reauth, *p.composer, *p.audit, *p.secrets, p.random,
      p.clock, [&p] { if (p.wake_outbox) p.wake_outbox(); },
      CodeSettings{c.portal.phone_default_country, ss.code_lifetime, ss.max_attempts, c.server.public_url},
      *p.sms_budget);
  p.suspension_notifier = std::make_unique<SuspensionNotifier>(
      *p.limiter, [&p](const Account& a, const Suspension& sus) { notify_suspension(p, a, sus); });
  p.sign_in_gate = std::make_unique<SignInGate>(
      *p.client_throttle, *p.rate_limits, *p.secrets, p.clock,
      SuccessLimitSettings{l.successes_per_account, l.successes_per_client, l.success_window,
                           AddressRanges::parse(l.shared.ranges).value_or(AddressRanges{}), l.shared.successes});
  p.sign_in = std::make_unique<SignInService>(*p.accounts, *p.flows, *p.sessions, *p.hasher, *p.policy, *p.audit,
                                              *p.secrets, p.random, p.clock, p.metrics, *p.guard, *p.devices,
                                              [&p](const Account& a, const Suspension& sus) { p.suspension_notifier->notify(a, sus); },
                                              SignInSettings{s.sign_in_flow_lifetime, c.portal.name}, p.second_step.get(),
                                              p.sign_in_gate.get());
  // Requests wake the outbox worker through this indirection: the worker
  // only exists while serving, the services exist for the CLI too.
  auto wake = [&p] { if (p.wake_outbox) p.wake_outbox(); };
  const auto& r = c.recovery;
  p.recovery = std::make_unique<RecoveryService>(
      *p.accounts, *p.flows, *p.recovery_store, *p.limiter, *p.composer, *p.hasher, *p.policy, *p.audit, *p.secrets,
      p.random, p.clock, wake,
      RecoverySettings{r.lifetime, r.resend_cooldown, RateLimit{r.per_target_limit, r.limit_window},
                       RateLimit{r.per_client_limit, r.limit_window}, r.max_code_attempts, c.portal.name,
                       c.server.public_url});
  p.reminder = std::make_unique<IdentifierReminderService>(
      *p.accounts, *p.outbox, *p.limiter, *p.composer, *p.audit, *p.secrets, p.clock, wake,
      IdentifierReminderSettings{RateLimit{r.per_target_limit, r.limit_window},
                                 RateLimit{r.per_client_limit, r.limit_window}, c.server.public_url});
  p.assistance_store = std::make_unique<st::SqlAssistanceStore>(p.db);
  p.assistance = std::make_unique<AssistanceService>(
      *p.accounts, *p.assistance_store, *p.limiter, *p.composer, *p.audit, p.clock, p.random, wake,
      assistance_settings(c));
  const auto& act = c.activation;
  p.activation_store = std::make_unique<st::SqlActivationStore>(p.db);
  p.activation = std::make_unique<ActivationService>(
      *p.accounts, *p.recovery_store, *p.activation_store, *p.limiter, *p.composer, *p.hasher, *p.policy, *p.audit,
      *p.secrets, p.random, p.clock, wake,
      ActivationSettings{act.invitation_lifetime, RateLimit{act.per_target_limit, act.limit_window},
                         RateLimit{act.per_client_limit, act.limit_window}, c.portal.name, c.server.public_url},
      p.flows.get(), p.outbox.get());
  p.account_import = std::make_unique<AccountImport>(
      *p.accounts, *p.activation, *p.audit,
      ImportSettings{c.portal.phone_default_country, c.portal.default_language});
  p.support = std::make_unique<SupportService>(
      *p.accounts, *p.admin, *p.lockout_admin, *p.outbox, *p.audit, *p.sessions, *p.reminder, *p.recovery,
      *p.composer, *p.reauth, p.clock, wake,
      [&p](const Account& a, std::string_view lang, AccountId actor, const ClientInfo& client) -> Result<void> {
        auto invited = p.activation->invite(a, lang, actor, client);
        if (!invited) return tl::unexpected(invited.error());
        return {};
      },
      SupportSettings{c.portal.default_language, c.portal.phone_default_country, c.server.public_url, 300,
                      c.sms.allowed_prefixes, c.security.console_confirmation_period});
  p.support->set_app_reset([&p](const Account& a, AccountId actor, std::string_view reason, const ClientInfo& client) {
    return p.app_settings->reset(a, actor, reason, client);
  });
  const auto& ec = c.email_change;
  p.email_change_store = std::make_unique<st::SqlEmailChangeStore>(p.db);
  p.email_change = std::make_unique<EmailChangeService>(
      *p.accounts, *p.flows, *p.email_change_store, *p.reauth, *p.composer, *p.audit, *p.secrets, p.random, p.clock,
      wake, EmailChangeSettings{ec.lifetime, ec.code_length, ec.max_code_attempts, ec.resend_cooldown, c.server.public_url});
  p.support->set_email_change(p.email_change.get());
  p.linked_cards = std::make_unique<st::SqlLinkedCardStore>(p.db);
  p.card = std::make_unique<CardSignInService>(
      *p.accounts, *p.linked_cards, *p.flows, *p.sessions, *p.audit, *p.secrets, p.random, p.clock,
      [&p](const Account& a, const LinkedCard& card, bool linked, bool by_staff) {
        notify_card(p, a, card, linked, by_staff);
      },
      CardSignInSettings{c.card.identifier_rule, c.card.second_step}, p.second_step.get());
  p.federation_http = std::make_unique<http::BeastHttpFetcher>();
  std::vector<FederationProvider> providers;
  for (const auto& provider : c.federation.providers) {
    p.relying_parties.push_back(
        std::make_unique<federation::RelyingParty>(provider, *p.federation_http, p.clock, p.random));
    providers.push_back({FederationProviderSettings{provider.id, provider.preset, provider.label, provider.second_step,
                                                    provider.create_accounts},
                         p.relying_parties.back().get()});
  }
  p.federated_identities = std::make_unique<st::SqlFederatedIdentityStore>(p.db);
  p.federation = std::make_unique<FederatedSignInService>(
      *p.accounts, *p.federated_identities, *p.linked_cards, *p.flows, *p.sessions, *p.audit, *p.secrets, p.random,
      p.clock,
      [&p](const Account& a, const FederatedLink& link, const std::string& label, bool linked, bool by_staff) {
        notify_federation(p, a, link, label, linked, by_staff);
      },
      std::move(providers), FederatedSignInSettings{}, p.second_step.get());
  // Federated sign-ins keep the provider's ID token (sealed) for logout there.
  p.federated_sessions = std::make_unique<st::SqlFederatedSessionStore>(p.db, *p.secrets, p.random);
  p.federation->set_session_store(p.federated_sessions.get());
  p.federated_accounts_store = std::make_unique<st::SqlFederatedAccountStore>(p.db, p.clock);
  p.federated_accounts = std::make_unique<FederatedAccountCreationService>(
      *p.accounts, *p.federated_accounts_store, *p.flows, *p.sessions, *p.audit, *p.secrets, p.random, p.clock,
      [&p](const Account& a, const AccountProposal& made) { notify_account_created(p, a, made); });
  // Accounts created from PSC sign their member in too: their ID token is kept alike.
  p.federated_accounts->set_session_store(p.federated_sessions.get());
  p.federation->set_account_creation(p.federated_accounts.get());
  p.federation_logout = std::make_unique<FederatedLogoutService>(
      *p.federated_sessions, *p.flows, *p.audit, *p.secrets, p.random, p.clock,
      [&p](std::string_view id) -> federation::RelyingParty* {
        for (auto& rp : p.relying_parties)
          if (rp->provider().id == id) return rp.get();
        return nullptr;
      },
      c.server.public_url);
}

App::~App() = default;

int App::migrate() {
  auto n = storage::migrate_database(*parts_->db);
  if (!n) throw std::runtime_error("migration failed: " + n.error().detail);
  return *n;
}

AccountAdminService& App::admin() { return *parts_->admin; }
AppSettingsService& App::app_settings() { return *parts_->app_settings; }
LockoutAdminService& App::lockout_admin() { return *parts_->lockout_admin; }
SetupService& App::setup() { return *parts_->setup; }
ActivationService& App::activation() { return *parts_->activation; }
AccountImport& App::account_import() { return *parts_->account_import; }
oidc::ClientStore& App::clients() { return *parts_->clients; }
ClientAdminService& App::client_admin() { return *parts_->client_admin; }
OutboxStore& App::outbox() { return *parts_->outbox; }
MessageComposer& App::composer() { return *parts_->composer; }
OutboxWorker& App::outbox_worker() { return *parts_->outbox_worker; }
Mailer& App::mailer() { return *parts_->mailer; }
const Config& App::config() const { return parts_->config; }

int App::serve() {
  auto& p = *parts_;
  auto& c = p.config;
  auto translations = web::Translations::load(c.assets_dir + "/templates/i18n");
  web::View view(c.assets_dir + "/templates", translations);
  web::WebServices services{c,           view,       *p.sessions, *p.sign_in, *p.settings, *p.setup,
                            *p.accounts, *p.audit,   p.metrics,   *p.secrets, p.random,    p.clock,
                            *p.robot,    *p.recovery, *p.reminder, *p.client_throttle, *p.second_step, *p.code_settings, *p.totp, *p.hasher, [db = p.db] { return db->ping(); }};
  services.activation = p.activation.get();
  services.account_import = p.account_import.get();
  services.support = p.support.get();
  services.assistance = p.assistance.get();
  services.reauth = p.reauth.get();
  services.app_settings = p.app_settings.get();
  services.email_change = p.email_change.get();
  services.clients = p.clients.get();
  services.client_admin = p.client_admin.get();
  services.logout = p.logout.get();
  services.card = p.card.get();
  services.federation = p.federation.get();
  services.federated_accounts = p.federated_accounts.get();
  services.federation_logout = p.federation_logout.get();
  if (p.key_ring) {
    // Keys exist before the first request; nodes starting together share them.
    if (auto made = p.key_ring->maintain(); !made)
      throw std::runtime_error("OIDC signing keys: " + made.error().detail);
    // Each active key must open under this server key now, not at the first
    // token: a database restored without its server key stops the start.
    for (auto alg : oidc::jose::kAllAlgs)
      if (auto opened = p.key_ring->active(alg); !opened)
        throw std::runtime_error("OIDC signing keys: " + opened.error().detail);
    services.key_ring = p.key_ring.get();
    services.authorization = p.authorization.get();
    services.oidc_tokens = p.oidc_tokens->tokens.get();
    services.code_issuer = p.oidc_tokens->tokens.get();
    services.oidc_client_auth = p.oidc_tokens->client_auth.get();
  }
  web::Router router(services, web::StaticFiles::load(c.assets_dir + "/static", web::theme_css(c.portal.primary_colour)));
  http::Server server(c.server, router, p.metrics);
  web::MetricsEndpoint metrics_endpoint(c.server, *p.secrets, p.metrics);
  server.serve_metrics_with(metrics_endpoint);
  server.bind();
  std::uint16_t ignored;
  if (auto mport = server.metrics_port()) {
    std::string mhost;
    split_listen(c.server.metrics_listen, mhost, ignored);
    std::printf("portier metrics on http://%s:%u/metrics\n", mhost.c_str(), mport);
  }
  auto bound = server.bound_listeners();
  std::printf("portier %s listening on %s://%s (public URL %s)\n", PORTIER_VERSION, bound[0].tls ? "https" : "http",
              bound[0].address.c_str(), c.server.public_url.c_str());
  for (std::size_t n = 1; n < bound.size(); ++n)
    std::printf("portier also listening on %s://%s (client certificates: %s)\n", bound[n].tls ? "https" : "http",
                bound[n].address.c_str(), bound[n].client_certificates.c_str());

  auto needed = p.setup->needs_setup();
  if (needed && *needed) {
    if (auto token = p.setup->issue_link()) {
      std::printf("\nNo administrator yet. Create the first one within %lld minutes at:\n  %s/installation?jeton=%s\n\n",
                  static_cast<long long>(c.security.setup_link_lifetime.count() / 60), c.server.public_url.c_str(),
                  token->c_str());
    }
  }
  std::fflush(stdout);

  server.every(std::chrono::minutes(10), [&p, &c] {
    auto s = p.sessions->purge();
    auto f = p.flows->purge_expired(p.clock.now());
    auto r = p.robot_challenges->purge_expired(p.clock.now());
    auto t = p.recovery_store->purge_expired(p.clock.now());
    // Counters untouched for a day are stale (the ceiling never is: purge keeps it).
    (void)p.lockouts->purge(p.clock.now() - std::max<std::chrono::seconds>(std::chrono::hours(24), c.lockout.period));
    (void)p.rate_limits->purge(p.clock.now() - std::max<std::chrono::seconds>(std::chrono::hours(24), c.recovery.limit_window));
    if (p.oidc_tokens) (void)p.oidc_tokens->purge(p.clock.now());
    if (auto g = p.federated_sessions->purge_expired(p.clock.now()); !g)
      spdlog::error("housekeeping: federated sessions: {}", g.error().detail);
    if (s && f && r && t && (*s > 0 || *f > 0 || *r > 0 || *t > 0))
      spdlog::info("housekeeping: purged {} sessions, {} flows, {} spent robot challenges, {} recovery tokens", *s, *f,
                   *r, *t);
  });
  if (p.key_ring)
    server.every(std::chrono::hours(1), [&p] {
      // Deliveries done a week ago, and the application lists of sessions that expired.
      if (p.logout_store) (void)p.logout_store->purge(p.clock.now() - std::chrono::days(7));
      if (auto r = p.key_ring->maintain(); !r) spdlog::error("OIDC signing keys: {}", r.error().detail);
    });
  // The worker has its own thread: a slow relay never holds an I/O or
  // request thread. Messages queued before this start (by the CLI, or a
  // previous run) go out in its first round.
  p.outbox_worker->start();
  p.wake_outbox = [&p] { p.outbox_worker->wake(); };
  if (p.logout && p.key_ring) {
    // Back-channel logouts leave from their own thread too (each POST may
    // take its 5 s); those queued while no server ran go in its first round.
    p.backchannel_poster = std::make_unique<http::BackchannelPoster>();
    oidc::BackchannelSettings settings;
    settings.issuer = oidc::issuer_of(c.server.public_url);
    settings.retry_delays = c.oidc.backchannel_retry_delays;
    p.backchannel_worker = std::make_unique<oidc::BackchannelWorker>(
        *p.logout_store, *p.clients, *p.key_ring, *p.backchannel_poster, *p.audit, *p.secrets, p.random, p.clock, settings,
        &p.metrics);
    p.backchannel_worker->start();
    p.logout->set_wake([&p] { p.backchannel_worker->wake(); });
  }
  server.run();
  // SIGTERM: the message being sent finishes, the rest of its batch is handed
  // back to the queue for the next start.
  p.outbox_worker->stop();
  if (p.backchannel_worker) p.backchannel_worker->stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace portier
