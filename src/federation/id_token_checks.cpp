#include "federation/id_token_checks.h"

#include <algorithm>

namespace portier::federation {

namespace {

std::optional<std::string> text(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

std::optional<std::int64_t> number(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() < static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<std::int64_t>(v->as_double());
  return std::nullopt;
}

Refused refuse(RefusalReason r, std::string detail) { return Refused{r, std::move(detail)}; }

}  // namespace

std::vector<std::string> split_words(std::string_view words) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < words.size()) {
    auto end = words.find(' ', i);
    if (end == std::string_view::npos) end = words.size();
    if (end > i) out.emplace_back(words.substr(i, end - i));
    i = end + 1;
  }
  return out;
}

std::optional<Refused> check_id_token_claims(const boost::json::object& c, const IdTokenExpectations& e) {
  auto iss = text(c, "iss");
  if (!iss || *iss != e.issuer) return refuse(RefusalReason::Issuer, "iss is \"" + iss.value_or("") + "\"");

  // aud: a string, or a list of strings that contains ours.
  const auto* aud = c.if_contains("aud");
  std::vector<std::string> audiences;
  if (aud && aud->is_string()) audiences.emplace_back(aud->as_string());
  else if (aud && aud->is_array())
    for (const auto& a : aud->as_array())
      if (a.is_string()) audiences.emplace_back(a.as_string());
  if (std::find(audiences.begin(), audiences.end(), e.client_id) == audiences.end())
    return refuse(RefusalReason::Audience, "aud does not contain our client_id");
  auto azp = text(c, "azp");
  // A token issued to several audiences must say which one asked for it (Core §3.1.3.7 items 4-5).
  if (audiences.size() > 1 && !azp) return refuse(RefusalReason::Audience, "several audiences and no azp");
  if (azp && *azp != e.client_id) return refuse(RefusalReason::Audience, "azp is another client");

  auto sub = text(c, "sub");
  if (!sub || sub->empty()) return refuse(RefusalReason::Issuer, "sub is missing");

  auto now = to_unix(e.now);
  auto skew = kClockSkew.count();
  auto exp = number(c, "exp");
  if (!exp) return refuse(RefusalReason::TokenExpired, "exp is missing");
  if (*exp + skew <= now) return refuse(RefusalReason::TokenExpired, "exp is past");
  auto iat = number(c, "iat");
  if (!iat) return refuse(RefusalReason::IssuedInFuture, "iat is missing");
  if (*iat > now + skew) return refuse(RefusalReason::IssuedInFuture, "iat is ahead of our clock");

  // The nonce binds the token to the request this browser started (replay, injection).
  auto nonce = text(c, "nonce");
  if (!nonce || *nonce != e.nonce) return refuse(RefusalReason::Nonce, nonce ? "nonce differs" : "nonce is missing");

  if (!e.acr_values.empty()) {
    auto acr = text(c, "acr");
    if (!acr) return refuse(RefusalReason::Acr, "acr is missing");
    if (std::find(e.acr_values.begin(), e.acr_values.end(), *acr) == e.acr_values.end())
      return refuse(RefusalReason::Acr, "acr \"" + *acr + "\" was not asked");
  }
  return std::nullopt;
}

}  // namespace portier::federation
