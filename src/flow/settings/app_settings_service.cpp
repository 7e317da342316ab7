#include "flow/settings/app_settings_service.h"

#include <spdlog/spdlog.h>

#include "common/time_format.h"

namespace portier {

AppSettingsService::AppSettingsService(TotpService& totp, Reauthentication& reauth, OutboxStore& outbox,
                                       const MessageComposer& composer, AuditLog& audit, const Clock& clock,
                                       std::function<void()> wake_outbox, AppSettings settings)
    : totp_(totp),
      reauth_(reauth),
      outbox_(outbox),
      composer_(composer),
      audit_(audit),
      clock_(clock),
      wake_outbox_(std::move(wake_outbox)),
      settings_(std::move(settings)) {}

Result<TotpEnrolment> AppSettingsService::new_key(const Account& account) { return totp_.start_enrolment(account); }

Result<TotpEnrolment> AppSettingsService::pending(const Account& account) {
  auto p = totp_.pending_enrolment(account);
  // No row at all is "nothing pending" too.
  if (!p && p.error().code == ErrorCode::NotFound) return fail(ErrorCode::NotFound, "no enrolment pending");
  return p;
}

Result<AppOutcome> AppSettingsService::confirm(const Account& account, std::string_view new_app_code,
                                               ReauthProof proof, const ClientInfo& client) {
  auto was = totp_.is_enrolled(account.id);
  if (!was) return tl::unexpected(was.error());
  // Nothing pending: say so before asking for (and spending) anything.
  if (auto p = pending(account); !p) return tl::unexpected(p.error());
  auto checked = reauth_.check(account, proof, ReauthFactor::AppIfEnrolled, *was ? "totp_replacement" : "totp_enrolment",
                               client);
  if (!checked) return tl::unexpected(checked.error());
  if (auto* refused = std::get_if<ReauthRefused>(&*checked)) return *refused;
  if (std::holds_alternative<ReauthLockedOut>(*checked)) return ReauthLockedOut{};
  auto confirmed = totp_.confirm_enrolment(account.id, new_app_code);
  if (!confirmed) return tl::unexpected(confirmed.error());
  if (!*confirmed) return AppCodeWrong{};
  audit_.record(*was ? "totp.replaced" : "totp.enrolled", account.id, account.id, client);
  tell(account, *was ? "replaced" : "enrolled");
  return AppChanged{std::move(**confirmed), *was};
}

Result<AppOutcome> AppSettingsService::regenerate_codes(const Account& account, ReauthProof proof,
                                                        const ClientInfo& client) {
  auto checked = reauth_.check(account, proof, ReauthFactor::AppIfEnrolled, "totp_recovery_codes", client);
  if (!checked) return tl::unexpected(checked.error());
  if (auto* refused = std::get_if<ReauthRefused>(&*checked)) return *refused;
  if (std::holds_alternative<ReauthLockedOut>(*checked)) return ReauthLockedOut{};
  auto codes = totp_.regenerate_recovery_codes(account.id);
  if (!codes) return tl::unexpected(codes.error());
  audit_.record("totp.recovery_codes_regenerated", account.id, account.id, client);
  tell(account, "codes");
  return AppChanged{std::move(*codes), false};
}

Result<AppOutcome> AppSettingsService::remove(const Account& account, ReauthProof proof, const ClientInfo& client) {
  auto checked = reauth_.check(account, proof, ReauthFactor::AppIfEnrolled, "totp_removal", client);
  if (!checked) return tl::unexpected(checked.error());
  if (auto* refused = std::get_if<ReauthRefused>(&*checked)) return *refused;
  if (std::holds_alternative<ReauthLockedOut>(*checked)) return ReauthLockedOut{};
  if (auto r = totp_.remove(account.id); !r) return tl::unexpected(r.error());
  audit_.record("totp.removed", account.id, account.id, client);
  tell(account, "removed");
  return AppChanged{};
}

Result<bool> AppSettingsService::reset(const Account& account, std::optional<AccountId> actor, std::string_view reason,
                                       const ClientInfo& client) {
  auto was = totp_.is_enrolled(account.id);
  if (!was) return tl::unexpected(was.error());
  if (auto r = totp_.remove(account.id); !r) return tl::unexpected(r.error());
  audit_.record("totp.reset", actor, account.id, client,
                std::string(*was ? "app removed" : "no app enrolled") +
                    (reason.empty() ? std::string() : "; reason: " + std::string(reason)));
  if (*was) tell(account, "reset");
  return *was;
}

void AppSettingsService::tell(const Account& account, const char* what) {
  const auto& lang = settings_.default_language;
  auto now = clock_.now();
  boost::json::object params{{"display_name", account.display_name},
                             {"identifier", account.identifier},
                             {"when", format_local_time(now, lang)},
                             {"recovery", settings_.public_url + "/mot-de-passe-oublie"},
                             {"assistance", settings_.public_url + "/assistance"}};
  params[what] = true;
  auto m = composer_.message("factors.app_changed", lang, std::move(params), MessageChannel::Email, account.email,
                             account.id, now);
  // The change is made: a notice that cannot be queued is logged, not undone.
  if (auto queued = outbox_.enqueue(m); !queued)
    spdlog::error("cannot queue the authenticator-app notice for account {}: {}", account.id, queued.error().detail);
  else if (wake_outbox_)
    wake_outbox_();
}

}  // namespace portier
