#include "flow/setup/setup_service.h"
#include "flow/password_choice.h"

#include "account/identifiers.h"
#include "flow/sign_in/sign_in_service.h"

namespace portier {

namespace {
const char* kAwaiting = "awaiting_administrator";
const char* kCompleted = "completed";
}  // namespace

SetupService::SetupService(AccountStore& accounts, FlowStore& flows, AccountAdminService& admin,
                           const PasswordPolicy& policy, AuditLog& audit, const SecretHasher& secrets, Random& random,
                           const Clock& clock, std::chrono::seconds link_lifetime, std::string portal_name)
    : accounts_(accounts),
      flows_(flows),
      admin_(admin),
      policy_(policy),
      audit_(audit),
      secrets_(secrets),
      random_(random),
      clock_(clock),
      link_lifetime_(link_lifetime),
      portal_name_(std::move(portal_name)) {}

Result<bool> SetupService::needs_setup() {
  auto n = accounts_.count_active_with_role(Role::Admin);
  if (!n) return tl::unexpected(n.error());
  return *n == 0;
}

Result<std::string> SetupService::issue_link() {
  if (auto r = flows_.delete_kind(FlowKind::Setup); !r) return tl::unexpected(r.error());
  auto token = random_.token(32);
  FlowEnvelope flow;
  flow.id_hash = secrets_.digest("setup", token);
  flow.kind = FlowKind::Setup;
  flow.state = kAwaiting;
  flow.created_at = clock_.now();
  flow.expires_at = flow.created_at + link_lifetime_;
  if (auto r = flows_.create(flow); !r) return tl::unexpected(r.error());
  return token;
}

Result<FlowEnvelope> SetupService::check(std::string_view token) {
  if (token.empty() || token.size() > 128) return fail(ErrorCode::NotFound);
  auto flow = flows_.find(FlowKind::Setup, secrets_.digest("setup", token));
  if (!flow) return flow;
  if (flow->is_expired(clock_.now())) return fail(ErrorCode::Expired);
  if (flow->state != kAwaiting) return fail(ErrorCode::FlowStateInvalid);
  auto needed = needs_setup();
  if (!needed) return tl::unexpected(needed.error());
  if (!*needed) return fail(ErrorCode::FlowStateInvalid, "an administrator exists already");
  return flow;
}

Result<SetupOutcome> SetupService::complete(std::string_view token, const SetupInput& in, const ClientInfo& client) {
  auto flow = check(token);
  if (!flow) return tl::unexpected(flow.error());

  FieldErrors errors;
  auto id = normalize_identifier(in.identifier);
  if (!id) errors["identifier"] = in.identifier.empty() ? "required" : "invalid_identifier";
  else if (accounts_.find_by_identifier(*id)) errors["identifier"] = "taken";
  auto email = normalize_email(in.email);
  if (!email) errors["email"] = in.email.empty() ? "required" : "invalid_email";
  if (errors.empty()) {
    Account probe;
    probe.identifier = *id;
    probe.email = *email;
    probe.display_name = in.display_name;
    for (auto& [field, problem] :
         choose_password(policy_, in.password, in.confirmation, password_context(probe, portal_name_)).fields("password"))
      errors[field] = problem;
  }
  if (!errors.empty()) return Invalid{std::move(errors)};

  // Burn the link before creating the account: a second submission of the
  // same link fails here instead of creating a second administrator.
  FlowEnvelope done = *flow;
  done.state = kCompleted;
  if (auto r = flows_.transition(done, kAwaiting); !r) return tl::unexpected(r.error());
  NewAccount na{*id, *email, in.display_name, "", "", Role::Admin, in.password};
  auto created = admin_.add(na, std::nullopt, client);
  if (!created) return tl::unexpected(created.error());
  audit_.record("setup.administrator_created", created->id, created->id, client);
  return SetupDone{*created};
}

}  // namespace portier
