#pragma once
// One request being answered: the parsed request, what we know of the
// visitor (language, session, CSRF secret) and the response being built.
#include <boost/json/object.hpp>
#include <map>
#include <optional>

#include "common/client_info.h"
#include "oidc/client.h"
#include "oidc/token_store.h"
#include "http/request.h"
#include "web/form.h"
#include "web/web_services.h"

namespace portier::web {

class Exchange {
public:
  Exchange(const http::Request& request, WebServices& services);

  const http::Request& request() const { return req_; }
  WebServices& services() { return svc_; }
  const std::string& lang() const { return lang_; }
  // An application's `ui_locales` chose the page language ("fr" or "en"),
  // over the cookie and Accept-Language, for this response only.
  void use_language(std::string lang) { lang_ = std::move(lang); }
  const ClientInfo& client() const { return client_; }
  bool secure() const { return svc_.config.is_https(); }
  std::string_view cookie(std::string_view name) const;

  // The signed-in member, if the session cookie is valid (looked up once).
  const std::optional<Account>& account();
  // The lookup behind account() could not reach the database: the router
  // answers 503 whatever the handler made of "nobody signed in", and sends
  // no cookie, so that a database failover never signs anybody out.
  bool database_unavailable() const { return database_unavailable_; }
  const std::string& session_token() const { return session_token_; }
  // The session behind account() (same lookup): how the visitor signed in
  // (auth_methods), which the support console checks. Null when signed out.
  const Session* session() { return account() ? &*session_ : nullptr; }

  // The support agent behind a console route (set by the Router's gate,
  // web/route.h Access::Staff and Access::Admin). Asserted present.
  const Agent& agent() const;
  void set_agent(Agent agent) { agent_ = std::move(agent); }
  // The account a console action acts on, once the rank rule allowed it (set
  // by the Router for routes declared Access::StaffOnAccount or
  // AdminOnAccount). Null elsewhere: handlers then refuse, never guess.
  const ConsoleTarget* target() const { return target_ ? &*target_ : nullptr; }
  void set_target(ConsoleTarget target) { target_ = std::move(target); }
  // The authenticated OAuth client (Access::OAuthClient) and the validated
  // access token (Access::Bearer), set by the Router. Null elsewhere.
  const oidc::Client* oauth_client() const { return oauth_client_ ? &*oauth_client_ : nullptr; }
  void set_oauth_client(oidc::Client client) { oauth_client_ = std::move(client); }
  const oidc::AccessTokenRecord* bearer() const { return bearer_ ? &*bearer_ : nullptr; }
  void set_bearer(oidc::AccessTokenRecord token) { bearer_ = std::move(token); }

  // Form body of a POST; nullopt when malformed (answer 400).
  const std::optional<Form>& form();
  // Query string parameters (never malformed: a bad query is treated as empty).
  const Form& query();
  // True when the POSTed form carries the CSRF token of this browser and
  // its current session (or of no session, when signed out).
  bool csrf_valid();
  // The token the forms of this response carry: bound to the browser's CSRF
  // secret and to the session cookie this response leaves it with.
  std::string csrf_token();
  // A session starts (`next_session_token`) or ends (empty): the browser
  // gets a fresh CSRF secret, so no token seen before works after, and the
  // pages of this response are bound to the new session.
  void renew_csrf(std::string next_session_token);

  // Response builders. Each returns the finished response.
  http::Response render(const std::string& page, boost::json::object data, int status = 200);
  http::Response redirect(const std::string& location);
  http::Response error(int status, const std::string& message_key = {});
  http::Response failure(const Error& error);  // ErrorCode -> status and page, in one place
  // A JSON answer for applications: no-store, never a cookie.
  http::Response json(int status, const boost::json::value& body);
  // An OAuth error body (RFC 6749 5.2): {"error": code, "error_description": …}.
  http::Response oauth_error(int status, std::string_view code, std::string_view description = {});
  // The route answers applications (web/route.h Errors::OAuthJson): error()
  // and failure() then answer OAuth JSON instead of a page.
  void use_oauth_errors() { oauth_errors_ = true; }
  void add_cookie(std::string header_value) { cookies_out_.push_back(std::move(header_value)); }
  std::string t(std::string_view key, std::initializer_list<std::pair<std::string_view, std::string>> args = {}) const {
    return svc_.view.translations().t(lang_, key, args);
  }
  // Plural forms (Translations::tn): `key`_one / `key`_other by `count`.
  std::string tn(std::string_view key, long long count,
                 std::initializer_list<std::pair<std::string_view, std::string>> args = {}) const {
    return svc_.view.translations().tn(lang_, key, count, args);
  }
  std::string format_time(TimePoint at) const;

private:
  http::Response finish(http::Response r);

  const http::Request& req_;
  WebServices& svc_;
  std::string lang_;
  ClientInfo client_;
  std::map<std::string, std::string, std::less<>> cookies_;
  std::vector<std::string> cookies_out_;
  std::string csrf_secret_;
  std::optional<std::string> next_session_;  // the session cookie this response sets or clears
  bool oauth_errors_ = false;
  bool account_loaded_ = false;
  bool database_unavailable_ = false;
  std::optional<Account> account_;
  std::optional<Session> session_;
  std::string session_token_;
  std::optional<Agent> agent_;
  std::optional<ConsoleTarget> target_;
  std::optional<oidc::Client> oauth_client_;
  std::optional<oidc::AccessTokenRecord> bearer_;
  bool form_parsed_ = false;
  std::optional<Form> form_;
  std::optional<Form> query_;
};

// Adds the headers every response carries (CSP, frame denial, nosniff, ...).
void apply_security_headers(http::Response& r, bool https);

}  // namespace portier::web
