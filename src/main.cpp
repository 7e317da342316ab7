// portier: parse the command line, load the configuration, run one command.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "account/identifiers.h"
#include "admin/client_command.h"
#include "admin/db_copy_command.h"
#include "admin/federation_command.h"
#include "app/app.h"
#include "common/clock.h"
#include "http/beast_http_fetcher.h"
#include "http/server.h"
#include "notify/mime_message.h"

using namespace portier;

namespace {

// Loads the configuration or exits 2 listing every problem.
Config load_or_exit(const std::string& path) {
  auto loaded = load_config(path);
  if (!loaded.problems.empty()) {
    std::cerr << "portier: the configuration has " << loaded.problems.size() << " problem(s):\n";
    for (auto& p : loaded.problems) std::cerr << "  - " << p << "\n";
    std::exit(2);
  }
  return loaded.config;
}

const ClientInfo kCli{"cli", "portier command line"};

void print_account(const Account& a) {
  std::cout << "identifier:      " << a.identifier << "\n"
            << "name:            " << a.display_name << "\n"
            << "email:           " << a.email << "\n"
            << "phone:           " << a.phone.value_or("-") << "\n"
            << "code channel:    " << to_string(a.code_channel) << "\n"
            << "rpps:            " << a.rpps.value_or("-") << "\n"
            << "role:            " << to_string(a.role) << "\n"
            << "status:          " << to_string(a.status) << "\n"
            << "password:        "
            << (a.password_hash.empty() ? "none (awaiting first connection)"
                : a.password_is_temporary
                    ? "temporary, expires " + (a.password_expires_at ? format_utc(*a.password_expires_at) : "-")
                    : "set")
            << "\n"
            << "created:         " << format_utc(a.created_at) << "\n"
            << "last sign-in:    " << (a.last_sign_in_at ? format_utc(*a.last_sign_in_at) : "never") << "\n";
}

void print_lockout(const LockoutSummary& l) {
  std::cout << "sign-in lock:    "
            << (l.locked_until_reset ? "LOCKED until a password reset or `portier user unlock`"
                : l.unknown_browsers_suspended_until
                    ? "unknown browsers suspended until " + format_utc(*l.unknown_browsers_suspended_until)
                    : std::string("none"))
            << "\n"
            << "failures:        " << l.consecutive_failures << " consecutive"
            << (l.suspended_devices ? ", " + std::to_string(l.suspended_devices) + " known browser(s) suspended" : "")
            << "\n";
  for (auto& e : l.recent_failures)
    std::cout << "  failed sign-in " << format_utc(e.at) << " from " << e.ip << " (" << e.detail << ")\n";
}

int report(const Error& e, const std::string& what) {
  switch (e.code) {
    case ErrorCode::NotFound: std::cerr << "portier: no account " << what << "\n"; return 1;
    case ErrorCode::Conflict: std::cerr << "portier: identifier " << what << " is already taken\n"; return 1;
    case ErrorCode::InvalidInput: std::cerr << "portier: " << e.detail << "\n"; return 1;
    default: std::cerr << "portier: " << to_string(e.code) << ": " << e.detail << "\n"; return 3;
  }
}

// `portier mail test`: exit 0 and the server's words, 1 for a bad address,
// 4 when the message could not be delivered.
int mail_test_command(App& app, const std::string& to, const std::string& lang) {
  if (!is_plain_mail_address(to)) {
    std::cerr << "portier: '" << to << "' is not a plain email address\n";
    return 1;
  }
  auto m = app.composer().message("mail.test", lang, {}, MessageChannel::Email, to, std::nullopt, SystemClock().now());
  auto delivered = app.mailer().deliver(m);
  if (!delivered) {
    std::cerr << "portier: mail test failed (" << (delivered.error().code == ErrorCode::InvalidInput ? "refused" : "unavailable")
              << ", via " << app.mailer().describe() << "): " << delivered.error().detail << "\n";
    return 4;
  }
  std::cout << "OK: " << *delivered << " (via " << app.mailer().describe() << ")\n";
  return 0;
}

// `portier sms test`: exit 0 and the gateway's answer, 1 for a bad number,
// 4 when the SMS could not be sent. Straight to the sender, not the outbox.
int sms_test_command(App& app, const std::string& number, const std::string& country, const std::string& text) {
  auto to = normalize_phone(number, country);
  if (!to) {
    std::cerr << "portier: '" << number << "' is not a phone number (E.164 such as +33612345678)\n";
    return 1;
  }
  OutboundMessage m;
  m.channel = MessageChannel::Sms;
  m.recipient = *to;
  m.kind = "sms.test";
  m.body_text = text;
  auto delivered = app.mailer().deliver(m);
  if (!delivered) {
    std::cerr << "portier: sms test failed (" << (delivered.error().code == ErrorCode::InvalidInput ? "refused" : "unavailable")
              << ", via " << app.mailer().describe() << "): " << delivered.error().detail << "\n";
    return 4;
  }
  std::cout << "OK: " << *delivered << " (via " << app.mailer().describe() << ")\n";
  return 0;
}

// `portier mail list`: one tab-separated line per message.
int mail_list_command(App& app, int limit, const std::string& status) {
  auto wanted = parse_delivery_status(status);
  int shown = 0;
  // Filtered here, page by page: the outbox is small and this runs by hand.
  for (int offset = 0; shown < limit; offset += 500) {
    auto page = app.outbox().list(500, offset);
    if (!page) return report(page.error(), "");
    for (auto& m : *page) {
      if (wanted && m.status != *wanted) continue;
      std::cout << m.id << "\t" << format_utc(m.created_at) << "\t" << m.kind << "\t" << m.recipient << "\t"
                << to_string(m.status) << "\t" << m.attempts << "\t" << (m.last_error.empty() ? "-" : m.last_error)
                << "\n";
      if (++shown == limit) break;
    }
    if (page->size() < 500) break;
  }
  return 0;
}

// `portier mail retry`: the relay is back; send what waits now rather than
// after its back-off. Claims are atomic, so a running server's worker and
// this command never send one message twice.
int mail_retry_command(App& app) {
  auto due = app.outbox().retry_deferred(SystemClock().now());
  if (!due) return report(due.error(), "");
  int claimed = 0;
  for (int round; (round = app.outbox_worker().drain_once()) > 0;) claimed += round;
  std::cout << *due << " deferred message(s) made due; " << claimed << " sent or tried now\n";
  auto left = app.outbox().list(500, 0);
  int still = 0;
  if (left)
    for (auto& m : *left) still += m.status == DeliveryStatus::Deferred || m.status == DeliveryStatus::Queued;
  std::cout << still << " message(s) still waiting (see portier mail list)\n";
  return 0;
}

// `portier user import`: every bad line on stderr and exit 1 with nothing
// changed; otherwise the accounts are created and their invitations queued.
int import_command(App& app, const std::string& path, bool dry_run) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "portier: cannot read " << path << "\n";
    return 1;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto& import = app.account_import();
  auto done = dry_run ? import.check(text.str()) : import.apply(text.str(), std::nullopt, kCli);
  if (!done) return report(done.error(), "");
  if (!done->ok()) {
    for (auto& p : done->problems) std::cerr << path << ":" << p.line << ": " << p.message << "\n";
    std::cerr << "portier: " << done->problems.size() << " bad line(s); nothing was imported\n";
    return 1;
  }
  if (dry_run) {
    std::cout << "dry run: " << done->accounts.size() << " account(s) would be created; nothing was changed\n";
    return 0;
  }
  std::cout << "created " << done->accounts.size() << " account(s) (member, pending); " << done->invitations_queued
            << " invitation(s) queued\n";
  for (auto& id : done->invitation_failures)
    std::cerr << "portier: the invitation of " << id << " could not be queued; send it with `portier user invite " << id
              << "`\n";
  return done->invitation_failures.empty() ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"portier: authentication portal for health-professional networks"};
  cli.require_subcommand(1);
  // Subcommands created below inherit this: `portier serve --config x` works
  // as well as `portier --config x serve`.
  cli.fallthrough();
  std::string config_path;
  if (const char* env = std::getenv("PORTIER_CONFIG")) config_path = env;
  cli.add_option("-c,--config", config_path, "configuration file (TOML); env PORTIER_CONFIG")->check(CLI::ExistingFile);
  cli.set_version_flag("--version", PORTIER_VERSION);

  auto* serve = cli.add_subcommand("serve", "serve HTTP until SIGTERM");
  auto* migrate = cli.add_subcommand("migrate", "apply pending database migrations");

  auto* user = cli.add_subcommand("user", "manage accounts");
  user->require_subcommand(1);
  NewAccount na;
  std::string role_text = "member";
  bool password_stdin = false;
  auto* add = user->add_subcommand("add", "create an account");
  add->add_option("--identifier", na.identifier, "sign-in identifier")->required();
  add->add_option("--email", na.email, "email address")->required();
  add->add_option("--name", na.display_name, "display name");
  add->add_option("--phone", na.phone, "mobile number, E.164 (+33612345678)");
  add->add_option("--rpps", na.rpps, "RPPS number (11 digits)");
  add->add_option("--role", role_text, "member, support or admin")->check(CLI::IsMember({"member", "support", "admin"}));
  add->add_flag("--password-stdin", password_stdin, "read the password from standard input");

  int limit = 100, offset = 0;
  auto* list = user->add_subcommand("list", "list accounts");
  list->add_option("--limit", limit)->check(CLI::Range(1, 10000));
  list->add_option("--offset", offset)->check(CLI::NonNegativeNumber);

  std::string target;
  auto* show = user->add_subcommand("show", "show one account");
  auto* disable = user->add_subcommand("disable", "disable an account and end its sessions");
  auto* enable = user->add_subcommand("enable", "enable an account");
  auto* set_role = user->add_subcommand("set-role", "change an account's role");
  auto* temp = user->add_subcommand("temp-password", "issue a temporary password (printed once)");
  auto* unlock = user->add_subcommand("unlock", "lift every sign-in suspension and lock of an account");
  auto* reset_app = user->add_subcommand(
      "reset-app", "remove an account's authenticator app and recovery codes (lost both); the member is told by mail");
  std::string reset_reason;
  reset_app->add_option("--reason", reset_reason, "why (kept in the audit trail)");
  auto* invite = user->add_subcommand("invite", "send a pending account a new invitation (older ones stop working)");
  auto* end_sessions = user->add_subcommand("end-sessions", "sign an account out everywhere (every session ends)");
  std::string import_path;
  bool dry_run = false;
  auto* import = user->add_subcommand("import", "create pending members from a CSV file (identifier,email,name,mobile,rpps) and invite them");
  import->add_option("file", import_path, "CSV file, UTF-8, with a header line")->required();
  import->add_flag("--dry-run", dry_run, "check every line and report; change nothing");
  for (auto* c : {show, disable, enable, set_role, temp, unlock, reset_app, invite, end_sessions}) c->add_option("identifier", target, "account identifier")->required();
  std::string new_role;
  set_role->add_option("role", new_role, "member, support or admin")->required()->check(CLI::IsMember({"member", "support", "admin"}));

  auto* sessions = cli.add_subcommand("sessions", "every member's sessions");
  sessions->require_subcommand(1);
  auto* end_every = sessions->add_subcommand("end-all", "sign everybody out (after a suspected leak): every session of every account ends");

  auto* mail = cli.add_subcommand("mail", "outgoing mail and the outbox");
  mail->require_subcommand(1);
  std::string mail_to, mail_lang = "fr", mail_status;
  int mail_limit = 50;
  auto* mail_test = mail->add_subcommand("test", "send a test message now, through the configured relay (not the outbox)");
  mail_test->add_option("address", mail_to, "recipient")->required();
  mail_test->add_option("--lang", mail_lang, "fr or en")->check(CLI::IsMember({"fr", "en"}));
  auto* mail_list = mail->add_subcommand("list", "list the outbox, newest first");
  mail_list->add_option("--limit", mail_limit)->check(CLI::Range(1, 10000));
  mail_list->add_option("--status", mail_status, "queued, sent, deferred or failed")
      ->check(CLI::IsMember({"queued", "sent", "deferred", "failed"}));

  auto* mail_retry = mail->add_subcommand("retry", "send deferred messages now instead of after their back-off");

  auto* sms = cli.add_subcommand("sms", "outgoing SMS");
  sms->require_subcommand(1);
  std::string sms_to, sms_text = "portier : SMS de test / test SMS";
  auto* sms_test = sms->add_subcommand("test", "send a test SMS now, through the configured gateway (not the outbox)");
  sms_test->add_option("number", sms_to, "recipient, E.164 (+33612345678)")->required();
  sms_test->add_option("--text", sms_text, "the message");

  ClientCommand client_cmd(cli);
  FederationCommand federation_cmd(cli);

  auto* db = cli.add_subcommand("db", "the database itself");
  db->require_subcommand(1);
  DbCopyArgs copy_args;
  auto* db_copy = db->add_subcommand("copy", "copy an SQLite database into an empty PostgreSQL one, verified");
  // Not required() here: db_copy_command says what is missing and exits 2.
  db_copy->add_option("--from", copy_args.from, "sqlite:PATH (the SQLite file, read-only)");
  db_copy->add_option("--to", copy_args.to,
                      "postgres:DSN or postgresql://… (default: PORTIER_DATABASE_URL, else storage.postgres_url of --config)");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = cli.exit(e);
    // `db copy` documents 2 for every usage error (CLI11's own codes are 1xx).
    // So does `client` (usage and registration problems alike).
    return code != 0 && (db->parsed() || client_cmd.parsed() || federation_cmd.parsed()) ? 2 : code;
  }

  // Names both databases itself: no configuration file to load.
  if (db_copy->parsed()) {
    // Without --to, the target is the configured one: PORTIER_DATABASE_URL
    // (read by db_copy_command), else storage.postgres_url of --config.
    const char* url = std::getenv("PORTIER_DATABASE_URL");
    if (copy_args.to.empty() && !(url && *url) && !config_path.empty()) {
      Config configured = load_or_exit(config_path);
      if (configured.storage.backend == "postgres") copy_args.to = "postgres:" + configured.storage.postgres_url;
    }
    return db_copy_command(copy_args, std::cout, std::cerr);
  }

  bool serving = serve->parsed();
  spdlog::set_level(spdlog::level::warn);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  Config config = load_or_exit(config_path);
  if (serving) spdlog::set_level(spdlog::level::from_str(config.log.level));
  if (serving) {
    // Certificates, keys, CA bundles and CRLs as configuration: a key that
    // is not its certificate's is exit 2 (not retried), like a typo.
    auto problems = http::Server::check_listeners(config.server);
    if (!problems.empty()) {
      std::cerr << "portier: the listeners' files have " << problems.size() << " problem(s):\n";
      for (auto& p : problems) std::cerr << "  - " << p << "\n";
      return 2;
    }
  }

  // Needs only the configuration: an operator checks a provider before any database exists.
  if (federation_cmd.parsed()) {
    http::BeastHttpFetcher fetcher;
    return federation_cmd.run(config, fetcher, std::cin, std::cout, std::cerr);
  }

  try {
    App app(config, !migrate->parsed());
    if (serving) return app.serve();
    if (migrate->parsed()) {
      std::cout << "applied " << app.migrate() << " migration(s)\n";
      return 0;
    }
    if (client_cmd.parsed()) return client_cmd.run(app.client_admin(), std::cout, std::cerr);
    if (mail_test->parsed()) return mail_test_command(app, mail_to, mail_lang);
    if (mail_list->parsed()) return mail_list_command(app, mail_limit, mail_status);
    if (mail_retry->parsed()) return mail_retry_command(app);
    if (sms_test->parsed()) return sms_test_command(app, sms_to, config.portal.phone_default_country, sms_text);
    auto& admin = app.admin();
    if (add->parsed()) {
      na.role = *parse_role(role_text);
      if (password_stdin) {
        std::string pw;
        std::getline(std::cin, pw);
        if (!pw.empty() && pw.back() == '\r') pw.pop_back();
        na.password = pw;
      }
      auto created = admin.add(na, std::nullopt, kCli);
      if (!created) return report(created.error(), na.identifier);
      std::cout << "created " << created->identifier << " (" << to_string(created->role) << ", "
                << to_string(created->status) << ")\n";
      if (created->status == AccountStatus::Pending) {
        // Without a password the account waits for its member: invite them,
        // in the portal's language (the member's is not known yet).
        auto sent = app.activation().invite(*created, config.portal.default_language, std::nullopt, kCli);
        if (!sent) return report(sent.error(), na.identifier);
        std::cout << "invitation queued for " << created->email << ", valid until " << format_utc(sent->expires_at)
                  << "\n";
      }
      return 0;
    }
    if (invite->parsed()) {
      auto a = admin.find(target);
      if (!a) return report(a.error(), target);
      auto sent = app.activation().invite(*a, config.portal.default_language, std::nullopt, kCli);
      if (!sent && sent.error().code == ErrorCode::FlowStateInvalid) {
        std::cerr << "portier: " << target << " is " << to_string(a->status) << ", not pending: no invitation to send\n";
        return 1;
      }
      if (!sent) return report(sent.error(), target);
      std::cout << "invitation queued for " << a->email << ", valid until " << format_utc(sent->expires_at) << "\n";
      return 0;
    }
    if (import->parsed()) return import_command(app, import_path, dry_run);
    if (list->parsed()) {
      auto all = admin.list(limit, offset);
      if (!all) return report(all.error(), "");
      for (auto& a : *all)
        std::cout << a.identifier << "\t" << to_string(a.role) << "\t" << to_string(a.status) << "\t" << a.email
                  << "\t" << a.display_name << "\n";
      return 0;
    }
    if (show->parsed()) {
      auto a = admin.find(target);
      if (!a) return report(a.error(), target);
      print_account(*a);
      auto lock = app.lockout_admin().summary(target);
      if (!lock) return report(lock.error(), target);
      print_lockout(*lock);
      return 0;
    }
    if (end_sessions->parsed()) {
      auto n = admin.end_sessions(target, std::nullopt, kCli);
      if (!n) return report(n.error(), target);
      std::cout << "ended " << *n << " session(s) of " << target << "\n";
      return 0;
    }
    if (end_every->parsed()) {
      auto n = admin.end_every_session(std::nullopt, kCli);
      if (!n) return report(n.error(), "");
      std::cout << "ended " << *n << " session(s)\n";
      return 0;
    }
    if (unlock->parsed()) {
      auto n = app.lockout_admin().unlock(target, std::nullopt, kCli);
      if (!n) return report(n.error(), target);
      std::cout << "unlocked " << target << " (" << *n << " counter(s) cleared)\n";
      return 0;
    }
    if (reset_app->parsed()) {
      // The operator's path, administrators included: support agents act
      // only below their own rank, so no one in the console can help an
      // administrator who lost both the app and the recovery codes.
      auto a = admin.find(target);
      if (!a) return report(a.error(), target);
      auto removed = app.app_settings().reset(*a, std::nullopt, reset_reason.empty() ? "command line" : reset_reason, kCli);
      if (!removed) return report(removed.error(), target);
      std::cout << (*removed ? "removed the authenticator app of " : "no authenticator app for ") << target
                << (*removed ? " (the member was told by mail)" : "") << "\n";
      return 0;
    }
    if (disable->parsed() || enable->parsed()) {
      auto a = admin.set_status(target, disable->parsed() ? AccountStatus::Disabled : AccountStatus::Active,
                                std::nullopt, kCli);
      if (!a) return report(a.error(), target);
      std::cout << a->identifier << " is now " << to_string(a->status) << "\n";
      return 0;
    }
    if (set_role->parsed()) {
      auto a = admin.set_role(target, *parse_role(new_role), std::nullopt, kCli);
      if (!a) return report(a.error(), target);
      std::cout << a->identifier << " is now " << to_string(a->role) << "\n";
      return 0;
    }
    if (temp->parsed()) {
      auto t = admin.issue_temporary_password(target, std::nullopt, kCli);
      if (!t) return report(t.error(), target);
      std::cout << "temporary password for " << target << ": " << t->password << "\n"
                << "valid until " << format_utc(t->expires_at) << "; it must be changed at the next sign-in.\n";
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "portier: " << e.what() << "\n";
    return 3;
  }
  return 0;
}
