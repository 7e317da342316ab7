#include "web/card_pages.h"

#include <algorithm>

#include <boost/json/array.hpp>

#include "web/card_reading.h"
#include "web/console_access.h"
#include "web/console_actions.h"
#include "web/cookies.h"
#include "web/form_errors.h"
#include "web/session_cookies.h"
#include "web/sign_in_finish.h"

namespace portier::web {

namespace {

// The card's description on every page that names it: the holder, the
// issuing authority (its CN) and the expiry.
std::string issuer_name(const std::string& issuer) {
  auto at = issuer.find("CN=");
  if (at == std::string::npos) return issuer;
  auto end = issuer.find(',', at);
  return issuer.substr(at + 3, end == std::string::npos ? std::string::npos : end - at - 3);
}

void describe(Exchange& ex, const PresentedCard& c, boost::json::object& d) {
  d["card_holder"] = c.holder;
  d["card_issuer"] = issuer_name(c.issuer);
  d["card_expiry"] = ex.format_time(c.not_after);
}

http::Response status_page(Exchange& ex, const std::string& key, int status, boost::json::object d = {}) {
  d["title"] = ex.t(key + "_title");
  d["heading"] = ex.t(key + "_title");
  d["text"] = ex.t(key + "_text");
  d["main_url"] = ex.services().config.server.public_url;
  d["card_retry_url"] = ex.services().config.card_url() + "/carte-cps";
  return ex.render("card_status", std::move(d), status);
}

http::Response refused_page(Exchange& ex, CardRefusal why) {
  boost::json::object d{{"refused", true}, {"reason", to_string(why)}};
  // Every refusal says what to do; those the member cannot fix alone lead to assistance.
  d["assistance_link"] = why != CardRefusal::NoCard && why != CardRefusal::TicketInvalid;
  d["retry_link"] = why == CardRefusal::NoCard || why == CardRefusal::TicketInvalid || why == CardRefusal::Unreadable;
  return status_page(ex, std::string("card_refused_") + to_string(why), why == CardRefusal::Unreadable ? 400 : 403,
                     std::move(d));
}

CardSignInService* card_service(Exchange& ex) {
  return ex.services().config.card.enabled ? ex.services().card : nullptr;
}

// Where the member goes once the card is linked (or not): continue_location
// without its first stop, the link confirmation itself (this request still
// carries the link cookie that its answer clears).
std::string after_link(Exchange& ex, std::string_view fallback) {
  // A password session kept only for this link (security.strong_sign_in_roles):
  // the member now signs in with the card itself.
  if (link_only_session(ex)) return kLinkedNowSignIn;
  if (ex.services().config.oidc.enabled && !ex.cookie(kAuthorizationCookie).empty()) return "/autorisation/reprise";
  return std::string(fallback);
}

void clear_link_cookie(Exchange& ex) {
  if (!ex.cookie(kCardLinkCookie).empty()) ex.add_cookie(clear_cookie(kCardLinkCookie, ex.secure()));
}

// GET /carte-cps, on the listener that asks for client certificates.
http::Response show_card(Exchange& ex) {
  auto* cards = card_service(ex);
  // Off: the entry point's old answer (a later release; assistance helps today).
  if (!cards) return smart_card(ex);
  const auto& req = ex.request();
  // This listener does not read cards: the card listener does (never a
  // redirect, which could loop on a misconfigured card listener).
  if (!req.asks_client_certificate)
    return status_page(ex, "card_elsewhere", 404,
                       {{"card_url", ex.services().config.card_url() + "/carte-cps"}});
  auto card = presented_card(req.client_certificate);
  auto outcome = cards->present(card, ex.query().get("lier") == "1", ex.client());
  if (!outcome) return ex.failure(outcome.error());
  if (auto* refused = std::get_if<CardRefused>(&*outcome)) return refused_page(ex, refused->reason);
  if (std::holds_alternative<CardFirstUse>(*outcome)) {
    boost::json::object d{{"first_use", true}};
    describe(ex, card, d);
    return status_page(ex, "card_first_use", 200, std::move(d));
  }
  // Only the ticket crosses to the main origin; it names nothing.
  const auto& ticket = std::get<CardHandOver>(*outcome).ticket;
  return ex.redirect(ex.services().config.server.public_url + "/carte-cps/suite?ticket=" + ticket);
}

// GET /carte-cps/suite?ticket=…, on the main origin.
http::Response show_card_continue(Exchange& ex) {
  auto* cards = card_service(ex);
  if (!cards) return ex.error(404);
  auto outcome = cards->redeem(ex.query().get("ticket"), ex.client());
  if (!outcome) return ex.failure(outcome.error());
  if (auto* refused = std::get_if<CardRefused>(&*outcome)) return refused_page(ex, refused->reason);
  if (auto* done = std::get_if<SignedIn>(&*outcome)) return finish_sign_in(ex, *done, false);
  if (auto* second = std::get_if<SecondStepRequired>(&*outcome)) {
    set_flow_cookie(ex, second->flow_token, ex.services().config.security.sign_in_flow_lifetime);
    return second_step_arrival(ex, second->flow_token);
  }
  // First use: the member signs in for this card (a session already open in
  // this browser is not proof enough: it ends), then confirms.
  const auto& pending = std::get<CardLinkPending>(*outcome);
  if (ex.account()) {
    (void)ex.services().sessions.end(ex.session_token());
    clear_session_cookie(ex);
  }
  ex.add_cookie(set_cookie(kCardLinkCookie, pending.link_token,
                           CookieOptions{ex.secure(), cards->settings().link_lifetime, "Lax"}));
  return ex.redirect("/connexion?info=card_link");
}

http::Response link_page(Exchange& ex, const PresentedCard& card, int status = 200) {
  boost::json::object d{{"title", ex.t("card_link_title")}};
  describe(ex, card, d);
  return ex.render("card_link", std::move(d), status);
}

// GET /carte-cps/liaison: the card about to be linked, named.
http::Response show_card_link(Exchange& ex) {
  auto* cards = card_service(ex);
  if (!cards) return ex.error(404);
  auto card = cards->pending_link(ex.cookie(kCardLinkCookie));
  if (!card) {
    clear_link_cookie(ex);
    if (card.error().code == ErrorCode::NotFound || card.error().code == ErrorCode::Expired)
      return status_page(ex, "card_link_expired", 410, {{"retry_link", true}});
    return ex.failure(card.error());
  }
  return link_page(ex, *card);
}

// POST /carte-cps/liaison: confirm (or give up).
http::Response submit_card_link(Exchange& ex) {
  auto* cards = card_service(ex);
  if (!cards) return ex.error(404);
  auto token = std::string(ex.cookie(kCardLinkCookie));
  clear_link_cookie(ex);
  if (ex.form()->get("action") != "confirm") return ex.redirect(after_link(ex, "/mon-espace"));
  auto outcome = cards->confirm_link(token, *ex.session(), ex.client());
  if (!outcome) {
    auto code = outcome.error().code;
    if (code == ErrorCode::NotFound || code == ErrorCode::Expired)
      return status_page(ex, "card_link_expired", 410, {{"retry_link", true}});
    if (code == ErrorCode::FlowStateInvalid) return status_page(ex, "card_link_sign_in_again", 403, {{"retry_link", true}});
    return ex.failure(outcome.error());
  }
  if (auto* refused = std::get_if<CardRefused>(&*outcome)) return refused_page(ex, refused->reason);
  boost::json::object d{{"linked", true}, {"continue_url", after_link(ex, "/mon-espace?info=card_linked")}};
  PresentedCard shown;
  const auto& l = std::get<LinkedCard>(*outcome);
  shown.holder = l.holder;
  shown.issuer = l.issuer;
  shown.not_after = l.not_after;
  describe(ex, shown, d);
  return status_page(ex, "card_linked", 200, std::move(d));
}

boost::json::array card_rows(Exchange& ex, const std::vector<LinkedCard>& list) {
  boost::json::array rows;
  for (const auto& c : list)
    rows.push_back(boost::json::object{{"sha256", c.sha256},
                                       {"holder", c.holder},
                                       {"issuer", issuer_name(c.issuer)},
                                       {"expiry", ex.format_time(c.not_after)},
                                       {"linked", ex.format_time(c.linked_at)},
                                       {"last_used", c.last_used_at ? ex.format_time(*c.last_used_at) : ex.t("card_never_used")}});
  return rows;
}

http::Response unlink_page(Exchange& ex, const LinkedCard& c, const FieldErrors& errors) {
  boost::json::object d;
  d["sha256"] = c.sha256;
  d["card_holder"] = c.holder;
  d["card_issuer"] = issuer_name(c.issuer);
  d["card_expiry"] = ex.format_time(c.not_after);
  if (!errors.empty()) add_field_errors(ex, d, errors, {"current_password"});
  d["title"] = (errors.empty() ? "" : ex.t("error_prefix") + " ") + ex.t("card_unlink_title");
  return ex.render("card_unlink", std::move(d), errors.empty() ? 200 : 422);
}

// POST /mon-espace/carte/retirer: first the confirmation page, then (confirm=1) the password.
http::Response submit_card_unlink(Exchange& ex) {
  auto* cards = card_service(ex);
  if (!cards) return ex.error(404);
  auto& a = ex.account();  // Access::Member: signed in
  auto& f = *ex.form();
  auto list = cards->cards_of(a->id);
  if (!list) return ex.failure(list.error());
  auto it = std::find_if(list->begin(), list->end(), [&](const LinkedCard& c) { return c.sha256 == f.get("card"); });
  if (it == list->end()) return ex.redirect("/mon-espace?info=card_unlinked#cartes");
  if (f.get("confirm") != "1") return unlink_page(ex, *it, {});
  auto checked = ex.services().reauth->check(*a, {f.get("current_password")}, ReauthFactor::PasswordOnly,
                                             "card.unlink", ex.client());
  if (!checked) return ex.failure(checked.error());
  if (std::holds_alternative<ReauthLockedOut>(*checked)) return signed_out_by_reauth(ex);
  if (auto* refused = std::get_if<ReauthRefused>(&*checked))
    return unlink_page(ex, *it, {{"current_password", refused->password_problem}});
  auto removed = cards->unlink(a->id, it->sha256, a->id, ex.client());
  if (!removed) return ex.failure(removed.error());
  return renewed_redirect(ex, "/mon-espace?info=card_unlinked#cartes");
}

// POST /support/compte/carte: an administrator unlinks a member's card
// (a lost or stolen card) with a reason and their password, like every
// sensitive console action; the reason goes in card.unlinked, the member is told.
http::Response submit_console_card_unlink(Exchange& ex) {
  auto* cards = card_service(ex);
  if (!cards) return ex.error(404);
  const auto* target = ex.target();  // Access::AdminOnAccount: the rank rule passed
  if (!target) return ex.error(403);
  const Agent& agent = ex.agent();
  auto card = std::string(ex.form()->get("card"));
  if (card.empty()) {
    Result<SupportOutcome> missing = SupportOutcome{Invalid{{{"card", "required"}}}};
    return console_action_done(ex, agent, target->id(), "card_unlink", missing, "card_unlinked");
  }
  auto outcome = support(ex).remove_link(*target, agent, console_confirmation(ex), "card_unlink",
                                         [&](std::string_view reason) {
                                           return cards->unlink(target->id(), card, agent.account.id, agent.client,
                                                                reason);
                                         });
  return console_action_done(ex, agent, target->id(), "card_unlink", outcome, "card_unlinked");
}

}  // namespace

void add_cards(Exchange& ex, const Account& account, boost::json::object& d) {
  auto* cards = card_service(ex);
  if (!cards) return;
  d["card_enabled"] = true;
  auto list = cards->cards_of(account.id);
  if (!list) return;
  d["cards"] = card_rows(ex, *list);
  d["has_cards"] = !list->empty();
  d["summary_cards"] = list->empty() ? ex.t("espace_cards_none_short")
                                     : ex.tn("espace_cards_count", static_cast<long long>(list->size()),
                                             {{"count", std::to_string(list->size())}});
}

void add_console_cards(Exchange& ex, const Account& account, boost::json::object& d) {
  auto* cards = card_service(ex);
  if (!cards) return;
  d["card_enabled"] = true;
  if (auto list = cards->cards_of(account.id)) {
    d["cards"] = card_rows(ex, *list);
    d["has_cards"] = !list->empty();
  }
}

std::vector<Route> card_routes() {
  return {
      {"GET", "/carte-cps", show_card},
      {"GET", "/carte-cps/suite", show_card_continue},
      {"GET", "/carte-cps/liaison", show_card_link, Access::Member},
      {"POST", "/carte-cps/liaison", submit_card_link, Access::Member},
      {"POST", "/mon-espace/carte/retirer", submit_card_unlink, Access::Member, http::Lane::Hashing},
      {"POST", "/support/compte/carte", submit_console_card_unlink, Access::AdminOnAccount, http::Lane::Hashing},
  };
}

}  // namespace portier::web
