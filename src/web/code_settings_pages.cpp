// Mon espace, "codes de connexion": prove and save a mobile number, remove
// it, choose the channel of sent codes. Each form asks for the password.
#include "account/masking.h"
#include "flow/settings/sms_preference_offer.h"
#include "web/account_data.h"
#include "web/cookies.h"
#include "web/form_errors.h"
#include "web/pages.h"
#include "web/robot_field.h"
#include "web/session_cookies.h"

namespace portier::web {

namespace {

constexpr const char* kPhoneCookie = "portier_phone";

http::Response invalid(Exchange& ex, const Account& a, const FieldErrors& errors,
                       std::initializer_list<const char*> order, RobotVerdict robot = RobotVerdict::Passed) {
  auto data = account_data(ex, a, nullptr);
  add_field_errors(ex, data, errors, order);
  data["open_codes"] = true;  // the fold of the form in error
  if (robot != RobotVerdict::Passed) add_phone_robot_field(ex, a, data, robot);
  return ex.render("account", std::move(data), 422);
}

// No code texted: the robot check is asked, or a cap was reached.
http::Response sms_refused(Exchange& ex, const Account& a, SmsRefusal why, RobotVerdict robot) {
  auto data = account_data(ex, a, nullptr);
  data["open_codes"] = true;
  if (why == SmsRefusal::RobotCheck) {
    add_phone_robot_field(ex, a, data, robot == RobotVerdict::Passed ? RobotVerdict::Missing : robot);
    return ex.render("account", std::move(data), 422);
  }
  add_field_errors(ex, data, {{"new_phone", why == SmsRefusal::Prefix ? "phone_prefix_refused" : "sms_capped"}},
                   {"new_phone"});
  return ex.render("account", std::move(data), 429);
}

http::Response phone_page(Exchange& ex, const PhoneVerificationView& v, boost::json::object data, int status = 200) {
  data["title"] = ex.t(data.contains("has_errors") ? "phone_verify_title_error" : "phone_verify_title");
  data["masked_phone"] = v.masked_phone;
  data["expires"] = ex.format_time(v.expires_at);
  return ex.render("phone_verify", std::move(data), status);
}

}  // namespace

void add_phone_robot_field(Exchange& ex, const Account& a, boost::json::object& data, RobotVerdict previous) {
  if (previous == RobotVerdict::Passed) {
    auto needed = ex.services().code_settings.needs_robot_check(a.id);
    if (!needed || !*needed) return;
  }
  data["phone_robot"] = true;
  add_robot_field(ex, data, previous);
}

http::Response submit_phone_change(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  auto& f = *ex.form();
  auto& svc = ex.services().code_settings;
  // Past the first few codes of the day the form carries the robot check:
  // a script holding a session and the password cannot pump SMS unattended.
  auto needed = svc.needs_robot_check(a->id);
  if (!needed) return ex.failure(needed.error());
  auto robot = *needed ? check_robot(ex) : RobotVerdict::Passed;
  auto outcome = svc.start_phone_change(a->id, f.get("new_phone"), f.get("phone_password"), ex.lang(), ex.client(),
                                        *needed && robot == RobotVerdict::Passed);
  if (!outcome) return ex.failure(outcome.error());
  if (std::holds_alternative<ReauthLockedOut>(*outcome)) return signed_out_by_reauth(ex);
  if (auto* bad = std::get_if<Invalid>(&*outcome))
    return invalid(ex, *a, bad->errors, {"new_phone", "phone_password"}, *needed ? robot : RobotVerdict::Passed);
  if (auto* refused = std::get_if<PhoneSmsRefused>(&*outcome)) return sms_refused(ex, *a, refused->why, robot);
  auto& sent = std::get<PhoneCodeSent>(*outcome);
  ex.add_cookie(set_cookie(kPhoneCookie, sent.flow_token,
                           CookieOptions{ex.secure(), ex.services().config.second_step.code_lifetime, "Strict"}));
  return renewed_redirect(ex, "/mon-espace/mobile");
}

http::Response show_phone_verification(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  auto view = ex.services().code_settings.pending_phone(a->id, ex.cookie(kPhoneCookie));
  if (!view) return ex.redirect("/mon-espace#codes");
  return phone_page(ex, *view, {});
}

http::Response submit_phone_code(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  auto& svc = ex.services().code_settings;
  auto outcome = svc.confirm_phone(a->id, ex.cookie(kPhoneCookie), ex.form()->get("code"), ex.lang(), ex.client());
  if (!outcome) {
    auto c = outcome.error().code;
    if (c == ErrorCode::NotFound || c == ErrorCode::Expired || c == ErrorCode::FlowStateInvalid)
      return ex.redirect("/mon-espace#codes");
    return ex.failure(outcome.error());
  }
  if (std::holds_alternative<PhoneSaved>(*outcome)) {
    ex.add_cookie(clear_cookie(kPhoneCookie, ex.secure()));
    // Codes still go by email: the confirmation offers SMS in one click.
    auto fresh = ex.services().accounts.find_by_id(a->id);
    if (fresh && sms_offer_state(*fresh, ex.services().clock.now()) == SmsOffer::Accepted)
      return ex.redirect("/mon-espace/mobile/verifie");
    return ex.redirect("/mon-espace?info=phone_saved#codes");
  }
  auto left = std::get<PhoneCodeWrong>(*outcome).attempts_left;
  auto view = svc.pending_phone(a->id, ex.cookie(kPhoneCookie));
  if (!view) return ex.redirect("/mon-espace#codes");
  auto message = left > 0 ? ex.t("problem_second_step_wrong", {{"left", std::to_string(left)}})
                          : ex.t("problem_phone_code_exhausted");
  // Its own key: the summary names the texted code, not the e-mailed one.
  return phone_page(ex, *view, boost::json::object{{"error_phone_code", message}, {"has_errors", true}}, 422);
}

http::Response show_phone_verified(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  if (sms_offer_state(*a, ex.services().clock.now()) != SmsOffer::Accepted)
    return ex.redirect("/mon-espace?info=phone_saved#codes");
  boost::json::object data{{"title", ex.t("signin_phone_verified_title")},
                           {"phone_verified", ex.t("signin_phone_verified_text", {{"phone", mask_phone(*a->phone)}})}};
  return ex.render("phone_verified", std::move(data));
}

http::Response submit_sms_offer(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  auto& svc = ex.services();
  auto r = accept_sms_offer(svc.accounts, svc.audit, svc.clock, a->id, ex.client());
  if (!r) return ex.failure(r.error());
  // Too late (or no proved number): the usual channel form, with the password.
  if (*r == SmsOffer::Unavailable) return ex.redirect("/mon-espace#codes");
  return ex.redirect("/mon-espace?info=channel_saved#codes");
}

http::Response submit_phone_removal(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  auto outcome = ex.services().code_settings.remove_phone(a->id, ex.form()->get("remove_password"), ex.lang(), ex.client());
  if (!outcome) return ex.failure(outcome.error());
  if (std::holds_alternative<ReauthLockedOut>(*outcome)) return signed_out_by_reauth(ex);
  if (auto* bad = std::get_if<Invalid>(&*outcome)) return invalid(ex, *a, bad->errors, {"remove_password"});
  return renewed_redirect(ex, "/mon-espace?info=phone_removed#codes");
}

http::Response submit_channel(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  auto& f = *ex.form();
  auto outcome = ex.services().code_settings.set_channel(a->id, f.get("channel"), f.get("channel_password"), ex.lang(),
                                                         ex.client());
  if (!outcome) return ex.failure(outcome.error());
  if (std::holds_alternative<ReauthLockedOut>(*outcome)) return signed_out_by_reauth(ex);
  if (auto* bad = std::get_if<Invalid>(&*outcome)) return invalid(ex, *a, bad->errors, {"channel", "channel_password"});
  return renewed_redirect(ex, "/mon-espace?info=channel_saved#codes");
}

}  // namespace portier::web
