#pragma once
// Everything the page handlers may call, wired by app/. Handlers take what
// they need from here and nothing else.
#include <functional>

#include "account/account_store.h"
#include "assistance/assistance_service.h"
#include "audit/audit_log.h"
#include "common/metrics.h"
#include "common/secret_hasher.h"
#include "config/config.h"
#include "credential/password_hasher.h"
#include "credential/totp_service.h"
#include "admin/account_import.h"
#include "admin/client_admin_service.h"
#include "admin/support_service.h"
#include "flow/activation/activation_service.h"
#include "flow/card/card_sign_in_service.h"
#include "flow/federation/federated_sign_in_service.h"
#include "flow/federation/federated_account_creation_service.h"
#include "flow/federation/federated_logout_service.h"
#include "flow/email_change/email_change_service.h"
#include "flow/identifier_reminder/identifier_reminder_service.h"
#include "flow/recovery/recovery_service.h"
#include "flow/second_step/second_step_service.h"
#include "flow/settings/code_settings_service.h"
#include "flow/settings/settings_service.h"
#include "flow/setup/setup_service.h"
#include "flow/sign_in/sign_in_service.h"
#include "robot/robot_check.h"
#include "session/reauthentication.h"
#include "flow/settings/app_settings_service.h"
#include "session/session_service.h"
#include "throttle/client_throttle.h"
#include "web/view.h"

namespace portier::oidc {
class KeyRing;
class ClientStore;
class LogoutService;
class TokenService;
class ClientAuthenticator;
class AuthorizationService;
class CodeIssuer;
}

namespace portier::web {

struct WebServices {
  const Config& config;
  const View& view;
  SessionService& sessions;
  SignInService& sign_in;
  SettingsService& settings;
  SetupService& setup;
  AccountStore& accounts;
  AuditLog& audit;
  Metrics& metrics;
  const SecretHasher& secrets;
  Random& random;
  const Clock& clock;
  RobotCheck& robot;
  RecoveryService& recovery;
  IdentifierReminderService& reminder;
  ClientThrottle& client_throttle;
  SecondStepService& second_step;
  CodeSettingsService& code_settings;
  TotpService& totp;
  const PasswordHasher& hasher;  // re-authentication before sensitive changes in Mon espace
  std::function<Result<void>()> database_ping;
  // Set by app/ after the positional initialisation above (kept out of it so
  // that services added by parallel work do not shift each other).
  ActivationService* activation = nullptr;
  AccountImport* account_import = nullptr;  // for the support console's import page
  SupportService* support = nullptr;  // the support console (/support), wired by app/
  AssistanceService* assistance = nullptr;  // assistance requests (/assistance, /support/demandes)
  Reauthentication* reauth = nullptr;
  AppSettingsService* app_settings = nullptr;  // Mon espace's authenticator app (flow/settings/app_settings_service.h)
  EmailChangeService* email_change = nullptr;  // /mon-espace/courriel and /changement-courriel/...
  oidc::ClientStore* clients = nullptr;  // registered OIDC clients (always wired by app/)
  ClientAdminService* client_admin = nullptr;  // the console's /support/applications
  oidc::KeyRing* key_ring = nullptr;  // the OIDC provider's signing keys, when oidc.enabled (/.well-known/jwks.json)
  oidc::LogoutService* logout = nullptr;  // applications each session used, back-channel logout (when oidc.enabled)
  // The OIDC provider's token side (web/oidc_token_*.cpp) and the client
  // authentication the router runs for Access::OAuthClient; null while
  // oidc.enabled is false (the endpoints then answer 404).
  oidc::TokenService* oidc_tokens = nullptr;
  oidc::ClientAuthenticator* oidc_client_auth = nullptr;
  oidc::AuthorizationService* authorization = nullptr;  // /authorize and its pages, when oidc.enabled
  oidc::CodeIssuer* code_issuer = nullptr;               // authorization codes (the token side)
  CardSignInService* card = nullptr;  // the smart-card sign-in (web/card_pages.cpp), when card.enabled
  FederatedSignInService* federation = nullptr;  // sign-in through [[federation.providers]] (web/federation_pages.cpp)
  // Accounts created from PSC's claims (web/federation_account_pages.cpp), for providers with create_accounts.
  FederatedAccountCreationService* federated_accounts = nullptr;
  // Signing out at the provider too (web/federation_logout_pages.cpp); null without a session store.
  FederatedLogoutService* federation_logout = nullptr;
};

}  // namespace portier::web
