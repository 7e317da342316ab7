#pragma once
// Why a provider's answer was not accepted: one fixed word per check, for the
// audit event federation.refused and the operator's test tool. The member is
// only ever told that the sign-in through the provider did not succeed.
#include <string>
#include <string_view>

namespace portier::federation {

enum class RefusalReason {
  ProviderError,      // the provider answered `error=` (the member cancelled, or it refused)
  State,              // no state, or not the one kept: not an answer to our request
  Expired,            // the kept request is older than the login lifetime
  IssParameter,       // RFC 9207: `iss` missing or wrong where the provider announces it
  NoCode,             // the answer has no code
  Discovery,          // the discovery document could not be fetched or is unacceptable
  TokenExchange,      // the token endpoint refused the code or answered something unusable
  Signature,          // the ID token's signature does not verify (or its key is unknown)
  Issuer,             // the ID token's iss is not the provider's
  Audience,           // aud lacks our client_id, or azp is not ours
  TokenExpired,       // exp is past (beyond the allowed skew)
  IssuedInFuture,     // iat is ahead of our clock beyond the skew
  Nonce,              // the nonce is not the one we sent
  Acr,                // acr missing or not among the acr_values asked
  UserInfo,           // UserInfo unreachable, malformed, or its signature does not verify
  UserInfoSubject,    // UserInfo's sub is not the ID token's (token substitution)
  SubjectClaim,       // the configured subject claim is absent
  Unavailable,        // the provider could not be reached
};

// "provider_error", "state", "iss_parameter", ...: stable, lower-case words.
std::string_view to_word(RefusalReason reason);

struct Refused {
  RefusalReason reason;
  std::string detail;  // for the log and the operator tool; never shown to the member
};

}  // namespace portier::federation
