#pragma once
// Sends what the outbox holds, on its own thread (never an I/O or request
// thread): claims due messages, hands each to the Mailer, records the
// outcome and schedules retries with back-off. It never logs a message body
// or a full recipient address (the domain only), and never gives up on a
// message before its max age unless the server refused it for good.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "common/clock.h"
#include "notify/mailer.h"
#include "notify/outbox_store.h"

namespace portier {

class Metrics;

struct OutboxWorkerSettings {
  std::chrono::seconds poll_interval{5};  // sleep between rounds when nobody calls wake()
  std::chrono::seconds max_age{86400};    // after created_at + max_age a failing message is given up
  std::chrono::seconds lease{300};        // a claimed message is another worker's again after this
  int batch = 20;                         // messages claimed per round
};

class OutboxWorker {
public:
  // `metrics` may be null.
  OutboxWorker(OutboxStore& store, Mailer& mailer, const Clock& clock, OutboxWorkerSettings settings,
               Metrics* metrics = nullptr);
  ~OutboxWorker();  // stop()
  OutboxWorker(const OutboxWorker&) = delete;
  OutboxWorker& operator=(const OutboxWorker&) = delete;

  /// Starts the sending thread (once).
  void start();
  /// Lets the message being sent finish, hands back the rest of the batch
  /// and joins the thread. Safe to call twice or without start().
  void stop();
  /// Asks the thread for a round now: request handlers call it right after
  /// enqueueing, so a message leaves within milliseconds, not a poll interval.
  void wake();
  /// One claim-and-send round on the calling thread; returns how many
  /// messages it claimed. For tests and the command line.
  int drain_once();

  /// Delay before the next attempt after the `attempts`-th failed one:
  /// 1, 2, 5, 15, 30 min, 1, 2, 4, 8 h, then daily.
  static std::chrono::seconds backoff(int attempts);

private:
  void run();
  void send_one(const OutboundMessage& m);
  void count(const char* outcome);

  OutboxStore& store_;
  Mailer& mailer_;
  const Clock& clock_;
  OutboxWorkerSettings settings_;
  Metrics* metrics_;

  std::mutex mutex_;
  std::condition_variable wakeup_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace portier
