#pragma once
// Every setting of portier with its safe default. Loaded from portier.toml,
// then overridden by PORTIER_* environment variables; validate() lists every
// problem at once so an operator fixes them in one go.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "config/assistance_config.h"
#include "config/card_config.h"
#include "config/email_change_config.h"
#include "config/federation_config.h"
#include "config/listener_config.h"
#include "config/oidc_config.h"
#include "config/shared_address_config.h"
#include "config/sms_config.h"

namespace portier {

struct ServerConfig {
  std::string listen = "127.0.0.1:8080";       // host:port; port 0 picks a free one
  std::string public_url = "http://localhost:8080";  // links and cookie flags come from here, never from Host
  int io_threads = 0;               // 0: one per core
  int worker_threads = 0;           // pages pool (database, rendering); 0: config/pages_threads.h decides
  int worker_queue_limit = 64;      // pages jobs queued or running before 503 + Retry-After
  // Password hashing (argon2id) runs on its own pool, so that a flood of
  // sign-ins fills that pool and gets 503s while pages are still served.
  int hashing_threads = 0;          // 0: half the cores, at least 1
  int hashing_queue = 0;            // jobs waiting beyond the running ones; 0: 32 per hashing thread
                                    // (at 25-50 ms a hash, about a second of waiting at most)
  // Open connections in all (beside max_connections_per_ip); 0: derived from
  // the process's file-descriptor limit (soft RLIMIT_NOFILE - 64, 16..10000).
  int max_connections = 0;
  // Refused connections and failed accepts are logged once per address (or
  // error kind) per interval, with the number held back.
  std::chrono::seconds refused_log_interval{60};
  // /metrics: on its own listener (host:port, e.g. 127.0.0.1:9464) and/or
  // behind a bearer token. When either is set, the public listener no longer
  // serves /metrics.
  std::string metrics_listen;
  std::string metrics_token;        // PORTIER_METRICS_TOKEN; at least 32 characters
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_body_bytes = 64 * 1024;
  std::chrono::seconds read_timeout{10};   // a whole request must arrive within this
  std::chrono::seconds idle_timeout{30};   // keep-alive connection with no request
  std::chrono::seconds write_timeout{30};
  int max_connections_per_ip = 128;
  std::chrono::seconds shutdown_grace{10}; // SIGTERM: time left to in-flight requests
  // [[server.listeners]]: when empty, `listen` is the one plain listener.
  std::vector<ListenerConfig> listeners;
  // Reverse proxies (addresses or CIDR ranges, IPv4 and IPv6) whose
  // X-Forwarded-For / Forwarded, X-Forwarded-Proto and client-certificate
  // headers are believed; from any other peer those headers are ignored.
  std::vector<std::string> trusted_proxies;
};

struct StorageConfig {
  std::string data_dir = "data";
  std::string database;  // SQLite file; default: <data_dir>/portier.db
  // "sqlite" (embedded, one node) or "postgres" (one server, several nodes).
  // PORTIER_DATABASE_URL alone selects "postgres".
  std::string backend = "sqlite";
  std::string postgres_url;  // libpq connection string or postgresql:// URI (TLS: sslmode, sslrootcert…)
  int pool_size = 0;         // connections per node; 0: worker_threads + 2 (at least 4)
  std::chrono::milliseconds statement_timeout{5000};  // PostgreSQL: a stuck statement fails instead of holding a worker
};

struct SecurityConfig {
  std::string secret_key_file;  // default: <data_dir>/secret.key (created 0600 on first start)
  std::uint32_t argon2_memory_kib = 19456;
  std::uint32_t argon2_iterations = 2;
  std::uint32_t argon2_parallelism = 1;
  std::size_t password_min_length = 12;
  std::size_t password_max_length = 256;
  // Words no password may be (give or take case, digits, symbols and leet):
  // Debian's French and English dictionaries (wfrench, wamerican) and john's
  // common passwords (john-data). Every file must exist: start-up stops otherwise.
  std::vector<std::string> password_wordlists{"/usr/share/dict/french", "/usr/share/dict/american-english",
                                              "/usr/share/john/password.lst"};
  std::chrono::seconds session_idle_timeout{30 * 60};
  std::chrono::seconds session_absolute_timeout{12 * 3600};
  std::chrono::seconds sign_in_flow_lifetime{15 * 60};
  std::chrono::seconds temporary_password_lifetime{72 * 3600};
  // Wrong answers in a row to "your password again" (Mon espace, console)
  // before every session of the account ends (session/reauthentication.h).
  int reauth_max_failures = 5;
  // How long one typing of an agent's password covers the console's
  // sensitive actions in the same session (0: ask in every form).
  std::chrono::seconds console_confirmation_period{5 * 60};
  std::chrono::seconds setup_link_lifetime{3600};
  // "I'm not a robot" (ALTCHA). Key: 64 hex characters; empty derives it from
  // the server key, so a zero-config install needs nothing here.
  std::string robot_hmac_key;
  std::chrono::seconds robot_challenge_lifetime{20 * 60};
  std::uint64_t robot_max_number = 100'000;
  // Without JavaScript, the wait that replaces the proof of work (5 s to 10 min).
  std::chrono::seconds robot_no_script_wait{15};
  // Roles ("member", "support", "admin") that must sign in with the CPS card
  // or Pro Santé Connect: a password sign-in opens no session for them,
  // except the one that links a first card or PSC identity, which can do
  // nothing else (session/strong_sign_in_policy.h, docs/security.md).
  // Needs [card] enabled or a Pro Santé Connect provider. Empty: nobody.
  std::vector<std::string> strong_sign_in_roles;
};

struct PortalConfig {
  std::string name = "portier";
  std::string logo_url;            // a local path (/static/logo.svg); empty: the name alone
  std::string primary_colour = "#1d4f91";
  std::string default_language = "fr";
  // Every moment shown to people (pages, mail, slots, console) is in this tz
  // database zone, whatever the server's own TZ (common/display_time.h).
  std::string time_zone = "Europe/Paris";
  std::string phone_default_country = "+33";
  std::string legal_notice_fr = "Ce portail est exploité par le réseau de santé. Renseignez ici l'éditeur, l'hébergeur et le responsable de traitement.";
  std::string legal_notice_en = "This portal is run by the health network. State the publisher, host and data controller here.";
  std::string contact_fr = "Écrivez-nous à contact@example.org.";
  std::string contact_en = "Write to us at contact@example.org.";
  std::string assistance_fr = "L'assistance répond du lundi au vendredi, de 9 h à 18 h : assistance@example.org.";
  std::string assistance_en = "Assistance answers Monday to Friday, 9:00 to 18:00: assistance@example.org.";
  std::string assistance_email = "assistance@example.org";
};

// Getting back in: forgot password and forgot identifier.
struct RecoveryConfig {
  std::chrono::seconds lifetime{3600};        // of a reset link and code; shown to the member
  std::chrono::seconds resend_cooldown{60};   // between two "send again"
  int max_code_attempts = 5;                  // wrong codes on one request before it is locked
  int per_target_limit = 5;                   // messages one identifier or address can trigger ...
  int per_client_limit = 20;                  // ... and requests one client address can make ...
  std::chrono::seconds limit_window{3600};    // ... per window
  // Every answer to a recovery form takes at least this long, so that known
  // and unknown accounts cannot be told apart by timing.
  std::chrono::milliseconds answer_floor{100};
};

// First connection of accounts created without a password.
struct ActivationConfig {
  std::chrono::seconds invitation_lifetime{7 * 24 * 3600};  // of an invitation's link and code
  int per_target_limit = 3;                  // invitations "Première connexion" can send one target ...
  int per_client_limit = 20;                 // ... and requests (or codes typed) from one client address ...
  std::chrono::seconds limit_window{3600};   // ... per window
};

// Protection against password guessing.
struct LockoutConfig {
  int threshold = 5;                               // consecutive failures before a suspension
  std::chrono::seconds period{3600};               // how long a suspension lasts
  int ceiling = 100;                               // consecutive failures before a lock until reset (NIST)
  std::chrono::seconds device_cookie_lifetime{365 * 24 * 3600};
  // Failures from one address before its sign-in form asks for the robot
  // check and its failed answers are delayed. Raise it when many members sign
  // in from behind one address (a hospital's NAT): PORTIER_LOCKOUT_CLIENT_FREE_FAILURES.
  int client_free_failures = 10;
  std::chrono::seconds client_window{3600};
  std::chrono::milliseconds client_base_delay{250};
  std::chrono::milliseconds client_max_delay{8000};
  // Successful sign-ins are limited too (each costs a hash and a session):
  // far above what a real member does, low enough that one stolen password
  // cannot keep the hashing pool busy.
  int successes_per_account = 30;   // per success_window
  int successes_per_client = 1000;  // per success_window, one client address (a hospital's NAT)
  std::chrono::seconds success_window{3600};
  // Addresses shared by many members (a hospital's NAT), with their own
  // per-address limits: lockout.shared_addresses (config/shared_address_config.h).
  SharedAddressConfig shared;
};

// The second step after the password (ephemeral code by email or SMS, or an
// authenticator app). Policies: "required", "optional" (asked only of members
// who set up an app or a verified mobile number), "off".
struct SecondStepConfig {
  std::string policy = "required";        // PORTIER_SECOND_STEP
  std::string policy_member;              // per role; empty: `policy`
  std::string policy_support;
  std::string policy_admin;
  std::chrono::seconds code_lifetime{600};
  int max_attempts = 5;                   // wrong codes per sign-in
  std::chrono::seconds resend_cooldown{60};
  int hourly_cap = 5;                     // codes sent to one account per hour
  int account_failure_threshold = 10;     // wrong codes across sign-ins before the second step is suspended
  int ceiling = 50;                       // wrong codes in a row (across suspensions) before a lock until reset
  bool allow_code_fallback_with_app = false;  // email/SMS codes beside an enrolled app
  int password_known_after = 3;           // sign-ins with a right password and a wrong code (a day) before the notice
  std::string policy_for(std::string_view role) const {
    const std::string& p = role == "admin" ? policy_admin : role == "support" ? policy_support : policy_member;
    return p.empty() ? policy : p;
  }
};

struct LogConfig {
  std::string level = "info";  // trace, debug, info, warn, error
};

// Outgoing mail: sender identity, relay, DKIM and the outbox worker's pace.
struct MailConfig {
  std::string from_address = "no-reply@localhost";
  std::string from_name;               // empty: portal.name
  std::string reply_to;                // empty: no Reply-To
  std::string smtp_url;                // smtp://host:587 or smtps://host:465; empty: files in <data_dir>/outbox
  std::string smtp_tls = "starttls";   // smtp:// only: starttls (required) or none (loopback tests)
  std::string smtp_username;
  std::string smtp_password;
  std::chrono::seconds smtp_timeout{30};
  std::string dkim_domain;             // all three DKIM settings, or none
  std::string dkim_selector;
  std::string dkim_key_file;           // RSA private key, PEM
  std::chrono::seconds outbox_poll_interval{5};
  std::chrono::seconds retry_max_age{86400};  // a failing message is given up this long after it was queued
};

struct Config {
  ServerConfig server;
  StorageConfig storage;
  SecurityConfig security;
  PortalConfig portal;
  RecoveryConfig recovery;
  ActivationConfig activation;
  LockoutConfig lockout;
  SecondStepConfig second_step;
  LogConfig log;
  MailConfig mail;
  SmsConfig sms;
  AssistanceConfig assistance;
  EmailChangeConfig email_change;
  OidcConfig oidc;
  CardConfig card;
  FederationConfig federation;
  std::string assets_dir = PORTIER_SOURCE_DIR;  // templates/ and static/ live here

  std::string database_path() const;
  std::string secret_key_path() const;
  // Where the card listener is reached ([card] public_url, else the main one).
  std::string card_url() const { return card.public_url.empty() ? server.public_url : card.public_url; }
  // The federation providers whose sign-in is the health-professional card
  // level (Pro Santé Connect: the CPS card or the e-CPS app), by id.
  std::vector<std::string> health_card_providers() const {
    std::vector<std::string> out;
    for (const auto& p : federation.providers)
      if (p.preset == "psc" || p.preset == "psc-sandbox") out.push_back(p.id);
    return out;
  }
  std::string outbox_dir() const { return storage.data_dir + "/outbox"; }
  bool is_https() const { return public_url_is_https(); }
  bool public_url_is_https() const { return server.public_url.rfind("https://", 0) == 0; }
};

// Loads `path` (empty: defaults only), then applies the environment.
// Returns the configuration and every problem found (parse or validation).
struct ConfigLoad {
  Config config;
  std::vector<std::string> problems;
};
ConfigLoad load_config(const std::string& path);
std::vector<std::string> validate(const Config& config);

// host:port split; false when malformed.
bool split_listen(const std::string& listen, std::string& host, std::uint16_t& port);

}  // namespace portier
