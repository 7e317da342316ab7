#include "flow/federation/federated_account_creation_service.h"

#include <boost/json.hpp>

#include "account/identifiers.h"
#include "admin/import_lines.h"
#include "card/cps_identity.h"
#include "common/encoding.h"

namespace portier {

namespace {

constexpr const char* kPurpose = "federation-account";
constexpr const char* kPending = "pending";
constexpr const char* kUsed = "used";
constexpr const char* kCancelled = "cancelled";
// A name shared by many ("marie.martin") gets a number; past this many
// taken, something is wrong and the member is better served by support.
constexpr int kMaxIdentifierTries = 200;

std::string encode(const AccountProposal& p) {
  boost::json::object o{{"provider", p.provider},
                        {"issuer", p.issuer},
                        {"subject", p.subject},
                        {"person_id", p.person_id},
                        {"rpps", p.rpps},
                        {"given_name", p.given_name},
                        {"family_name", p.family_name},
                        {"email", p.email},
                        {"profession", p.profession.code},
                        {"acr", p.acr},
                        {"id_token", p.id_token}};
  return boost::json::serialize(o);
}

// Only ever reads what encode() wrote on this server (flows are ours).
AccountProposal decode(const std::string& text) {
  AccountProposal p;
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return p;
  auto& o = v.as_object();
  auto str = [&](const char* k) {
    auto* x = o.if_contains(k);
    return x && x->is_string() ? std::string(x->as_string()) : std::string();
  };
  p.provider = str("provider");
  p.issuer = str("issuer");
  p.subject = str("subject");
  p.person_id = str("person_id");
  p.rpps = str("rpps");
  p.given_name = str("given_name");
  p.family_name = str("family_name");
  p.email = str("email");
  p.profession.code = str("profession");
  p.profession.label = std::string(profession_label(p.profession.code));
  p.acr = str("acr");
  p.id_token = str("id_token");
  return p;
}

// A name as a person reads it: trimmed, valid UTF-8, not absurdly long.
std::optional<std::string> clean_name(std::string_view raw) {
  auto s = std::string(trim(raw));
  if (s.empty() || s.size() > 60 || !is_valid_utf8(s)) return std::nullopt;
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return std::nullopt;
  return s;
}

// PSC's SubjectNameID for a practitioner: "8" then the 11-digit RPPS whose
// last digit is a Luhn check digit.
std::optional<std::string> rpps_of(std::string_view person_id) {
  if (person_id.size() != 12 || person_id[0] != '8') return std::nullopt;
  auto rpps = person_id.substr(1);
  if (!normalize_rpps(rpps) || !card::luhn_valid(rpps)) return std::nullopt;
  return std::string(rpps);
}

}  // namespace

const char* to_string(CreationRefusal r) {
  switch (r) {
    case CreationRefusal::Unusable: return "account_unusable";
    case CreationRefusal::Expired: return "account_offer_expired";
    case CreationRefusal::AlreadyUsed: return "account_offer_used";
    case CreationRefusal::AlreadyLinked: return "already_linked";
    case CreationRefusal::RppsTaken: return "rpps_taken";
    case CreationRefusal::EmailTaken: return "email_taken";
  }
  return "?";
}

std::string AccountProposal::display_name() const {
  if (given_name.empty()) return family_name;
  if (family_name.empty()) return given_name;
  return given_name + " " + family_name;
}

FederatedAccountCreationService::FederatedAccountCreationService(
    AccountStore& accounts, FederatedAccountStore& store, FlowStore& flows, SessionService& sessions, AuditLog& audit,
    const SecretHasher& secrets, Random& random, const Clock& clock, AccountCreatedNotice notice,
    FederatedAccountCreationSettings settings, FederatedSessionStore* federated_sessions)
    : accounts_(accounts),
      store_(store),
      flows_(flows),
      sessions_(sessions),
      audit_(audit),
      secrets_(secrets),
      random_(random),
      clock_(clock),
      notice_(std::move(notice)),
      settings_(settings),
      federated_sessions_(federated_sessions) {}

CreationRefused FederatedAccountCreationService::refuse(CreationRefusal why, const AccountProposal& p,
                                                        const ClientInfo& client) {
  // The sign-in's format (federation.refused: provider, reason word).
  std::string detail = "provider=" + p.provider + " reason=" + to_string(why);
  audit_.record("federation.refused", std::nullopt, std::nullopt, client, detail);
  return CreationRefused{why};
}

Result<OfferOutcome> FederatedAccountCreationService::offer(const federation::FederatedIdentity& identity,
                                                            const ClientInfo& client) {
  AccountProposal p;
  p.provider = identity.provider;
  p.issuer = identity.issuer;
  p.subject = identity.subject;
  p.person_id = identity.person_id;
  p.acr = identity.acr;
  p.id_token = identity.id_token;
  p.profession = profession_from_claims(identity.claims);
  auto rpps = rpps_of(identity.person_id);
  auto email = normalize_email(identity.email);
  auto given = clean_name(identity.given_name);
  auto family = clean_name(identity.family_name);
  // Not audited here: the sign-in's "unknown_person" refusal, which the
  // caller falls back to, is (one event, one page that says to ask support).
  if (!rpps || !email || !family || identity.subject.empty()) return CreationRefused{CreationRefusal::Unusable};
  p.rpps = *rpps;
  p.email = *email;
  p.family_name = *family;
  if (given) p.given_name = *given;

  auto token = random_.token(32);
  FlowEnvelope f;
  f.id_hash = secrets_.digest(kPurpose, token);
  f.kind = FlowKind::FederationAccount;
  f.state = kPending;
  f.created_at = clock_.now();
  f.expires_at = f.created_at + settings_.offer_lifetime;
  f.data = encode(p);
  if (auto r = flows_.create(f); !r) return tl::unexpected(r.error());
  return CreationOffered{std::move(token), f.expires_at, std::move(p)};
}

Result<PendingCreation> FederatedAccountCreationService::pending(std::string_view token) {
  if (token.empty() || token.size() > 128) return fail(ErrorCode::NotFound);
  auto f = flows_.find(FlowKind::FederationAccount, secrets_.digest(kPurpose, token));
  if (!f) return tl::unexpected(f.error());
  if (f->is_expired(clock_.now())) return fail(ErrorCode::Expired, "account offer expired");
  if (f->state != kPending) return fail(ErrorCode::NotFound, "account offer used");
  return PendingCreation{decode(f->data), f->expires_at};
}

Result<void> FederatedAccountCreationService::cancel(std::string_view token) {
  if (token.empty() || token.size() > 128) return {};
  auto f = flows_.find(FlowKind::FederationAccount, secrets_.digest(kPurpose, token));
  if (!f) return f.error().code == ErrorCode::NotFound ? Result<void>{} : tl::unexpected(f.error());
  if (f->state != kPending) return {};
  FlowEnvelope cancelled = *f;
  cancelled.state = kCancelled;
  auto r = flows_.transition(cancelled, kPending);
  if (!r && r.error().code != ErrorCode::FlowStateInvalid) return r;
  return {};
}

Result<std::string> FederatedAccountCreationService::free_identifier(const AccountProposal& p, int skip) {
  // The import's rule for new accounts (admin/import_lines.h): "jeanne.dupont",
  // then "jeanne.dupont2"... past the ones taken.
  auto base = identifier_base(p.display_name());
  if (base.size() < 3) base = identifier_base(p.email.substr(0, p.email.find('@')));
  if (base.size() < 3) base = "membre";
  for (int n = 1; n <= kMaxIdentifierTries; ++n) {
    auto candidate = n == 1 ? base : base + std::to_string(n);
    auto existing = accounts_.find_by_identifier(candidate);
    if (existing) continue;
    if (existing.error().code != ErrorCode::NotFound) return tl::unexpected(existing.error());
    if (skip-- > 0) continue;
    return candidate;
  }
  return fail(ErrorCode::Conflict, "no free identifier from '" + base + "'");
}

Result<CreateOutcome> FederatedAccountCreationService::confirm(std::string_view token, const ClientInfo& client) {
  if (token.empty() || token.size() > 128) return CreateOutcome{CreationRefused{CreationRefusal::Expired}};
  auto f = flows_.find(FlowKind::FederationAccount, secrets_.digest(kPurpose, token));
  if (!f && f.error().code != ErrorCode::NotFound) return tl::unexpected(f.error());
  if (!f) return CreateOutcome{CreationRefused{CreationRefusal::Expired}};
  auto now = clock_.now();
  if (f->is_expired(now)) return CreateOutcome{CreationRefused{CreationRefusal::Expired}};
  if (f->state != kPending) return CreateOutcome{CreationRefused{CreationRefusal::AlreadyUsed}};
  // Spend the offer first: of two tabs confirming at once, one goes on.
  FlowEnvelope used = *f;
  used.state = kUsed;
  if (auto r = flows_.transition(used, kPending); !r) {
    if (r.error().code == ErrorCode::FlowStateInvalid) return CreateOutcome{CreationRefused{CreationRefusal::AlreadyUsed}};
    return tl::unexpected(r.error());
  }
  auto p = decode(f->data);

  Account a;
  a.email = p.email;
  a.display_name = p.display_name();
  a.rpps = p.rpps;
  a.role = Role::Member;
  // Active without a password: PSC is how this member signs in. They may
  // choose a password later through "mot de passe oublié" (their address is
  // the one PSC vouches for, see docs/federation.md).
  a.status = AccountStatus::Active;
  FederatedLink link;
  link.provider = p.provider;
  link.issuer = p.issuer;
  link.subject = p.subject;
  link.person_id = p.person_id;
  link.display_name = p.display_name();
  link.linked_at = now;

  Result<Account> created = fail(ErrorCode::Conflict, "identifier");
  // An identifier found free may be taken by the time of the insert: try the next one.
  for (int skip = 0; skip < 3 && !created && created.error().code == ErrorCode::Conflict &&
                     created.error().detail == "identifier";
       ++skip) {
    auto identifier = free_identifier(p, skip);
    if (!identifier) return tl::unexpected(identifier.error());
    a.identifier = *identifier;
    created = store_.create_linked(a, link);
  }
  if (!created) {
    if (created.error().code != ErrorCode::Conflict) return tl::unexpected(created.error());
    const auto& why = created.error().detail;
    if (why == "identity") return CreateOutcome{refuse(CreationRefusal::AlreadyLinked, p, client)};
    if (why == "rpps") return CreateOutcome{refuse(CreationRefusal::RppsTaken, p, client)};
    if (why == "email") return CreateOutcome{refuse(CreationRefusal::EmailTaken, p, client)};
    return tl::unexpected(created.error());
  }
  auto& account = *created;
  audit_.record("federation.account_created", account.id, account.id, client,
                "provider=" + p.provider + "; role=member; profession=" +
                    (p.profession.code.empty() ? std::string("-") : p.profession.code));
  audit_.record("federation.linked", account.id, account.id, client, "provider=" + p.provider + "; created");
  if (notice_) notice_(account, p);

  auto session = sessions_.start(account.id, client, "psc");
  if (!session) return tl::unexpected(session.error());
  if (federated_sessions_ && !p.id_token.empty())
    (void)federated_sessions_->remember({session->session.sid, p.provider, p.id_token, session->session.expires_at});
  (void)accounts_.record_sign_in(account.id, now);
  audit_.record("sign_in.success", account.id, account.id, client, "psc");
  return CreateOutcome{SignedIn{std::move(account), std::move(*session), {}}};
}

}  // namespace portier
