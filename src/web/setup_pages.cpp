#include "web/form_errors.h"
#include "web/pages.h"

namespace portier::web {

namespace {
http::Response link_unusable(Exchange& ex, const Error& e) {
  if (e.code == ErrorCode::Unavailable || e.code == ErrorCode::Internal) return ex.failure(e);
  return ex.error(410, "setup_link_unusable");
}
// The password checklist (_password_checklist.mustache) of this form: its
// password field is "password", and the words it may not hold are typed in
// the same form.
void add_setup_checklist(boost::json::object& data) {
  data["pw_field"] = "password";
  data["pw_word_fields"] = "identifier display_name email";
}

}  // namespace

http::Response show_setup(Exchange& ex) {
  const auto& token = ex.query().get("jeton");
  auto flow = ex.services().setup.check(token);
  if (!flow) return link_unusable(ex, flow.error());
  boost::json::object data{{"title", ex.t("setup_title")},
                           {"token", token},
                           {"expires", ex.format_time(flow->expires_at)}};
  add_setup_checklist(data);
  return ex.render("setup", std::move(data));
}

http::Response submit_setup(Exchange& ex) {
  auto& f = *ex.form();
  SetupInput input{f.get("identifier"), f.get("email"), f.get("display_name"), f.get("password"),
                   f.get("confirm_password")};
  auto outcome = ex.services().setup.complete(f.get("token"), input, ex.client());
  if (!outcome) return link_unusable(ex, outcome.error());
  if (auto* invalid = std::get_if<Invalid>(&*outcome)) {
    boost::json::object data{{"title", ex.t("setup_title")},
                             {"token", f.get("token")},
                             {"identifier", input.identifier},
                             {"email", input.email},
                             {"display_name", input.display_name}};
    if (auto flow = ex.services().setup.check(f.get("token"))) data["expires"] = ex.format_time(flow->expires_at);
    add_field_errors(ex, data, invalid->errors, {"identifier", "email", "display_name", "password", "confirm_password"});
    add_setup_checklist(data);
    return ex.render("setup", std::move(data), 422);
  }
  return ex.redirect("/connexion?info=setup_done");
}

}  // namespace portier::web
