#include "oidc/backchannel_worker.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "common/metrics.h"
#include "oidc/logout_token.h"
#include "oidc/subject.h"

namespace portier::oidc {

BackchannelWorker::BackchannelWorker(LogoutStore& store, ClientStore& clients, KeyRing& keys,
                                     BackchannelSender& sender, AuditLog& audit, const SecretHasher& secrets,
                                     Random& random, const Clock& clock, BackchannelSettings settings,
                                     Metrics* metrics)
    : store_(store), clients_(clients), keys_(keys), sender_(sender), audit_(audit), secrets_(secrets),
      random_(random), clock_(clock), settings_(std::move(settings)), metrics_(metrics) {}

BackchannelWorker::~BackchannelWorker() { stop(); }

void BackchannelWorker::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { run(); });
}

void BackchannelWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wakeup_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BackchannelWorker::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wakeup_.notify_all();
}

bool BackchannelWorker::stopping() {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void BackchannelWorker::run() {
  for (;;) {
    int claimed = drain_once();
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    if (claimed >= settings_.batch) continue;
    // The poll interval, or less when a retry of this round falls due sooner.
    std::chrono::milliseconds wait = settings_.poll_interval;
    if (next_retry_) {
      auto until = std::chrono::duration_cast<std::chrono::milliseconds>(*next_retry_ - clock_.now());
      wait = std::clamp(until, std::chrono::milliseconds(0), wait);
      next_retry_.reset();
    }
    wakeup_.wait_for(lock, wait, [this] { return stopping_ || woken_; });
    woken_ = false;
    if (stopping_) return;
  }
}

int BackchannelWorker::drain_once() {
  auto now = clock_.now();
  auto claimed = store_.claim_due(now, now + settings_.lease, settings_.batch);
  if (!claimed) {
    spdlog::warn("oidc: cannot claim back-channel logouts: {}", claimed.error().detail);
    return 0;
  }
  for (std::size_t i = 0; i < claimed->size(); ++i) {
    if (stopping()) {
      // Handed back at once rather than left leased: the next start delivers them.
      for (std::size_t j = i; j < claimed->size(); ++j)
        (void)store_.mark_deferred((*claimed)[j], clock_.now(), "not attempted: portier was stopping");
      break;
    }
    deliver((*claimed)[i]);
  }
  return static_cast<int>(claimed->size());
}

void BackchannelWorker::deliver(const BackchannelDelivery& d) {
  // The registration as it is now: a removed client took its deliveries
  // with it (ON DELETE CASCADE); a client that dropped its URI gets none.
  auto client = clients_.find(d.client_id);
  if (!client) {
    if (client.error().code == ErrorCode::NotFound) return give_up(d, "client no longer registered");
    (void)store_.mark_deferred(d, clock_.now() + std::chrono::seconds(30), client.error().detail);
    return count("deferred");
  }
  if (client->backchannel_logout_uri.empty()) return give_up(d, "client has no backchannel_logout_uri any more");
  auto alg = jose::parse_alg(client->id_token_alg).value_or(jose::JwsAlg::RS256);
  auto key = keys_.active(alg);
  std::string token;
  if (key) {
    LogoutTokenClaims claims{settings_.issuer, d.client_id, subject_of(secrets_, d.account_id), d.sid, random_.token(16),
                             clock_.now(), settings_.token_lifetime};
    auto signed_token = sign_logout_token(claims, key->key, key->kid);
    if (signed_token) token = std::move(*signed_token);
    else key = tl::unexpected(signed_token.error());
  }
  Result<int> answer = key ? sender_.post_form(client->backchannel_logout_uri,
                                               "logout_token=" + boost::urls::encode(token, boost::urls::unreserved_chars))
                           : Result<int>(tl::unexpected(key.error()));
  auto now = clock_.now();
  if (answer && *answer >= 200 && *answer < 300) {
    if (auto marked = store_.mark_sent(d, now); !marked)
      spdlog::error("oidc: back-channel logout #{} delivered but not recorded: {}", d.id, marked.error().detail);
    audit_.record("oidc.backchannel_sent", std::nullopt, d.account_id, ClientInfo{},
                  "client " + d.client_id + ", attempt " + std::to_string(d.attempts));
    spdlog::info("oidc: back-channel logout #{} delivered to {} (attempt {})", d.id, d.client_id, d.attempts);
    return count("sent");
  }
  // Never the token in a log line or an error column: it is a bearer credential.
  std::string why = answer ? "HTTP status " + std::to_string(*answer) : answer.error().detail;
  if (!answer && answer.error().code == ErrorCode::InvalidInput) return give_up(d, why);
  // attempts already counts this one (claim_due increments it).
  auto index = static_cast<std::size_t>(d.attempts) - 1;
  if (d.attempts < 1 || index >= settings_.retry_delays.size())
    return give_up(d, "gave up after " + std::to_string(d.attempts) + " attempts: " + why);
  auto retry_at = now + settings_.retry_delays[index];
  (void)store_.mark_deferred(d, retry_at, why);
  {
    std::lock_guard lock(mutex_);
    if (!next_retry_ || retry_at < *next_retry_) next_retry_ = retry_at;
  }
  spdlog::warn("oidc: back-channel logout #{} to {} deferred until {}: {}", d.id, d.client_id, format_utc(retry_at),
               why);
  count("deferred");
}

void BackchannelWorker::give_up(const BackchannelDelivery& d, const std::string& why) {
  (void)store_.mark_failed(d, why);
  audit_.record("oidc.backchannel_failed", std::nullopt, d.account_id, ClientInfo{},
                "client " + d.client_id + ": " + why);
  spdlog::warn("oidc: back-channel logout #{} to {} given up: {}", d.id, d.client_id, why);
  count("failed");
}

void BackchannelWorker::count(const char* outcome) {
  if (metrics_) metrics_->count_oidc_backchannel(outcome);
}

}  // namespace portier::oidc
