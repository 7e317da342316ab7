#include "flow/federation/federated_sign_in_service.h"

#include <algorithm>
#include <boost/json.hpp>

#include "card/cps_identity.h"

namespace portier {

namespace {

namespace why = federation_refusal;

constexpr const char* kLoginPurpose = "federation-login";
constexpr const char* kLinkPurpose = "federation-link";
constexpr const char* kPending = "pending";
constexpr const char* kUsed = "used";
constexpr const char* kLinked = "linked";
constexpr std::size_t kMaxToken = 128;

std::string display_name_of(const federation::FederatedIdentity& id) {
  std::string name = id.given_name;
  if (!id.family_name.empty()) name += (name.empty() ? "" : " ") + id.family_name;
  return name.substr(0, 200);
}

// The identity kept while the member signs in to link it (flows are ours:
// only what encode() wrote is ever read back).
std::string encode(const FederatedLink& l, std::string_view rpps) {
  return boost::json::serialize(boost::json::object{{"provider", l.provider},
                                                    {"issuer", l.issuer},
                                                    {"subject", l.subject},
                                                    {"person_id", l.person_id},
                                                    {"display_name", l.display_name},
                                                    {"rpps", rpps}});
}

std::pair<FederatedLink, std::string> decode(const std::string& text) {
  FederatedLink l;
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return {l, {}};
  auto& o = v.as_object();
  auto str = [&](const char* k) {
    auto* x = o.if_contains(k);
    return x && x->is_string() ? std::string(x->as_string()) : std::string();
  };
  l.provider = str("provider");
  l.issuer = str("issuer");
  l.subject = str("subject");
  l.person_id = str("person_id");
  l.display_name = str("display_name");
  return {l, str("rpps")};
}

}  // namespace

std::optional<std::string> rpps_of_person_id(std::string_view person_id) {
  if (person_id.size() != 12 || person_id.front() != '8') return std::nullopt;
  auto holder = card::parse_national_id(person_id);
  if (!holder || holder->kind != card::CardHolder::Kind::Rpps) return std::nullopt;
  return holder->number;
}

std::string federated_auth_methods(const FederationProviderSettings& p) {
  if (p.is_psc()) return "psc";
  return p.second_step ? "fed" : "fed-mfa";
}

FederatedSignInService::FederatedSignInService(AccountStore& accounts, FederatedIdentityStore& identities,
                                               LinkedCardStore& rpps_lookup, FlowStore& flows,
                                               SessionService& sessions, AuditLog& audit,
                                               const SecretHasher& secrets, Random& random, const Clock& clock,
                                               FederationNotice notice, std::vector<FederationProvider> providers,
                                               FederatedSignInSettings settings, SecondStepService* second_step)
    : accounts_(accounts),
      identities_(identities),
      rpps_lookup_(rpps_lookup),
      flows_(flows),
      sessions_(sessions),
      audit_(audit),
      secrets_(secrets),
      random_(random),
      clock_(clock),
      notice_(std::move(notice)),
      providers_(std::move(providers)),
      settings_(std::move(settings)),
      second_step_(second_step) {}

const FederationProvider* FederatedSignInService::find_provider(std::string_view id) const {
  for (const auto& p : providers_)
    if (p.settings.id == id) return &p;
  return nullptr;
}

const FederationProviderSettings* FederatedSignInService::provider(std::string_view id) const {
  auto* p = find_provider(id);
  return p ? &p->settings : nullptr;
}

std::vector<FederationProviderSettings> FederatedSignInService::providers() const {
  std::vector<FederationProviderSettings> out;
  for (const auto& p : providers_) out.push_back(p.settings);
  return out;
}

FederationRefused FederatedSignInService::refuse(std::string_view provider, std::string_view reason,
                                                 std::optional<AccountId> target, const ClientInfo& client,
                                                 std::string_view detail) {
  // The reason word is for the operator and support; the member's page never shows it.
  std::string text = "provider=" + std::string(provider.substr(0, 64)) + " reason=" + std::string(reason);
  if (!detail.empty()) text += " detail=" + std::string(detail.substr(0, 300));
  audit_.record("federation.refused", std::nullopt, target, client, std::move(text));
  return FederationRefused{std::string(reason)};
}

Result<FederationStartOutcome> FederatedSignInService::start(std::string_view provider, const std::string& redirect_uri,
                                                             const ClientInfo& client) {
  auto* p = find_provider(provider);
  if (!p || !p->party) return refuse(provider, why::kUnknownProvider, std::nullopt, client);
  auto begun = p->party->begin(redirect_uri);
  if (!begun) {
    // The discovery document could not be fetched (down) or was refused.
    auto reason = begun.error().code == ErrorCode::Unavailable ? "unavailable" : "discovery";
    return refuse(provider, reason, std::nullopt, client, begun.error().detail);
  }
  auto token = random_.token(32);
  FlowEnvelope f;
  f.id_hash = secrets_.digest(kLoginPurpose, token);
  f.kind = FlowKind::FederationLogin;
  f.state = kPending;
  f.created_at = clock_.now();
  f.expires_at = f.created_at + settings_.login_lifetime;
  f.data = federation::to_json(begun->kept);
  if (auto r = flows_.create(f); !r) return tl::unexpected(r.error());
  return FederationStarted{std::move(begun->url), std::move(token), f.expires_at};
}

Result<FederationOutcome> FederatedSignInService::finish(std::string_view provider, std::string_view flow_token,
                                                         const std::map<std::string, std::string>& answer,
                                                         const ClientInfo& client, bool insist_second_step) {
  auto* p = find_provider(provider);
  if (!p || !p->party) return refuse(provider, why::kUnknownProvider, std::nullopt, client);
  if (flow_token.empty() || flow_token.size() > kMaxToken)
    return refuse(provider, why::kFlow, std::nullopt, client, "no flow cookie");
  auto f = flows_.find(FlowKind::FederationLogin, secrets_.digest(kLoginPurpose, flow_token));
  if (!f && f.error().code != ErrorCode::NotFound) return tl::unexpected(f.error());
  if (!f) return refuse(provider, why::kFlow, std::nullopt, client, "unknown flow");
  if (f->state != kPending) return refuse(provider, why::kFlow, std::nullopt, client, "flow already used");
  if (f->is_expired(clock_.now())) return refuse(provider, why::kFlow, std::nullopt, client, "flow expired");
  // Spent before the answer is judged (compare-and-set): the relying party
  // does not remember states, so an answer replayed, or two requests racing
  // with one cookie, are judged at most once.
  FlowEnvelope used = *f;
  used.state = kUsed;
  if (auto r = flows_.transition(used, kPending); !r) {
    if (r.error().code == ErrorCode::FlowStateInvalid)
      return refuse(provider, why::kFlow, std::nullopt, client, "flow already used");
    return tl::unexpected(r.error());
  }
  auto kept = federation::pending_login_from_json(f->data);
  if (!kept || kept->provider != p->settings.id)
    return refuse(provider, why::kFlow, std::nullopt, client, "flow of another provider");
  auto judged = p->party->finish(*kept, answer);
  if (auto* refused = std::get_if<federation::Refused>(&judged))
    return refuse(provider, federation::to_word(refused->reason), std::nullopt, client, refused->detail);
  return admit(std::get<federation::FederatedIdentity>(judged), client, insist_second_step);
}

Result<FederationOutcome> FederatedSignInService::admit(const federation::FederatedIdentity& identity,
                                                        const ClientInfo& client, bool insist_second_step) {
  auto* p = provider(identity.provider);
  if (!p) return refuse(identity.provider, why::kUnknownProvider, std::nullopt, client);
  auto known = identities_.find(identity.issuer, identity.subject);
  if (!known && known.error().code != ErrorCode::NotFound) return tl::unexpected(known.error());
  if (!known) return first_use(*p, identity, client);
  auto account = accounts_.find_by_id(known->account_id);
  if (!account) return tl::unexpected(account.error());
  if (account->status == AccountStatus::Disabled)
    return refuse(p->id, why::kAccountDisabled, account->id, client);
  if (account->status != AccountStatus::Active)
    return refuse(p->id, why::kAccountInactive, account->id, client);
  (void)identities_.touch(identity.issuer, identity.subject, clock_.now());
  return sign_in(*p, identity, std::move(*account), client, insist_second_step);
}

Result<FederationOutcome> FederatedSignInService::sign_in(const FederationProviderSettings& p,
                                                          const federation::FederatedIdentity& identity,
                                                          Account account, const ClientInfo& client,
                                                          bool insist_second_step) {
  auto methods = federated_auth_methods(p);
  // PSC (eidas1) and a provider declared multi-factor are two factors
  // already; the generic provider is one, like the password.
  if (methods == "fed" && second_step_) {
    auto needed = second_step_->required(account);
    if (!needed) return tl::unexpected(needed.error());
    if (*needed || insist_second_step) {
      auto started = second_step_->begin(account, client, "fed");
      if (!started) return tl::unexpected(started.error());
      return SecondStepRequired{started->flow_token, started->expires_at, account.identifier};
    }
  }
  auto session = sessions_.start(account.id, client, methods);
  if (!session) return tl::unexpected(session.error());
  (void)accounts_.record_sign_in(account.id, clock_.now());
  audit_.record("sign_in.success", account.id, account.id, client, methods + " provider=" + p.id);
  if (federated_sessions_) {
    // Kept for logout at the provider (id_token_hint); losing it costs only that.
    FederatedSession kept{session->session.sid, p.id, identity.id_token, session->session.expires_at};
    (void)federated_sessions_->remember(kept);
  }
  return SignedIn{std::move(account), std::move(*session), {}};
}

Result<FederationOutcome> FederatedSignInService::first_use(const FederationProviderSettings& p,
                                                            const federation::FederatedIdentity& identity,
                                                            const ClientInfo& client) {
  // An establishment's provider names no RPPS: the member links whichever
  // account they sign in to (the sign-in with password and second step is
  // the proof).
  if (!p.is_psc()) return keep_for_linking(p, identity, "");
  auto rpps = rpps_of_person_id(identity.person_id);
  if (!rpps) return unknown_person(p, identity, client, "not an RPPS person id");
  auto ids = rpps_lookup_.accounts_with_rpps(*rpps);
  if (!ids) return tl::unexpected(ids.error());
  // Several accounts with one RPPS: nobody can choose; support must fix the records.
  if (ids->size() != 1) return unknown_person(p, identity, client, ids->empty() ? "no account" : "several accounts");
  auto account = accounts_.find_by_id(ids->front());
  if (!account) return tl::unexpected(account.error());
  if (account->status == AccountStatus::Disabled) return refuse(p.id, why::kAccountDisabled, account->id, client);
  if (account->status != AccountStatus::Active) return refuse(p.id, why::kAccountInactive, account->id, client);
  return keep_for_linking(p, identity, *rpps);
}

Result<FederationOutcome> FederatedSignInService::unknown_person(const FederationProviderSettings& p,
                                                                 const federation::FederatedIdentity& identity,
                                                                 const ClientInfo& client, std::string_view detail) {
  // Account creation from the provider's claims, when the operator allows it
  // (create_accounts, PSC presets): only for a person no account has the
  // RPPS of ("several accounts" is for support to resolve), and only when
  // the claims can make one; otherwise the refusal that says to contact support.
  if (p.create_accounts && p.is_psc() && creation_ && detail == "no account") {
    auto offered = creation_->offer(identity, client);
    if (!offered) return tl::unexpected(offered.error());
    if (auto* o = std::get_if<CreationOffered>(&*offered)) return FederationAccountOffered{o->token, o->expires_at};
    detail = "claims cannot make an account";
  }
  return refuse(p.id, why::kUnknownPerson, std::nullopt, client, detail);
}

Result<FederationOutcome> FederatedSignInService::keep_for_linking(const FederationProviderSettings& p,
                                                                   const federation::FederatedIdentity& identity,
                                                                   const std::string& rpps) {
  FederatedLink l;
  l.provider = p.id;
  l.issuer = identity.issuer;
  l.subject = identity.subject;
  l.person_id = identity.person_id;
  l.display_name = display_name_of(identity);
  auto token = random_.token(32);
  FlowEnvelope pending;
  pending.id_hash = secrets_.digest(kLinkPurpose, token);
  pending.kind = FlowKind::FederationLink;
  pending.state = kPending;
  pending.created_at = clock_.now();
  pending.expires_at = pending.created_at + settings_.link_lifetime;
  pending.data = encode(l, rpps);
  if (auto r = flows_.create(pending); !r) return tl::unexpected(r.error());
  return FederationLinkPending{std::move(token), pending.expires_at};
}

Result<PendingFederatedLink> FederatedSignInService::pending_link(std::string_view link_token) {
  if (link_token.empty() || link_token.size() > kMaxToken) return fail(ErrorCode::NotFound);
  auto f = flows_.find(FlowKind::FederationLink, secrets_.digest(kLinkPurpose, link_token));
  if (!f) return tl::unexpected(f.error());
  if (f->is_expired(clock_.now())) return fail(ErrorCode::Expired, "federated link expired");
  if (f->state != kPending) return fail(ErrorCode::NotFound, "identity already linked");
  auto [l, rpps] = decode(f->data);
  auto* p = provider(l.provider);
  return PendingFederatedLink{l.provider, p ? p->label : l.provider, l.display_name, rpps, f->created_at};
}

Result<std::variant<FederatedLink, FederationRefused>> FederatedSignInService::confirm_link(std::string_view link_token,
                                                                                          const Session& session,
                                                                                          const ClientInfo& client) {
  if (link_token.empty() || link_token.size() > kMaxToken) return fail(ErrorCode::NotFound);
  auto f = flows_.find(FlowKind::FederationLink, secrets_.digest(kLinkPurpose, link_token));
  if (!f) return tl::unexpected(f.error());
  auto now = clock_.now();
  if (f->is_expired(now)) return fail(ErrorCode::Expired, "federated link expired");
  if (f->state != kPending) return fail(ErrorCode::NotFound, "identity already linked");
  auto [link, rpps] = decode(f->data);
  auto* p = provider(link.provider);
  if (!p) return fail(ErrorCode::NotFound, "provider no longer configured");
  // The proof of the account is a sign-in made for this link, not a session
  // left open on a shared computer.
  if (session.created_at < f->created_at) return fail(ErrorCode::FlowStateInvalid, "sign in again to link");
  auto account = accounts_.find_by_id(session.account_id);
  if (!account) return tl::unexpected(account.error());
  // PSC: only the account that carries the identity's RPPS (the person id
  // was matched when the identity came back; the account is checked now).
  if (!rpps.empty() && account->rpps != rpps)
    return std::variant<FederatedLink, FederationRefused>{
        refuse(p->id, why::kWrongAccount, account->id, client, "rpps differs")};
  FlowEnvelope done = *f;
  done.state = kLinked;
  done.account = account->id;
  if (auto r = flows_.transition(done, kPending); !r) {
    if (r.error().code == ErrorCode::FlowStateInvalid) return fail(ErrorCode::NotFound, "identity already linked");
    return tl::unexpected(r.error());
  }
  link.account_id = account->id;
  link.linked_at = now;
  if (auto r = identities_.link(link); !r) {
    // Linked meanwhile (another tab): to this account it is done; otherwise
    // (another account, or another identity of this provider here) refused.
    if (r.error().code != ErrorCode::Conflict) return tl::unexpected(r.error());
    auto existing = identities_.find(link.issuer, link.subject);
    if (existing && existing->account_id == account->id) return *existing;
    return std::variant<FederatedLink, FederationRefused>{
        refuse(p->id, why::kLinkedElsewhere, account->id, client,
               existing ? "identity linked to another account" : "account has an identity at this provider")};
  }
  audit_.record("federation.linked", account->id, account->id, client,
                "provider=" + p->id + " person=" + link.person_id.substr(0, 40));
  if (notice_) notice_(*account, link, p->label, true, false);
  return link;
}

Result<std::vector<FederatedLink>> FederatedSignInService::links_of(AccountId account) {
  return identities_.list_for_account(account);
}

Result<bool> FederatedSignInService::unlink(AccountId account, std::string_view provider, AccountId actor,
                                            const ClientInfo& client, std::string_view reason) {
  auto links = identities_.list_for_account(account);
  if (!links) return tl::unexpected(links.error());
  auto it = std::find_if(links->begin(), links->end(), [&](const FederatedLink& l) { return l.provider == provider; });
  if (it == links->end()) return false;
  auto removed = identities_.unlink(account, provider);
  if (!removed) return tl::unexpected(removed.error());
  if (!*removed) return false;
  auto detail = "provider=" + it->provider + " person=" + it->person_id.substr(0, 40);
  if (!reason.empty()) detail += "; reason: " + std::string(reason);
  audit_.record("federation.unlinked", actor, account, client, detail);
  if (notice_) {
    auto* p = this->provider(provider);
    if (auto owner = accounts_.find_by_id(account))
      notice_(*owner, *it, p ? p->label : it->provider, false, actor != account);
  }
  return true;
}

}  // namespace portier
