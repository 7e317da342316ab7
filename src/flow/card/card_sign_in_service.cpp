#include "flow/card/card_sign_in_service.h"

#include <boost/json.hpp>

namespace portier {

namespace {

constexpr const char* kTicketPurpose = "card-ticket";
constexpr const char* kLinkPurpose = "card-link";
constexpr const char* kIssued = "issued";
constexpr const char* kUsed = "used";
constexpr const char* kPending = "pending";
constexpr const char* kLinked = "linked";

std::string encode(const PresentedCard& c, std::string_view purpose) {
  boost::json::object o{{"purpose", purpose},
                        {"sha256", c.sha256},
                        {"subject", c.subject},
                        {"issuer", c.issuer},
                        {"serial", c.serial},
                        {"not_after", to_unix(c.not_after)},
                        {"holder", c.holder}};
  if (c.rpps) o["rpps"] = *c.rpps;
  return boost::json::serialize(o);
}

// Only ever reads what encode() wrote on this server (flows are ours).
std::pair<PresentedCard, std::string> decode(const std::string& text) {
  PresentedCard c;
  std::string purpose;
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return {c, purpose};
  auto& o = v.as_object();
  auto str = [&](const char* k) {
    auto* x = o.if_contains(k);
    return x && x->is_string() ? std::string(x->as_string()) : std::string();
  };
  purpose = str("purpose");
  c.check = CardCheck::Valid;  // only valid cards get a ticket
  c.sha256 = str("sha256");
  c.subject = str("subject");
  c.issuer = str("issuer");
  c.serial = str("serial");
  c.holder = str("holder");
  if (auto* n = o.if_contains("not_after"); n && n->is_int64()) c.not_after = from_unix(n->as_int64());
  if (auto r = str("rpps"); !r.empty()) c.rpps = r;
  return {c, purpose};
}

CardRefusal refusal_for(CardCheck check) {
  switch (check) {
    case CardCheck::Valid: break;
    case CardCheck::NoCard: return CardRefusal::NoCard;
    case CardCheck::Expired: return CardRefusal::Expired;
    case CardCheck::NotYetValid: return CardRefusal::NotYetValid;
    case CardCheck::Revoked: return CardRefusal::Revoked;
    case CardCheck::RevocationUnknown: return CardRefusal::RevocationUnknown;
    case CardCheck::UnknownIssuer: return CardRefusal::UnknownIssuer;
    case CardCheck::WrongUsage: return CardRefusal::WrongUsage;
    case CardCheck::Unreadable: return CardRefusal::Unreadable;
  }
  return CardRefusal::Unreadable;
}

LinkedCard linked_card(const PresentedCard& c, AccountId account, TimePoint at) {
  LinkedCard l;
  l.sha256 = c.sha256;
  l.account_id = account;
  l.subject = c.subject;
  l.issuer = c.issuer;
  l.serial = c.serial;
  l.holder = c.holder;
  l.not_after = c.not_after;
  l.linked_at = at;
  return l;
}

}  // namespace

const char* to_string(CardRefusal r) {
  switch (r) {
    case CardRefusal::NoCard: return "no_card";
    case CardRefusal::Expired: return "expired";
    case CardRefusal::NotYetValid: return "not_yet_valid";
    case CardRefusal::Revoked: return "revoked";
    case CardRefusal::RevocationUnknown: return "revocation_unknown";
    case CardRefusal::UnknownIssuer: return "unknown_issuer";
    case CardRefusal::WrongUsage: return "wrong_usage";
    case CardRefusal::Unreadable: return "unreadable";
    case CardRefusal::Unmapped: return "unmapped";
    case CardRefusal::AccountDisabled: return "account_disabled";
    case CardRefusal::AccountInactive: return "account_inactive";
    case CardRefusal::TicketInvalid: return "ticket_invalid";
    case CardRefusal::WrongAccount: return "wrong_account";
  }
  return "?";
}

CardSignInService::CardSignInService(AccountStore& accounts, LinkedCardStore& cards, FlowStore& flows,
                                     SessionService& sessions, AuditLog& audit, const SecretHasher& secrets,
                                     Random& random, const Clock& clock, CardNotice notice,
                                     CardSignInSettings settings, SecondStepService* second_step)
    : accounts_(accounts),
      cards_(cards),
      flows_(flows),
      sessions_(sessions),
      audit_(audit),
      secrets_(secrets),
      random_(random),
      clock_(clock),
      notice_(std::move(notice)),
      settings_(std::move(settings)),
      second_step_(second_step) {}

CardRefused CardSignInService::refuse(CardRefusal why, const PresentedCard& card, std::optional<AccountId> target,
                                      const ClientInfo& client) {
  // The detail names the verdict and the certificate (never a secret: the
  // subject is printed on the card), so that support can answer the member.
  std::string detail = to_string(why);
  if (!card.sha256.empty()) detail += " sha256=" + card.sha256.substr(0, 16);
  if (!card.subject.empty()) detail += " subject=" + card.subject.substr(0, 200);
  audit_.record("card.refused", std::nullopt, target, client, detail);
  return CardRefused{why};
}

Result<Account> CardSignInService::holder_account(const PresentedCard& card) {
  if (!card.rpps) return fail(ErrorCode::NotFound, "not an RPPS card");
  auto ids = cards_.accounts_with_rpps(*card.rpps);
  if (!ids) return tl::unexpected(ids.error());
  // Two accounts with one RPPS: the card cannot choose; support must fix the records.
  if (ids->size() != 1) return fail(ErrorCode::NotFound, ids->empty() ? "no account" : "several accounts");
  return accounts_.find_by_id(ids->front());
}

Result<std::string> CardSignInService::issue_ticket(const PresentedCard& card, std::string_view purpose,
                                                    std::optional<AccountId> account) {
  auto token = random_.token(32);
  FlowEnvelope f;
  f.id_hash = secrets_.digest(kTicketPurpose, token);
  f.kind = FlowKind::CardTicket;
  f.state = kIssued;
  f.account = account;
  f.created_at = clock_.now();
  f.expires_at = f.created_at + settings_.ticket_lifetime;
  f.data = encode(card, purpose);
  if (auto r = flows_.create(f); !r) return tl::unexpected(r.error());
  return token;
}

Result<CardPresentOutcome> CardSignInService::present(const PresentedCard& card, bool link, const ClientInfo& client) {
  if (card.check != CardCheck::Valid) return refuse(refusal_for(card.check), card, std::nullopt, client);
  if (card.sha256.size() != 64) return refuse(CardRefusal::Unreadable, card, std::nullopt, client);
  bool by_rpps = settings_.identifier_rule == "rpps";
  auto known = cards_.find(card.sha256);
  if (!known && known.error().code != ErrorCode::NotFound) return tl::unexpected(known.error());
  if (known) {
    auto account = accounts_.find_by_id(known->account_id);
    if (!account) return tl::unexpected(account.error());
    // The account's RPPS may have been corrected since the card was linked.
    if (by_rpps && (!card.rpps || account->rpps != card.rpps))
      return refuse(CardRefusal::Unmapped, card, account->id, client);
    if (account->status == AccountStatus::Disabled)
      return refuse(CardRefusal::AccountDisabled, card, account->id, client);
    if (account->status != AccountStatus::Active)
      return refuse(CardRefusal::AccountInactive, card, account->id, client);
    auto ticket = issue_ticket(card, "sign_in", account->id);
    if (!ticket) return tl::unexpected(ticket.error());
    return CardHandOver{std::move(*ticket)};
  }
  // First use: under "rpps" only a card whose holder has an account.
  if (by_rpps) {
    auto account = holder_account(card);
    if (!account && account.error().code != ErrorCode::NotFound) return tl::unexpected(account.error());
    if (!account) return refuse(CardRefusal::Unmapped, card, std::nullopt, client);
    if (account->status == AccountStatus::Disabled)
      return refuse(CardRefusal::AccountDisabled, card, account->id, client);
  }
  if (!link) return CardFirstUse{card};
  auto ticket = issue_ticket(card, "link", std::nullopt);
  if (!ticket) return tl::unexpected(ticket.error());
  return CardHandOver{std::move(*ticket)};
}

Result<CardRedeemOutcome> CardSignInService::redeem(std::string_view ticket, const ClientInfo& client) {
  if (ticket.empty() || ticket.size() > 128) return refuse(CardRefusal::TicketInvalid, {}, std::nullopt, client);
  auto f = flows_.find(FlowKind::CardTicket, secrets_.digest(kTicketPurpose, ticket));
  if (!f && f.error().code != ErrorCode::NotFound) return tl::unexpected(f.error());
  if (!f || f->state != kIssued || f->is_expired(clock_.now()))
    return refuse(CardRefusal::TicketInvalid, {}, std::nullopt, client);
  // Spend it first: of two requests with the same ticket, one goes on.
  FlowEnvelope used = *f;
  used.state = kUsed;
  if (auto r = flows_.transition(used, kIssued); !r) {
    if (r.error().code == ErrorCode::FlowStateInvalid) return refuse(CardRefusal::TicketInvalid, {}, std::nullopt, client);
    return tl::unexpected(r.error());
  }
  auto [card, purpose] = decode(f->data);

  if (purpose == "link") {
    auto token = random_.token(32);
    FlowEnvelope pending;
    pending.id_hash = secrets_.digest(kLinkPurpose, token);
    pending.kind = FlowKind::CardLink;
    pending.state = kPending;
    pending.created_at = clock_.now();
    pending.expires_at = pending.created_at + settings_.link_lifetime;
    pending.data = encode(card, "link");
    if (auto r = flows_.create(pending); !r) return tl::unexpected(r.error());
    return CardLinkPending{std::move(token), pending.expires_at};
  }

  // A sign-in: what was true on the card listener a moment ago is checked
  // again (the card unlinked, the account disabled in between).
  if (!f->account) return refuse(CardRefusal::TicketInvalid, card, std::nullopt, client);
  auto known = cards_.find(card.sha256);
  if (!known && known.error().code != ErrorCode::NotFound) return tl::unexpected(known.error());
  if (!known || known->account_id != *f->account) return refuse(CardRefusal::Unmapped, card, f->account, client);
  auto account = accounts_.find_by_id(*f->account);
  if (!account) return tl::unexpected(account.error());
  if (account->status == AccountStatus::Disabled) return refuse(CardRefusal::AccountDisabled, card, account->id, client);
  if (account->status != AccountStatus::Active) return refuse(CardRefusal::AccountInactive, card, account->id, client);
  (void)cards_.touch(card.sha256, clock_.now());
  if (settings_.second_step && second_step_) {
    auto needed = second_step_->required(*account);
    if (!needed) return tl::unexpected(needed.error());
    if (*needed) {
      auto started = second_step_->begin(*account, client, "card");
      if (!started) return tl::unexpected(started.error());
      return SecondStepRequired{started->flow_token, started->expires_at, account->identifier};
    }
  }
  auto session = sessions_.start(account->id, client, "card");
  if (!session) return tl::unexpected(session.error());
  (void)accounts_.record_sign_in(account->id, clock_.now());
  audit_.record("sign_in.success", account->id, account->id, client, "card");
  return SignedIn{std::move(*account), std::move(*session), {}};
}

Result<PresentedCard> CardSignInService::pending_link(std::string_view link_token) {
  if (link_token.empty() || link_token.size() > 128) return fail(ErrorCode::NotFound);
  auto f = flows_.find(FlowKind::CardLink, secrets_.digest(kLinkPurpose, link_token));
  if (!f) return tl::unexpected(f.error());
  if (f->is_expired(clock_.now())) return fail(ErrorCode::Expired, "card link expired");
  if (f->state != kPending) return fail(ErrorCode::NotFound, "card already linked");
  return decode(f->data).first;
}

Result<std::variant<LinkedCard, CardRefused>> CardSignInService::confirm_link(std::string_view link_token,
                                                                             const Session& session,
                                                                             const ClientInfo& client) {
  if (link_token.empty() || link_token.size() > 128) return fail(ErrorCode::NotFound);
  auto f = flows_.find(FlowKind::CardLink, secrets_.digest(kLinkPurpose, link_token));
  if (!f) return tl::unexpected(f.error());
  auto now = clock_.now();
  if (f->is_expired(now)) return fail(ErrorCode::Expired, "card link expired");
  if (f->state != kPending) return fail(ErrorCode::NotFound, "card already linked");
  auto card = decode(f->data).first;
  // The proof of the account is a sign-in made for this link, not a session
  // left open on a shared computer.
  if (session.created_at < f->created_at) return fail(ErrorCode::FlowStateInvalid, "sign in again to link the card");
  auto account = accounts_.find_by_id(session.account_id);
  if (!account) return tl::unexpected(account.error());
  if (settings_.identifier_rule == "rpps" && (!card.rpps || account->rpps != card.rpps))
    return refuse(CardRefusal::WrongAccount, card, account->id, client);
  FlowEnvelope done = *f;
  done.state = kLinked;
  done.account = account->id;
  if (auto r = flows_.transition(done, kPending); !r) return tl::unexpected(r.error());
  auto linked = linked_card(card, account->id, now);
  if (auto r = cards_.link(linked); !r) {
    // Linked meanwhile (another tab): to this account it is done; to another, refused.
    if (r.error().code != ErrorCode::Conflict) return tl::unexpected(r.error());
    auto existing = cards_.find(card.sha256);
    if (!existing) return tl::unexpected(existing.error());
    if (existing->account_id != account->id) return refuse(CardRefusal::WrongAccount, card, account->id, client);
    return *existing;
  }
  audit_.record("card.linked", account->id, account->id, client, "sha256=" + card.sha256.substr(0, 16) +
                                                                     " subject=" + card.subject.substr(0, 200));
  if (notice_) notice_(*account, linked, true, false);
  return linked;
}

Result<std::vector<LinkedCard>> CardSignInService::cards_of(AccountId account) {
  return cards_.list_for_account(account);
}

Result<bool> CardSignInService::unlink(AccountId account, std::string_view sha256, AccountId actor,
                                       const ClientInfo& client, std::string_view reason) {
  auto card = cards_.find(sha256);
  if (!card && card.error().code == ErrorCode::NotFound) return false;
  if (!card) return tl::unexpected(card.error());
  if (card->account_id != account) return false;
  auto removed = cards_.unlink(account, sha256);
  if (!removed) return tl::unexpected(removed.error());
  if (!*removed) return false;
  auto detail = "sha256=" + card->sha256.substr(0, 16);
  if (!reason.empty()) detail += "; reason: " + std::string(reason);
  audit_.record("card.unlinked", actor, account, client, detail);
  if (notice_) {
    if (auto owner = accounts_.find_by_id(account)) notice_(*owner, *card, false, actor != account);
  }
  return true;
}

}  // namespace portier
