#include "flow/federation/federated_logout_service.h"

#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace portier {

namespace {

constexpr const char* kPurpose = "federation_logout";
constexpr const char* kSent = "sent";
constexpr const char* kReturned = "returned";

}  // namespace

FederatedLogoutStart FederatedLogoutService::begin(const Session& session, const ClientInfo& client) {
  if (session.sid.empty()) return NotFederated{};
  auto kept = sessions_.take(session.sid);
  if (!kept) {
    if (kept.error().code != ErrorCode::NotFound)
      spdlog::error("federation: the session's provider record could not be read: {}", kept.error().detail);
    return NotFederated{};
  }
  auto* rp = providers_(kept->provider);
  if (!rp) {
    audit_.record("federation.logout", session.account_id, session.account_id, client,
                  kept->provider + ": provider no longer configured");
    return FederatedLogoutUnavailable{kept->provider};
  }
  auto state = random_.token(32);
  auto url = rp->logout_url(kept->id_token, public_url_ + federation::post_logout_path(kept->provider), state);
  if (!url) {
    audit_.record("federation.logout", session.account_id, session.account_id, client,
                  kept->provider + ": not at the provider: " + url.error().detail);
    return FederatedLogoutUnavailable{kept->provider};
  }
  FlowEnvelope flow;
  flow.id_hash = secrets_.digest(kPurpose, state);
  flow.kind = FlowKind::FederationLogout;
  flow.state = kSent;
  flow.account = session.account_id;
  flow.created_at = clock_.now();
  flow.expires_at = flow.created_at + kReturnLifetime;
  flow.data = boost::json::serialize(boost::json::object{{"provider", kept->provider}});
  if (auto created = flows_.create(flow); !created) {
    // Without the flow the return could not be told apart from a forged one:
    // the page would say the provider's session may be open, so say it now.
    spdlog::error("federation: logout flow not stored: {}", created.error().detail);
    audit_.record("federation.logout", session.account_id, session.account_id, client,
                  kept->provider + ": not at the provider: flow not stored");
    return FederatedLogoutUnavailable{kept->provider};
  }
  audit_.record("federation.logout", session.account_id, session.account_id, client,
                kept->provider + ": sent to the provider");
  return FederatedLogoutRedirect{kept->provider, std::move(*url), std::move(state), flow.expires_at};
}

bool FederatedLogoutService::finish(std::string_view provider, std::string_view state, std::string_view cookie_state,
                                    const ClientInfo& client) {
  // The state must come back to the browser it was sent from.
  if (state.empty() || state.size() > 128 || !constant_time_equal(state, cookie_state)) return false;
  auto f = flows_.find(FlowKind::FederationLogout, secrets_.digest(kPurpose, state));
  if (!f || f->state != kSent || f->is_expired(clock_.now())) return false;
  boost::system::error_code ec;
  auto data = boost::json::parse(f->data, ec);
  const auto* kept = !ec && data.is_object() ? data.as_object().if_contains("provider") : nullptr;
  if (!kept || !kept->is_string() || kept->as_string() != provider) return false;
  FlowEnvelope used = *f;
  used.state = kReturned;
  if (!flows_.transition(used, kSent)) return false;  // single use: of two returns, one is believed
  audit_.record("federation.logout", f->account, f->account, client, std::string(provider) + ": ended at the provider");
  return true;
}

}  // namespace portier
