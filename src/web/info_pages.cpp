#include <algorithm>

#include "web/cookies.h"
#include "web/pages.h"

namespace portier::web {

namespace {

http::Response info(Exchange& ex, const std::string& title_key, const std::string& text, bool assistance_link) {
  boost::json::object data{{"title", ex.t(title_key)}, {"heading", ex.t(title_key)}, {"text", text}};
  if (assistance_link) data["assistance_link"] = true;
  return ex.render("info", std::move(data));
}

const std::string& by_lang(Exchange& ex, const std::string& fr, const std::string& en) {
  return ex.lang() == "en" ? en : fr;
}

}  // namespace

http::Response home(Exchange& ex) { return ex.redirect(ex.account() ? "/mon-espace" : "/connexion"); }

http::Response legal_notice(Exchange& ex) {
  auto& p = ex.services().config.portal;
  return info(ex, "legal_title", by_lang(ex, p.legal_notice_fr, p.legal_notice_en), false);
}
http::Response contact(Exchange& ex) {
  auto& p = ex.services().config.portal;
  return info(ex, "contact_title", by_lang(ex, p.contact_fr, p.contact_en), false);
}
// /assistance is the request form: assistance_pages.cpp.

// An entry point of the sign-in page whose procedure arrives in a later
// release: it says so plainly and points to assistance, which can help today.
http::Response smart_card(Exchange& ex) { return info(ex, "smart_card_title", ex.t("smart_card_later"), true); }
http::Response switch_language(Exchange& ex) {
  auto& choice = ex.query().get("choix");
  auto back = ex.query().get("retour");
  // Only local paths: "//host" or "/\host" would be an open redirect, and so
  // would "/\t/host": browsers strip tabs and newlines from URLs.
  bool control = std::any_of(back.begin(), back.end(), [](unsigned char c) { return c < 0x21 || c == 0x7f; });
  if (back.empty() || back[0] != '/' || (back.size() > 1 && (back[1] == '/' || back[1] == '\\')) || control)
    back = "/";
  if (choice == "fr" || choice == "en")
    ex.add_cookie(set_cookie("portier_lang", choice, CookieOptions{ex.secure(), std::chrono::hours(24 * 365)}));
  return ex.redirect(back);
}

}  // namespace portier::web
