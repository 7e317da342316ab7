#include "web/federation_account_pages.h"

#include "web/cookies.h"
#include "web/sign_in_finish.h"

namespace portier::web {

namespace {

FederatedAccountCreationService* creation(Exchange& ex) { return ex.services().federated_accounts; }

void clear_offer_cookie(Exchange& ex) {
  if (!ex.cookie(kFederationAccountCookie).empty()) ex.add_cookie(clear_cookie(kFederationAccountCookie, ex.secure()));
}

http::Response status_page(Exchange& ex, CreationRefusal why) {
  std::string key;
  int status = 409;
  switch (why) {
    case CreationRefusal::Unusable: key = "fedaccount_unusable"; status = 403; break;
    case CreationRefusal::Expired: key = "fedaccount_expired"; status = 410; break;
    case CreationRefusal::AlreadyUsed: key = "fedaccount_used"; break;
    case CreationRefusal::AlreadyLinked: key = "fedaccount_already_linked"; break;
    case CreationRefusal::RppsTaken: key = "fedaccount_rpps_taken"; break;
    case CreationRefusal::EmailTaken: key = "fedaccount_email_taken"; break;
  }
  boost::json::object d{{"title", ex.t(key + "_title")},
                        {"heading", ex.t(key + "_title")},
                        {"text", ex.t(key + "_text")},
                        {"reason", to_string(why)},
                        {"assistance_link", why == CreationRefusal::Unusable || why == CreationRefusal::EmailTaken ||
                                                why == CreationRefusal::RppsTaken}};
  return ex.render("federation_account_status", std::move(d), status);
}

// GET /nouveau-compte: what the account will be made of.
http::Response show_account_offer(Exchange& ex) {
  auto* service = creation(ex);
  if (!service) return ex.error(404);
  auto pending = service->pending(ex.cookie(kFederationAccountCookie));
  if (!pending) {
    clear_offer_cookie(ex);
    if (pending.error().code == ErrorCode::NotFound || pending.error().code == ErrorCode::Expired)
      return status_page(ex, CreationRefusal::Expired);
    return ex.failure(pending.error());
  }
  const auto& p = pending->proposal;
  std::string profession = p.profession.code.empty() ? ex.t("fedaccount_profession_unknown")
                           : p.profession.label.empty() ? p.profession.code
                                                        : p.profession.label + " (" + p.profession.code + ")";
  boost::json::object d{{"title", ex.t("fedaccount_title")},
                        {"given_name", p.given_name},
                        {"family_name", p.family_name},
                        {"email", p.email},
                        {"profession", profession},
                        {"profession_code", p.profession.code},
                        {"rpps", p.rpps},
                        {"expires", ex.t("fedaccount_expires", {{"time", ex.format_time(pending->expires_at)}})}};
  return ex.render("federation_account", std::move(d));
}

// POST /nouveau-compte: confirm (create, sign in) or cancel.
http::Response submit_account_offer(Exchange& ex) {
  auto* service = creation(ex);
  if (!service) return ex.error(404);
  auto token = std::string(ex.cookie(kFederationAccountCookie));
  clear_offer_cookie(ex);
  if (ex.form()->get("action") != "confirm") {
    if (auto r = service->cancel(token); !r) return ex.failure(r.error());
    return ex.redirect("/connexion");
  }
  auto outcome = service->confirm(token, ex.client());
  if (!outcome) return ex.failure(outcome.error());
  if (auto* refused = std::get_if<CreationRefused>(&*outcome)) return status_page(ex, refused->reason);
  return finish_sign_in(ex, std::get<SignedIn>(*outcome), false, "/mon-espace?info=federation_account_created");
}

}  // namespace

http::Response account_offered(Exchange& ex, const std::string& offer_token) {
  auto* service = creation(ex);
  if (!service) return ex.error(404);
  ex.add_cookie(set_cookie(kFederationAccountCookie, offer_token,
                           CookieOptions{ex.secure(), service->settings().offer_lifetime, "Lax"}));
  return ex.redirect("/nouveau-compte");
}

std::vector<Route> federation_account_routes() {
  return {
      {"GET", "/nouveau-compte", show_account_offer},
      {"POST", "/nouveau-compte", submit_account_offer},
  };
}

}  // namespace portier::web
