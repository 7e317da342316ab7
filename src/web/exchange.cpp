#include "web/exchange.h"

#include <spdlog/spdlog.h>

#include <cassert>

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <boost/json/serialize.hpp>

#include "common/display_time.h"
#include "common/encoding.h"
#include "common/time_format.h"
#include "session/strong_sign_in_policy.h"
#include "web/console_nav.h"
#include "web/cookies.h"
#include "web/multipart.h"

namespace portier::web {

namespace {
constexpr const char* kSessionCookie = "portier_session";
constexpr const char* kCsrfCookie = "portier_csrf";
constexpr const char* kLangCookie = "portier_lang";
}  // namespace

void apply_security_headers(http::Response& r, bool https) {
  r.set_header("Content-Security-Policy",
               "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
               "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  r.set_header("X-Frame-Options", "DENY");
  r.set_header("X-Content-Type-Options", "nosniff");
  r.set_header("Referrer-Policy", "no-referrer");
  r.set_header("Cross-Origin-Opener-Policy", "same-origin");
  r.set_header("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
  if (!r.has_header("Cache-Control")) r.set_header("Cache-Control", "no-store");
  if (https) r.set_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}

Exchange::Exchange(const http::Request& request, WebServices& services) : req_(request), svc_(services) {
  cookies_ = parse_cookies(req_.header("cookie"));
  lang_ = negotiate_language(cookie(kLangCookie), req_.header("accept-language"), svc_.config.portal.default_language);
  // The HTTP layer has resolved trusted proxies (server.trusted_proxies).
  client_.ip = req_.remote_ip;
  auto ua = req_.header("user-agent").substr(0, 256);
  client_.user_agent = is_valid_utf8(ua) ? std::string(ua) : std::string("(invalid)");
}

namespace {
bool transient(const Error& e) { return e.code == ErrorCode::Unavailable || e.code == ErrorCode::Busy; }
}  // namespace

std::string_view Exchange::cookie(std::string_view name) const {
  auto it = cookies_.find(cookie_name(name, secure()));
  return it == cookies_.end() ? std::string_view() : std::string_view(it->second);
}

const std::optional<Account>& Exchange::account() {
  if (account_loaded_) return account_;
  account_loaded_ = true;
  auto token = cookie(kSessionCookie);
  if (token.empty()) return account_;
  auto session = svc_.sessions.resume(token);
  if (!session && transient(session.error())) {
    database_unavailable_ = true;
    return account_;
  }
  if (!session) {
    // A stale cookie is cleared so the browser stops sending it.
    add_cookie(clear_cookie(kSessionCookie, secure()));
    next_session_ = std::string();
    return account_;
  }
  auto account = svc_.accounts.find_by_id(session->account_id);
  if (!account && transient(account.error())) database_unavailable_ = true;
  if (!account || account->status != AccountStatus::Active) return account_;
  // security.strong_sign_in_roles: a password session of a member held to
  // the card exists only to confirm a card or PSC identity waiting to be
  // linked; everywhere else it is as if nobody were signed in (the cookie
  // stays, for the link page).
  if (!StrongSignInPolicy(svc_.config.security.strong_sign_in_roles)
           .allows(account->role, session->auth_methods, req_.path))
    return account_;
  account_ = std::move(*account);
  session_ = std::move(*session);
  session_token_ = std::string(token);
  return account_;
}

const Agent& Exchange::agent() const {
  assert(agent_ && "console routes declare Access::Staff or Access::Admin");
  return *agent_;
}

const std::optional<Form>& Exchange::form() {
  if (!form_parsed_) {
    form_parsed_ = true;
    auto type = ascii_lower(req_.header("content-type"));
    if (type.rfind("application/x-www-form-urlencoded", 0) == 0) form_ = Form::parse(req_.body);
    // A form with a file (the console's CSV import): fields and raw file bytes.
    else if (auto boundary = multipart_boundary(req_.header("content-type"))) form_ = parse_multipart(req_.body, *boundary);
  }
  return form_;
}

const Form& Exchange::query() {
  if (!query_) {
    query_ = Form::parse(req_.query);
    if (!query_) query_ = Form();
  }
  return *query_;
}

namespace {
// The token: a keyed MAC over the browser's CSRF secret and its session id
// (empty when signed out). Another site can neither read nor set the secret
// (HttpOnly, SameSite=Lax, __Host- over HTTPS); binding the session makes a
// token seen before sign-in, or in another session, worthless.
std::string csrf_mac(const SecretHasher& secrets, std::string_view secret, std::string_view session) {
  std::string message(secret);
  message += '|';
  message += session;
  return base64url_encode(secrets.mac("csrf", message));
}
}  // namespace

std::string Exchange::csrf_token() {
  if (csrf_secret_.empty()) {
    csrf_secret_ = std::string(cookie(kCsrfCookie));
    if (csrf_secret_.size() != 43) {
      csrf_secret_ = svc_.random.token(32);
      add_cookie(set_cookie(kCsrfCookie, csrf_secret_, CookieOptions{secure(), std::nullopt}));
    }
  }
  // The session the browser will send with the form: the one this response
  // sets (or none, if it clears it), else the one it sent.
  std::string_view session = next_session_ ? std::string_view(*next_session_) : cookie(kSessionCookie);
  return csrf_mac(svc_.secrets, csrf_secret_, session);
}

void Exchange::renew_csrf(std::string next_session_token) {
  next_session_ = std::move(next_session_token);
  csrf_secret_ = svc_.random.token(32);
  // One CSRF cookie per response: the browser keeps the last, but say it once.
  auto name = cookie_name(kCsrfCookie, secure()) + "=";
  std::erase_if(cookies_out_, [&](const std::string& c) { return c.rfind(name, 0) == 0; });
  add_cookie(set_cookie(kCsrfCookie, csrf_secret_, CookieOptions{secure(), std::nullopt}));
}

bool Exchange::csrf_valid() {
  // Checked against the session cookie the browser sent, valid or not: a
  // form shown before the session expired still reaches its handler, which
  // then says "session expired" rather than "form expired".
  auto secret = cookie(kCsrfCookie);
  auto& f = form();
  if (secret.size() != 43 || !f) return false;
  return constant_time_equal(csrf_mac(svc_.secrets, secret, cookie(kSessionCookie)), f->get("csrf"));
}

std::string Exchange::format_time(TimePoint at) const { return display_time().date_time(at, lang_, svc_.clock.now()); }

http::Response Exchange::render(const std::string& page, boost::json::object data, int status) {
  const auto& portal = svc_.config.portal;
  data["lang"] = lang_;
  data["is_fr"] = lang_ == "fr";
  std::string other = lang_ == "fr" ? "en" : "fr";
  data["other_lang"] = other;
  data["other_lang_name"] = other == "en" ? "English" : "Français";
  std::string back = boost::urls::encode(req_.method == "GET" ? req_.target : req_.path, boost::urls::unreserved_chars);
  data["lang_switch_url"] = "/langue?choix=" + other + "&retour=" + back;
  data["portal_name"] = portal.name;
  data["logo_url"] = portal.logo_url;
  data["has_logo"] = !portal.logo_url.empty();
  if (!data.contains("title")) data["title"] = portal.name;
  // Every page that asks for a new password states the minimum length.
  data["min_length"] = std::to_string(svc_.config.security.password_min_length);
  if (account()) {
    data["signed_in"] = true;
    data["user_display_name"] = account_->display_name;
    data["is_staff"] = account_->role != Role::Member;
  }
  if (agent_) add_console_nav(*this, data);  // console pages: the menu's links and counts
  // After account(): a stale session cookie it clears no longer binds the token.
  data["csrf"] = csrf_token();
  http::Response r;
  r.status = status;
  r.set_header("Content-Type", "text/html; charset=utf-8");
  try {
    r.body = svc_.view.render(page, std::move(data), lang_);
  } catch (const std::exception& e) {
    spdlog::error("rendering {} failed: {}", page, e.what());
    r.status = 500;
    r.body = "<!doctype html><title>500</title><p>Erreur interne / Internal error</p>";
  }
  return finish(std::move(r));
}

http::Response Exchange::redirect(const std::string& location) {
  http::Response r;
  r.status = 303;
  r.set_header("Location", location);
  return finish(std::move(r));
}

http::Response Exchange::json(int status, const boost::json::value& body) {
  http::Response r;
  r.status = status;
  r.set_header("Content-Type", "application/json");
  r.set_header("Cache-Control", "no-store");
  r.set_header("Pragma", "no-cache");
  r.body = boost::json::serialize(body);
  // Applications get no cookie: whatever a lookup cleared stays for pages.
  cookies_out_.clear();
  apply_security_headers(r, secure());
  return r;
}

http::Response Exchange::oauth_error(int status, std::string_view code, std::string_view description) {
  boost::json::object body{{"error", code}};
  if (!description.empty()) body["error_description"] = description;
  auto r = json(status, body);
  if (status == 401) r.set_header("WWW-Authenticate", "Basic realm=\"portier\"");
  if (status == 503) r.set_header("Retry-After", "5");
  return r;
}

namespace {
// The OAuth error code for a generic HTTP failure of an application route.
std::string_view oauth_code_for(int status) {
  switch (status) {
    case 400: case 413: case 431: return "invalid_request";
    case 401: return "invalid_client";
    case 403: return "access_denied";
    case 404: return "not_found";
    case 405: return "invalid_request";
    case 503: return "temporarily_unavailable";
    default: return "server_error";
  }
}
}  // namespace

http::Response Exchange::error(int status, const std::string& message_key) {
  if (oauth_errors_) return oauth_error(status, oauth_code_for(status));
  // Error pages never look up the session: they may be rendered on an I/O
  // thread (413, 503) where no database call is allowed.
  account_loaded_ = true;
  std::string key = message_key.empty() ? "error_" + std::to_string(status) : message_key;
  boost::json::object data;
  data["title"] = t("error_title_" + std::to_string(status));
  data["heading"] = t("error_title_" + std::to_string(status));
  data["message"] = t(key);
  data["status"] = status;
  // "Try again" reloads what was asked when that is safe to repeat (a GET of
  // one of our own paths); a form is sent again with the browser's back button.
  if (status == 503 && req_.method == "GET" && req_.path.starts_with("/") && !req_.path.starts_with("//"))
    data["retry_url"] = req_.target;
  auto r = render("error", std::move(data), status);
  if (status == 503) r.set_header("Retry-After", "5");
  return r;
}

http::Response Exchange::failure(const Error& e) {
  switch (e.code) {
    case ErrorCode::NotFound: return error(404);
    case ErrorCode::Expired: return error(410, "error_expired");
    case ErrorCode::FlowStateInvalid: return error(409, "error_flow_state");
    case ErrorCode::InvalidInput: return error(400);
    case ErrorCode::Conflict: return error(409, "error_409");
    case ErrorCode::Unavailable:
      spdlog::error("dependency unavailable: {}", e.detail);
      return error(503);
    case ErrorCode::Busy: return error(503, "error_busy");
    case ErrorCode::Internal: break;
  }
  spdlog::error("internal error: {}", e.detail);
  return error(500);
}

http::Response Exchange::finish(http::Response r) {
  for (auto& c : cookies_out_) r.headers.emplace_back("Set-Cookie", c);
  cookies_out_.clear();
  apply_security_headers(r, secure());
  return r;
}

}  // namespace portier::web
