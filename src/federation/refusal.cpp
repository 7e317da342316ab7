#include "federation/refusal.h"

namespace portier::federation {

std::string_view to_word(RefusalReason r) {
  switch (r) {
    case RefusalReason::ProviderError: return "provider_error";
    case RefusalReason::State: return "state";
    case RefusalReason::Expired: return "expired";
    case RefusalReason::IssParameter: return "iss_parameter";
    case RefusalReason::NoCode: return "no_code";
    case RefusalReason::Discovery: return "discovery";
    case RefusalReason::TokenExchange: return "token_exchange";
    case RefusalReason::Signature: return "signature";
    case RefusalReason::Issuer: return "issuer";
    case RefusalReason::Audience: return "audience";
    case RefusalReason::TokenExpired: return "token_expired";
    case RefusalReason::IssuedInFuture: return "issued_in_future";
    case RefusalReason::Nonce: return "nonce";
    case RefusalReason::Acr: return "acr";
    case RefusalReason::UserInfo: return "userinfo";
    case RefusalReason::UserInfoSubject: return "userinfo_subject";
    case RefusalReason::SubjectClaim: return "subject_claim";
    case RefusalReason::Unavailable: return "unavailable";
  }
  return "unknown";
}

}  // namespace portier::federation
