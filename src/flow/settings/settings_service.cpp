#include "flow/settings/settings_service.h"
#include "flow/password_choice.h"

#include "account/identifiers.h"
#include "common/encoding.h"
#include "flow/sign_in/sign_in_service.h"

namespace portier {

std::optional<SettingsOutcome> unless_passed(const ReauthOutcome& outcome, const std::string& password_field,
                                             const std::string& code_field) {
  if (std::holds_alternative<ReauthPassed>(outcome)) return std::nullopt;
  if (std::holds_alternative<ReauthLockedOut>(outcome)) return ReauthLockedOut{};
  auto& refused = std::get<ReauthRefused>(outcome);
  FieldErrors errors;
  if (!refused.password_problem.empty()) errors[password_field] = refused.password_problem;
  if (!refused.app_code_problem.empty()) errors[code_field.empty() ? password_field : code_field] = refused.app_code_problem;
  return Invalid{std::move(errors)};
}

SettingsService::SettingsService(AccountStore& accounts, SessionService& sessions, const PasswordHasher& hasher,
                                 const PasswordPolicy& policy, Reauthentication& reauth, AuditLog& audit,
                                 std::string portal_name, std::string phone_default_country,
                                 std::function<void(const Account&)> on_password_changed)
    : accounts_(accounts),
      sessions_(sessions),
      hasher_(hasher),
      policy_(policy),
      reauth_(reauth),
      audit_(audit),
      portal_name_(std::move(portal_name)),
      phone_default_country_(std::move(phone_default_country)),
      on_password_changed_(std::move(on_password_changed)) {}

Result<SettingsOutcome> SettingsService::update_profile(AccountId id, const ProfileInput& input,
                                                        const ClientInfo& client) {
  auto account = accounts_.find_by_id(id);
  if (!account) return tl::unexpected(account.error());
  FieldErrors errors;
  Account next = *account;

  auto name = std::string(trim(input.display_name));
  if (name.empty()) errors["display_name"] = "required";
  else if (name.size() > 120 || !is_valid_utf8(name)) errors["display_name"] = "invalid_name";
  else next.display_name = name;


  if (!errors.empty()) return Invalid{std::move(errors)};

  std::string changed;
  auto note = [&](bool differs, const char* field) {
    if (differs) changed += (changed.empty() ? "" : ",") + std::string(field);
  };
  note(next.display_name != account->display_name, "display_name");
  if (changed.empty()) return Saved{};
  if (auto r = accounts_.update_profile(next); !r) return tl::unexpected(r.error());
  audit_.record("profile.update", id, id, client, changed);
  return Saved{};
}

Result<SettingsOutcome> SettingsService::change_password(AccountId id, std::string_view current, std::string_view next,
                                                         std::string_view confirmation,
                                                         std::string_view current_session_token,
                                                         const ClientInfo& client) {
  auto account = accounts_.find_by_id(id);
  if (!account) return tl::unexpected(account.error());
  auto checked_current = reauth_.check(*account, {current}, ReauthFactor::PasswordOnly, "password_change", client);
  if (!checked_current) return tl::unexpected(checked_current.error());
  if (auto stop = unless_passed(*checked_current, "current_password")) return *stop;
  auto normalized_current = normalize_password(current);
  auto choice = choose_password(policy_, next, confirmation, password_context(*account, portal_name_));
  if (!choice.ok()) return Invalid{choice.fields()};
  auto checked = choice.normalized;
  if (*checked == *normalized_current) return Invalid{{{"new_password", "same_as_current"}}};
  auto hash = hasher_.hash(*checked);
  if (!hash) return tl::unexpected(hash.error());
  if (auto r = accounts_.set_password(id, *hash, std::nullopt); !r) return tl::unexpected(r.error());
  auto ended = sessions_.end_all(id, current_session_token);
  audit_.record("password.change", id, id, client,
                "other sessions ended: " + std::to_string(ended ? *ended : 0));
  if (on_password_changed_) on_password_changed_(*account);
  return Saved{};
}

}  // namespace portier
