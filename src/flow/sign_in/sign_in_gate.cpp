#include "flow/sign_in/sign_in_gate.h"

namespace portier {

std::string SignInGate::account_key(std::string_view identifier) const {
  return "sign_in:ok:account:" + secrets_.digest("sign-in-successes", identifier);
}

Result<std::optional<GateRefusal>> SignInGate::check(std::string_view identifier, std::string_view client_ip) {
  auto client = throttle_.assess(client_ip);
  if (!client) return tl::unexpected(client.error());
  if (client->backoff.count() > 0) return std::optional<GateRefusal>(GateRefusal{client->backoff, "address in back-off"});
  auto now = clock_.now();
  // The window's start is not known here: Retry-After is its whole length,
  // an upper bound. Only reached far above any real member's pace.
  auto per_account = store_.peek(account_key(identifier), settings_.window, now);
  if (!per_account) return tl::unexpected(per_account.error());
  if (*per_account >= settings_.per_account)
    return std::optional<GateRefusal>(GateRefusal{settings_.window, "successes per account"});
  auto per_client = store_.peek(client_key(client_ip), settings_.window, now);
  if (!per_client) return tl::unexpected(per_client.error());
  int limit = settings_.shared.contains(client_ip) ? settings_.per_shared_client : settings_.per_client;
  if (*per_client >= limit)
    return std::optional<GateRefusal>(GateRefusal{settings_.window, "successes per address"});
  return std::optional<GateRefusal>();
}

Result<void> SignInGate::succeeded(std::string_view identifier, std::string_view client_ip) {
  auto now = clock_.now();
  if (auto n = store_.hit(account_key(identifier), settings_.window, now); !n) return tl::unexpected(n.error());
  if (auto n = store_.hit(client_key(client_ip), settings_.window, now); !n) return tl::unexpected(n.error());
  return {};
}

}  // namespace portier
