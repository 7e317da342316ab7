#pragma once
// The envelope every flow shares (Kratos-style): a persisted record with a
// kind, a state and an expiry. Each flow under flow/<name>/ gives meaning to
// `state` and keeps its own fields in `data` (a JSON object).
#include <optional>
#include <string>

#include "account/account.h"
#include "common/clock.h"

namespace portier {

enum class FlowKind { SignIn, Setup, Recovery, PhoneVerification, Activation, EmailChange, Authorization, CardTicket, CardLink,
                      FederationLogin, FederationLink, FederationAccount, FederationLogout };

struct FlowEnvelope {
  std::string id_hash;   // keyed hash of the token the browser holds
  FlowKind kind = FlowKind::SignIn;
  std::string state;
  std::optional<AccountId> account;
  TimePoint created_at{};
  TimePoint expires_at{};
  int attempts = 0;
  std::string data = "{}";

  bool is_expired(TimePoint now) const { return now >= expires_at; }
};

const char* to_string(FlowKind k);

}  // namespace portier
