#pragma once
// The composition root: builds every concrete type from the configuration.
// Nothing else in portier names SQLite, Beast or libsodium implementations.
#include <memory>

#include "admin/account_admin_service.h"
#include "admin/account_import.h"
#include "admin/client_admin_service.h"
#include "flow/activation/activation_service.h"
#include "admin/lockout_admin_service.h"
#include "config/config.h"
#include "flow/setup/setup_service.h"
#include "flow/settings/app_settings_service.h"
#include "notify/mailer.h"
#include "notify/message_composer.h"
#include "notify/outbox_store.h"
#include "notify/outbox_worker.h"

namespace portier {

class App {
public:
  // Opens (and migrates) the database, loads or creates the server key and
  // wires the services. Throws std::runtime_error with a readable message
  // when something needed cannot be had.
  explicit App(Config config, bool migrate = true);
  ~App();

  // Serves until SIGTERM/SIGINT; returns the process exit code.
  int serve();
  // Applies pending migrations; returns how many ran.
  int migrate();

  AccountAdminService& admin();
  // The authenticator app: `portier user reset-app` (an administrator who
  // lost app and recovery codes has no one above them in the console).
  AppSettingsService& app_settings();
  LockoutAdminService& lockout_admin();
  SetupService& setup();
  ActivationService& activation();
  AccountImport& account_import();
  // Registered OIDC clients (`portier client …`, the console's Applications).
  oidc::ClientStore& clients();
  ClientAdminService& client_admin();
  // The outbox: services enqueue here (or through insert_outbox_message in
  // their own transaction), then call outbox_worker().wake().
  OutboxStore& outbox();
  MessageComposer& composer();
  OutboxWorker& outbox_worker();
  // The configured transport (SMTP, or files under <data_dir>/outbox), for
  // `portier mail test`, which bypasses the queue.
  Mailer& mailer();
  const Config& config() const;

private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

// Reads the 32-byte server key (hex) from `path`, creating it (mode 0600)
// when absent. Throws on an unreadable or malformed file.
std::string load_or_create_server_key(const std::string& path);

}  // namespace portier
