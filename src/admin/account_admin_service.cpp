#include "admin/account_admin_service.h"

#include "account/identifiers.h"
#include "common/encoding.h"
#include "flow/sign_in/sign_in_service.h"

namespace portier {

AccountAdminService::AccountAdminService(AccountStore& accounts, SessionService& sessions,
                                         const PasswordHasher& hasher, const PasswordPolicy& policy, AuditLog& audit,
                                         Random& random, const Clock& clock, AdminSettings settings)
    : accounts_(accounts),
      sessions_(sessions),
      hasher_(hasher),
      policy_(policy),
      audit_(audit),
      random_(random),
      clock_(clock),
      settings_(std::move(settings)) {}

Result<Account> AccountAdminService::add(const NewAccount& in, std::optional<AccountId> actor,
                                         const ClientInfo& client) {
  std::vector<std::string> problems;
  Account a;
  if (auto id = normalize_identifier(in.identifier)) a.identifier = *id;
  else problems.push_back("identifier: 3 to 64 characters among letters, digits and . _ - @");
  if (auto email = normalize_email(in.email)) a.email = *email;
  else problems.push_back("email: not a valid address");
  a.display_name = std::string(trim(in.display_name));
  if (a.display_name.empty()) a.display_name = a.identifier;
  if (a.display_name.size() > 120 || !is_valid_utf8(a.display_name)) problems.push_back("name: at most 120 characters of UTF-8");
  if (!trim(in.phone).empty()) {
    if (auto phone = normalize_phone(in.phone, settings_.phone_default_country)) a.phone = *phone;
    else problems.push_back("phone: expected an E.164 number such as +33612345678");
  }
  if (!trim(in.rpps).empty()) {
    if (auto rpps = normalize_rpps(in.rpps)) a.rpps = *rpps;
    else problems.push_back("rpps: expected 11 digits");
  }
  a.role = in.role;
  a.status = AccountStatus::Pending;
  if (in.password && problems.empty()) {
    auto checked = policy_.check(*in.password, password_context(a, settings_.portal_name));
    if (!checked) {
      problems.push_back(std::string("password: refused (") + to_string(checked.error()) + ")");
    } else {
      auto hash = hasher_.hash(*checked);
      if (!hash) return tl::unexpected(hash.error());
      a.password_hash = *hash;
      a.status = AccountStatus::Active;
    }
  }
  if (!problems.empty()) {
    std::string detail;
    for (auto& p : problems) detail += (detail.empty() ? "" : "; ") + p;
    return fail(ErrorCode::InvalidInput, detail);
  }
  auto created = accounts_.create(a);
  if (!created) return created;
  audit_.record("admin.user.add", actor, created->id, client, std::string("role=") + to_string(a.role));
  return created;
}

Result<Account> AccountAdminService::find(std::string_view identifier) {
  auto id = normalize_identifier(identifier);
  if (!id) return fail(ErrorCode::NotFound);
  return accounts_.find_by_identifier(*id);
}

Result<std::vector<Account>> AccountAdminService::list(int limit, int offset) { return accounts_.list(limit, offset); }

namespace {
std::string with_reason(std::string detail, std::string_view reason) {
  if (reason.empty()) return detail;
  return detail + (detail.empty() ? "" : "; ") + "reason: " + std::string(reason);
}
}  // namespace

Result<void> AccountAdminService::keep_an_admin(const Account& a, Role role, AccountStatus status) {
  // Without an active administrator nobody could manage staff roles again
  // but through the command line on the server: refuse the last one's demotion or disabling.
  if (a.role != Role::Admin || a.status != AccountStatus::Active) return {};
  if (role == Role::Admin && status == AccountStatus::Active) return {};
  auto admins = accounts_.count_active_with_role(Role::Admin);
  if (!admins) return tl::unexpected(admins.error());
  if (*admins <= 1) return fail(ErrorCode::InvalidInput, "the last active administrator must stay one");
  return {};
}

Result<Account> AccountAdminService::set_status(std::string_view identifier, AccountStatus status,
                                                std::optional<AccountId> actor, const ClientInfo& client,
                                                std::string_view reason) {
  auto a = find(identifier);
  if (!a) return a;
  if (auto kept = keep_an_admin(*a, a->role, status); !kept) return tl::unexpected(kept.error());
  if (auto r = accounts_.set_status(a->id, status); !r) return tl::unexpected(r.error());
  if (status == AccountStatus::Disabled) (void)sessions_.end_all(a->id, {});
  audit_.record(status == AccountStatus::Disabled ? "admin.user.disable" : "admin.user.enable", actor, a->id, client,
                with_reason({}, reason));
  a->status = status;
  return a;
}

Result<int> AccountAdminService::end_sessions(std::string_view identifier, std::optional<AccountId> actor,
                                             const ClientInfo& client, std::string_view reason) {
  auto a = find(identifier);
  if (!a) return tl::unexpected(a.error());
  auto n = sessions_.end_all(a->id, {});
  if (!n) return n;
  audit_.record("admin.user.end_sessions", actor, a->id, client, with_reason(std::to_string(*n) + " ended", reason));
  return n;
}

Result<int> AccountAdminService::end_every_session(std::optional<AccountId> actor, const ClientInfo& client) {
  auto n = sessions_.end_every_session();
  if (!n) return n;
  audit_.record("admin.sessions.end_every", actor, std::nullopt, client, std::to_string(*n) + " ended");
  return n;
}

Result<Account> AccountAdminService::set_role(std::string_view identifier, Role role, std::optional<AccountId> actor,
                                              const ClientInfo& client, std::string_view reason) {
  auto a = find(identifier);
  if (!a) return a;
  if (auto kept = keep_an_admin(*a, role, a->status); !kept) return tl::unexpected(kept.error());
  if (auto r = accounts_.set_role(a->id, role); !r) return tl::unexpected(r.error());
  audit_.record("admin.user.set_role", actor, a->id, client,
                with_reason(std::string(to_string(a->role)) + " -> " + to_string(role), reason));
  a->role = role;
  return a;
}

Result<TemporaryPassword> AccountAdminService::issue_temporary_password(std::string_view identifier,
                                                                        std::optional<AccountId> actor,
                                                                        const ClientInfo& client,
                                                                        std::string_view reason) {
  auto a = find(identifier);
  if (!a) return tl::unexpected(a.error());
  TemporaryPassword out;
  out.password = make_temporary_password(random_);
  out.expires_at = clock_.now() + settings_.temporary_password_lifetime;
  auto hash = hasher_.hash(out.password);
  if (!hash) return tl::unexpected(hash.error());
  if (auto r = accounts_.set_password(a->id, *hash, out.expires_at); !r) return tl::unexpected(r.error());
  // A pending account becomes usable: the temporary password is its first credential.
  if (a->status == AccountStatus::Pending) (void)accounts_.set_status(a->id, AccountStatus::Active);
  (void)sessions_.end_all(a->id, {});
  audit_.record("admin.user.temp_password", actor, a->id, client,
                with_reason("expires " + format_utc(out.expires_at), reason));
  return out;
}

}  // namespace portier
