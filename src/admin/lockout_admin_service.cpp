#include "admin/lockout_admin_service.h"

#include "account/identifiers.h"

namespace portier {

namespace {

Result<Account> find(AccountStore& accounts, std::string_view identifier) {
  auto id = normalize_identifier(identifier);
  if (!id) return fail(ErrorCode::NotFound, "no such account");
  return accounts.find_by_identifier(*id);
}

}  // namespace

Result<LockoutSummary> LockoutAdminService::summary(std::string_view identifier) {
  auto account = find(accounts_, identifier);
  if (!account) return tl::unexpected(account.error());
  auto states = lockouts_.for_account(account->id);
  if (!states) return tl::unexpected(states.error());
  auto now = clock_.now();
  LockoutSummary out;
  for (auto& s : *states) {
    bool active = s.locked_until && *s.locked_until > now;
    if (s.key.rfind("pw:total:", 0) == 0) {
      out.consecutive_failures = s.failures;
      out.locked_until_reset = s.until_reset;
    } else if (s.key.rfind("pw:untrusted:", 0) == 0 && active) {
      out.unknown_browsers_suspended_until = s.locked_until;
    } else if (s.key.rfind("pw:device:", 0) == 0 && active) {
      ++out.suspended_devices;
    } else if (s.key.rfind("code:total:", 0) == 0) {
      out.second_step_failures = s.failures;
      out.second_step_locked = s.until_reset;
    } else if (s.key.rfind("code:account:", 0) == 0 && active) {
      out.second_step_suspended_until = s.locked_until;
    }
  }
  if (auto events = audit_.recent_for_account(account->id, 50))
    for (auto& e : *events)
      if (e.event == "sign_in.failure" && out.recent_failures.size() < 10) out.recent_failures.push_back(e);
  return out;
}

Result<int> LockoutAdminService::unlock(std::string_view identifier, std::optional<AccountId> actor,
                                        const ClientInfo& client, std::string_view reason) {
  auto account = find(accounts_, identifier);
  if (!account) return tl::unexpected(account.error());
  auto cleared = lockouts_.clear_account(account->id);
  if (!cleared) return tl::unexpected(cleared.error());
  audit_.record("admin.user.unlock", actor, account->id, client, 
                std::to_string(*cleared) + " counter(s) cleared" +
                    (reason.empty() ? std::string() : "; reason: " + std::string(reason)));
  return *cleared;
}

}  // namespace portier
