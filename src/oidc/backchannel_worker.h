#pragma once
// Delivers the queued back-channel logouts (oidc/logout_store.h) on its own
// thread, never an I/O or request thread: claims due deliveries, signs a
// fresh logout token for each (oidc/logout_token.h), POSTs it through the
// BackchannelSender, and records the outcome. A 2xx answer is delivered;
// anything else (another status, a refused connection, a timeout) is tried
// again after the next of `retry_delays`, and given up once they are spent.
// Mirrors notify/outbox_worker.h; several nodes may run one each.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_log.h"
#include "common/clock.h"
#include "common/random.h"
#include "common/secret_hasher.h"
#include "oidc/backchannel_sender.h"
#include "oidc/client_store.h"
#include "oidc/key_ring.h"
#include "oidc/logout_store.h"

namespace portier {
class Metrics;
}

namespace portier::oidc {

struct BackchannelSettings {
  std::string issuer;  // oidc::issuer_of(server.public_url)
  // Delay before the 2nd, 3rd… attempt: attempts = retry_delays.size() + 1.
  std::vector<std::chrono::seconds> retry_delays{std::chrono::seconds(30), std::chrono::seconds(60),
                                                 std::chrono::seconds(180), std::chrono::seconds(300)};
  std::chrono::seconds poll_interval{5};  // between rounds when nobody calls wake()
  // A claimed delivery is another worker's again after this: far longer
  // than a batch of attempts (each at most 5 s).
  std::chrono::seconds lease{120};
  int batch = 10;
  std::chrono::seconds token_lifetime{120};
};

class BackchannelWorker {
public:
  // `metrics` may be null.
  // `secrets`: the server key the members' `sub` is derived with (oidc/subject.h).
  BackchannelWorker(LogoutStore& store, ClientStore& clients, KeyRing& keys, BackchannelSender& sender,
                    AuditLog& audit, const SecretHasher& secrets, Random& random, const Clock& clock,
                    BackchannelSettings settings, Metrics* metrics = nullptr);
  ~BackchannelWorker();  // stop()
  BackchannelWorker(const BackchannelWorker&) = delete;
  BackchannelWorker& operator=(const BackchannelWorker&) = delete;

  void start();
  // Lets the delivery in progress finish, hands the rest of the batch back, joins.
  void stop();
  // A round now (LogoutService calls it right after queueing).
  void wake();
  // One claim-and-deliver round on the calling thread; how many were claimed.
  int drain_once();

private:
  void run();
  void deliver(const BackchannelDelivery& d);
  void give_up(const BackchannelDelivery& d, const std::string& why);
  void count(const char* outcome);
  bool stopping();

  LogoutStore& store_;
  ClientStore& clients_;
  KeyRing& keys_;
  BackchannelSender& sender_;
  AuditLog& audit_;
  const SecretHasher& secrets_;
  Random& random_;
  const Clock& clock_;
  BackchannelSettings settings_;
  Metrics* metrics_;

  std::mutex mutex_;
  std::condition_variable wakeup_;
  // The earliest retry this worker scheduled in its last round: it wakes
  // for it rather than waiting out the poll interval (short test delays).
  std::optional<TimePoint> next_retry_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace portier::oidc
