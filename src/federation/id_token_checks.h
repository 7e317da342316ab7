#pragma once
// The claim checks of an ID token whose signature has already been verified
// (OpenID Connect Core §3.1.3.7), as one pure function so each rule is tested
// with canned claims. Each failing rule gives its own reason word.
#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "federation/refusal.h"

namespace portier::federation {

// How far the provider's clock may be from ours: exp and iat are judged with
// this margin, no more (a token valid for minutes must not live for hours).
inline constexpr std::chrono::seconds kClockSkew{60};

struct IdTokenExpectations {
  std::string issuer;
  std::string client_id;
  std::string nonce;
  std::vector<std::string> acr_values;  // empty: acr not asked, not checked
  TimePoint now{};
};

// nullopt when every rule holds: iss exact; aud is client_id or a list
// containing it, with azp present and equal to client_id when the list holds
// others (and azp, when present, always ours); sub a non-empty string; exp in
// the future and iat not in the future (both within kClockSkew); nonce exact;
// acr one of acr_values when those were asked.
std::optional<Refused> check_id_token_claims(const boost::json::object& claims, const IdTokenExpectations& expected);

// "a b  c" -> {"a", "b", "c"}
std::vector<std::string> split_words(std::string_view words);

}  // namespace portier::federation
