#include "oidc/authentication_context.h"

#include <algorithm>

namespace portier::oidc {

AuthenticationContext authentication_context(std::string_view auth_methods) {
  AuthenticationContext out;
  auto plus = auth_methods.find('+');
  auto first = auth_methods.substr(0, plus);
  if (first == "card") {
    // The smart card (a hardware key) unlocked by its PIN: two factors on
    // their own (RFC 8176 "hwk", "pin"), and any second step asked after it.
    out.amr = {"hwk", "pin"};
    if (plus != std::string_view::npos) {
      auto second = auth_methods.substr(plus + 1);
      out.amr.push_back(second == "sms" ? "sms" : "otp");
    }
    out.amr.push_back("mfa");
    out.acr = kAcrHealthCard;
    return out;
  }
  if (first == "psc") {
    // Pro Santé Connect: the member used the CPS card or the e-CPS app at
    // the State's provider (acr eidas1, checked by federation/). RFC 8176
    // "fed" says a federated provider authenticated them; "mfa" that it took
    // two factors.
    out.amr = {"fed", "mfa"};
    out.acr = kAcrHealthCard;
    return out;
  }
  if (first == "fed-mfa") {
    // An establishment's provider the operator declares multi-factor
    // (second_step = false): a federated sign-in ("fed", RFC 8176) that
    // counts as two factors, not as the card level.
    out.amr = {"fed", "mfa"};
    out.acr = kAcrMultiFactor;
    return out;
  }
  if (first == "fed") {
    // An establishment's provider, one factor as far as we know; "fed+" and
    // the second step's method when the account's second step followed.
    out.amr.push_back("fed");
    if (plus == std::string_view::npos) {
      out.acr = kAcrPassword;
      return out;
    }
    auto second = auth_methods.substr(plus + 1);
    out.amr.push_back(second == "sms" ? "sms" : "otp");
    out.amr.push_back("mfa");
    out.acr = kAcrMultiFactor;
    return out;
  }
  out.amr.push_back("pwd");
  if (plus == std::string_view::npos) {
    out.acr = kAcrPassword;
    return out;
  }
  auto second = auth_methods.substr(plus + 1);
  // RFC 8176: "sms" for a code by text message, "otp" for the other
  // one-time codes (by email, from the app, a recovery code); "mfa" says
  // that two factors were used.
  out.amr.push_back(second == "sms" ? "sms" : "otp");
  out.amr.push_back("mfa");
  out.acr = kAcrMultiFactor;
  return out;
}

const std::vector<std::string>& supported_acr_values() {
  static const std::vector<std::string> values{kAcrPassword, kAcrMultiFactor, kAcrHealthCard};
  return values;
}

bool acr_satisfies(std::string_view acr, std::string_view wanted) {
  const auto& v = supported_acr_values();
  auto have = std::find(v.begin(), v.end(), acr);
  auto want = std::find(v.begin(), v.end(), wanted);
  if (want == v.end() || have == v.end()) return acr == wanted;
  return have >= want;
}

bool wants_multi_factor(const std::vector<std::string>& acr_values) {
  const auto& supported = supported_acr_values();
  bool reachable = std::any_of(acr_values.begin(), acr_values.end(), [&](const std::string& v) {
    return std::find(supported.begin(), supported.end(), v) != supported.end();
  });
  bool password_enough = std::any_of(acr_values.begin(), acr_values.end(),
                                     [](const std::string& v) { return acr_satisfies(kAcrPassword, v); });
  return reachable && !password_enough;
}

bool is_health_card(std::string_view auth_methods) {
  return authentication_context(auth_methods).acr == kAcrHealthCard;
}

std::string wanted_level(const std::vector<std::string>& acr_values) {
  const auto& v = supported_acr_values();
  for (const auto& level : v)
    if (std::find(acr_values.begin(), acr_values.end(), level) != acr_values.end()) return level;
  return {};
}

}  // namespace portier::oidc
